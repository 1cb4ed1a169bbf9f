// parse_dem: a line parser that builds a tree of instructions (repeat blocks holding their
// bodies), then an interpreter that walks it with the detector and coordinate offsets Stim's
// semantics describe, emitting errors over absolute detector indices.
#include "qec/dem.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <optional>

namespace qontos::qec {
namespace {

struct Target {
  enum class Kind { kDetector, kObservable, kNumber, kSeparator };
  Kind kind = Kind::kNumber;
  std::uint64_t value = 0;
  std::string_view text;  // as written, for messages (views the caller's text)
};

struct Instruction {
  std::string name;  // lower case
  std::string tag;
  std::vector<double> arguments;
  std::vector<Target> targets;
  std::size_t line = 0;
  std::vector<Instruction> body;  // a repeat block's instructions
};

std::string quoted(std::string_view text) {
  constexpr std::size_t kShown = 40;
  return "'" + std::string(text.substr(0, kShown)) + (text.size() > kShown ? "...'" : "'");
}

std::string format_number(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%g", value);
  return buffer;
}

bool is_space(char c) {
  return c == ' ' || c == '\t';
}
bool is_letter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

std::optional<std::uint64_t> parse_unsigned(std::string_view text) {
  if (text.empty() || !std::all_of(text.begin(), text.end(), is_digit)) return std::nullopt;
  std::uint64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;  // overflow
  return value;
}

/// Splits one line into an instruction. Returns false for a blank or comment-only line; sets
/// closes_block for `}`.
class LineParser {
 public:
  LineParser(std::string_view text, std::size_t line, const std::string& origin)
      : text_(text), line_(line), origin_(origin) {}

  [[noreturn]] void fail(const std::string& message) const { throw DemError(origin_, line_, message); }

  enum class Kind { kBlank, kInstruction, kBlockEnd };
  Kind parse(Instruction& out, bool& opens_block) {
    opens_block = false;
    skip_spaces();
    if (at_end_or_comment()) return Kind::kBlank;
    if (text_[pos_] == '}') {
      ++pos_;
      skip_spaces();
      if (!at_end_or_comment()) fail("unexpected " + quoted(text_.substr(pos_)) + " after '}'");
      return Kind::kBlockEnd;
    }
    if (!is_letter(text_[pos_])) fail("expected an instruction, got " + quoted(text_.substr(pos_)));
    const std::size_t name_start = pos_;
    while (pos_ < text_.size() && (is_letter(text_[pos_]) || is_digit(text_[pos_]) || text_[pos_] == '_')) ++pos_;
    out.name.assign(text_.substr(name_start, pos_ - name_start));
    for (char& c : out.name) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    out.line = line_;
    if (pos_ < text_.size() && text_[pos_] == '[') {
      const std::size_t close = text_.find(']', pos_);
      if (close == std::string_view::npos) fail("tag '[' is never closed with ']'");
      out.tag.assign(text_.substr(pos_ + 1, close - pos_ - 1));
      pos_ = close + 1;
    }
    const std::size_t before_spaces = pos_;
    skip_spaces();
    if (pos_ < text_.size() && text_[pos_] == '(') {
      parse_arguments(out.arguments);
    } else {
      pos_ = before_spaces;  // the spaces separate the first target
    }
    parse_targets(out.targets, opens_block);
    return Kind::kInstruction;
  }

 private:
  void skip_spaces() {
    while (pos_ < text_.size() && is_space(text_[pos_])) ++pos_;
  }
  bool at_end_or_comment() const { return pos_ == text_.size() || text_[pos_] == '#'; }

