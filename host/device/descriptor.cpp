// Reads device descriptors (board/devices/*.json) and validates them strictly: every field is
// known, typed and in range, and the coupling map is a connected simple graph. Field names and
// units are documented in board/devices/README.md.
#include "device/descriptor.h"

#include <algorithm>
#include <climits>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <limits>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string_view>

#include <nlohmann/json.hpp>

#include "device/coupling.h"
#include "ir/gate_set.h"

namespace qontos::device {
namespace {

using nlohmann::json;

constexpr int kMaxQubits = 4096;

std::string join(const std::string& path, std::string_view key) {
  return path.empty() ? std::string(key) : path + "." + std::string(key);
}
std::string index(const std::string& path, std::size_t i) { return path + "[" + std::to_string(i) + "]"; }

class Reader {
 public:
  explicit Reader(std::string origin) : origin_(std::move(origin)) {}

  [[noreturn]] void fail(const std::string& field, const std::string& problem) const {
    throw std::runtime_error(origin_ + ": " + field + ": " + problem);
  }

  void object(const json& v, const std::string& path, std::initializer_list<std::string_view> allowed) const {
    if (!v.is_object()) fail(path.empty() ? "document" : path, "must be a JSON object");
    for (const auto& item : v.items()) {
      const std::string& key = item.key();
      if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) fail(join(path, key), "unknown field");
    }
  }
  const json& required(const json& obj, const std::string& path, std::string_view key) const {
    auto it = obj.find(std::string(key));
    if (it == obj.end()) fail(join(path, key), "missing required field");
    return *it;
  }
  static const json* optional(const json& obj, std::string_view key) {
    auto it = obj.find(std::string(key));
    return it == obj.end() ? nullptr : &*it;
  }

  int integer(const json& v, const std::string& path, int lo, int hi) const {
    long long x = 0;
    if (v.is_number_unsigned()) {
      const auto u = v.get<unsigned long long>();
      if (u > static_cast<unsigned long long>(INT_MAX)) fail(path, "must be at most " + std::to_string(hi));
      x = static_cast<long long>(u);
    } else if (v.is_number_integer()) {
      x = v.get<long long>();
    } else {
      fail(path, "must be an integer");
    }
    if (x < lo || x > hi) fail(path, std::to_string(x) + " is out of range [" + std::to_string(lo) + ", " + std::to_string(hi) + "]");
    return static_cast<int>(x);
  }
  double number(const json& v, const std::string& path, double lo, double hi) const {
    if (!v.is_number()) fail(path, "must be a number");
    const double x = v.get<double>();
    if (!std::isfinite(x) || x < lo || x > hi) {
      std::ostringstream os;
      os << x << " is out of range [" << lo << ", ";
      if (std::isinf(hi))
        os << "inf)";
      else
        os << hi << "]";
      fail(path, os.str());
    }
    return x;
  }
  double non_negative(const json& v, const std::string& path) const {
    return number(v, path, 0.0, std::numeric_limits<double>::infinity());
  }
  double fraction(const json& v, const std::string& path) const { return number(v, path, 0.0, 1.0); }
  std::string string(const json& v, const std::string& path) const {
    if (!v.is_string()) fail(path, "must be a string");
    auto s = v.get<std::string>();
    if (s.empty()) fail(path, "must not be empty");
    return s;
  }
  bool boolean(const json& v, const std::string& path) const {
    if (!v.is_boolean()) fail(path, "must be true or false");
    return v.get<bool>();
  }
  const json& array(const json& v, const std::string& path) const {
    if (!v.is_array()) fail(path, "must be an array");
    return v;
  }
  /// A pair [a, b] of distinct qubit indices below n.
  std::pair<int, int> qubit_pair(const json& v, const std::string& path, int n) const {
    if (!v.is_array() || v.size() != 2) fail(path, "must be a pair [a, b] of qubit indices");
    const int a = qubit(v[0], index(path, 0), n);
    const int b = qubit(v[1], index(path, 1), n);
    if (a == b) fail(path, "self-loop on qubit " + std::to_string(a));
    return {a, b};
  }
  int qubit(const json& v, const std::string& path, int n) const {
    if (!v.is_number_integer()) fail(path, "qubit index must be an integer");
    const long long x = v.is_number_unsigned() ? static_cast<long long>(std::min<unsigned long long>(
                                                     v.get<unsigned long long>(), static_cast<unsigned long long>(LLONG_MAX)))
                                               : v.get<long long>();
    if (x < 0 || x >= n)
      fail(path, "qubit index " + std::to_string(x) + " is out of range (device has " + std::to_string(n) + " qubits)");
    return static_cast<int>(x);
  }
  std::map<std::string, double> gate_table(const json& v, const std::string& path, const Descriptor& d,
                                           bool fidelities) const {
    if (!v.is_object()) fail(path, "must be an object {gate: value}");
    std::map<std::string, double> out;
    for (const auto& item : v.items()) {
      const std::string field = join(path, item.key());
      if (!ir::find_gate(item.key())) fail(field, "'" + item.key() + "' is not a known IR gate");
      if (!d.native_gates.empty() && !d.is_native(item.key()))
        fail(field, "'" + item.key() + "' is not in native_gates");
      out[item.key()] = fidelities ? fraction(item.value(), field) : non_negative(item.value(), field);
    }
    return out;
  }

