// An independent dense-matrix evaluator for tests: the unitary of a small gate-only program,
// built from gate matrices written here from the OpenQASM 3 specification's conventions (it
// never calls the host's gate tables), so tests can check that compiler passes preserve what a
// circuit computes.
//
// Conventions:
//   * Amplitude index bit k is qubit k (little-endian): basis state |x> has qubit k in state
//     (x >> k) & 1.
//   * A Unitary is a dense 2^n x 2^n matrix stored COLUMN-MAJOR: u[col * dim + row] = <row|U|col>,
//     so each column (the image of one basis state) is contiguous.
//   * The first qubit arguments of a controlled gate are its controls (cx c,t; ccx c1,c2,t;
//     cu(θ,φ,λ,γ) c,t ...). An ir::GateOp with `controls = k` adds k further positive controls:
//     its first k qubits control the named gate, which acts on the remaining qubits.
//   * U(θ,φ,λ) = [[cos θ/2, -e^{iλ} sin θ/2], [e^{iφ} sin θ/2, e^{i(φ+λ)} cos θ/2]];
//     p = u1 = phase = diag(1, e^{iλ}); rz(θ) = diag(e^{-iθ/2}, e^{iθ/2}); u3 = u =
//     e^{-i(φ+λ)/2} U; u2(φ,λ) = u3(π/2,φ,λ); cu(θ,φ,λ,γ) = |0><0|⊗I + e^{iγ}|1><1|⊗U(θ,φ,λ);
//     rccx and rc3x are the products of their OpenQASM 2 qelib1.inc bodies.
#pragma once

#include <complex>
#include <optional>
#include <string_view>
#include <vector>

#include "ir/program.h"

namespace qontos::testing {

/// Dense column-major matrix: u[col * dim + row], dim = 2^n.
using Unitary = std::vector<std::complex<double>>;

/// Largest program `unitary_of` accepts (a 2^12 x 2^12 matrix is 256 MiB).
inline constexpr int kMaxUnitaryQubits = 12;
/// Largest physical program `equivalent_after_layout` simulates (one state vector per column).
inline constexpr int kMaxLayoutPhysicalQubits = 16;
inline constexpr int kMaxLayoutLogicalQubits = 12;

struct GateShape {
  int num_qubits = 0;  // including the gate's own controls (cx: 2)
  int num_params = 0;
};

/// The shape of a gate this evaluator knows, or nullopt.
std::optional<GateShape> known_gate(std::string_view name);

/// The 2^k x 2^k matrix of one gate on its own qubit arguments (local bit j = j-th argument),
/// with `extra_controls` further positive controls in front. Throws std::invalid_argument for an
/// unknown gate or a wrong number of parameters.
Unitary gate_unitary(std::string_view name, const std::vector<double>& params, int extra_controls = 0);

/// The identity on n qubits.
Unitary identity_unitary(int num_qubits);

/// Number of qubits n of a 2^n x 2^n matrix; throws std::invalid_argument if the size is not
/// of that form.
int unitary_qubits(const Unitary& u);

/// a * b (apply b first).
Unitary multiply(const Unitary& a, const Unitary& b);
Unitary adjoint(const Unitary& u);

/// The unitary of a program made only of GateOp (built-in names, optional `controls`, no
/// modifiers), GlobalPhaseOp, BarrierOp and DelayOp (both identities), times e^{i global_phase}.
/// Throws std::invalid_argument naming the offending op for anything else (measure, reset,
/// if, while, assignments, unknown or user-defined gates, modifiers, bad operands) and for
/// programs over kMaxUnitaryQubits qubits.
Unitary unitary_of(const ir::Program& program);

/// Entry-wise |a - b| <= tol (false when sizes differ).
bool equal_exactly(const Unitary& a, const Unitary& b, double tol = 1e-8);
/// b = e^{iα} a for one α, entry-wise within tol (false when sizes differ).
bool equal_up_to_global_phase(const Unitary& a, const Unitary& b, double tol = 1e-8);

/// Relabels qubits: the result acts on qubit perm[k] as `u` acts on qubit k. If u is the
/// unitary of circuit C, the result is the unitary of C with every qubit q renamed perm[q].
/// `perm` must be a permutation of 0..n-1 (else std::invalid_argument).
Unitary permute_qubits(const Unitary& u, const std::vector<int>& perm);

/// Whether `physical` (after layout/routing, on physical qubits) implements `logical` up to one
/// global phase: for every logical basis state x, the physical program run on x embedded through
/// physical.initial_layout (logical qubit q on physical qubit initial_layout[q], every other
/// physical qubit |0>) must give logical|x> embedded through physical.final_layout, with the
/// unused physical qubits back in |0>, and the same phase for every x. Empty layouts mean the
/// identity placement (final defaults to initial). Throws std::invalid_argument for malformed
/// layouts, non-unitary ops, or programs larger than the limits above.
bool equivalent_after_layout(const ir::Program& logical, const ir::Program& physical, double tol = 1e-8);

}  // namespace qontos::testing
