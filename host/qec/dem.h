// Detector error models (Stim's .dem text): the error mechanisms a decoder is built from. Parsing
// unrolls repeat blocks and applies shift_detectors, so the result is a flat list of errors over
// absolute detector indices, each with its suggested decomposition (the `^`-separated components)
// and the source line it came from, and the coordinates of every declared detector.
#pragma once

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace qontos::qec {

/// A malformed model, or one a consumer cannot use: "origin:line: message".
struct DemError : std::runtime_error {
  DemError(const std::string& origin, std::size_t source_line, const std::string& message)
      : std::runtime_error(origin + ":" + std::to_string(source_line) + ": " + message),
        line(source_line),
        reason(message) {}
  std::size_t line;
  std::string reason;  // the message without origin and line
};

/// One `^`-separated part of an error: the detectors it flips and the observables it changes,
/// ascending, each listed once (a target named twice within a component cancels out).
struct DemErrorComponent {
  std::vector<std::uint32_t> detectors;
  std::vector<std::uint32_t> observables;
};

struct DemErrorMechanism {
  double probability = 0;
  std::vector<DemErrorComponent> components;  // one when the line has no `^`
  std::size_t line = 0;                       // where the `error` instruction is
  std::string tag;                            // the `[...]` of `error[tag](p)`, empty if none
};

struct DetectorErrorModel {
  std::string origin;                     // the name errors about this model start with
  std::uint32_t num_detectors = 0;        // one more than the largest detector mentioned or declared
  std::uint32_t num_observables = 0;      // one more than the largest observable mentioned or declared
  std::vector<DemErrorMechanism> errors;  // in file order, repeat blocks unrolled
  /// Absolute coordinates of each detector (offsets from shift_detectors applied); empty for a
  /// detector never declared with coordinates. Size num_detectors.
  std::vector<std::vector<double>> detector_coordinates;
};

/// Detector indices must stay below this (2^24, 16.7M: a 1000-round distance-49 surface code
/// memory has under 1.2M), so a typo like D99999999999 fails instead of allocating for it.
inline constexpr std::uint64_t kMaxDetectors = std::uint64_t{1} << 24;
/// The same guard for observables.
inline constexpr std::uint64_t kMaxObservables = std::uint64_t{1} << 24;
/// Errors after unrolling repeat blocks (a 1000-round distance-25 memory has about 6M), and
/// instructions executed while unrolling, so `repeat 1000000000 { ... }` fails in well under a
/// second instead of running for minutes.
inline constexpr std::uint64_t kMaxUnrolledErrors = std::uint64_t{1} << 24;
inline constexpr std::uint64_t kMaxUnrolledSteps = std::uint64_t{1} << 25;

/// Parses .dem text. Accepts what Stim's format allows: `#` comments, blank lines, indentation,
/// case-insensitive instruction names, `name[tag](args)` tags, `error`, `detector`,
/// `logical_observable`, `shift_detectors` and nested `repeat N { ... }` blocks. Throws DemError
/// naming `origin` and the line for anything else (unknown instruction, probability outside
/// [0, 1], wrong targets or arguments, unbalanced braces).
DetectorErrorModel parse_dem(std::string_view text, const std::string& origin);

/// The detectors an error flips in all: the symmetric difference of its components' detectors.
std::vector<std::uint32_t> flipped_detectors(const DemErrorMechanism& error);
/// The observables an error changes in all (symmetric difference over components).
std::vector<std::uint32_t> flipped_observables(const DemErrorMechanism& error);

}  // namespace qontos::qec