 private:
  std::string origin_;
};

/// Rejects objects that repeat a key (the JSON library would silently keep the last one).
json parse_strict(const std::string& text, const Reader& r) {
  std::vector<std::set<std::string>> open;
  bool duplicate = false;
  std::string duplicate_key;
  auto callback = [&](int /*depth*/, json::parse_event_t event, json& parsed) {
    switch (event) {
      case json::parse_event_t::object_start: open.emplace_back(); break;
      case json::parse_event_t::object_end:
        if (!open.empty()) open.pop_back();
        break;
      case json::parse_event_t::key:
        if (!open.empty() && !open.back().insert(parsed.get<std::string>()).second && !duplicate) {
          duplicate = true;
          duplicate_key = parsed.get<std::string>();
        }
        break;
      default: break;
    }
    return true;
  };
  json doc;
  try {
    doc = json::parse(text, callback);
  } catch (const json::parse_error& e) {
    r.fail("document", std::string("invalid JSON: ") + e.what());
  }
  if (duplicate) r.fail(duplicate_key, "duplicate field");
  return doc;
}

}  // namespace

bool Descriptor::coupled(int a, int b) const {
  if (a == b || a < 0 || b < 0 || a >= num_qubits || b >= num_qubits) return false;
  if (all_to_all) return true;
  for (const auto& [x, y] : coupling)
    if ((x == a && y == b) || (x == b && y == a)) return true;
  return false;
}

std::vector<int> Descriptor::module_of_qubits() const {
  std::vector<int> module(static_cast<std::size_t>(num_qubits), 0);
  for (std::size_t k = 0; k < modules.size(); ++k)
    for (int q : modules[k].qubits) module.at(static_cast<std::size_t>(q)) = static_cast<int>(k);
  return module;
}

std::optional<double> Descriptor::mean_bell_pair_fidelity() const {
  if (links.empty()) return std::nullopt;
  double sum = 0;
  for (const auto& l : links) sum += l.bell_pair_fidelity;
  return sum / static_cast<double>(links.size());
}

bool Descriptor::is_native(const std::string& gate) const {
  if (native_gates.empty()) return ir::find_gate(gate) != nullptr;
  return std::find(native_gates.begin(), native_gates.end(), gate) != native_gates.end();
}

