// Pass `normalise`: gives every gate its canonical spelling and every angle its canonical
// value, and drops identities. Aliases become canonical gates (u1 -> p, cu1 -> cp, u3 -> U plus
// a global phase, c3x -> x with three controls, ...); controlled forms are folded into named
// gates where one exists (x with one control -> cx); angles that are the double nearest to a
// rational multiple of pi become exact; periodic angles are wrapped into one period (for
// uncontrolled rotations the sign flip of a 2π turn goes into the global phase); exact phase
// gates get their names (p(π/2) -> s); identity gates, zero rotations and gphase statements
// (folded into the program's global phase) are removed. Running it twice changes nothing.
#include <cmath>
#include <numbers>

#include "ir/gate_set.h"
#include "passes/pass.h"

namespace qontos::passes {
namespace {

using ir::Angle;
using ir::GateOp;
using ir::Op;
using ir::OpList;

/// The exact angle when `a` is the double nearest to p*pi/q for a small q.
Angle snap(const Angle& a) {
  if (a.is_exact() || !a.pi_coefficient().is_zero()) return a;
  const double x = a.remainder();
  if (!std::isfinite(x) || std::fabs(x) > 1e6) return a;
  static const std::int64_t dens[] = {1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 64, 128, 256, 512, 1024};
  const double turns = x / std::numbers::pi;
  for (std::int64_t q : dens) {
    double p = std::round(turns * static_cast<double>(q));
    double exact = std::numbers::pi * p / static_cast<double>(q);
    if (std::fabs(exact - x) <= 4 * std::numeric_limits<double>::epsilon() * std::max(1.0, std::fabs(x)))
      return Angle::pi_times(*ir::Rational::make(static_cast<std::int64_t>(p), q));
  }
  return a;
}

class Normaliser {
 public:
  explicit Normaliser(ir::Program& p) : program_(p) {}

  OpList ops(const OpList& in, bool in_control_flow) {
    OpList out;
    out.reserve(in.size());
    for (const Op& op : in) {
      if (const auto* g = std::get_if<GateOp>(&op.v)) {
        gate(*g, op.line, in_control_flow, out);
      } else if (const auto* ph = std::get_if<ir::GlobalPhaseOp>(&op.v)) {
        // A phase inside a classically controlled block is unobservable: drop it.
        if (!in_control_flow) add_phase(ph->phase);
      } else if (const auto* i = std::get_if<ir::IfOp>(&op.v)) {
        out.push_back(Op(ir::IfOp{i->condition, ops(i->then_ops, true), ops(i->else_ops, true)}, op.line));
      } else if (const auto* w = std::get_if<ir::WhileOp>(&op.v)) {
        out.push_back(Op(ir::WhileOp{w->condition, ops(w->body, true)}, op.line));
      } else if (const auto* b = std::get_if<ir::BarrierOp>(&op.v)) {
        if (!b->qubits.empty()) out.push_back(op);
      } else {
        out.push_back(op);
      }
    }
    return out;
  }

  void finish() {
    Angle g = snap(program_.global_phase);
    g.wrap(1);
    program_.global_phase = g;
  }

 private:
  void add_phase(const Angle& a) { program_.global_phase = program_.global_phase + a; }