  void parse_arguments(std::vector<double>& arguments) {
    const std::size_t close = text_.find(')', pos_);
    if (close == std::string_view::npos) fail("'(' is never closed with ')'");
    std::string_view list = text_.substr(pos_ + 1, close - pos_ - 1);
    pos_ = close + 1;
    if (std::all_of(list.begin(), list.end(), is_space)) return;  // "()" holds no argument
    while (true) {
      const std::size_t comma = std::min(list.find(','), list.size());
      std::string_view field = list.substr(0, comma);
      while (!field.empty() && is_space(field.front())) field.remove_prefix(1);
      while (!field.empty() && is_space(field.back())) field.remove_suffix(1);
      double value = 0;
      const auto [end, error] = std::from_chars(field.data(), field.data() + field.size(), value);
      if (field.empty() || error != std::errc() || end != field.data() + field.size())
        fail("expected a number as argument, got " + quoted(field));
      if (!std::isfinite(value)) fail("argument " + quoted(field) + " is not a finite number");
      arguments.push_back(value);
      if (comma == list.size()) break;
      list.remove_prefix(comma + 1);
    }
  }

  void parse_targets(std::vector<Target>& targets, bool& opens_block) {
    while (true) {
      const bool separated = pos_ < text_.size() && is_space(text_[pos_]);
      skip_spaces();
      if (at_end_or_comment()) return;
      if (text_[pos_] == '{') {
        opens_block = true;
        ++pos_;
        skip_spaces();
        if (!at_end_or_comment()) fail("unexpected " + quoted(text_.substr(pos_)) + " after '{'");
        return;
      }
      const std::size_t start = pos_;
      while (pos_ < text_.size() && !is_space(text_[pos_]) && text_[pos_] != '#' && text_[pos_] != '{') ++pos_;
      const std::string_view token = text_.substr(start, pos_ - start);
      if (!separated) fail("expected a space before target " + quoted(token));
      targets.push_back(parse_target(token));
    }
  }

  Target parse_target(std::string_view token) const {
    Target target;
    target.text = token;
    if (token == "^") {
      target.kind = Target::Kind::kSeparator;
      return target;
    }
    std::string_view digits = token;
    if (token.front() == 'D' || token.front() == 'L') {
      target.kind = token.front() == 'D' ? Target::Kind::kDetector : Target::Kind::kObservable;
      digits.remove_prefix(1);
    }
    const auto value = parse_unsigned(digits);
    if (!value) fail("bad target " + quoted(token) + " (expected D#, L#, ^ or a number)");
    target.value = *value;
    return target;
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  std::size_t line_;
  const std::string& origin_;
};

std::vector<Instruction> parse_tree(std::string_view text, const std::string& origin) {
  std::vector<Instruction> top;
  std::vector<Instruction*> open_blocks;  // the repeat instructions whose '}' is still to come
  std::size_t line_number = 0;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    start = end + 1;
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);

    LineParser parser(line, line_number, origin);
    Instruction instruction;
    bool opens_block = false;
    const auto kind = parser.parse(instruction, opens_block);
    if (kind == LineParser::Kind::kBlank) continue;
    if (kind == LineParser::Kind::kBlockEnd) {
      if (open_blocks.empty()) parser.fail("'}' closes no block");
      open_blocks.pop_back();
      continue;
    }
    if (instruction.name == "repeat" && !opens_block) parser.fail("repeat needs its block: 'repeat N {'");
    if (instruction.name != "repeat" && opens_block)
      parser.fail("only repeat opens a block; " + instruction.name + " cannot");
    std::vector<Instruction>& into = open_blocks.empty() ? top : open_blocks.back()->body;
    into.push_back(std::move(instruction));
    if (opens_block) open_blocks.push_back(&into.back());  // into is not touched again until '}'
  }
  if (!open_blocks.empty())
    throw DemError(origin, open_blocks.back()->line, "repeat block is never closed (missing '}')");
  return top;
}

/// Sorts and drops values that appear an even number of times (XOR semantics of targets).
void cancel_pairs(std::vector<std::uint32_t>& values) {
  std::sort(values.begin(), values.end());
  std::vector<std::uint32_t> kept;
  for (std::size_t k = 0; k < values.size();) {
    std::size_t same = k;
    while (same < values.size() && values[same] == values[k]) ++same;
    if ((same - k) % 2 == 1) kept.push_back(values[k]);
    k = same;
  }
  values = std::move(kept);
}

class Interpreter {
 public:
  explicit Interpreter(DetectorErrorModel& model) : model_(model) {}

