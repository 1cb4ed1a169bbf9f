// `qontos pulses show FILE`: checks a pulse program file (docs/formats/pulse-program.md) and prints
// it one instruction per line.
#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/commands.h"
#include "cli/output.h"
#include "pulses/disassemble.h"
#include "pulses/program_file.h"

namespace qontos::cli {

void add_pulses_command(CLI::App& app, PulsesCliOptions& o) {
  CLI::App* cmd = app.add_subcommand("pulses", "Inspect sequencer programs (qontos compile --emit pulses)");
  cmd->require_subcommand(1);
  CLI::App* show = cmd->add_subcommand("show", "Check a program file and print its instructions");
  show->add_option("FILE", o.file, "Program file ('-' reads standard input)")->required();
}

int run_pulses(const PulsesCliOptions& o) {
  try {
    const std::string bytes = read_text(o.file);
    std::cout << pulses::disassemble(pulses::read_program_file(bytes, o.file == "-" ? "<stdin>" : o.file));
    return 0;
  } catch (const pulses::ProgramFileError& e) {
    std::cerr << "qontos: error: " << e.what() << "\n";
    return 2;
  } catch (const std::runtime_error& e) {
    std::cerr << "qontos: error: " << e.what() << "\n";
    return 2;
  }
}

}  // namespace qontos::cli