namespace {

constexpr int kMaxChannels = 16;  // the program format's 4-bit channel field
constexpr int kMaxReadouts = 8;   // its 3-bit readout field

PulseShape parse_shape(const Reader& r, const json& v, const std::string& path, bool needs_duration) {
  r.object(v, path, {"shape", "amp", "sigma_ns", "rise_ns", "duration_ns"});
  PulseShape p;
  p.shape = r.string(r.required(v, path, "shape"), join(path, "shape"));
  if (p.shape != "gaussian" && p.shape != "square" && p.shape != "flat_top")
    r.fail(join(path, "shape"), "'" + p.shape + "' is not one of gaussian, square, flat_top");
  p.amp = r.fraction(r.required(v, path, "amp"), join(path, "amp"));
  if (p.shape == "gaussian") p.sigma_ns = r.number(r.required(v, path, "sigma_ns"), join(path, "sigma_ns"), 0.1, 1e6);
  if (p.shape == "flat_top") p.rise_ns = r.non_negative(r.required(v, path, "rise_ns"), join(path, "rise_ns"));
  if (needs_duration) p.duration_ns = r.number(r.required(v, path, "duration_ns"), join(path, "duration_ns"), 1, 1e6);
  return p;
}

ControlSection parse_control(const Reader& r, const json& v, const Descriptor& d) {
  const std::string path = "control";
  r.object(v, path, {"clock_mhz", "samples_per_clock", "qubits", "couplers", "gates", "measure", "trigger_delay_ns"});
  ControlSection c;
  c.clock_mhz = r.number(r.required(v, path, "clock_mhz"), join(path, "clock_mhz"), 1, 2000);
  c.samples_per_clock = r.integer(r.required(v, path, "samples_per_clock"), join(path, "samples_per_clock"), 1, 32);
  const double rate_mhz = c.clock_mhz * c.samples_per_clock;
  auto frequency = [&](const json& f, const std::string& fpath) {
    return r.number(f, fpath, -rate_mhz / 2, rate_mhz / 2);  // within the DAC's Nyquist band
  };
  const std::string qpath = join(path, "qubits");
  const json& qs = r.array(r.required(v, path, "qubits"), qpath);
  for (std::size_t i = 0; i < qs.size(); ++i) {
    const std::string p = index(qpath, i);
    r.object(qs[i], p, {"qubit", "drive_channel", "drive_if_mhz", "readout", "readout_channel", "readout_if_mhz"});
    QubitControl q;
    q.qubit = r.qubit(r.required(qs[i], p, "qubit"), join(p, "qubit"), d.num_qubits);
    if (c.qubit_control(q.qubit)) r.fail(join(p, "qubit"), "qubit " + std::to_string(q.qubit) + " is listed twice");
    q.drive_channel = r.integer(r.required(qs[i], p, "drive_channel"), join(p, "drive_channel"), 0, kMaxChannels - 1);
    q.drive_if_mhz = frequency(r.required(qs[i], p, "drive_if_mhz"), join(p, "drive_if_mhz"));
    q.readout = r.integer(r.required(qs[i], p, "readout"), join(p, "readout"), 0, kMaxReadouts - 1);
    q.readout_channel = r.integer(r.required(qs[i], p, "readout_channel"), join(p, "readout_channel"), 0, kMaxChannels - 1);
    q.readout_if_mhz = frequency(r.required(qs[i], p, "readout_if_mhz"), join(p, "readout_if_mhz"));
    c.qubits.push_back(q);
  }
  if (const json* cs = Reader::optional(v, "couplers")) {
    const std::string cpath = join(path, "couplers");
    r.array(*cs, cpath);
    for (std::size_t i = 0; i < cs->size(); ++i) {
      const std::string p = index(cpath, i);
      r.object((*cs)[i], p, {"qubits", "channel", "if_mhz"});
      CouplerControl k;
      std::tie(k.a, k.b) = r.qubit_pair(r.required((*cs)[i], p, "qubits"), join(p, "qubits"), d.num_qubits);
      if (k.a > k.b) std::swap(k.a, k.b);
      if (!d.coupled(k.a, k.b)) r.fail(join(p, "qubits"), "pair (" + std::to_string(k.a) + "," + std::to_string(k.b) + ") is not in the coupling map");
      k.channel = r.integer(r.required((*cs)[i], p, "channel"), join(p, "channel"), 0, kMaxChannels - 1);
      k.if_mhz = frequency(r.required((*cs)[i], p, "if_mhz"), join(p, "if_mhz"));
      c.couplers.push_back(k);
    }
  }
  const std::string gpath = join(path, "gates");
  const json& gates = r.required(v, path, "gates");
  if (!gates.is_object()) r.fail(gpath, "must be a JSON object");
  for (const auto& item : gates.items()) {
    const std::string p = join(gpath, item.key());
    if (!d.is_native(item.key())) r.fail(p, "'" + item.key() + "' is not a native gate of this device");
    if (!d.gate_duration_ns.count(item.key())) r.fail(p, "'" + item.key() + "' has no gate_duration_ns");
    c.gates[item.key()] = parse_shape(r, item.value(), p, false);
  }
  c.measure = parse_shape(r, r.required(v, path, "measure"), join(path, "measure"), true);
  if (const json* t = Reader::optional(v, "trigger_delay_ns"))
    c.trigger_delay_ns = r.non_negative(*t, join(path, "trigger_delay_ns"));
  return c;
}

}  // namespace

