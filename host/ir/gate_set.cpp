#include "ir/gate_set.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <unordered_map>

namespace qontos::ir {
namespace {

using C = std::complex<double>;

const std::vector<GateSpec> kGates = {
    // canonical single-qubit gates
    {"U", 1, 3, true}, {"x", 1, 0, true}, {"y", 1, 0, true}, {"z", 1, 0, true}, {"h", 1, 0, true},
    {"s", 1, 0, true}, {"sdg", 1, 0, true}, {"t", 1, 0, true}, {"tdg", 1, 0, true}, {"sx", 1, 0, true},
    {"sxdg", 1, 0, true}, {"rx", 1, 1, true}, {"ry", 1, 1, true}, {"rz", 1, 1, true}, {"p", 1, 1, true},
    // canonical multi-qubit gates
    {"cx", 2, 0, true}, {"cy", 2, 0, true}, {"cz", 2, 0, true}, {"ch", 2, 0, true}, {"swap", 2, 0, true},
    {"cp", 2, 1, true}, {"crx", 2, 1, true}, {"cry", 2, 1, true}, {"crz", 2, 1, true}, {"cu", 2, 4, true},
    {"rxx", 2, 1, true}, {"rzz", 2, 1, true}, {"ccx", 3, 0, true}, {"cswap", 3, 0, true},
    // aliases and OpenQASM 2 compatibility names
    {"id", 1, 0, false}, {"u0", 1, 1, false}, {"u1", 1, 1, false}, {"u2", 1, 2, false}, {"u3", 1, 3, false},
    {"u", 1, 3, false}, {"phase", 1, 1, false}, {"CX", 2, 0, false}, {"cphase", 2, 1, false},
    {"cu1", 2, 1, false}, {"cu3", 2, 3, false}, {"csx", 2, 0, false}, {"c3x", 4, 0, false},
    {"c3sqrtx", 4, 0, false}, {"c4x", 5, 0, false},
    // defined by their OpenQASM 2 library bodies
    {"rccx", 3, 0, false}, {"rc3x", 4, 0, false},
};

Angle half(const Angle& a) { return a.scaled(Rational{1, 2}); }
Angle pi_over(std::int64_t n, std::int64_t d) { return Angle::pi_times(*Rational::make(n, d)); }

Matrix2 u_matrix(double theta, double phi, double lambda) {
  const double c = std::cos(theta / 2);
  const double s = std::sin(theta / 2);
  return {C(c, 0), -std::polar(1.0, lambda) * s, std::polar(1.0, phi) * s, std::polar(1.0, phi + lambda) * c};
}

Matrix2 scale(Matrix2 m, C f) {
  for (auto& x : m) x *= f;
  return m;
}

void expect_params(std::string_view name, const std::vector<Angle>& params) {
  const GateSpec* g = find_gate(name);
  if (!g) throw std::invalid_argument("unknown gate '" + std::string(name) + "'");
  if (static_cast<int>(params.size()) != g->num_params)
    throw std::invalid_argument("gate '" + std::string(name) + "' takes " + std::to_string(g->num_params) +
                                " parameters, got " + std::to_string(params.size()));
}

}  // namespace

const GateSpec* find_gate(std::string_view name) {
  static const std::unordered_map<std::string_view, const GateSpec*> index = [] {
    std::unordered_map<std::string_view, const GateSpec*> m;
    for (const auto& g : kGates) m[g.name] = &g;
    return m;
  }();
  auto it = index.find(name);
  return it == index.end() ? nullptr : it->second;
}

const std::vector<GateSpec>& all_gates() { return kGates; }

bool is_library_definition(std::string_view name) { return name == "rccx" || name == "rc3x"; }

Matrix2 single_qubit_matrix(std::string_view name, const std::vector<Angle>& a) {
  expect_params(name, a);
  auto r = [&](std::size_t i) { return a[i].radians(); };
  const double h = 1.0 / std::sqrt(2.0);
  if (name == "U") return u_matrix(r(0), r(1), r(2));
  if (name == "u3" || name == "u") return scale(u_matrix(r(0), r(1), r(2)), std::polar(1.0, -(r(1) + r(2)) / 2));
  if (name == "u2") return scale(u_matrix(M_PI / 2, r(0), r(1)), std::polar(1.0, -(r(0) + r(1)) / 2));
  if (name == "p" || name == "u1" || name == "phase") return {1, 0, 0, std::polar(1.0, r(0))};
  if (name == "rz") return {std::polar(1.0, -r(0) / 2), 0, 0, std::polar(1.0, r(0) / 2)};
  if (name == "rx") return {std::cos(r(0) / 2), C(0, -std::sin(r(0) / 2)), C(0, -std::sin(r(0) / 2)), std::cos(r(0) / 2)};
  if (name == "ry") return {std::cos(r(0) / 2), -std::sin(r(0) / 2), std::sin(r(0) / 2), std::cos(r(0) / 2)};
  if (name == "id" || name == "u0") return {1, 0, 0, 1};
  if (name == "x") return {0, 1, 1, 0};
  if (name == "y") return {0, C(0, -1), C(0, 1), 0};
  if (name == "z") return {1, 0, 0, -1};
  if (name == "h") return {h, h, h, -h};
  if (name == "s") return {1, 0, 0, C(0, 1)};
  if (name == "sdg") return {1, 0, 0, C(0, -1)};
  if (name == "t") return {1, 0, 0, std::polar(1.0, M_PI / 4)};
  if (name == "tdg") return {1, 0, 0, std::polar(1.0, -M_PI / 4)};
  if (name == "sx") return {C(0.5, 0.5), C(0.5, -0.5), C(0.5, -0.5), C(0.5, 0.5)};
  if (name == "sxdg") return {C(0.5, -0.5), C(0.5, 0.5), C(0.5, 0.5), C(0.5, -0.5)};
  throw std::invalid_argument("gate '" + std::string(name) + "' is not a single-qubit gate");
}

NamedGate inverse_gate(std::string_view name, const std::vector<Angle>& a) {
  expect_params(name, a);
  static const std::vector<std::string_view> self_inverse = {"x",  "y",    "z",     "h",   "id",  "cx",
                                                             "cy", "cz",   "ch",    "swap", "ccx", "cswap",
                                                             "CX", "c3x",  "c4x"};
  static const std::vector<std::pair<std::string_view, std::string_view>> pairs = {
      {"s", "sdg"}, {"sdg", "s"}, {"t", "tdg"}, {"tdg", "t"}, {"sx", "sxdg"}, {"sxdg", "sx"}};
  static const std::vector<std::string_view> negate_all = {"rx", "ry",     "rz",     "p",   "u1",  "phase", "cp",
                                                           "cphase", "cu1", "crx", "cry", "crz",   "rxx", "rzz"};
  std::string n(name);
  if (std::find(self_inverse.begin(), self_inverse.end(), name) != self_inverse.end()) return {n, a};
  for (auto [from, to] : pairs)
    if (from == name) return {std::string(to), {}};
  if (std::find(negate_all.begin(), negate_all.end(), name) != negate_all.end()) {
    std::vector<Angle> neg;
    for (const auto& x : a) neg.push_back(-x);
    return {n, neg};
  }
  if (name == "U" || name == "u3" || name == "u" || name == "cu3") return {n, {-a[0], -a[2], -a[1]}};
  if (name == "u2") return {"u3", {pi_over(-1, 2), -a[1], -a[0]}};
  if (name == "cu") return {n, {-a[0], -a[2], -a[1], -a[3]}};
  if (name == "u0") return {n, a};
  if (name == "csx") return {"sxdg", {}, 1, {}};
  if (name == "c3sqrtx") return {"sxdg", {}, 3, {}};
  throw std::invalid_argument("gate '" + n + "' has no closed-form inverse; invert its definition");
}

NamedGate canonical_gate(std::string_view name, const std::vector<Angle>& a) {
  expect_params(name, a);
  if (find_gate(name)->canonical) return {std::string(name), a};
  if (name == "u0") return {"id", {}};
  if (name == "u1" || name == "phase") return {"p", a};
  if (name == "cphase" || name == "cu1") return {"cp", a};
  if (name == "CX") return {"cx", {}};
  if (name == "u3" || name == "u") return {"U", a, 0, -half(a[1] + a[2])};
  if (name == "u2") return {"U", {pi_over(1, 2), a[0], a[1]}, 0, -half(a[0] + a[1])};
  if (name == "cu3") return {"cu", {a[0], a[1], a[2], -half(a[1] + a[2])}};
  if (name == "csx") return {"sx", {}, 1, {}};
  if (name == "c3x") return {"x", {}, 3, {}};
  if (name == "c4x") return {"x", {}, 4, {}};
  if (name == "c3sqrtx") return {"sx", {}, 3, {}};
  return {std::string(name), a};
}

namespace {
struct ControlledForm {
  std::string_view controlled;
  std::string_view base;
  int controls;
};
const ControlledForm kControlled[] = {
    {"cx", "x", 1},   {"ccx", "x", 2},   {"cy", "y", 1},   {"cz", "z", 1},   {"ch", "h", 1},
    {"cp", "p", 1},   {"crx", "rx", 1},  {"cry", "ry", 1}, {"crz", "rz", 1}, {"cswap", "swap", 1},
};
}  // namespace

std::optional<NamedGate> fold_controls(std::string_view name, const std::vector<Angle>& params, int controls) {
  if (controls == 0) return NamedGate{std::string(name), params};
  for (const auto& f : kControlled)
    if (f.base == name && f.controls == controls) return NamedGate{std::string(f.controlled), params};
  if (name == "U" && controls == 1) return NamedGate{"cu", {params[0], params[1], params[2], Angle::zero()}};
  return std::nullopt;
}

NamedGate unfold_controls(std::string_view name, const std::vector<Angle>& params) {
  if (name.empty() || name[0] != 'c') return {std::string(name), params};  // every controlled form starts with c
  for (const auto& f : kControlled)
    if (f.controlled == name) return {std::string(f.base), params, f.controls, {}};
  if (name == "cu" && params.size() == 4 && params[3].is_zero())
    return {"U", {params[0], params[1], params[2]}, 1, {}};
  return {std::string(name), params};
}

}  // namespace qontos::ir
