// Every OpenQASM file of the shared corpus through the whole pipeline on a device that fits it:
// it compiles (or fails with the precise diagnostic listed below, with the evidence), every
// two-qubit gate of the routed output acts on a coupled pair, every gate is native, the output
// of every stage reads back through --emit qasm3 to the same content address, and a second
// compilation gives byte-identical stages.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "device/descriptor.h"
#include "ir/emit_qasm3.h"
#include "ir/serialise_json.h"
#include "passes/pipeline.h"
#include "qasm/diagnostic.h"
#include "support/corpus.h"

namespace qontos {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> corpus_files() {
  std::vector<std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(std::string(QONTOS_CORPUS_DIR) + "/qasm"))
    if (e.is_regular_file() && e.path().extension() == ".qasm") out.push_back(e.path().string());
  std::sort(out.begin(), out.end());
  return out;
}

std::string relative(const std::string& path) { return fs::relative(path, std::string(QONTOS_CORPUS_DIR) + "/qasm").string(); }

std::string read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Files that do not compile, with the diagnostic they must fail with: the malformed and invalid
// files (evidence with their lists in support/corpus.h) and the specification examples that use
// features outside the supported subset.
const std::map<std::string, std::string>& expected_failures() {
  static const std::map<std::string, std::string> m = [] {
    std::map<std::string, std::string> out = {
        {"openqasm3-examples/alignment.qasm", "unsupported: 'stretch'"},
        {"openqasm3-examples/arrays.qasm", "unsupported: 'array'"},
        {"openqasm3-examples/dd.qasm", "unsupported: 'stretch'"},
        {"openqasm3-examples/defcal.qasm", "unsupported: 'defcalgrammar'"},
        {"openqasm3-examples/gateteleport.qasm", "unsupported: 'extern'"},
        {"openqasm3-examples/ipe.qasm", "unsupported: measurement into a bit of angle variable 'c'"},
        {"openqasm3-examples/scqec.qasm", "unsupported: 'extern'"},
        {"openqasm3-examples/t1.qasm", "unsupported: 'duration'"},
        {"openqasm3-examples/vqe.qasm", "unsupported: 'extern'"},
    };
    for (const auto& f : testing::corpus::malformed_qasmbench_files()) out[f.path] = f.message;
    for (const auto& f : testing::corpus::invalid_openqasm3_examples()) out[f.path] = f.message;
    return out;
  }();
  return m;
}

std::string device_for(int qubits) {
  if (qubits <= 16) return "superconducting-grid-16";
  if (qubits <= 27) return "superconducting-heavyhex-27";
  if (qubits <= 32) return "modular-2x16";
  return "ideal-simulator";
}

void check_routed(const ir::OpList& ops, const device::Descriptor& d) {
  for (const auto& op : ops) {
    if (const auto* g = std::get_if<ir::GateOp>(&op.v)) {
      ASSERT_EQ(g->controls, 0) << g->name;
      ASSERT_TRUE(d.is_native(g->name)) << g->name << " is not native on " << d.name;
      if (g->qubits.size() == 2) {
        ASSERT_TRUE(d.coupled(g->qubits[0], g->qubits[1])) << g->name << " on uncoupled pair";
      }
      ASSERT_LE(g->qubits.size(), 2u);
    } else if (const auto* i = std::get_if<ir::IfOp>(&op.v)) {
      check_routed(i->then_ops, d);
      check_routed(i->else_ops, d);
    } else if (const auto* w = std::get_if<ir::WhileOp>(&op.v)) {
      check_routed(w->body, d);
    }
  }
}

class Corpus : public ::testing::TestWithParam<std::string> {};

TEST_P(Corpus, CompilesRoutesRoundTripsAndIsDeterministic) {
  const std::string path = GetParam();
  const std::string rel = relative(path);
  const std::string text = read(path);
  // Size the device from a first parse.
  ir::Program parsed;
  auto failure = expected_failures().find(rel);
  try {
    parsed = passes::run_parse(text, path);
  } catch (const qasm::CompileError& e) {
    ASSERT_NE(failure, expected_failures().end()) << rel << " failed unexpectedly: " << e.render();
    EXPECT_NE(std::string(e.what()).find(failure->second), std::string::npos) << e.what();
    EXPECT_EQ(std::string(e.what()).rfind(path + ":", 0), 0u) << "diagnostic must start with file:line:col";
    if (failure->second.find("unknown qubit or register 'q'") != std::string::npos) {
      EXPECT_EQ(text.find("qreg q["), std::string::npos) << "evidence: the file must not declare q";
    }
    return;
  }
  ASSERT_EQ(failure, expected_failures().end()) << rel << " was expected to fail with: " << failure->second;

  const device::Descriptor dev = device::load_descriptor(device_for(parsed.num_qubits), QONTOS_DEVICES_DIR);
  passes::PassContext ctx;
  ctx.device = &dev;
  auto stages = passes::compile_source(text, path, "schedule", ctx);
  ASSERT_EQ(stages.size(), passes::pass_names().size());
  check_routed(stages.back().program.ops, dev);
  EXPECT_EQ(stages.back().program.device, dev.name);

  // Large files: the checks above only (their round trips take longer than they teach).
  if (text.size() > 400'000) return;

  // --emit qasm3 reads back to the same IR: parsing the text (and, after `parse`, inlining the
  // modifiers it spells controls with) reproduces each stage's content address.
  for (const auto& s : stages) {
    const std::string emitted = ir::emit_qasm3(s.program);
    ir::Program back;
    try {
      back = passes::run_parse(emitted, "emitted.qasm");
      if (s.pass != "parse") back = passes::run_inline(back, {});
    } catch (const std::exception& e) {
      FAIL() << rel << " stage " << s.pass << ": emitted OpenQASM 3 does not read back: " << e.what() << "\n" << emitted;
    }
    EXPECT_EQ(ir::content_address(back), s.hash) << rel << " stage " << s.pass << " does not round-trip";
  }

  auto again = passes::compile_source(text, path, "schedule", ctx);
  for (std::size_t i = 0; i < stages.size(); ++i) EXPECT_EQ(again[i].hash, stages[i].hash) << stages[i].pass;
}

INSTANTIATE_TEST_SUITE_P(Files, Corpus, ::testing::ValuesIn(corpus_files()), [](const ::testing::TestParamInfo<std::string>& p) {
  std::string name = relative(p.param);
  for (char& c : name)
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  return name;
});

TEST(CorpusList, HasTheFilesTheReadmeDescribes) {
  auto files = corpus_files();
  long qasmbench = std::count_if(files.begin(), files.end(), [](const std::string& f) { return f.find("/qasmbench/") != std::string::npos; });
  long spec = std::count_if(files.begin(), files.end(), [](const std::string& f) { return f.find("/openqasm3-examples/") != std::string::npos; });
  EXPECT_EQ(qasmbench, 127);
  EXPECT_EQ(spec, 21);
}

}  // namespace
}  // namespace qontos
