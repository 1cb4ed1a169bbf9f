#include "common/subprocess.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

namespace qontos {
namespace {

namespace fs = std::filesystem;

fs::path scratch_log(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / ("qontos-subprocess-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  fs::remove(dir / name);
  return dir / name;
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(Subprocess, ReportsTheExitStatusAndAppendsBothStreamsToTheLog) {
  const fs::path log = scratch_log("status.log");
  const ProcessResult r = run_process({"sh", "-c", "echo out; echo err >&2; exit 3"}, log);
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_EQ(r.description, "exit status 3");
  EXPECT_EQ(slurp(log), "out\nerr\n");
  EXPECT_EQ(run_process({"sh", "-c", "echo again"}, log).exit_code, 0);
  EXPECT_EQ(slurp(log), "out\nerr\nagain\n") << "the log is appended to, not replaced";
}

TEST(Subprocess, StandardInputIsEmptyAndArgumentsArePassedVerbatim) {
  const fs::path log = scratch_log("args.log");
  // `cat` must see end of file at once (no inherited terminal), and the spaces stay in one argument.
  EXPECT_EQ(run_process({"sh", "-c", "cat; printf '[%s]' \"$1\"", "sh", "a b  c"}, log).exit_code, 0);
  EXPECT_EQ(slurp(log), "[a b  c]");
}

TEST(Subprocess, NamesTheSignalThatEndedTheProgram) {
  const ProcessResult r = run_process({"sh", "-c", "kill -TERM $$"}, scratch_log("signal.log"));
  EXPECT_EQ(r.exit_code, 128 + 15);
  EXPECT_NE(r.description.find("SIGTERM"), std::string::npos) << r.description;
}

TEST(Subprocess, AProgramThatCannotStartIsAnError) {
  try {
    run_process({"qontos-no-such-program"}, scratch_log("missing.log"));
    ADD_FAILURE() << "started a program that does not exist";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("qontos-no-such-program"), std::string::npos) << e.what();
  }
  EXPECT_THROW(run_process({}, scratch_log("empty.log")), std::invalid_argument);
  EXPECT_THROW(run_process({"sh", "-c", "true"}, "/nonexistent-dir/x.log"), std::runtime_error);
}

TEST(Subprocess, FindsProgramsOnThePath) {
  const auto sh = find_program("sh");
  ASSERT_TRUE(sh.has_value());
  EXPECT_TRUE(sh->is_absolute() || sh->string().find('/') != std::string::npos);
  EXPECT_EQ(find_program("/bin/sh"), std::optional<fs::path>("/bin/sh"));
  EXPECT_FALSE(find_program("qontos-no-such-program").has_value());
  EXPECT_FALSE(find_program("/nonexistent/sh").has_value());
  EXPECT_FALSE(find_program("").has_value());
}

}  // namespace
}  // namespace qontos
