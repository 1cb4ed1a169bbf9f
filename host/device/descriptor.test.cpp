#include "device/descriptor.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>

#include <nlohmann/json.hpp>

#include "device/coupling.h"

namespace qontos::device {
namespace {

using nlohmann::json;

json minimal() {
  return json::parse(R"({"name": "t", "modality": "superconducting", "num_qubits": 4,
                         "coupling": [[0, 1], [1, 2], [2, 3]]})");
}

json full() {
  return json::parse(R"({
    "name": "full", "modality": "superconducting", "num_qubits": 6,
    "coupling": [[0, 1], [1, 2], [3, 4], [4, 5], [2, 3]],
    "native_gates": ["rz", "sx", "cz"],
    "gate_duration_ns": {"rz": 0, "sx": 32.5, "cz": 60},
    "gate_fidelity": {"sx": 0.9995, "cz": 0.99},
    "measure_duration_ns": 800, "readout_fidelity": 0.98, "t1_us": 100, "t2_us": 150,
    "calibration": {"id": "cal-7", "ttl_s": 3600}, "cost_per_shot": 0.25,
    "features": {"mid_circuit_measurement": true, "feed_forward": false, "qec": true},
    "modules": [{"name": "A", "qubits": [0, 1, 2]}, {"name": "B", "qubits": [3, 4, 5]}],
    "links": [{"from": "A", "to": "B", "qubit_pairs": [[2, 3]], "bell_pair_fidelity": 0.9,
               "bell_pair_rate_hz": 50, "latency_ns": 700}]
  })");
}