Descriptor parse_descriptor(const std::string& json_text, const std::string& origin) {
  const Reader r(origin);
  const json doc = parse_strict(json_text, r);
  r.object(doc, "",
           {"name", "modality", "num_qubits", "coupling", "all_to_all", "native_gates", "gate_duration_ns",
            "gate_fidelity", "measure_duration_ns", "readout_fidelity", "t1_us", "t2_us", "calibration",
            "cost_per_shot", "features", "modules", "links", "control"});

  Descriptor d;
  d.name = r.string(r.required(doc, "", "name"), "name");
  d.modality = r.string(r.required(doc, "", "modality"), "modality");
  d.num_qubits = r.integer(r.required(doc, "", "num_qubits"), "num_qubits", 1, kMaxQubits);
  const int n = d.num_qubits;

  // Coupling map: either an explicit edge list or all_to_all.
  if (const json* v = Reader::optional(doc, "all_to_all")) d.all_to_all = r.boolean(*v, "all_to_all");
  const json* coupling = Reader::optional(doc, "coupling");
  if (d.all_to_all) {
    if (coupling && !(coupling->is_array() && coupling->empty()))
      r.fail("coupling", "must be absent or empty when all_to_all is true");
  } else {
    if (!coupling) r.fail("coupling", "missing required field (or set \"all_to_all\": true)");
    r.array(*coupling, "coupling");
    std::set<std::pair<int, int>> seen;
    for (std::size_t i = 0; i < coupling->size(); ++i) {
      const std::string path = index("coupling", i);
      auto [a, b] = r.qubit_pair((*coupling)[i], path, n);
      const std::pair<int, int> edge{std::min(a, b), std::max(a, b)};
      if (!seen.insert(edge).second)
        r.fail(path, "duplicate edge (" + std::to_string(edge.first) + "," + std::to_string(edge.second) + ")");
    }
    d.coupling.assign(seen.begin(), seen.end());  // sorted, a < b
    const DistanceMatrix dist(d);
    for (int q = 1; q < n; ++q)
      if (dist(0, q) == DistanceMatrix::kUnreachable)
        r.fail("coupling", "coupling map is disconnected: qubit " + std::to_string(q) + " cannot reach qubit 0");
  }

  if (const json* v = Reader::optional(doc, "native_gates")) {
    r.array(*v, "native_gates");
    for (std::size_t i = 0; i < v->size(); ++i) {
      const std::string path = index("native_gates", i);
      std::string g = r.string((*v)[i], path);
      if (!ir::find_gate(g)) r.fail(path, "'" + g + "' is not a known IR gate");
      if (std::find(d.native_gates.begin(), d.native_gates.end(), g) != d.native_gates.end())
        r.fail(path, "'" + g + "' is listed twice");
      d.native_gates.push_back(std::move(g));
    }
  }
  if (const json* v = Reader::optional(doc, "gate_duration_ns"))
    d.gate_duration_ns = r.gate_table(*v, "gate_duration_ns", d, false);
  if (const json* v = Reader::optional(doc, "gate_fidelity")) d.gate_fidelity = r.gate_table(*v, "gate_fidelity", d, true);
  if (const json* v = Reader::optional(doc, "measure_duration_ns"))
    d.measure_duration_ns = r.non_negative(*v, "measure_duration_ns");
  if (const json* v = Reader::optional(doc, "readout_fidelity")) d.readout_fidelity = r.fraction(*v, "readout_fidelity");
  if (const json* v = Reader::optional(doc, "t1_us")) d.t1_us = r.non_negative(*v, "t1_us");
  if (const json* v = Reader::optional(doc, "t2_us")) d.t2_us = r.non_negative(*v, "t2_us");
  if (d.t1_us > 0 && d.t2_us > 2 * d.t1_us) {
    std::ostringstream os;
    os << "T2 " << d.t2_us << " us exceeds 2*T1 = " << 2 * d.t1_us << " us";
    r.fail("t2_us", os.str());
  }
  if (const json* v = Reader::optional(doc, "calibration")) {
    r.object(*v, "calibration", {"id", "ttl_s"});
    d.calibration_id = r.string(r.required(*v, "calibration", "id"), "calibration.id");
    d.calibration_ttl_s = r.non_negative(r.required(*v, "calibration", "ttl_s"), "calibration.ttl_s");
  }
  if (const json* v = Reader::optional(doc, "cost_per_shot")) d.cost_per_shot = r.non_negative(*v, "cost_per_shot");
  if (const json* v = Reader::optional(doc, "features")) {
    r.object(*v, "features", {"mid_circuit_measurement", "feed_forward", "qec"});
    if (const json* f = Reader::optional(*v, "mid_circuit_measurement"))
      d.mid_circuit_measurement = r.boolean(*f, "features.mid_circuit_measurement");
    if (const json* f = Reader::optional(*v, "feed_forward")) d.feed_forward = r.boolean(*f, "features.feed_forward");
    if (const json* f = Reader::optional(*v, "qec")) d.qec = r.boolean(*f, "features.qec");
  }

  std::vector<std::string> owner(static_cast<std::size_t>(n));  // module that holds each qubit
  if (const json* v = Reader::optional(doc, "modules")) {
    r.array(*v, "modules");
    for (std::size_t i = 0; i < v->size(); ++i) {
      const std::string path = index("modules", i);
      const json& m = (*v)[i];
      r.object(m, path, {"name", "qubits"});
      Module mod;
      mod.name = r.string(r.required(m, path, "name"), join(path, "name"));
      for (const Module& other : d.modules)
        if (other.name == mod.name) r.fail(join(path, "name"), "module '" + mod.name + "' is defined twice");
      const json& qs = r.array(r.required(m, path, "qubits"), join(path, "qubits"));
      if (qs.empty()) r.fail(join(path, "qubits"), "a module needs at least one qubit");
      for (std::size_t k = 0; k < qs.size(); ++k) {
        const std::string qpath = index(join(path, "qubits"), k);
        const int q = r.qubit(qs[k], qpath, n);
        std::string& who = owner[static_cast<std::size_t>(q)];
        if (!who.empty())
          r.fail(qpath, "qubit " + std::to_string(q) + " already belongs to module '" + who + "'");
        who = mod.name;
        mod.qubits.push_back(q);
      }
      d.modules.push_back(std::move(mod));
    }
  }
  if (const json* v = Reader::optional(doc, "links")) {
    r.array(*v, "links");
    for (std::size_t i = 0; i < v->size(); ++i) {
      const std::string path = index("links", i);
      const json& l = (*v)[i];
      r.object(l, path, {"from", "to", "qubit_pairs", "bell_pair_fidelity", "bell_pair_rate_hz", "latency_ns"});
      PhotonicLink link;
      auto module_name = [&](std::string_view key) {
        std::string name = r.string(r.required(l, path, key), join(path, key));
        const bool known = std::any_of(d.modules.begin(), d.modules.end(), [&](const Module& m) { return m.name == name; });
        if (!known) r.fail(join(path, key), "no module named '" + name + "'");
        return name;
      };
      link.from_module = module_name("from");
      link.to_module = module_name("to");
      if (link.from_module == link.to_module) r.fail(join(path, "to"), "a link must join two different modules");
      const std::string ppath = join(path, "qubit_pairs");
      const json& pairs = r.array(r.required(l, path, "qubit_pairs"), ppath);
      if (pairs.empty()) r.fail(ppath, "a link needs at least one qubit pair");
      for (std::size_t k = 0; k < pairs.size(); ++k) {
        const std::string qpath = index(ppath, k);
        auto [a, b] = r.qubit_pair(pairs[k], qpath, n);
        if (owner[static_cast<std::size_t>(a)] != link.from_module)
          r.fail(qpath, "qubit " + std::to_string(a) + " is not in module '" + link.from_module + "'");
        if (owner[static_cast<std::size_t>(b)] != link.to_module)
          r.fail(qpath, "qubit " + std::to_string(b) + " is not in module '" + link.to_module + "'");
        if (!d.coupled(a, b))
          r.fail(qpath, "pair (" + std::to_string(a) + "," + std::to_string(b) + ") is not in the coupling map");
        link.qubit_pairs.emplace_back(a, b);
      }
      link.bell_pair_fidelity = r.fraction(r.required(l, path, "bell_pair_fidelity"), join(path, "bell_pair_fidelity"));
      link.bell_pair_rate_hz = r.non_negative(r.required(l, path, "bell_pair_rate_hz"), join(path, "bell_pair_rate_hz"));
      link.latency_ns = r.non_negative(r.required(l, path, "latency_ns"), join(path, "latency_ns"));
      d.links.push_back(std::move(link));
    }
  }
  if (const json* v = Reader::optional(doc, "control")) d.control = parse_control(r, *v, d);
  return d;
}

