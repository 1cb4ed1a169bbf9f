// The gates the IR knows by name: every gate of OpenQASM 3's stdgates.inc and of the extended
// OpenQASM 2 qelib1.inc (42 gates), with their arity, their canonical name after `normalise`,
// their inverse, and the exact 2x2 matrix of each single-qubit gate.
//
// Phase conventions follow the OpenQASM 3 specification exactly: U(θ,φ,λ) is
// [[cos θ/2, -e^{iλ} sin θ/2], [e^{iφ} sin θ/2, e^{i(φ+λ)} cos θ/2]]; p = u1 = phase =
// diag(1, e^{iλ}); rz(λ) = e^{-iλ/2} p(λ); u3(θ,φ,λ) = e^{-i(φ+λ)/2} U(θ,φ,λ) (the U of
// OpenQASM 2); u2(φ,λ) = u3(π/2,φ,λ); cp = cu1 = cphase; crz is controlled-rz, not cp.
#pragma once

#include <array>
#include <complex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ir/angle.h"

namespace qontos::ir {

struct GateSpec {
  std::string_view name;
  int num_qubits;
  int num_params;
  /// Gates that are part of the canonical set after `normalise`. Others are aliases or
  /// definitions that `normalise` or `inline` rewrite.
  bool canonical;
};

/// Null when `name` is not a built-in gate.
const GateSpec* find_gate(std::string_view name);
const std::vector<GateSpec>& all_gates();

/// Gates whose meaning comes from a definition in the OpenQASM 2 library (rccx, rc3x) rather
/// than from a matrix; `inline` expands them.
bool is_library_definition(std::string_view name);

using Matrix2 = std::array<std::complex<double>, 4>;  // row-major

/// Exact matrix of a single-qubit gate (any name of find_gate with num_qubits == 1).
Matrix2 single_qubit_matrix(std::string_view name, const std::vector<Angle>& params);

struct NamedGate {
  std::string name;
  std::vector<Angle> params;
  int extra_controls = 0;  // controls to add in front (e.g. csx -> sx with one control)
  Angle global_phase;      // phase that the rewrite adds (e.g. u3 -> U)
};

/// The inverse of gate `name`: another named gate, exactly (including phase).
NamedGate inverse_gate(std::string_view name, const std::vector<Angle>& params);

/// The canonical spelling of a gate: aliases resolved (u1 -> p, cu1 -> cp, CX -> cx, u3 -> U
/// with phase, csx -> sx with a control, c3x -> x with three controls, ...). Canonical gates
/// map to themselves.
NamedGate canonical_gate(std::string_view name, const std::vector<Angle>& params);

/// For a canonical base gate with `controls` extra controls, the named controlled gate that
/// absorbs them (x+1 -> cx, x+2 -> ccx, z+1 -> cz, swap+1 -> cswap, ...), or nullopt.
std::optional<NamedGate> fold_controls(std::string_view name, const std::vector<Angle>& params, int controls);

/// The reverse of fold_controls: cx -> x with 1 control, ccx -> x with 2, cp -> p with 1, ...
/// Gates with no base form map to themselves with 0 controls.
NamedGate unfold_controls(std::string_view name, const std::vector<Angle>& params);

}  // namespace qontos::ir
