#include "cli/output.h"

#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <stdexcept>

#include "common/atomic_file.h"
#include "exec/contract.h"
#include "passes/pass.h"
#include "qasm/diagnostic.h"

namespace qontos::cli {

bool write_output(const std::string& path, const std::string& text) {
  if (path.empty()) {
    std::cout << text;
    return static_cast<bool>(std::cout.flush());
  }
  const bool ok = write_file_atomically(path, text);
  if (!ok) {
    std::cerr << "qontos: error: cannot write '" << path << "'\n";
  }
  return ok;
}

std::string read_text(const std::string& path) {
  std::stringstream buf;
  if (path == "-") {
    buf << std::cin.rdbuf();
    return buf.str();
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open '" + path + "'");
  buf << in.rdbuf();
  return buf.str();
}

int run_reporting_errors(const std::string& path, const std::function<int()>& body) {
  try {
    return body();
  } catch (const qasm::CompileError& e) {
    std::cerr << e.render() << "\n";
    return 2;
  } catch (const passes::PassError& e) {
    std::cerr << path << ": error: " << e.what() << "\n";
    return 2;
  } catch (const exec::ExecFailure& e) {
    std::cerr << path << ": error: " << exec::to_string(e.error.kind) << ": " << e.error.message << "\n";
    const bool caller = e.error.kind == exec::ErrorKind::kValidation || e.error.kind == exec::ErrorKind::kCapacity ||
                        e.error.kind == exec::ErrorKind::kUnsupported;
    return caller ? 2 : 1;
  } catch (const std::invalid_argument& e) {
    std::cerr << "qontos: error: " << e.what() << "\n";
    return 2;
  } catch (const std::runtime_error& e) {
    std::cerr << "qontos: error: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "qontos: internal error: " << e.what() << "\n";
    return 1;
  }
}

}  // namespace qontos::cli