/// The message parse_descriptor throws for `j`, or "<no error>".
std::string error_of(const std::string& text) {
  try {
    parse_descriptor(text, "t.json");
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return "<no error>";
}
std::string error_of(const json& j) { return error_of(j.dump()); }

#define EXPECT_STARTS_WITH(text, prefix) EXPECT_EQ((text).substr(0, std::string(prefix).size()), prefix) << (text)

TEST(DescriptorParse, ReadsEveryField) {
  const Descriptor d = parse_descriptor(full().dump(), "full.json");
  EXPECT_EQ(d.name, "full");
  EXPECT_EQ(d.modality, "superconducting");
  EXPECT_EQ(d.num_qubits, 6);
  EXPECT_FALSE(d.all_to_all);
  // Stored normalised (a < b) and sorted.
  const std::vector<std::pair<int, int>> edges{{0, 1}, {1, 2}, {2, 3}, {3, 4}, {4, 5}};
  EXPECT_EQ(d.coupling, edges);
  EXPECT_EQ(d.native_gates, (std::vector<std::string>{"rz", "sx", "cz"}));
  EXPECT_EQ(d.gate_duration_ns.at("sx"), 32.5);
  EXPECT_EQ(d.gate_duration_ns.at("rz"), 0.0);
  EXPECT_EQ(d.gate_fidelity.at("cz"), 0.99);
  EXPECT_EQ(d.gate_fidelity.count("rz"), 0u);
  EXPECT_EQ(d.measure_duration_ns, 800.0);
  EXPECT_EQ(d.readout_fidelity, 0.98);
  EXPECT_EQ(d.t1_us, 100.0);
  EXPECT_EQ(d.t2_us, 150.0);
  EXPECT_EQ(d.calibration_id, "cal-7");
  EXPECT_EQ(d.calibration_ttl_s, 3600.0);
  EXPECT_EQ(d.cost_per_shot, 0.25);
  EXPECT_TRUE(d.mid_circuit_measurement);
  EXPECT_FALSE(d.feed_forward);
  EXPECT_TRUE(d.qec);
  ASSERT_EQ(d.modules.size(), 2u);
  EXPECT_EQ(d.modules[1].name, "B");
  EXPECT_EQ(d.modules[1].qubits, (std::vector<int>{3, 4, 5}));
  ASSERT_EQ(d.links.size(), 1u);
  EXPECT_EQ(d.links[0].from_module, "A");
  EXPECT_EQ(d.links[0].to_module, "B");
  EXPECT_EQ(d.links[0].qubit_pairs, (std::vector<std::pair<int, int>>{{2, 3}}));
  EXPECT_EQ(d.links[0].bell_pair_fidelity, 0.9);
  EXPECT_EQ(d.links[0].bell_pair_rate_hz, 50.0);
  EXPECT_EQ(d.links[0].latency_ns, 700.0);
}

TEST(DescriptorParse, OptionalFieldsDefault) {
  const Descriptor d = parse_descriptor(minimal().dump(), "t.json");
  EXPECT_TRUE(d.native_gates.empty());
  EXPECT_TRUE(d.gate_duration_ns.empty());
  EXPECT_EQ(d.t1_us, 0.0);
  EXPECT_FALSE(d.mid_circuit_measurement);
  EXPECT_TRUE(d.modules.empty());
  EXPECT_TRUE(d.links.empty());
}

TEST(DescriptorParse, AllToAllNeedsNoCoupling) {
  const Descriptor d = parse_descriptor(R"({"name":"s","modality":"simulator","num_qubits":3,"all_to_all":true})", "s");
  EXPECT_TRUE(d.all_to_all);
  EXPECT_TRUE(d.coupled(0, 2));
  EXPECT_FALSE(d.coupled(1, 1));
  EXPECT_FALSE(d.coupled(0, 3));
}

TEST(DescriptorParse, CoupledAndNative) {
  const Descriptor d = parse_descriptor(full().dump(), "full.json");
  EXPECT_TRUE(d.coupled(2, 3));
  EXPECT_TRUE(d.coupled(3, 2));
  EXPECT_FALSE(d.coupled(0, 2));
  EXPECT_FALSE(d.coupled(-1, 0));
  EXPECT_TRUE(d.is_native("cz"));
  EXPECT_FALSE(d.is_native("cx"));
  const Descriptor m = parse_descriptor(minimal().dump(), "t.json");
  EXPECT_TRUE(m.is_native("cx"));     // empty native set: every IR gate
  EXPECT_TRUE(m.is_native("swap"));
  EXPECT_FALSE(m.is_native("frob"));  // but not unknown names
}

TEST(DescriptorErrors, InvalidJsonAndShape) {
  EXPECT_STARTS_WITH(error_of(std::string("{\"name\": ")), "t.json: document: invalid JSON");
  EXPECT_EQ(error_of(std::string("[1, 2]")), "t.json: document: must be a JSON object");
  EXPECT_EQ(error_of(std::string(R"({"name":"a","name":"b"})")), "t.json: name: duplicate field");
}

TEST(DescriptorErrors, UnknownFields) {
  json j = minimal();
  j["colour"] = "blue";
  EXPECT_EQ(error_of(j), "t.json: colour: unknown field");
  j = full();
  j["features"]["qecc"] = true;
  EXPECT_EQ(error_of(j), "t.json: features.qecc: unknown field");
  j = full();
  j["calibration"]["owner"] = "x";
  EXPECT_EQ(error_of(j), "t.json: calibration.owner: unknown field");
  j = full();
  j["modules"][1]["size"] = 3;
  EXPECT_EQ(error_of(j), "t.json: modules[1].size: unknown field");
  j = full();
  j["links"][0]["loss_db"] = 3;
  EXPECT_EQ(error_of(j), "t.json: links[0].loss_db: unknown field");
}

TEST(DescriptorErrors, MissingRequiredFields) {
  for (const char* field : {"name", "modality", "num_qubits"}) {
    json j = minimal();
    j.erase(field);
    EXPECT_EQ(error_of(j), std::string("t.json: ") + field + ": missing required field");
  }
  json j = minimal();
  j.erase("coupling");
  EXPECT_STARTS_WITH(error_of(j), "t.json: coupling: missing required field");
  j = full();
  j["calibration"].erase("id");
  EXPECT_EQ(error_of(j), "t.json: calibration.id: missing required field");
  j = full();
  j["links"][0].erase("bell_pair_rate_hz");
  EXPECT_EQ(error_of(j), "t.json: links[0].bell_pair_rate_hz: missing required field");
}

TEST(DescriptorErrors, WrongTypesAndRanges) {
  json j = minimal();
  j["num_qubits"] = "4";
  EXPECT_EQ(error_of(j), "t.json: num_qubits: must be an integer");
  j["num_qubits"] = 0;
  EXPECT_STARTS_WITH(error_of(j), "t.json: num_qubits: 0 is out of range");
  j = minimal();
  j["name"] = "";
  EXPECT_EQ(error_of(j), "t.json: name: must not be empty");
  j = full();
  j["readout_fidelity"] = 1.5;
  EXPECT_STARTS_WITH(error_of(j), "t.json: readout_fidelity: 1.5 is out of range");
  j = full();
  j["gate_fidelity"]["cz"] = -0.1;
  EXPECT_STARTS_WITH(error_of(j), "t.json: gate_fidelity.cz: -0.1 is out of range");
  j = full();
  j["measure_duration_ns"] = -5;
  EXPECT_STARTS_WITH(error_of(j), "t.json: measure_duration_ns: -5 is out of range");
  j = full();
  j["features"]["qec"] = 1;
  EXPECT_EQ(error_of(j), "t.json: features.qec: must be true or false");
  j = full();
  j["t2_us"] = 250;
  EXPECT_EQ(error_of(j), "t.json: t2_us: T2 250 us exceeds 2*T1 = 200 us");
}

TEST(DescriptorErrors, CouplingMap) {
  json j = minimal();
  j["coupling"][1] = {1, 4};
  EXPECT_EQ(error_of(j), "t.json: coupling[1][1]: qubit index 4 is out of range (device has 4 qubits)");
  j = minimal();
  j["coupling"][0] = {-1, 0};
  EXPECT_STARTS_WITH(error_of(j), "t.json: coupling[0][0]: qubit index -1 is out of range");
  j = minimal();
  j["coupling"][2] = {2, 2};
  EXPECT_EQ(error_of(j), "t.json: coupling[2]: self-loop on qubit 2");
  j = minimal();
  j["coupling"].push_back({1, 0});  // same undirected edge as [0, 1]
  EXPECT_EQ(error_of(j), "t.json: coupling[3]: duplicate edge (0,1)");
  j = minimal();
  j["coupling"] = json::parse("[[0, 1], [2, 3]]");
  EXPECT_EQ(error_of(j), "t.json: coupling: coupling map is disconnected: qubit 2 cannot reach qubit 0");
  j = minimal();
  j["coupling"][0] = {0, 1, 2};
  EXPECT_EQ(error_of(j), "t.json: coupling[0]: must be a pair [a, b] of qubit indices");
  j = minimal();
  j["all_to_all"] = true;
  EXPECT_EQ(error_of(j), "t.json: coupling: must be absent or empty when all_to_all is true");
}

TEST(DescriptorErrors, NativeGatesAndGateTables) {
  json j = minimal();
  j["native_gates"] = {"rz", "frob"};
  EXPECT_EQ(error_of(j), "t.json: native_gates[1]: 'frob' is not a known IR gate");
  j["native_gates"] = {"rz", "cz", "rz"};
  EXPECT_EQ(error_of(j), "t.json: native_gates[2]: 'rz' is listed twice");
  j = full();
  j["gate_duration_ns"]["cx"] = 300;
  EXPECT_EQ(error_of(j), "t.json: gate_duration_ns.cx: 'cx' is not in native_gates");
  j = minimal();
  j["gate_fidelity"] = {{"frob", 0.9}};
  EXPECT_EQ(error_of(j), "t.json: gate_fidelity.frob: 'frob' is not a known IR gate");
}

TEST(DescriptorErrors, ModulesAndLinks) {
  json j = full();
  j["modules"][1]["qubits"] = {2, 3, 4, 5};
  EXPECT_EQ(error_of(j), "t.json: modules[1].qubits[0]: qubit 2 already belongs to module 'A'");
  j = full();
  j["modules"][1]["name"] = "A";
  EXPECT_EQ(error_of(j), "t.json: modules[1].name: module 'A' is defined twice");
  j = full();
  j["modules"][0]["qubits"] = {0, 1, 9};
  EXPECT_STARTS_WITH(error_of(j), "t.json: modules[0].qubits[2]: qubit index 9 is out of range");
  j = full();
  j["links"][0]["to"] = "C";
  EXPECT_EQ(error_of(j), "t.json: links[0].to: no module named 'C'");
  j = full();
  j["links"][0]["to"] = "A";
  EXPECT_EQ(error_of(j), "t.json: links[0].to: a link must join two different modules");
  j = full();
  j["links"][0]["qubit_pairs"] = json::parse("[[1, 4]]");
  EXPECT_EQ(error_of(j), "t.json: links[0].qubit_pairs[0]: pair (1,4) is not in the coupling map");
  j = full();
  j["links"][0]["qubit_pairs"] = json::parse("[[3, 2]]");
  EXPECT_EQ(error_of(j), "t.json: links[0].qubit_pairs[0]: qubit 3 is not in module 'A'");
  j = full();
  j["links"][0]["bell_pair_fidelity"] = 2;
  EXPECT_STARTS_WITH(error_of(j), "t.json: links[0].bell_pair_fidelity: 2 is out of range");
}

// ---- the shipped descriptors ----------------------------------------------------------

std::vector<std::filesystem::path> board_files() {
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(QONTOS_DEVICES_DIR))
    if (e.path().extension() == ".json") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  return files;
}

