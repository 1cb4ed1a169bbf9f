// The `qontos` command line. Exit codes: 0 success, 2 bad input or usage (with a diagnostic
// on stderr), 1 an internal error.
#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/commands.h"
#include "cli/decode_command.h"
#include "cli/keygen_command.h"
#include "cli/ledger_command.h"

std::string qontos::cli::version_string() {
  return std::string("qontos ") + QONTOS_VERSION + " (commit " + QONTOS_GIT_COMMIT + ")";
}

int main(int argc, char** argv) {
  CLI::App app{"qontos: an open control stack for modular quantum computers"};
  app.require_subcommand(0, 1);
  bool version = false;
  app.add_flag("--version", version, "Print the version and git commit");
  qontos::cli::CompileOptions compile;
  qontos::cli::add_compile_command(app, compile);
  qontos::cli::SubmitCliOptions submit;
  qontos::cli::add_submit_command(app, submit);
  qontos::cli::BackendsCliOptions backends;
  qontos::cli::add_backends_command(app, backends);
  qontos::cli::VerifyCliOptions verify;
  qontos::cli::add_verify_command(app, verify);
  qontos::cli::ReplayCliOptions replay;
  qontos::cli::add_replay_command(app, replay);
  qontos::cli::KeygenCliOptions keygen;
  qontos::cli::add_keygen_command(app, keygen);
  qontos::cli::LedgerCliOptions ledger;
  qontos::cli::add_ledger_command(app, ledger);
  qontos::cli::DecodeCliOptions decode;
  qontos::cli::add_decode_command(app, decode);
  qontos::cli::PulsesCliOptions pulses;
  qontos::cli::add_pulses_command(app, pulses);
  qontos::cli::RtlCliOptions rtl;
  qontos::cli::add_rtl_command(app, rtl);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "qontos: error: " << e.what() << "\nRun 'qontos --help' for usage.\n";
    return 2;
  }
  if (version) {
    std::cout << qontos::cli::version_string() << "\n";
    return 0;
  }
  if (app.got_subcommand("compile")) return qontos::cli::run_compile(compile);
  if (app.got_subcommand("submit")) return qontos::cli::run_submit(submit);
  if (app.got_subcommand("backends")) return qontos::cli::run_backends(backends);
  if (app.got_subcommand("verify")) return qontos::cli::run_verify(verify);
  if (app.got_subcommand("replay")) return qontos::cli::run_replay(replay);
  if (app.got_subcommand("keygen")) return qontos::cli::run_keygen(keygen);
  if (app.got_subcommand("ledger")) return qontos::cli::run_ledger(ledger);
  if (app.got_subcommand("decode")) return qontos::cli::run_decode(decode);
  if (app.got_subcommand("pulses")) return qontos::cli::run_pulses(pulses);
  if (app.got_subcommand("rtl")) return qontos::cli::run_rtl(rtl);
  std::cout << app.help();
  return 0;
}
