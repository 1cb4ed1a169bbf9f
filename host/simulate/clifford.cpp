#include "simulate/clifford.h"

#include <stdexcept>
#include <string_view>

#include "ir/gate_set.h"

namespace qontos::simulate {
namespace {

using ir::Angle;
using P = CliffordPrimitive;

Angle pi_over(std::int64_t num, std::int64_t den) {
  return Angle::pi_times(*ir::Rational::make(num, den));
}

/// k mod `modulus` when `a` is exactly k*pi/2, else nullopt. An inexact angle is never a
/// multiple: `normalise` has already snapped doubles that are nearest to one.
std::optional<int> quarter_turns(const Angle& a, int modulus) {
  if (!a.is_exact()) return std::nullopt;
  const ir::Rational& r = a.pi_coefficient();
  std::int64_t k = 0;
  if (r.den == 1) {
    k = (r.num % modulus) * 2;
  } else if (r.den == 2) {
    k = r.num % modulus;
  } else {
    return std::nullopt;
  }
  return static_cast<int>(((k % modulus) + modulus) % modulus);
}

/// A single-qubit gate as e^{i gamma} U(theta, phi, lambda). The phase is irrelevant to an
/// uncontrolled gate but decides whether a controlled one is Clifford (crz(pi) is, cp(pi/2) is
/// not), so it is kept exactly, following the conventions of ir/gate_set.h.
struct UForm {
  Angle theta, phi, lambda, gamma;
};

std::optional<UForm> as_u(std::string_view name, const std::vector<Angle>& a) {
  const Angle zero;
  if (name == "U") return UForm{a[0], a[1], a[2], zero};
  if (name == "id") return UForm{zero, zero, zero, zero};
  if (name == "x") return UForm{pi_over(1, 1), zero, pi_over(1, 1), zero};
  if (name == "y") return UForm{pi_over(1, 1), pi_over(1, 2), pi_over(1, 2), zero};
  if (name == "z") return UForm{zero, zero, pi_over(1, 1), zero};
  if (name == "h") return UForm{pi_over(1, 2), zero, pi_over(1, 1), zero};
  if (name == "s") return UForm{zero, zero, pi_over(1, 2), zero};
  if (name == "sdg") return UForm{zero, zero, pi_over(-1, 2), zero};
  if (name == "t") return UForm{zero, zero, pi_over(1, 4), zero};
  if (name == "tdg") return UForm{zero, zero, pi_over(-1, 4), zero};
  // sx = e^{i pi/4} rx(pi/2), sxdg = e^{-i pi/4} rx(-pi/2).
  if (name == "sx") return UForm{pi_over(1, 2), pi_over(-1, 2), pi_over(1, 2), pi_over(1, 4)};
  if (name == "sxdg") return UForm{pi_over(-1, 2), pi_over(-1, 2), pi_over(1, 2), pi_over(-1, 4)};
  if (name == "rx") return UForm{a[0], pi_over(-1, 2), pi_over(1, 2), zero};
  if (name == "ry") return UForm{a[0], zero, zero, zero};
  if (name == "rz") return UForm{zero, zero, a[0], -a[0].scaled(ir::Rational{1, 2})};
  if (name == "p") return UForm{zero, zero, a[0], zero};
  return std::nullopt;
}

/// rz(k pi/2) up to phase: I, S, Z, S†.
void push_rz(CliffordSequence& out, int k, int q) {
  if (k == 1) out.push(P::kS, q);
  if (k == 2) out.push(P::kZ, q);
  if (k == 3) out.push(P::kSdg, q);
}

/// ry(k pi/2) up to phase: ry(pi/2) = H Z and ry(-pi/2) = Z H as matrices; ry(pi) ~ Y.
void push_ry(CliffordSequence& out, int k, int q) {
  if (k == 1) {
    out.push(P::kZ, q);
    out.push(P::kH, q);
  } else if (k == 2) {
    out.push(P::kY, q);
  } else if (k == 3) {
    out.push(P::kH, q);
    out.push(P::kZ, q);
  }
}

/// U(theta, phi, lambda) ~ rz(phi) ry(theta) rz(lambda). When theta is an odd multiple of pi/2,
/// rz(phi) must be Clifford on its own (it turns the X that ry made from Z by phi), and so must
/// rz(lambda). When theta is a multiple of pi only the sum (theta = 0: diag(1, e^{i(phi+lambda)}))
/// or difference (theta = pi: X diag(e^{i phi}, -e^{i lambda})) of phi and lambda matters. Any
/// other theta leaves a Z component mixed with X. Returns false when not Clifford.
bool push_u(CliffordSequence& out, const UForm& u, int q) {
  const auto t = quarter_turns(u.theta, 4);
  if (!t) return false;
  if (*t % 2 == 1) {
    const auto f = quarter_turns(u.phi, 4);
    const auto l = quarter_turns(u.lambda, 4);
    if (!f || !l) return false;
    push_rz(out, *l, q);
    push_ry(out, *t, q);
    push_rz(out, *f, q);
  } else if (*t == 0) {
    const auto s = quarter_turns(u.phi + u.lambda, 4);
    if (!s) return false;
    push_rz(out, *s, q);
  } else {
    const auto d = quarter_turns(u.lambda - u.phi, 4);
    if (!d) return false;
    push_rz(out, *d, q);
    push_ry(out, 2, q);
  }
  return true;
}

/// A gate's matrix as i^m times a Pauli (per target qubit: 'I', 'X', 'Y' or 'Z'). Exactly the
/// gates of this form stay Clifford under one control: conjugating X_c by controlled-V gives
/// |1><0| (x) V + |0><1| (x) V†, a Pauli only when V = aQ with a in {+-1, +-i}.
struct ScaledPauli {
  int m = 0;
  std::array<char, 2> pauli{'I', 'I'};
  bool identity() const { return pauli[0] == 'I' && pauli[1] == 'I'; }
};

/// e^{i gamma} U(theta, phi, lambda) as a scaled Pauli. Diagonal needs theta = 0 mod 2pi (cos
/// theta/2 = +-1 by theta mod 4pi) and phi + lambda = 0 or pi; anti-diagonal needs theta = pi mod
/// 2pi and lambda - phi = pi (X) or 0 (-iY), with the phase e^{i(gamma+phi)} a power of i.
std::optional<ScaledPauli> scaled_pauli(const UForm& u) {
  const auto t = quarter_turns(u.theta, 8);
  if (!t || *t % 2 != 0) return std::nullopt;
  ScaledPauli out;
  if (*t == 0 || *t == 4) {
    const auto s = quarter_turns(u.phi + u.lambda, 4);
    const auto g = quarter_turns(u.gamma, 4);
    if (!s || *s % 2 != 0 || !g) return std::nullopt;
    out.m = *g + (*t == 4 ? 2 : 0);
    out.pauli[0] = *s == 0 ? 'I' : 'Z';
  } else {
    const auto d = quarter_turns(u.lambda - u.phi, 4);
    const auto g = quarter_turns(u.gamma + u.phi, 4);
    if (!d || *d % 2 != 0 || !g) return std::nullopt;
    // [[0, -e^{i(lambda-phi)}], [1, 0]] is X when lambda - phi = pi and -iY when it is 0.
    out.m = *g + (*t == 6 ? 2 : 0) + (*d == 0 ? 3 : 0);
    out.pauli[0] = *d == 2 ? 'X' : 'Y';
  }
  out.m %= 4;
  return out;
}

/// exp(-i theta/2 P(x)P) for rzz/rxx: cos(theta/2) I - i sin(theta/2) PP, a scaled Pauli when
/// theta is a multiple of pi (by theta mod 4pi).
std::optional<ScaledPauli> scaled_pauli_pair(const Angle& theta, char pauli) {
  const auto t = quarter_turns(theta, 8);
  if (!t || *t % 2 != 0) return std::nullopt;
  static constexpr int kPhase[4] = {0, 3, 2, 1};  // i^m for theta = 0, pi, 2pi, 3pi
  ScaledPauli out;
  out.m = kPhase[*t / 2];
  if (*t == 2 || *t == 6) out.pauli = {pauli, pauli};
  return out;
}

/// Controlled-(i^m Q) on `controls` then `targets`. One control: controlled Paulis on each
/// target, then the phase i^m as a phase gate on the control. More controls are Clifford only
/// for Q = I: the phase i^m on all-ones is then a phase gate with one control fewer, which is the
/// identity (m = 0) or, on two controls, cz (m = 2).
bool push_controlled(CliffordSequence& out, const ScaledPauli& v, std::span<const int> controls,
                     std::span<const int> targets) {
  if (controls.size() == 1) {
    const int c = controls[0];
    for (std::size_t i = 0; i < targets.size(); ++i) {
      if (v.pauli[i] == 'X') out.push(P::kCX, c, targets[i]);
      if (v.pauli[i] == 'Y') out.push(P::kCY, c, targets[i]);
      if (v.pauli[i] == 'Z') out.push(P::kCZ, c, targets[i]);
    }
    push_rz(out, v.m, c);
    return true;
  }
  if (!v.identity()) return false;
  if (v.m == 0) return true;
  if (controls.size() == 2 && v.m == 2) {
    out.push(P::kCZ, controls[0], controls[1]);
    return true;
  }
  return false;
}

std::string display_name(const ir::GateOp& g) {
  std::string s;
  if (g.controls == 1) s = "ctrl @ ";
  if (g.controls > 1) s = "ctrl(" + std::to_string(g.controls) + ") @ ";
  s += g.name;
  if (!g.params.empty()) {
    s += "(";
    for (std::size_t i = 0; i < g.params.size(); ++i) s += (i ? "," : "") + g.params[i].to_string();
    s += ")";
  }
  return s;
}

CliffordDecomposition refuse(std::string reason) {
  return {CliffordSequence{}, std::move(reason)};
}

}  // namespace

CliffordDecomposition decompose_clifford(const ir::GateOp& g) {
  const std::size_t num_qubits = g.qubits.size();
  if (g.controls == 0 && g.params.empty() && g.modifiers.empty()) {
    if (const auto p = primitive_gate(g.name)) {
      const auto arity = static_cast<std::size_t>(primitive_arity(*p));
      if (num_qubits != arity)
        return refuse("gate '" + g.name + "' takes " + std::to_string(arity) + " qubits, got " +
                      std::to_string(num_qubits));
      CliffordDecomposition out;
      out.sequence.push(*p, g.qubits[0], arity == 2 ? g.qubits[1] : -1);
      return out;
    }
  }

  const std::string name = display_name(g);
  if (!g.modifiers.empty()) return refuse("gate '" + name + "' still has modifiers; run `inline` first");
  const ir::GateSpec* spec = ir::find_gate(g.name);
  if (!spec) return refuse("gate '" + name + "' is not a built-in gate");
  if (static_cast<int>(g.params.size()) != spec->num_params)
    return refuse("gate '" + g.name + "' takes " + std::to_string(spec->num_params) + " parameters, got " +
                  std::to_string(g.params.size()));
  if (g.controls < 0 || num_qubits != static_cast<std::size_t>(spec->num_qubits + g.controls))
    return refuse("gate '" + name + "' takes " + std::to_string(spec->num_qubits + g.controls) + " qubits, got " +
                  std::to_string(num_qubits));
  const std::string not_clifford = "gate '" + name + "' is not a Clifford gate";
  if (ir::is_library_definition(g.name)) return refuse(not_clifford);

  // Canonical base gate and the total number of controls in front of it.
  const ir::NamedGate canonical = ir::canonical_gate(g.name, g.params);
  const ir::NamedGate base = ir::unfold_controls(canonical.name, canonical.params);
  int controls = g.controls + canonical.extra_controls + base.extra_controls;
  std::string base_name = base.name;
  std::vector<Angle> params = base.params;
  Angle gamma = canonical.global_phase;
  if (base_name == "cu") {  // cu(theta, phi, lambda, gamma) = controlled e^{i gamma} U(theta, phi, lambda)
    base_name = "U";
    gamma = gamma + params[3];
    params.resize(3);
    ++controls;
  }
  const auto k = static_cast<std::size_t>(controls);
  if (k > num_qubits) return refuse(not_clifford);
  const std::span<const int> control_qubits(g.qubits.data(), k);
  const std::span<const int> targets(g.qubits.data() + k, num_qubits - k);

  const bool single_angle = base_name == "rx" || base_name == "ry" || base_name == "rz" || base_name == "p" ||
                            base_name == "rxx" || base_name == "rzz";
  auto angle_refusal = [&] {
    if (single_angle && controls <= 1)
      return refuse("gate '" + name + "' is not Clifford: its angle is not a multiple of " +
                    (controls == 0 ? "pi/2" : "pi"));
    if (base_name == "U" && !g.params.empty()) return refuse("gate '" + name + "' is not Clifford for these angles");
    return refuse(not_clifford);
  };

  CliffordDecomposition out;
  if (const auto u = as_u(base_name, params); u && targets.size() == 1) {
    UForm form = *u;
    form.gamma = form.gamma + gamma;
    if (controls == 0) {
      if (!push_u(out.sequence, form, targets[0])) return angle_refusal();
      return out;
    }
    const auto v = scaled_pauli(form);
    if (!v || !push_controlled(out.sequence, *v, control_qubits, targets)) return angle_refusal();
    return out;
  }
  if ((base_name == "rzz" || base_name == "rxx") && targets.size() == 2) {
    const int a = targets[0];
    const int b = targets[1];
    const bool xx = base_name == "rxx";
    if (controls == 0) {
      // rzz(theta) = cx . (I (x) rz(theta)) . cx; rxx is rzz conjugated by H on both qubits.
      const auto t = quarter_turns(params[0], 4);
      if (!t) return angle_refusal();
      auto hadamards = [&] {
        if (!xx) return;
        out.sequence.push(P::kH, a);
        out.sequence.push(P::kH, b);
      };
      hadamards();
      out.sequence.push(P::kCX, a, b);
      push_rz(out.sequence, *t, b);
      out.sequence.push(P::kCX, a, b);
      hadamards();
      return out;
    }
    const auto v = scaled_pauli_pair(params[0], xx ? 'X' : 'Z');
    if (!v || !push_controlled(out.sequence, *v, control_qubits, targets)) return angle_refusal();
    return out;
  }
  if (base_name == "swap" && controls == 0 && targets.size() == 2) {
    out.sequence.push(P::kSwap, targets[0], targets[1]);
    return out;
  }
  return refuse(not_clifford);
}

std::optional<std::string> clifford_refusal(const ir::GateOp& gate) {
  return decompose_clifford(gate).refusal;
}

std::optional<std::pair<int, std::string>> first_non_clifford(const ir::Program& program) {
  std::optional<std::pair<int, std::string>> found;
  ir::for_each_op(program.ops, [&](const ir::Op& op) {
    if (found) return;
    if (const auto* g = std::get_if<ir::GateOp>(&op.v))
      if (auto reason = clifford_refusal(*g)) found.emplace(op.line, std::move(*reason));
  });
  return found;
}

}  // namespace qontos::simulate
