// The manual partitioner: reads a user's JSON map from qubits to module names and checks it
// against the program and the device, so that a wrong map fails with the qubit and the module at
// fault instead of producing a silent bad plan. Format (docs/PARTITIONING.md):
//   {"modules": {"q[0]": "module-a", "q[1]": "module-b", "2": "module-a"}}
// Keys are qubit names as the program declares them ("reg[i]", "$i" outside registers) or flat
// qubit indices ("3"); every qubit must appear exactly once.
#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

#include "partition/partition.h"

namespace qontos::partition {
namespace {

/// Flat qubit index named by `key`, or -1.
int resolve_qubit(const ir::Program& p, const std::string& key) {
  auto number = [](const std::string& s) -> long long {
    if (s.empty() || s.size() > 9 || !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; }))
      return -1;
    return std::stoll(s);
  };
  long long index = -1;
  if (const long long i = number(key); i >= 0) {
    index = i;
  } else if (key.size() > 1 && key[0] == '$') {
    index = number(key.substr(1));
  } else if (const auto open = key.find('['); open != std::string::npos && key.back() == ']') {
    const std::string reg = key.substr(0, open);
    const long long element = number(key.substr(open + 1, key.size() - open - 2));
    for (const auto& r : p.qregs)
      if (r.name == reg && element >= 0 && element < r.size) index = r.offset + element;
  }
  return index >= 0 && index < p.num_qubits ? static_cast<int>(index) : -1;
}

std::string describe_registers(const ir::Program& p) {
  std::string s;
  for (const auto& r : p.qregs) s += (s.empty() ? "" : ", ") + r.name + "[" + std::to_string(r.size) + "]";
  return "the program has " + std::to_string(p.num_qubits) + " qubits" + (s.empty() ? "" : " (" + s + ")");
}

}  // namespace

Partition partition_manual(const ir::Program& p, const std::vector<ModuleSlot>& modules, const std::string& map_json,
                           const std::string& origin) {
  detail::check_fits(p, modules);
  auto fail = [&](const std::string& what) -> void { throw PartitionError(origin + ": " + what); };

  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(map_json);
  } catch (const nlohmann::json::parse_error& e) {
    fail(std::string("malformed JSON: ") + e.what());
  }
  if (!doc.is_object()) fail("document: must be a JSON object");
  for (const auto& item : doc.items())
    if (item.key() != "modules") fail(item.key() + ": unknown field (expected only \"modules\")");
  const auto it = doc.find("modules");
  if (it == doc.end()) fail("modules: missing required field");
  if (!it->is_object()) fail("modules: must be an object from qubit to module name");

  std::map<std::string, int> module_index;
  for (std::size_t m = 0; m < modules.size(); ++m) module_index.emplace(modules[m].name, static_cast<int>(m));

  std::vector<int> module_of(static_cast<std::size_t>(p.num_qubits), -1);
  std::vector<std::string> key_of(module_of.size());
  for (const auto& item : it->items()) {
    const std::string& key = item.key();
    const int q = resolve_qubit(p, key);
    if (q < 0) fail("qubit " + key + ": not a qubit of this program (" + describe_registers(p) + ")");
    if (!item.value().is_string()) fail("qubit " + key + ": module must be a string (a module name)");
    const auto name = item.value().get<std::string>();
    const auto m = module_index.find(name);
    if (m == module_index.end()) fail("qubit " + key + ": module '" + name + "' is not a module of this device");
    auto& slot = module_of[static_cast<std::size_t>(q)];
    if (slot >= 0) fail("qubit " + key + ": mapped twice (also as " + key_of[static_cast<std::size_t>(q)] + ")");
    slot = m->second;
    key_of[static_cast<std::size_t>(q)] = key;
  }

  std::vector<std::string> missing;
  for (int q = 0; q < p.num_qubits; ++q)
    if (module_of[static_cast<std::size_t>(q)] < 0) missing.push_back(ir::qubit_name(p, q));
  if (!missing.empty()) {
    constexpr std::size_t kShown = 10;
    std::string list;
    for (std::size_t i = 0; i < std::min(missing.size(), kShown); ++i) list += (i ? ", " : "") + missing[i];
    if (missing.size() > kShown) list += ", ... (" + std::to_string(missing.size()) + " in all)";
    fail(std::string(missing.size() == 1 ? "qubit " : "qubits ") + list + (missing.size() == 1 ? " is" : " are") +
         " not mapped (every qubit needs a module)");
  }

  std::vector<int> used(modules.size(), 0);
  for (int m : module_of) ++used[static_cast<std::size_t>(m)];
  for (std::size_t m = 0; m < modules.size(); ++m)
    if (used[m] > modules[m].capacity)
      fail("module '" + modules[m].name + "': " + std::to_string(used[m]) + " qubits mapped but its capacity is " +
           std::to_string(modules[m].capacity));
  return detail::finish("manual", p, modules, std::move(module_of));
}

}  // namespace qontos::partition