  void run(const std::vector<Instruction>& instructions) {
    for (const Instruction& instruction : instructions) execute(instruction);
  }

  void finish() {
    model_.num_detectors = static_cast<std::uint32_t>(detector_count_);
    model_.num_observables = static_cast<std::uint32_t>(observable_count_);
    model_.detector_coordinates.assign(detector_count_, {});
    for (auto& [detector, coordinates] : declared_) model_.detector_coordinates[detector] = std::move(coordinates);
  }

 private:
  [[noreturn]] void fail(const Instruction& instruction, const std::string& message) const {
    throw DemError(model_.origin, instruction.line, message);
  }

  void count_step(const Instruction& instruction) {
    if (++steps_ > kMaxUnrolledSteps) fail(instruction, "the model unrolls into too many instructions");
  }

  std::uint32_t absolute_detector(const Instruction& instruction, const Target& target) {
    const std::uint64_t absolute = detector_offset_ + target.value;
    if (target.value >= kMaxDetectors || absolute >= kMaxDetectors)
      fail(instruction, "detector " + std::to_string(absolute) + " (" + std::string(target.text) +
                            " after shifts) is beyond the supported " + std::to_string(kMaxDetectors));
    detector_count_ = std::max(detector_count_, absolute + 1);
    return static_cast<std::uint32_t>(absolute);
  }

  std::uint32_t observable(const Instruction& instruction, const Target& target) {
    if (target.value >= kMaxObservables)
      fail(instruction,
           "observable " + std::string(target.text) + " is beyond the supported " + std::to_string(kMaxObservables));
    observable_count_ = std::max(observable_count_, target.value + 1);
    return static_cast<std::uint32_t>(target.value);
  }

  void expect_targets(const Instruction& instruction, Target::Kind kind, const char* expected) const {
    for (const Target& target : instruction.targets)
      if (target.kind != kind)
        fail(instruction, instruction.name + " takes " + expected + " targets, got " + quoted(target.text));
  }

  void execute(const Instruction& instruction) {
    count_step(instruction);
    const std::string& name = instruction.name;
    if (name == "error") return execute_error(instruction);
    if (name == "detector") return execute_detector(instruction);
    if (name == "logical_observable") {
      if (!instruction.arguments.empty()) fail(instruction, "logical_observable takes no arguments");
      expect_targets(instruction, Target::Kind::kObservable, "L#");
      for (const Target& target : instruction.targets) observable(instruction, target);
      return;
    }
    if (name == "shift_detectors") return execute_shift(instruction);
    if (name == "repeat") return execute_repeat(instruction);
    fail(instruction, "unknown instruction " + quoted(name) +
                          " (expected error, detector, logical_observable, shift_detectors or repeat)");
  }

  void execute_error(const Instruction& instruction) {
    if (instruction.arguments.size() != 1)
      fail(instruction,
           "error takes one argument, its probability; got " + std::to_string(instruction.arguments.size()));
    const double probability = instruction.arguments[0];
    if (!(probability >= 0 && probability <= 1))
      fail(instruction, "probability " + format_number(probability) + " is outside [0, 1]");
    if (model_.errors.size() >= kMaxUnrolledErrors)
      fail(instruction, "the model unrolls into more than " + std::to_string(kMaxUnrolledErrors) + " errors");
    DemErrorMechanism error;
    error.probability = probability;
    error.line = instruction.line;
    error.tag = instruction.tag;
    error.components.emplace_back();
    for (std::size_t k = 0; k < instruction.targets.size(); ++k) {
      const Target& target = instruction.targets[k];
      switch (target.kind) {
        case Target::Kind::kDetector:
          error.components.back().detectors.push_back(absolute_detector(instruction, target));
          break;
        case Target::Kind::kObservable:
          error.components.back().observables.push_back(observable(instruction, target));
          break;
        case Target::Kind::kSeparator:
          if (k == 0 || k + 1 == instruction.targets.size() ||
              instruction.targets[k + 1].kind == Target::Kind::kSeparator)
            fail(instruction, "'^' must stand between two non-empty components");
          error.components.emplace_back();
          break;
        case Target::Kind::kNumber:
          fail(instruction, "error takes D#, L# and ^ targets, got " + quoted(target.text));
      }
    }
    for (DemErrorComponent& component : error.components) {
      cancel_pairs(component.detectors);
      cancel_pairs(component.observables);
    }
    model_.errors.push_back(std::move(error));
  }

