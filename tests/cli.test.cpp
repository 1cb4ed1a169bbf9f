// The `qontos` command as a user runs it: exit codes, diagnostics, output files, determinism.
#include <gtest/gtest.h>

#include "support/cli_runner.h"

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace {

namespace fs = std::filesystem;
using qontos::testing::CliRun;
using qontos::testing::qontos;
using qontos::testing::scratch;
using qontos::testing::slurp;
using qontos::testing::write;

const std::string kQft = std::string(QONTOS_CORPUS_DIR) + "/qasm/qasmbench/small/qft_n4/qft_n4.qasm";

TEST(Cli, VersionAndHelp) {
  CliRun v = qontos("--version");
  EXPECT_EQ(v.code, 0);
  EXPECT_EQ(v.out.rfind("qontos ", 0), 0u);
  EXPECT_NE(v.out.find("(commit "), std::string::npos);
  CliRun h = qontos("--help");
  EXPECT_EQ(h.code, 0);
  EXPECT_NE(h.out.find("compile"), std::string::npos);
  CliRun ch = qontos("compile --help");
  EXPECT_EQ(ch.code, 0);
  for (const char* opt : {"--device", "--until", "--emit", "--hashes", "--output", "--seed", "--input"})
    EXPECT_NE(ch.out.find(opt), std::string::npos) << opt;
}

TEST(Cli, HashesNameEveryPassInOrder) {
  CliRun r = qontos("compile " + kQft + " --device superconducting-grid-16 --hashes");
  ASSERT_EQ(r.code, 0) << r.err;
  std::istringstream lines(r.out);
  std::vector<std::string> names;
  std::string name, hash;
  while (lines >> name >> hash) {
    names.push_back(name);
    EXPECT_EQ(hash.size(), 64u);
  }
  EXPECT_EQ(names, (std::vector<std::string>{"parse", "inline", "normalise", "partition", "decompose", "optimise", "layout", "route", "schedule"}));
}

TEST(Cli, SameInputGivesByteIdenticalOutputAcrossRuns) {
  CliRun a = qontos("compile " + kQft + " --device superconducting-grid-16 --hashes --emit json");
  CliRun b = qontos("compile " + kQft + " --device superconducting-grid-16 --hashes --emit json");
  ASSERT_EQ(a.code, 0);
  EXPECT_EQ(a.out, b.out);
  CliRun other_seed = qontos("compile " + kQft + " --device superconducting-grid-16 --hashes --seed 99");
  EXPECT_EQ(other_seed.code, 0);
}

TEST(Cli, UntilStopsAtThePassAndEmitsEachFormat) {
  CliRun s = qontos("compile " + kQft + " --until normalise --emit stats");
  ASSERT_EQ(s.code, 0) << s.err;
  EXPECT_NE(s.out.find("pass: normalise"), std::string::npos);
  EXPECT_NE(s.out.find("qubits: 4"), std::string::npos);
  CliRun q = qontos("compile " + kQft + " --until normalise --emit qasm3");
  EXPECT_EQ(q.out.rfind("OPENQASM 3.0;", 0), 0u);
  CliRun j = qontos("compile " + kQft + " --until normalise --emit json");
  EXPECT_NE(j.out.find("\"format\":\"qontos-ir/1\""), std::string::npos);
}

TEST(Cli, EmittedQasm3ReadsBackToTheSameStage) {
  CliRun a = qontos("compile " + kQft + " --device superconducting-grid-16 --emit qasm3 -o " + (scratch() / "routed.qasm").string());
  ASSERT_EQ(a.code, 0) << a.err;
  CliRun first = qontos("compile " + kQft + " --device superconducting-grid-16 --hashes");
  CliRun again = qontos("compile " + (scratch() / "routed.qasm").string() + " --until inline --hashes");
  ASSERT_EQ(again.code, 0) << again.err;
  std::string route_hash = first.out.substr(first.out.rfind("schedule") + 10, 64);
  std::string inline_hash = again.out.substr(again.out.find("inline") + 10, 64);
  EXPECT_EQ(route_hash, inline_hash);
}

TEST(Cli, MalformedInputGetsLocationLineCaretAndExitTwo) {
  fs::path bad = write("bad.qasm", "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[2];\ncx q[0] q[1];\n");
  CliRun r = qontos("compile " + bad.string());
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, bad.string() + ":4:9: error: expected ';', found 'q'\n  cx q[0] q[1];\n          ^\n");
  EXPECT_TRUE(r.out.empty());
}

TEST(Cli, UnsupportedFeaturesAreNamed) {
  fs::path f = write("defcal.qasm", "OPENQASM 3.0;\ndefcal rz(angle[20] theta) $0 { }\n");
  CliRun r = qontos("compile " + f.string());
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find(":2:1: error: unsupported: 'defcal'"), std::string::npos) << r.err;
}

TEST(Cli, BadUsageIsRefusedWithExitTwo) {
  EXPECT_EQ(qontos("compile " + kQft + " --bogus").code, 2);
  EXPECT_EQ(qontos("compile " + kQft + " --until nowhere").code, 2);
  EXPECT_EQ(qontos("compile " + kQft + " --emit pdf").code, 2);
  CliRun missing = qontos("compile /nonexistent/x.qasm");
  EXPECT_EQ(missing.code, 2);
  EXPECT_NE(missing.err.find("cannot open '/nonexistent/x.qasm'"), std::string::npos);
  CliRun dev = qontos("compile " + kQft + " --device no-such-device");
  EXPECT_EQ(dev.code, 2);
  EXPECT_NE(dev.err.find("superconducting-grid-16"), std::string::npos) << "lists the devices there are: " << dev.err;
  CliRun nodev = qontos("compile " + kQft + " --until route");
  EXPECT_EQ(nodev.code, 2);
  EXPECT_NE(nodev.err.find("in pass 'layout'"), std::string::npos) << nodev.err;
  CliRun big = qontos("compile - --device superconducting-grid-16", "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[20];\ncx q[0],q[19];\n");
  EXPECT_EQ(big.code, 2);
  EXPECT_EQ(big.err, "<stdin>: error: in pass 'partition': circuit needs 20 qubits but the modules hold 16 in total (superconducting-grid-16: 16)\n");
}

TEST(Cli, AFailedCompileNeverTouchesAnExistingOutputFile) {
  fs::path out = write("keep.json", "precious");
  fs::path bad = write("bad2.qasm", "OPENQASM 2.0;\nqreg q[1];\nh q[0];\n");
  CliRun r = qontos("compile " + bad.string() + " -o " + out.string());
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(slurp(out), "precious");
  CliRun ok = qontos("compile " + kQft + " -o " + out.string());
  EXPECT_EQ(ok.code, 0);
  EXPECT_EQ(slurp(out).rfind("{\"clbits\":4", 0), 0u);
  EXPECT_FALSE(fs::exists(out.string() + ".tmp"));
}

TEST(Cli, InputsAreSetFromTheCommandLine) {
  fs::path f = write("input.qasm", "OPENQASM 3.0;\ninclude \"stdgates.inc\";\ninput float[64] theta;\nqubit q;\nrz(theta) q;\n");
  CliRun r = qontos("compile " + f.string() + " --input theta=pi/4 --emit qasm3");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("rz(pi/4) q[0];"), std::string::npos) << r.out;
  CliRun missing = qontos("compile " + f.string());
  EXPECT_EQ(missing.code, 2);
  EXPECT_NE(missing.err.find("input 'theta' has no value"), std::string::npos);
}

}  // namespace