const QubitControl* ControlSection::qubit_control(int q) const {
  for (const auto& c : qubits)
    if (c.qubit == q) return &c;
  return nullptr;
}

const CouplerControl* ControlSection::coupler(int a, int b) const {
  if (a > b) std::swap(a, b);
  for (const auto& c : couplers)
    if (c.a == a && c.b == b) return &c;
  return nullptr;
}

std::string default_devices_dir() {
  if (const char* env = std::getenv("QONTOS_DEVICES_DIR"); env && *env) return env;
#ifdef QONTOS_DEVICES_DIR
  return QONTOS_DEVICES_DIR;
#else
  return "board/devices";
#endif
}

Descriptor load_descriptor(const std::string& name_or_path, const std::string& devices_dir) {
  namespace fs = std::filesystem;
  const bool is_path = name_or_path.find('/') != std::string::npos ||
                       (name_or_path.size() > 5 && name_or_path.ends_with(".json"));
  const fs::path file = is_path ? fs::path(name_or_path) : fs::path(devices_dir) / (name_or_path + ".json");
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    if (is_path) throw std::runtime_error(file.string() + ": cannot open device descriptor");
    std::vector<std::string> names;
    std::error_code ec;
    for (fs::directory_iterator it(devices_dir, ec), end; !ec && it != end; it.increment(ec))
      if (it->is_regular_file() && it->path().extension() == ".json") names.push_back(it->path().stem().string());
    std::sort(names.begin(), names.end());
    std::string list;
    for (const auto& s : names) list += (list.empty() ? "" : ", ") + s;
    throw std::runtime_error("unknown device '" + name_or_path + "' in " + devices_dir + "; available: " +
                             (list.empty() ? "(none)" : list));
  }
  std::ostringstream text;
  text << in.rdbuf();
  return parse_descriptor(text.str(), file.string());
}

}  // namespace qontos::device