  void gate(const GateOp& in, int line, bool in_cf, OpList& out) {
    if (!in.modifiers.empty()) throw PassError("normalise needs inlined gates; run `inline` first");
    // Fast path: an uncontrolled canonical gate without parameters is already in normal form.
    if (in.controls == 0 && in.params.empty()) {
      const ir::GateSpec* spec = ir::find_gate(in.name);
      if (spec && spec->canonical) {
        out.push_back(Op(in, line));
        return;
      }
    }
    // Fast path: an uncontrolled one-angle rotation or phase gate (most gates of real programs).
    if (in.controls == 0 && in.params.size() == 1 && !in.name.empty() && in.name[0] != 'c') {
      const bool rotation = in.name == "rz" || in.name == "rx" || in.name == "ry" || in.name == "rxx" || in.name == "rzz";
      if (rotation || in.name == "p") {
        Angle x = snap(in.params[0]);
        if (rotation) {
          if (x.wrap(1) % 2 != 0 && !in_cf) add_phase(Angle::pi_times({1, 1}));
        } else {
          x.wrap(1);
        }
        if (x.is_zero()) return;
        if (!rotation && x.is_exact()) {
          const ir::Rational& r = x.pi_coefficient();
          const char* named = r == ir::Rational{1, 1}    ? "z"
                              : r == ir::Rational{1, 2}  ? "s"
                              : r == ir::Rational{-1, 2} ? "sdg"
                              : r == ir::Rational{1, 4}  ? "t"
                              : r == ir::Rational{-1, 4} ? "tdg"
                                                          : nullptr;
          if (named) {
            out.push_back(Op(GateOp{named, {}, in.qubits, 0, {}, {}}, line));
            return;
          }
        }
        out.push_back(Op(GateOp{in.name, {x}, in.qubits, 0, {}, {}}, line));
        return;
      }
    }
    std::vector<Angle> params;
    for (const auto& a : in.params) params.push_back(snap(a));
    ir::NamedGate c = ir::canonical_gate(in.name, params);
    int controls = in.controls + c.extra_controls;
    ir::NamedGate base = ir::unfold_controls(c.name, c.params);
    controls += base.extra_controls;
    std::vector<Angle> a = base.params;
    const std::string& name = base.name;
    Angle phase = c.global_phase;

    // Wrap periodic angles. rz/rx/ry/rxx/rzz have period 4π; a 2π turn is a sign flip, which
    // is a global phase only when the gate is uncontrolled.
    auto wrap_rotation = [&](Angle& x) {
      if (controls == 0) {
        std::int64_t turns = x.wrap(1);
        if (turns % 2 != 0) phase = phase + Angle::pi_times({1, 1});
      } else {
        x.wrap(2);
      }
    };
    if (name == "rz" || name == "rx" || name == "ry" || name == "rxx" || name == "rzz") {
      wrap_rotation(a[0]);
    } else if (name == "p") {
      a[0].wrap(1);
    } else if (name == "U") {
      wrap_rotation(a[0]);
      a[1].wrap(1);
      a[2].wrap(1);
    } else if (name == "cu") {
      a[0].wrap(2);
      a[1].wrap(1);
      a[2].wrap(1);
      a[3].wrap(1);
    }

    // A phase that a rewrite exposed under controls is a phase gate on the controls; under one
    // control of U it is cu's own relative phase.
    if (name == "U" && controls == 1 && !phase.is_zero()) {
      Angle gamma = phase;
      gamma.wrap(1);
      a.push_back(gamma);
      phase = Angle::zero();
      GateOp g{"cu", a, in.qubits, 0, {}, {}};
      bool identity = a[0].is_zero() && a[1].is_zero() && a[2].is_zero() && a[3].is_zero();
      if (!identity) out.push_back(Op(std::move(g), line));
      return;
    }
    if (!phase.is_zero()) {
      if (controls == 0) {
        if (!in_cf) add_phase(phase);
      } else {
        GateOp p{"p", {phase}, std::vector<int>(in.qubits.begin(), in.qubits.begin() + controls), controls - 1, {}, {}};
        gate(p, line, in_cf, out);
      }
    }

    // Identities.
    bool identity = name == "id" ||
                    ((name == "rz" || name == "rx" || name == "ry" || name == "p" || name == "rxx" || name == "rzz") &&
                     a[0].is_zero()) ||
                    (name == "U" && a[0].is_zero() && a[1].is_zero() && a[2].is_zero()) ||
                    (name == "cu" && a[0].is_zero() && a[1].is_zero() && a[2].is_zero() && a[3].is_zero());
    if (identity) return;

    std::string final_name = name;
    if (name == "p" && a[0].is_exact() && (controls == 0 || a[0].pi_coefficient() == ir::Rational{1, 1})) {
      const ir::Rational& r = a[0].pi_coefficient();
      if (r == ir::Rational{1, 1}) final_name = "z";
      else if (r == ir::Rational{1, 2}) final_name = "s";
      else if (r == ir::Rational{-1, 2}) final_name = "sdg";
      else if (r == ir::Rational{1, 4}) final_name = "t";
      else if (r == ir::Rational{-1, 4}) final_name = "tdg";
      if (final_name != "p") a.clear();
    }
    GateOp g;
    g.qubits = in.qubits;
    if (auto folded = ir::fold_controls(final_name, a, controls)) {
      g.name = folded->name;
      g.params = folded->params;
      g.controls = 0;
    } else {
      g.name = final_name;
      g.params = a;
      g.controls = controls;
    }
    out.push_back(Op(std::move(g), line));
  }

  ir::Program& program_;
};

}  // namespace

ir::Program run_normalise(const ir::Program& in, const PassContext&) {
  ir::Program out = ir::copy_without_ops(in);
  Normaliser n(out);
  out.ops = n.ops(in.ops, false);
  n.finish();
  return out;
}

}  // namespace qontos::passes
