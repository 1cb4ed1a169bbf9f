// Reading and writing shots in the QEC ecosystem's result formats (Stim's 01, b8, r8, ptb64, hits
// and dets): detection events and observable flips in, predicted observable flips out. None of the
// formats says how many bits a shot has, so the caller always gives the layout; see
// docs/formats/qec.md for each format's rules.
#pragma once

#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "qec/bit_table.h"

namespace qontos::qec {

enum class ShotFormat { k01, kB8, kR8, kPtb64, kHits, kDets };

/// "01", "b8", "r8", "ptb64", "hits", "dets" (exactly; nullopt for anything else).
std::optional<ShotFormat> parse_shot_format(std::string_view name);
std::string_view shot_format_name(ShotFormat format);

/// Malformed shot data. The message is "origin: shot N: ..." for binary formats (N counts from 0)
/// or "origin:line: ..." for text formats (lines count from 1).
struct ShotFormatError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// What the bits of a shot are: measurements, then detectors, then observables (so detection
/// events with appended observables are {.num_detectors = D, .num_observables = O}). Only dets
/// names the sections (M#, D#, L#); every other format sees bits_per_shot() anonymous bits.
struct ShotLayout {
  std::size_t num_measurements = 0;
  std::size_t num_detectors = 0;
  std::size_t num_observables = 0;
  std::size_t bits_per_shot() const { return num_measurements + num_detectors + num_observables; }
};

struct ShotWriteOptions {
  /// dets only: list L# before D# on each line, as `stim detect --out_format dets` does (it
  /// prepends observables unless asked to append them). The default lists M#, D#, L# in order.
  bool dets_observables_first = false;
};

/// Reads every shot of `data` (the whole file's bytes). `origin` (usually the file name) starts
/// every error message. ptb64 data holds a multiple of 64 shots; b8 and ptb64 with a layout of zero
/// bits cannot tell how many shots they hold and are refused unless empty.
BitTable read_shots(std::string_view data, ShotFormat format, const ShotLayout& layout, const std::string& origin);

/// The bytes of `table` in `format`; table.bits_per_shot() must equal layout.bits_per_shot()
/// (std::invalid_argument otherwise). ptb64 needs a multiple of 64 shots (ShotFormatError
/// otherwise, as Stim refuses too).
std::string write_shots(const BitTable& table, ShotFormat format, const ShotLayout& layout,
                        const ShotWriteOptions& options = {});

}  // namespace qontos::qec
