#include "qasm/library.h"

namespace qontos::qasm {

const std::vector<std::string>* builtin_include(std::string_view path) {
  static const std::vector<std::string> qelib1 = {
      "u3",  "u2",  "u1",  "cx",  "id",  "u0",    "u",   "p",   "x",   "y",    "z",   "h",   "s",   "sdg",
      "t",   "tdg", "rx",  "ry",  "rz",  "sx",    "sxdg", "cz", "cy",  "swap", "ch",  "ccx", "cswap", "crx",
      "cry", "crz", "cu1", "cp",  "cu3", "csx",   "cu",  "rxx", "rzz", "rccx", "rc3x", "c3x", "c3sqrtx", "c4x"};
  static const std::vector<std::string> stdgates = {
      "p",   "x",   "y",  "z",  "h",    "s",   "sdg",   "t",   "tdg", "sx", "rx", "ry", "rz", "cx", "cy", "cz",
      "cp",  "crx", "cry", "crz", "ch", "swap", "ccx",  "cswap", "cu", "CX", "phase", "cphase", "id", "u1",
      "u2",  "u3"};
  if (path == "qelib1.inc") return &qelib1;
  if (path == "stdgates.inc") return &stdgates;
  return nullptr;
}

const std::string& library_definitions_text() {
  // Bodies as given for these gates by the OpenQASM 2 library (a fact of the format).
  static const std::string text = R"(OPENQASM 3.0;
gate rccx a, b, c {
  u2(0, pi) c; u1(pi/4) c; cx b, c; u1(-pi/4) c; cx a, c; u1(pi/4) c; cx b, c; u1(-pi/4) c; u2(0, pi) c;
}
gate rc3x a, b, c, d {
  u2(0, pi) d; u1(pi/4) d; cx c, d; u1(-pi/4) d; u2(0, pi) d; cx a, d; u1(pi/4) d; cx b, d;
  u1(-pi/4) d; cx a, d; u1(pi/4) d; cx b, d; u1(-pi/4) d; u2(0, pi) d; u1(pi/4) d; cx c, d;
  u1(-pi/4) d; u2(0, pi) d;
}
)";
  return text;
}

}  // namespace qontos::qasm