TEST(BoardDevices, EveryFileLoadsAndIsNamedAfterItsFile) {
  const auto files = board_files();
  std::set<std::string> names;
  for (const auto& f : files) {
    SCOPED_TRACE(f.string());
    const Descriptor d = load_descriptor(f.string(), QONTOS_DEVICES_DIR);
    EXPECT_EQ(d.name, f.stem().string());
    names.insert(d.name);
    EXPECT_TRUE(DistanceMatrix(d).connected());
    for (const auto& [gate, ns] : d.gate_duration_ns) EXPECT_TRUE(d.is_native(gate)) << gate;
  }
  for (const char* expected :
       {"ideal-simulator", "superconducting-grid-16", "superconducting-heavyhex-27", "modular-2x16"})
    EXPECT_EQ(names.count(expected), 1u) << expected;
}

TEST(BoardDevices, IdealSimulator) {
  const Descriptor d = load_descriptor("ideal-simulator", QONTOS_DEVICES_DIR);
  EXPECT_EQ(d.modality, "simulator");
  EXPECT_TRUE(d.all_to_all);
  EXPECT_EQ(d.num_qubits, 32);
  EXPECT_TRUE(d.native_gates.empty());
  EXPECT_TRUE(d.coupled(0, 31));
}

TEST(BoardDevices, Grid16IsA4x4Grid) {
  const Descriptor d = load_descriptor("superconducting-grid-16", QONTOS_DEVICES_DIR);
  EXPECT_EQ(d.num_qubits, 16);
  EXPECT_EQ(d.coupling.size(), 24u);
  EXPECT_EQ(d.native_gates, (std::vector<std::string>{"rz", "sx", "x", "cz"}));
  for (int a = 0; a < 16; ++a)
    for (int b = 0; b < 16; ++b) {
      const int manhattan = std::abs(a / 4 - b / 4) + std::abs(a % 4 - b % 4);
      EXPECT_EQ(d.coupled(a, b), manhattan == 1) << a << "," << b;
    }
  EXPECT_GT(d.t1_us, 0);
  EXPECT_LE(d.t2_us, 2 * d.t1_us);
  EXPECT_FALSE(d.calibration_id.empty());
  EXPECT_GT(d.calibration_ttl_s, 0);
  EXPECT_GT(d.gate_duration_ns.at("cz"), d.gate_duration_ns.at("sx"));
  EXPECT_LT(d.gate_fidelity.at("cz"), d.gate_fidelity.at("sx"));
}

