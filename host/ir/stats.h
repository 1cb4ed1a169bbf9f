// Summary figures of a Program: gate counts by name, two-qubit gates, depth, measurements.
#pragma once

#include <map>
#include <string>

#include "ir/program.h"

namespace qontos::ir {

struct Stats {
  int qubits = 0;
  int clbits = 0;
  long long gates = 0;
  long long two_qubit_gates = 0;  // gates acting on exactly two qubits (controls included)
  long long multi_qubit_gates = 0;  // gates on three or more qubits
  long long measurements = 0;
  long long resets = 0;
  long long conditionals = 0;  // if/while blocks
  long long depth = 0;         // longest chain of ops over shared qubits (blocks count once)
  std::map<std::string, long long> by_name;  // "ctrl(3)@x" for gates with controls
};

Stats compute_stats(const Program& program);

/// "key: value" lines, sorted, stable across versions.
std::string format_stats(const Stats& s);

}  // namespace qontos::ir
