// libFuzzer target `frontend_fuzz`: the bytes are OpenQASM source, compiled (no device) from
// `parse` up to `optimise`. The documented failures, qasm::CompileError and passes::PassError, are
// expected answers to bad input; anything else (another exception, a crash, a sanitizer report,
// a hang or an out-of-memory) is a finding. A program that compiles is also serialised to JSON
// and written back as OpenQASM 3.
//
// Round-trip mode (environment QONTOS_FUZZ_ROUNDTRIP=1): the emitted OpenQASM 3 must also
// compile, up to the same pass, to the same content address (the promise in ir/emit_qasm3.h);
// a mismatch aborts and prints the first difference of the two canonical JSON forms. It is a
// separate mode because the round trip currently fails on many ordinary programs (see
// docs/FUZZING.md), which would stop every run at once.
// Run through scripts/fuzz; see docs/FUZZING.md.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <typeinfo>
#include <vector>

#include "ir/emit_qasm3.h"
#include "ir/serialise_json.h"
#include "passes/pass.h"
#include "passes/pipeline.h"
#include "qasm/diagnostic.h"
#include "qasm/elaborate.h"

namespace {

using namespace qontos;

constexpr const char* kUntil = "optimise";
// Far below the default so that no loop makes one run slow; the bound itself is what we test.
constexpr long long kMaxStatements = 20'000;

bool g_roundtrip = false;

[[noreturn]] void finding(const char* what, const std::string& detail) {
  std::fprintf(stderr, "\n==qontos-fuzz== FINDING: %s\n%s\n", what, detail.c_str());
  std::fflush(stderr);
  std::abort();
}

std::string excerpt(const std::string& s, std::size_t max = 4000) {
  return s.size() <= max ? s : s.substr(0, max) + "\n... (" + std::to_string(s.size() - max) + " more bytes)";
}

/// Both texts around their first difference.
std::string first_difference(const std::string& a, const std::string& b) {
  std::size_t i = 0;
  while (i < a.size() && i < b.size() && a[i] == b[i]) ++i;
  std::size_t from = i > 300 ? i - 300 : 0;
  return "first difference at byte " + std::to_string(i) + ":\n  " + a.substr(from, i - from + 300) + "\n  " +
         b.substr(from, i - from + 300);
}

/// Compiles `source`; returns false on a documented error, aborts on anything else.
bool compile(const std::string& source, const char* path, long long max_statements, std::vector<passes::Stage>& out,
             std::string* error) {
  qasm::ElaborateOptions options;
  options.max_statements = max_statements;
  passes::PassContext ctx;  // no device: decompose keeps IR gates, layout/route are never reached
  try {
    out = passes::compile_source(source, path, kUntil, ctx, options);
    return true;
  } catch (const qasm::CompileError& e) {
    if (error) *error = e.render();
    return false;
  } catch (const passes::PassError& e) {
    if (error) *error = e.what();
    return false;
  } catch (const std::exception& e) {
    finding("undocumented exception", std::string(typeid(e).name()) + ": " + e.what() + "\nwhile compiling " + path);
  } catch (...) {
    finding("non-std exception", std::string("while compiling ") + path);
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  if (const char* v = std::getenv("QONTOS_FUZZ_ROUNDTRIP")) g_roundtrip = std::string(v) == "1";
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string source(reinterpret_cast<const char*>(data), size);
  std::vector<passes::Stage> stages;
  if (!compile(source, "fuzz.qasm", kMaxStatements, stages, nullptr)) return 0;
  if (stages.empty() || stages.back().pass != kUntil) finding("pipeline stopped early", "last stage missing");

  const ir::Program& program = stages.back().program;
  std::string json;
  std::string qasm3;
  try {
    json = ir::serialise_json(program);
    qasm3 = ir::emit_qasm3(program);
  } catch (const std::exception& e) {
    finding("exception from serialise_json/emit_qasm3", std::string(typeid(e).name()) + ": " + e.what());
  }
  if (ir::sha256_hex(json) != stages.back().hash) finding("content address is not the hash of serialise_json", "");
  if (!g_roundtrip) return 0;

  // The emitted text is already unrolled and inlined, so it may hold more statements than the
  // source did: re-read it with the library's default bound.
  std::vector<passes::Stage> again;
  std::string error;
  if (!compile(qasm3, "fuzz-roundtrip.qasm", qasm::ElaborateOptions{}.max_statements, again, &error))
    finding("emitted OpenQASM 3 does not compile", "error:\n" + error + "\nemitted:\n" + excerpt(qasm3));
  if (again.back().hash != stages.back().hash) {
    std::string json2 = ir::serialise_json(again.back().program);
    finding("round trip changed the content address",
            "emitted:\n" + excerpt(qasm3) + "\njson (compiled source, then compiled emitted text), " +
                first_difference(json, json2));
  }
  return 0;
}