TEST(BoardDevices, HeavyHex27) {
  const Descriptor d = load_descriptor("superconducting-heavyhex-27", QONTOS_DEVICES_DIR);
  EXPECT_EQ(d.num_qubits, 27);
  EXPECT_EQ(d.coupling.size(), 28u);
  const auto adj = adjacency(d);
  int degree3 = 0;
  for (const auto& n : adj) {
    EXPECT_GE(n.size(), 1u);
    EXPECT_LE(n.size(), 3u);
    degree3 += n.size() == 3 ? 1 : 0;
  }
  EXPECT_EQ(degree3, 8);  // 1, 7, 8, 12, 14, 18, 19, 25
  const DistanceMatrix dist(d);
  EXPECT_EQ(dist(0, 26), 12);
  EXPECT_EQ(dist.diameter(), 12);
}

TEST(BoardDevices, Modular2x16) {
  const Descriptor d = load_descriptor("modular-2x16", QONTOS_DEVICES_DIR);
  EXPECT_EQ(d.num_qubits, 32);
  ASSERT_EQ(d.modules.size(), 2u);
  EXPECT_EQ(d.modules[0].qubits.size(), 16u);
  EXPECT_EQ(d.modules[1].qubits.size(), 16u);
  ASSERT_EQ(d.links.size(), 1u);
  const PhotonicLink& link = d.links[0];
  EXPECT_FALSE(link.qubit_pairs.empty());
  EXPECT_GT(link.bell_pair_rate_hz, 0);
  EXPECT_GT(link.latency_ns, 0);
  // Within a module the coupling is a 4x4 grid; across modules only the link pairs couple.
  int cross = 0;
  for (const auto& [a, b] : d.coupling) {
    if ((a < 16) != (b < 16)) {
      ++cross;
      EXPECT_NE(std::find(link.qubit_pairs.begin(), link.qubit_pairs.end(), std::make_pair(a, b)),
                link.qubit_pairs.end());
    } else {
      const int x = a % 16, y = b % 16;
      EXPECT_EQ(std::abs(x / 4 - y / 4) + std::abs(x % 4 - y % 4), 1);
    }
  }
  EXPECT_EQ(cross, static_cast<int>(link.qubit_pairs.size()));
  EXPECT_EQ(d.coupling.size(), 48u + link.qubit_pairs.size());
}

