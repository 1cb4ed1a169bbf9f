#include "cli/decode_command.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <optional>
#include <span>

#include "cli/output.h"
#include "qec/dem.h"
#include "qec/shot_formats.h"
#include "qec/uf_decoder.h"
#include "rtl/rtl_decoder.h"

namespace qontos::cli {

namespace {

void add_shared(CLI::App* cmd, DecodeCliOptions& o) {
  const auto formats = CLI::IsMember({"01", "b8", "r8", "ptb64", "hits", "dets"});
  cmd->add_option("--dem", o.dem, "Detector error model (.dem) of the experiment")->required();
  cmd->add_option("--in", o.in, "Detection events ('-' or absent: standard input)");
  cmd->add_option("--in-format,--in_format", o.in_format, "Format of --in: 01, b8, r8, ptb64, hits, dets")
      ->check(formats);
  cmd->add_flag("--in-includes-appended-observables,--in_includes_appended_observables",
                o.in_includes_appended_observables, "Each shot of --in ends with its observable flips");
  cmd->add_option("--engine", o.engine, "software (the HLS decoder compiled for the host) or rtl (the Verilog)")
      ->check(CLI::IsMember({"software", "rtl"}));
  cmd->add_flag("--latency", o.latency, "With --engine rtl: print the cycle-latency summary");
  cmd->add_option("--budget", o.budget,
                  "With --engine rtl: the decoder's cycle budget; a shot that needs more overruns (default: none)")
      ->check(CLI::Range(1u, 0xFFFFFFFEu));
  cmd->add_option("--rtl-cache,--rtl_cache", o.rtl_cache,
                  "With --engine rtl: where verilated models are kept (default $QONTOS_RTL_CACHE or ~/.cache/qontos/rtl)");
  cmd->add_option("--weight-bits,--weight_bits", o.weight_bits, "Bits of a quantised edge weight (1-16)")
      ->check(CLI::Range(1, 16));
}

}  // namespace

void add_decode_command(CLI::App& app, DecodeCliOptions& o) {
  CLI::App* decode = app.add_subcommand("decode", "Decode detection events with the union-find decoder");
  decode->require_subcommand(1);
  const auto formats = CLI::IsMember({"01", "b8", "r8", "ptb64", "hits", "dets"});
  CLI::App* predict = decode->add_subcommand("predict", "Predict the observable flips of every shot");
  add_shared(predict, o);
  predict->add_option("--out", o.out, "Predictions ('-' or absent: standard output)");
  predict->add_option("--out-format,--out_format", o.out_format, "Format of --out")->check(formats);
  predict->callback([&o] { o.action = "predict"; });
  CLI::App* count = decode->add_subcommand("count-mistakes", "Count shots whose prediction differs from the truth");
  add_shared(count, o);
  count->add_option("--obs-in,--obs_in", o.obs_in, "The observable flips that happened");
  count->add_option("--obs-in-format,--obs_in_format", o.obs_in_format, "Format of --obs-in")->check(formats);
  count->add_flag("--time", o.time, "Also print the decoding time (standard error)");
  count->callback([&o] { o.action = "count-mistakes"; });
}

int run_decode(const DecodeCliOptions& o) {
  return run_reporting_errors(o.dem, [&]() -> int {
    const bool rtl = o.engine == "rtl";
    if (!rtl && (o.latency || o.budget != 0xFFFFFFFFu || !o.rtl_cache.empty()))
      throw std::invalid_argument(std::string(o.latency ? "--latency" : o.rtl_cache.empty() ? "--budget" : "--rtl-cache") +
                                  " needs --engine rtl (cycle counts and budgets belong to the Verilog decoder)");
    if (o.action == "count-mistakes" && o.obs_in.empty() == !o.in_includes_appended_observables)
      throw std::invalid_argument(
          "count-mistakes needs the true observable flips: --obs-in FILE or --in-includes-appended-observables "
          "(exactly one)");
    const qec::DetectorErrorModel model = qec::parse_dem(read_text(o.dem), o.dem);
    qec::DecodingGraphOptions go;
    if (o.weight_bits > 0) go.weight_bits = o.weight_bits;
    const qec::DecodingGraph graph = qec::build_decoding_graph(model, go);
    qec::ShotLayout layout;
    layout.num_detectors = model.num_detectors;
    // dets names its bits (D#, L#), so observables in it are read (and ignored unless asked for)
    // whether or not they were announced.
    const bool named_bits = o.in_format == "dets";
    layout.num_observables = o.in_includes_appended_observables || named_bits ? model.num_observables : 0;
    const std::string in_name = o.in == "-" ? "<stdin>" : o.in;
    const qec::BitTable input = qec::read_shots(read_text(o.in), *qec::parse_shot_format(o.in_format), layout, in_name);
    const qec::BitTable events = layout.num_observables ? input.columns(0, model.num_detectors) : input;

    qec::BitTable predictions;
    double seconds = 0;
    std::optional<sim::LatencySummary> latency;
    if (rtl) {
      sim::RtlDecoderOptions ro;
      ro.cache_dir = o.rtl_cache;
      ro.budget = o.budget;
      ro.on_build = [](const std::string& note) { std::cerr << "qontos decode: " << note << "\n"; };
      const sim::RtlDecoder decoder(graph, ro);
      sim::RtlDecodeResult result = decoder.decode(events);
      seconds = result.simulation_seconds;
      for (std::size_t s = 0; s < result.flags.size(); ++s)
        if (result.flags[s] & sim::kRtlCannotMatch)
          throw qec::DecoderError("shot " + std::to_string(s) +
                                  ": an odd set of detection events has no boundary to match to (the model is not "
                                  "decodable as given)");
      latency = sim::summarise_latency(result);
      predictions = std::move(result.predictions);
      if (latency->overruns) {
        const auto first = std::find_if(result.flags.begin(), result.flags.end(),
                                        [](std::uint8_t f) { return (f & sim::kRtlOverrun) != 0; });
        std::cerr << "qontos decode: " << latency->overruns << " of " << events.num_shots()
                  << " shots overran the budget of " << o.budget << " cycles (first: shot "
                  << (first - result.flags.begin())
                  << "); the decoder marked their results invalid and they are predicted as no flip\n";
      }
    } else {
      qec::UnionFindDecoder decoder(graph);
      const auto start = std::chrono::steady_clock::now();
      predictions = decoder.predict(events);
      seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    }
    // Overruns are reported but do not stop the run: every prediction is still written, and the
    // exit status (1) says that some of them are not the decoder's.
    const int status = latency && latency->overruns ? 1 : 0;
    // The summary goes to standard output unless the predictions do.
    const auto print_latency = [&] {
      if (o.latency && latency)
        (o.action == "predict" && o.out == "-" ? std::cerr : std::cout) << latency->line() << "\n";
    };

    if (o.action == "predict") {
      qec::ShotLayout out_layout;
      out_layout.num_observables = model.num_observables;
      const std::string bytes = qec::write_shots(predictions, *qec::parse_shot_format(o.out_format), out_layout);
      if (!write_output(o.out == "-" ? "" : o.out, bytes)) return 2;
      print_latency();
      return status;
    }
    qec::BitTable truth;
    if (o.in_includes_appended_observables) {
      truth = input.columns(model.num_detectors, model.num_observables);
    } else {
      qec::ShotLayout obs_layout;
      obs_layout.num_observables = model.num_observables;
      truth = qec::read_shots(read_text(o.obs_in), *qec::parse_shot_format(o.obs_in_format), obs_layout, o.obs_in);
      if (truth.num_shots() != events.num_shots())
        throw std::invalid_argument(o.obs_in + " holds " + std::to_string(truth.num_shots()) + " shots but " + in_name +
                                    " holds " + std::to_string(events.num_shots()));
    }
    std::size_t mistakes = 0;
    for (std::size_t s = 0; s < events.num_shots(); ++s) {
      const std::span<const std::uint64_t> a = predictions.row(s), b = truth.row(s);
      bool differ = false;
      for (std::size_t k = 0; k < a.size(); ++k) differ = differ || a[k] != b[k];
      mistakes += differ;
    }
    std::cout << mistakes << " / " << events.num_shots() << "\n";
    print_latency();
    if (o.time) {
      const double per_shot_us = events.num_shots() ? seconds * 1e6 / static_cast<double>(events.num_shots()) : 0;
      std::fprintf(stderr, "decoding time%s: %.3f s (%.3f us per shot)\n", rtl ? " (Verilator simulation)" : "",
                   seconds, per_shot_us);
    }
    return status;
  });
}

}  // namespace qontos::cli