  void execute_detector(const Instruction& instruction) {
    if (instruction.targets.empty()) fail(instruction, "detector needs at least one D# target");
    expect_targets(instruction, Target::Kind::kDetector, "D#");
    // Coordinates are relative to the offset; an offset longer than the detector's coordinates
    // only applies to as many as the detector has.
    std::vector<double> coordinates = instruction.arguments;
    for (std::size_t k = 0; k < coordinates.size() && k < coordinate_offset_.size(); ++k)
      coordinates[k] += coordinate_offset_[k];
    for (const Target& target : instruction.targets)
      declared_.emplace_back(absolute_detector(instruction, target), coordinates);
  }

  void execute_shift(const Instruction& instruction) {
    if (instruction.targets.size() != 1 || instruction.targets[0].kind != Target::Kind::kNumber)
      fail(instruction, "shift_detectors takes one number target, the detector shift");
    detector_offset_ += instruction.targets[0].value;
    if (instruction.targets[0].value >= kMaxDetectors || detector_offset_ >= kMaxDetectors)
      fail(instruction, "detector offset " + std::to_string(detector_offset_) + " is beyond the supported " +
                            std::to_string(kMaxDetectors));
    if (coordinate_offset_.size() < instruction.arguments.size())
      coordinate_offset_.resize(instruction.arguments.size());
    for (std::size_t k = 0; k < instruction.arguments.size(); ++k) coordinate_offset_[k] += instruction.arguments[k];
  }

  void execute_repeat(const Instruction& instruction) {
    if (!instruction.arguments.empty()) fail(instruction, "repeat takes no arguments");
    if (instruction.targets.size() != 1 || instruction.targets[0].kind != Target::Kind::kNumber)
      fail(instruction, "repeat takes one number target, the repetition count");
    const std::uint64_t count = instruction.targets[0].value;
    if (count == 0) fail(instruction, "repeat 0 is not allowed");
    for (std::uint64_t k = 0; k < count; ++k) {
      count_step(instruction);
      run(instruction.body);
    }
  }

  DetectorErrorModel& model_;
  std::uint64_t detector_offset_ = 0;
  std::vector<double> coordinate_offset_;
  std::uint64_t detector_count_ = 0;
  std::uint64_t observable_count_ = 0;
  std::uint64_t steps_ = 0;
  std::vector<std::pair<std::uint32_t, std::vector<double>>> declared_;  // in declaration order
};

std::vector<std::uint32_t> symmetric_difference_over(const DemErrorMechanism& error,
                                                     std::vector<std::uint32_t> DemErrorComponent::*member) {
  std::vector<std::uint32_t> all;
  for (const DemErrorComponent& component : error.components)
    all.insert(all.end(), (component.*member).begin(), (component.*member).end());
  cancel_pairs(all);
  return all;
}

}  // namespace

DetectorErrorModel parse_dem(std::string_view text, const std::string& origin) {
  DetectorErrorModel model;
  model.origin = origin;
  const std::vector<Instruction> tree = parse_tree(text, origin);
  Interpreter interpreter(model);
  interpreter.run(tree);
  interpreter.finish();
  return model;
}

std::vector<std::uint32_t> flipped_detectors(const DemErrorMechanism& error) {
  return symmetric_difference_over(error, &DemErrorComponent::detectors);
}

std::vector<std::uint32_t> flipped_observables(const DemErrorMechanism& error) {
  return symmetric_difference_over(error, &DemErrorComponent::observables);
}

}  // namespace qontos::qec
