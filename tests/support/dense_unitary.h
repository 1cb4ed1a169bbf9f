// An independent dense-matrix evaluator for tests: the unitary of a small program, built from
// gate matrices written here from the OpenQASM 3 specification's conventions (it never calls the
// host's gate tables or passes), so tests can check that compiler passes preserve what a circuit
// computes. It reads programs straight out of the `parse` pass: user gate definitions, gate
// modifiers and `gphase` are evaluated here, independently of the compiler's `inline` pass.
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
//   * Gate modifiers (ir::GateOp::modifiers, present before `inline`) apply right to left: the
//     leftmost modifier applies last, so ctrl @ inv @ g = ctrl(inv(g)). ctrl(n) / negctrl(n)
//     consume the leading n qubits of what remains (negctrl fires when those qubits are |0>);
//     inv is the adjoint; pow(k) takes k = ir::evaluate_angle(exponent, params of the enclosing
//     gate definition, none at top level).radians(): an integer k is an exact repeated product
//     (the inverse for k < 0); any other k is the principal power U^k = V diag(λ_j^k) V† with
//     arg λ_j in (-π, π] (an eigenvalue -1 counts as e^{iπ}). Controls commute with inv and pow
//     (controlled-U to the k is controlled-(U^k) on the principal branch), so modifiers act on the
//     controlled gate's target matrix.
//   * A GateOp with modifiers and `controls` both set: the modifier controls lead, then the
//     `controls` positive controls, then the named gate's own qubits.
//   * A GateOp named `gphase` has no own qubits: gphase(a) is the 1x1 matrix e^{ia}, so
//     ctrl @ gphase(a) c is p(a) on c.
//   * A user gate definition (ir::GateDefinition in program.gate_defs) takes precedence over a
//     built-in gate of the same name. Its body's GateOps take their parameters from
//     `param_exprs` evaluated with ir::evaluate_angle at the actual parameter values; its
//     GlobalPhaseOps take their phases from `phase_exprs`, in body order. Its unitary is the
//     product of its body on the definition's own qubits (local qubit j = qubit argument j).
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
/// Most physical qubits `equivalent_after_layout` simulates when it must (one state vector per
/// column, over the physical qubits the program uses; unused ones are left out).
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

/// Largest gate (own qubits, controls excluded) that a non-integer pow modifier may act on.
inline constexpr int kMaxFractionalPowerQubits = 6;

/// The unitary of a program made only of GateOp (built-in names, gates of program.gate_defs,
/// `gphase`; with `controls` and/or modifiers), GlobalPhaseOp, BarrierOp and DelayOp (both
/// identities), times e^{i global_phase}. Throws std::invalid_argument naming the offending op
/// for anything else (measure, reset, if, while, assignments, unknown or opaque gates, recursive
/// definitions, bad operands or parameters, a non-integer pow of a gate over
/// kMaxFractionalPowerQubits qubits) and for programs over kMaxUnitaryQubits qubits.
Unitary unitary_of(const ir::Program& program);

/// u^k: for integer k an exact repeated product (u† for negative k); otherwise the principal
/// power through an eigendecomposition of u, which must be unitary (within 1e-9) and act on at
/// most kMaxFractionalPowerQubits qubits. Throws std::invalid_argument otherwise, or when k is
/// not finite.
Unitary matrix_power(const Unitary& u, double k);

/// The unitary part of a program whose only non-unitary operations are terminal measurements:
/// a copy without its MeasureOps and BarrierOps. A measurement is terminal when no later gate
/// acts on the measured qubit (measuring it again is allowed; delays are identities), except
/// gates that only move it: consecutive gates on the measured qubit and one other whose product
/// is e^{iφ} SWAP (however spelled, e.g. routing's SWAPs in native gates) move the measured mark
/// to the other qubit, since measuring before or after a SWAP is the same. Throws
/// std::invalid_argument naming the op for any other gate on a measured qubit, and for reset,
/// if, while, assignments, break and continue.
ir::Program without_terminal_measurements(const ir::Program& program);

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
/// layouts, non-unitary ops, or programs larger than the limits above (a physical program may
/// have more than kMaxLayoutPhysicalQubits qubits as long as the simulation needs no more).
///
/// SWAPs (the ones routing inserts) are evaluated as what they are, a relabelling of qubits:
/// consecutive gates on one pair of qubits, with nothing else on either in between, whose
/// product is e^{iφ} SWAP (a `swap` gate, or a SWAP spelled in native gates) are dropped, the
/// ops after them renamed, and φ added to the global phase. When no remaining op touches a
/// physical qubit outside the initial layout, the check is done on the logical qubits alone
/// (cost of one logical unitary); otherwise the physical program is simulated column by column
/// on the physical qubits it uses (unused ones stay |0>).
bool equivalent_after_layout(const ir::Program& logical, const ir::Program& physical, double tol = 1e-8);
/// The same with the logical program's unitary already computed (2^n x 2^n for n logical
/// qubits, n = physical.initial_layout.size() or, without a layout, physical.num_qubits).
bool equivalent_after_layout(const Unitary& logical, const ir::Program& physical, double tol = 1e-8);

}  // namespace qontos::testing
