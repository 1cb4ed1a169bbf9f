// Which gates a stabilizer simulator can apply, and how: the rules that turn a gate of the IR
// (after `normalise`) into a short sequence of tableau primitives, or the reason it cannot.
//
// A gate is Clifford when it maps Pauli operators to Pauli operators under conjugation. Fixed
// gates are decided by name; rotations and phase gates only when their angles are exact
// multiples of pi/2 (uncontrolled) or of pi (under one control), and U/cu when their angles
// combine into a Clifford. Every rule is decided on the exact rational part of the angles, never
// on floating-point matrices, so an angle a hair away from pi/2 is refused rather than rounded.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include "ir/program.h"

namespace qontos::simulate {

/// The operations the tableau implements directly; every Clifford gate is a sequence of them.
enum class CliffordPrimitive : std::uint8_t { kX, kY, kZ, kH, kS, kSdg, kSX, kSXdg, kCX, kCY, kCZ, kSwap };

struct CliffordStep {
  CliffordPrimitive op;
  int a;  // the qubit, or the control of cx/cy
  int b;  // the second qubit of a two-qubit primitive, else -1
};

/// A fixed-capacity list of steps: the longest rule (rxx) needs seven, and applying a gate must
/// not allocate.
class CliffordSequence {
 public:
  static constexpr std::size_t kCapacity = 8;
  void push(CliffordPrimitive op, int a, int b = -1) { steps_[size_++] = CliffordStep{op, a, b}; }
  std::span<const CliffordStep> steps() const { return {steps_.data(), size_}; }

 private:
  std::array<CliffordStep, kCapacity> steps_;
  std::size_t size_ = 0;
};

/// The primitive that an uncontrolled gate without parameters is by itself (h, cx, swap, ...),
/// else nullopt. Inline and decided on characters: it runs for every gate a simulator applies.
inline std::optional<CliffordPrimitive> primitive_gate(std::string_view name) {
  using P = CliffordPrimitive;
  switch (name.size()) {
    case 1:
      switch (name[0]) {
        case 'x':
          return P::kX;
        case 'y':
          return P::kY;
        case 'z':
          return P::kZ;
        case 'h':
          return P::kH;
        case 's':
          return P::kS;
        default:
          return std::nullopt;
      }
    case 2:
      if (name[0] == 'c' && name[1] == 'x') return P::kCX;
      if (name[0] == 'c' && name[1] == 'z') return P::kCZ;
      if (name[0] == 'c' && name[1] == 'y') return P::kCY;
      if (name[0] == 's' && name[1] == 'x') return P::kSX;
      return std::nullopt;
    case 3:
      if (name == "sdg") return P::kSdg;
      return std::nullopt;
    case 4:
      if (name == "swap") return P::kSwap;
      if (name == "sxdg") return P::kSXdg;
      return std::nullopt;
    default:
      return std::nullopt;
  }
}

inline int primitive_arity(CliffordPrimitive p) {
  using P = CliffordPrimitive;
  return p == P::kCX || p == P::kCY || p == P::kCZ || p == P::kSwap ? 2 : 1;
}

struct CliffordDecomposition {
  CliffordSequence sequence;           // in time order, on the gate's qubits; equal up to global phase
  std::optional<std::string> refusal;  // set when the gate is not Clifford (sequence is then empty)
};

/// The gate as tableau primitives, or why it is not Clifford ("gate 't' is not a Clifford gate",
/// "gate 'rz(pi/4)' is not Clifford: its angle is not a multiple of pi/2"). Accepts canonical
/// names with or without folded controls (cx, or x with one control) and the aliases of
/// ir/gate_set.h. Qubit indices are copied, not range-checked.
CliffordDecomposition decompose_clifford(const ir::GateOp& gate);

/// Nullopt when `gate` is Clifford, else the reason it is not.
std::optional<std::string> clifford_refusal(const ir::GateOp& gate);

/// The source line and refusal reason of the first non-Clifford gate in program order
/// (descending into if/while bodies), or nullopt when every gate is Clifford.
std::optional<std::pair<int, std::string>> first_non_clifford(const ir::Program& program);

}  // namespace qontos::simulate