// ---- loading by name and path ---------------------------------------------------------

TEST(LoadDescriptor, UnknownNameListsAvailableDevices) {
  const auto dir = std::filesystem::temp_directory_path() / "qontos-descriptor-test";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "beta.json") << minimal().dump();
  std::ofstream(dir / "alpha.json") << minimal().dump();
  std::ofstream(dir / "notes.txt") << "not a device";
  try {
    load_descriptor("gamma", dir.string());
    FAIL() << "expected an error";
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()), "unknown device 'gamma' in " + dir.string() + "; available: alpha, beta");
  }
  EXPECT_EQ(load_descriptor("alpha", dir.string()).num_qubits, 4);
  // A path is read as given, and parse errors name the file.
  std::ofstream(dir / "bad.json") << R"({"name": "bad"})";
  try {
    load_descriptor((dir / "bad.json").string(), "/nonexistent");
    FAIL() << "expected an error";
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()), (dir / "bad.json").string() + ": modality: missing required field");
  }
  EXPECT_THROW(load_descriptor((dir / "missing.json").string(), dir.string()), std::runtime_error);
  std::filesystem::remove_all(dir);
}

TEST(LoadDescriptor, DefaultDirectoryHonoursEnvironment) {
  const char* old = std::getenv("QONTOS_DEVICES_DIR");
  const std::string saved = old ? old : "";
  ::setenv("QONTOS_DEVICES_DIR", "/somewhere/else", 1);
  EXPECT_EQ(default_devices_dir(), "/somewhere/else");
  ::unsetenv("QONTOS_DEVICES_DIR");
  EXPECT_EQ(std::filesystem::path(default_devices_dir()), std::filesystem::path(QONTOS_DEVICES_DIR));
  if (old) ::setenv("QONTOS_DEVICES_DIR", saved.c_str(), 1);
}

// ---- distances ------------------------------------------------------------------------

TEST(DistanceMatrix, LineGridAndAllToAll) {
  Descriptor line;
  line.name = "line";
  line.num_qubits = 5;
  line.coupling = {{0, 1}, {2, 1}, {2, 3}, {3, 4}};
  const DistanceMatrix dl(line);
  for (int a = 0; a < 5; ++a)
    for (int b = 0; b < 5; ++b) EXPECT_EQ(dl(a, b), std::abs(a - b));
  EXPECT_TRUE(dl.connected());
  EXPECT_EQ(dl.diameter(), 4);
  EXPECT_EQ(adjacency(line)[1], (std::vector<int>{0, 2}));

  const Descriptor grid = load_descriptor("superconducting-grid-16", QONTOS_DEVICES_DIR);
  const DistanceMatrix dg(grid);
  for (int a = 0; a < 16; ++a)
    for (int b = 0; b < 16; ++b) EXPECT_EQ(dg(a, b), std::abs(a / 4 - b / 4) + std::abs(a % 4 - b % 4));

  Descriptor all;
  all.num_qubits = 4;
  all.all_to_all = true;
  const DistanceMatrix da(all);
  EXPECT_EQ(da(0, 3), 1);
  EXPECT_EQ(da(2, 2), 0);
  EXPECT_EQ(adjacency(all)[2], (std::vector<int>{0, 1, 3}));
}

TEST(DistanceMatrix, DisconnectedPairsAreUnreachable) {
  Descriptor d;
  d.num_qubits = 4;
  d.coupling = {{0, 1}, {2, 3}};
  const DistanceMatrix m(d);
  EXPECT_FALSE(m.connected());
  EXPECT_EQ(m(0, 1), 1);
  EXPECT_EQ(m(1, 2), DistanceMatrix::kUnreachable);
  EXPECT_EQ(m.diameter(), 1);
}

}  // namespace
}  // namespace qontos::device
