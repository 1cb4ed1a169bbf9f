// The six result formats, each a reader and a writer over BitTable. Readers are strict: they name
// the shot (binary formats) or line (text formats) of the first thing that does not fit the layout,
// so a wrong detector count shows up as an error rather than as silently shifted bits.
#include "qec/shot_formats.h"

#include <algorithm>
#include <bit>
#include <charconv>
#include <cstdint>
#include <stdexcept>

namespace qontos::qec {
namespace {

[[noreturn]] void fail_at_shot(const std::string& origin, std::size_t shot, const std::string& message) {
  throw ShotFormatError(origin + ": shot " + std::to_string(shot) + ": " + message);
}

[[noreturn]] void fail_at_line(const std::string& origin, std::size_t line, const std::string& message) {
  throw ShotFormatError(origin + ":" + std::to_string(line) + ": " + message);
}

std::string quoted(std::string_view text) {
  constexpr std::size_t kShown = 40;  // enough to recognise a token without flooding the message
  return "'" + std::string(text.substr(0, kShown)) + (text.size() > kShown ? "...'" : "'");
}

/// Calls visit(line_text, line_number) for every line: each '\n'-terminated line, then a final
/// unterminated line if it is not empty. A '\r' before the '\n' is dropped (files from Windows).
template <typename Visit>
void for_each_line(std::string_view data, Visit&& visit) {
  std::size_t line_number = 0;
  std::size_t start = 0;
  while (start < data.size()) {
    std::size_t end = data.find('\n', start);
    const bool terminated = end != std::string_view::npos;
    if (!terminated) end = data.size();
    std::string_view line = data.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    visit(line, ++line_number);
    start = terminated ? end + 1 : end;
  }
}

/// A non-negative decimal integer filling all of `text`, or nullopt.
std::optional<std::size_t> parse_index(std::string_view text) {
  if (text.empty()) return std::nullopt;
  std::size_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

void append_number(std::string& out, std::size_t value) {
  char buffer[24];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  out.append(buffer, result.ptr);
}

std::uint64_t load_little_endian_64(const unsigned char* bytes) {
  std::uint64_t value = 0;
  for (int k = 7; k >= 0; --k) value = (value << 8) | bytes[k];
  return value;
}

// ---- 01: one line per shot, one '0' or '1' per bit ----

BitTable read_01(std::string_view data, std::size_t bits, const std::string& origin) {
  BitTable table(0, bits);
  for_each_line(data, [&](std::string_view line, std::size_t line_number) {
    if (line.size() != bits)
      fail_at_line(origin, line_number,
                   "expected " + std::to_string(bits) + " bits ('0' or '1'), got " + std::to_string(line.size()));
    const std::size_t shot = table.append_shot();
    auto row = table.row(shot);
    for (std::size_t k = 0; k < bits; ++k) {
      const char c = line[k];
      if (c == '1') {
        row[k / 64] |= std::uint64_t{1} << (k % 64);
      } else if (c != '0') {
        fail_at_line(origin, line_number,
                     "column " + std::to_string(k + 1) + ": expected '0' or '1', got " + quoted(line.substr(k, 1)));
      }
    }
  });
  return table;
}

void write_01(const BitTable& table, std::string& out) {
  out.reserve(table.num_shots() * (table.bits_per_shot() + 1));
  for (std::size_t shot = 0; shot < table.num_shots(); ++shot) {
    for (std::size_t k = 0; k < table.bits_per_shot(); ++k) out.push_back(table.get(shot, k) ? '1' : '0');
    out.push_back('\n');
  }
}

// ---- b8: ceil(bits / 8) bytes per shot, least significant bit first ----

BitTable read_b8(std::string_view data, std::size_t bits, const std::string& origin) {
  const std::size_t bytes_per_shot = (bits + 7) / 8;
  if (bytes_per_shot == 0) {
    if (!data.empty()) fail_at_shot(origin, 0, "b8 data for shots of zero bits must be empty");
    return BitTable(0, 0);
  }
  const std::size_t num_shots = data.size() / bytes_per_shot;
  if (data.size() % bytes_per_shot != 0)
    fail_at_shot(origin, num_shots,
                 "truncated: " + std::to_string(data.size() % bytes_per_shot) + " of its " +
                     std::to_string(bytes_per_shot) + " bytes (" + std::to_string(bits) +
                     " bits per shot; is that the right count?)");
  BitTable table(num_shots, bits);
  const auto* bytes = reinterpret_cast<const unsigned char*>(data.data());
  const unsigned padding_mask = bits % 8 == 0 ? 0u : (0xFFu << (bits % 8)) & 0xFFu;
  for (std::size_t shot = 0; shot < num_shots; ++shot) {
    const unsigned char* source = bytes + shot * bytes_per_shot;
    if ((source[bytes_per_shot - 1] & padding_mask) != 0)
      fail_at_shot(origin, shot,
                   "padding bits after bit " + std::to_string(bits - 1) + " are set (" + std::to_string(bits) +
                       " bits per shot; is that the right count?)");
    auto row = table.row(shot);
    for (std::size_t k = 0; k < bytes_per_shot; ++k) row[k / 8] |= std::uint64_t{source[k]} << (8 * (k % 8));
  }
  return table;
}

void write_b8(const BitTable& table, std::string& out) {
  const std::size_t bytes_per_shot = (table.bits_per_shot() + 7) / 8;
  out.reserve(table.num_shots() * bytes_per_shot);
  for (std::size_t shot = 0; shot < table.num_shots(); ++shot) {
    const auto row = table.row(shot);
    for (std::size_t k = 0; k < bytes_per_shot; ++k)
      out.push_back(static_cast<char>((row[k / 8] >> (8 * (k % 8))) & 0xFF));
  }
}

// ---- r8: run lengths of zeros before each one; 255 = 255 zeros and no one; each shot ends with a
// one just past its last bit ----

BitTable read_r8(std::string_view data, std::size_t bits, const std::string& origin) {
  BitTable table(0, bits);
  std::size_t position = 0;  // next bit of the current shot; bits is where its terminating one goes
  bool in_shot = false;
  for (std::size_t offset = 0; offset < data.size(); ++offset) {
    const unsigned run = static_cast<unsigned char>(data[offset]);
    if (!in_shot) {
      table.append_shot();
      in_shot = true;
      position = 0;
    }
    const std::size_t shot = table.num_shots() - 1;
    position += run;
    if (position > bits)
      fail_at_shot(origin, shot,
                   "a run of " + std::to_string(run) + " zeros (byte " + std::to_string(offset) + ") goes past the " +
                       std::to_string(bits) + "-bit shot (is that the right count?)");
    if (run == 255) continue;  // 255 zeros, no one after them
    if (position == bits) {
      in_shot = false;  // the terminating one: the shot is complete
    } else {
      table.set(shot, position, true);
      ++position;
    }
  }
  if (in_shot) fail_at_shot(origin, table.num_shots() - 1, "data ends inside the shot (truncated r8 data)");
  return table;
}

void write_r8(const BitTable& table, std::string& out) {
  for (std::size_t shot = 0; shot < table.num_shots(); ++shot) {
    std::size_t next = 0;  // first bit not yet encoded
    auto emit_gap_then_one = [&](std::size_t one_at) {
      std::size_t gap = one_at - next;
      for (; gap >= 255; gap -= 255) out.push_back(static_cast<char>(255));
      out.push_back(static_cast<char>(gap));
      next = one_at + 1;
    };
    for (std::size_t bit : table.set_bits(shot)) emit_gap_then_one(bit);
    emit_gap_then_one(table.bits_per_shot());  // the terminating one past the end
  }
}

// ---- ptb64: groups of 64 shots; per bit one little-endian 64-bit word whose bit s is shot s ----

BitTable read_ptb64(std::string_view data, std::size_t bits, const std::string& origin) {
  if (bits == 0) {
    if (!data.empty()) fail_at_shot(origin, 0, "ptb64 data for shots of zero bits must be empty");
    return BitTable(0, 0);
  }
  const std::size_t group_bytes = 8 * bits;
  const std::size_t num_groups = data.size() / group_bytes;
  if (data.size() % group_bytes != 0)
    fail_at_shot(origin, num_groups * 64,
                 "truncated: ptb64 data of " + std::to_string(data.size()) +
                     " bytes is not a whole number of 64-shot groups of " + std::to_string(group_bytes) + " bytes (" +
                     std::to_string(bits) + " bits per shot; is that the right count?)");
  BitTable table(num_groups * 64, bits);
  const auto* bytes = reinterpret_cast<const unsigned char*>(data.data());
  for (std::size_t group = 0; group < num_groups; ++group) {
    for (std::size_t bit = 0; bit < bits; ++bit) {
      std::uint64_t word = load_little_endian_64(bytes + (group * bits + bit) * 8);
      for (; word != 0; word &= word - 1) table.set(group * 64 + std::countr_zero(word), bit, true);
    }
  }
  return table;
}

void write_ptb64(const BitTable& table, std::string& out) {
  if (table.num_shots() % 64 != 0)
    throw ShotFormatError("ptb64 needs a multiple of 64 shots; there are " + std::to_string(table.num_shots()));
  const std::size_t bits = table.bits_per_shot();
  out.reserve(table.num_shots() * bits / 8);
  for (std::size_t first_shot = 0; first_shot < table.num_shots(); first_shot += 64) {
    for (std::size_t bit = 0; bit < bits; ++bit) {
      std::uint64_t word = 0;
      for (std::size_t s = 0; s < 64; ++s) word |= std::uint64_t{table.get(first_shot + s, bit)} << s;
      for (int k = 0; k < 8; ++k) out.push_back(static_cast<char>((word >> (8 * k)) & 0xFF));
    }
  }
}

// ---- hits: one line per shot, the indices of its set bits separated by commas ----

BitTable read_hits(std::string_view data, std::size_t bits, const std::string& origin) {
  BitTable table(0, bits);
  for_each_line(data, [&](std::string_view line, std::size_t line_number) {
    const std::size_t shot = table.append_shot();
    if (line.empty()) return;  // a shot with no set bit
    std::size_t start = 0;
    while (true) {
      const std::size_t comma = std::min(line.find(',', start), line.size());
      const std::string_view field = line.substr(start, comma - start);
      const auto index = parse_index(field);
      if (!index) fail_at_line(origin, line_number, "expected a bit index, got " + quoted(field));
      if (*index >= bits)
        fail_at_line(origin, line_number,
                     "bit index " + std::string(field) + " is outside the " + std::to_string(bits) + "-bit shot");
      table.set(shot, *index, true);
      if (comma == line.size()) break;
      start = comma + 1;
    }
  });
  return table;
}

void write_hits(const BitTable& table, std::string& out) {
  for (std::size_t shot = 0; shot < table.num_shots(); ++shot) {
    bool first = true;
    for (std::size_t bit : table.set_bits(shot)) {
      if (!first) out.push_back(',');
      first = false;
      append_number(out, bit);
    }
    out.push_back('\n');
  }
}

// ---- dets: "shot" then M#, D#, L# for each set bit, one line per shot ----

BitTable read_dets(std::string_view data, const ShotLayout& layout, const std::string& origin) {
  BitTable table(0, layout.bits_per_shot());
  for_each_line(data, [&](std::string_view line, std::size_t line_number) {
    auto is_space = [](char c) { return c == ' ' || c == '\t'; };
    std::size_t position = 0;
    auto skip_spaces = [&] {
      while (position < line.size() && is_space(line[position])) ++position;
    };
    skip_spaces();
    if (position == line.size()) return;  // blank lines separate nothing and are not shots
    if (line.substr(position, 4) != "shot" || (position + 4 < line.size() && !is_space(line[position + 4])))
      fail_at_line(origin, line_number, "expected a line starting with 'shot', got " + quoted(line.substr(position)));
    position += 4;
    const std::size_t shot = table.append_shot();
    while (true) {
      skip_spaces();
      if (position == line.size()) break;
      const std::size_t end = std::min(line.find_first_of(" \t", position), line.size());
      const std::string_view token = line.substr(position, end - position);
      position = end;
      const auto index = parse_index(token.substr(1));
      std::size_t first = 0;
      std::size_t count = 0;
      const char* what = nullptr;
      switch (token[0]) {
        case 'M':
          first = 0, count = layout.num_measurements, what = " measurements";
          break;
        case 'D':
          first = layout.num_measurements, count = layout.num_detectors, what = " detectors";
          break;
        case 'L':
          first = layout.num_measurements + layout.num_detectors, count = layout.num_observables, what = " observables";
          break;
        default:
          break;
      }
      if (what == nullptr || !index)
        fail_at_line(origin, line_number, "expected M#, D# or L# (a prefix and an index), got " + quoted(token));
      if (*index >= count)
        fail_at_line(origin, line_number,
                     std::string(token) + " is outside the " + std::to_string(count) + std::string(what));
      table.set(shot, first + *index, true);
    }
  });
  return table;
}

void write_dets(const BitTable& table, const ShotLayout& layout, const ShotWriteOptions& options, std::string& out) {
  struct Section {
    char prefix;
    std::size_t first;
    std::size_t count;
  };
  const Section measurements{'M', 0, layout.num_measurements};
  const Section detectors{'D', layout.num_measurements, layout.num_detectors};
  const Section observables{'L', layout.num_measurements + layout.num_detectors, layout.num_observables};
  const Section order[3] = {measurements, options.dets_observables_first ? observables : detectors,
                            options.dets_observables_first ? detectors : observables};
  for (std::size_t shot = 0; shot < table.num_shots(); ++shot) {
    out += "shot";
    const std::vector<std::size_t> set = table.set_bits(shot);
    for (const Section& section : order) {
      // set is ascending, so each section's bits are one contiguous stretch of it.
      auto it = std::lower_bound(set.begin(), set.end(), section.first);
      for (; it != set.end() && *it < section.first + section.count; ++it) {
        out.push_back(' ');
        out.push_back(section.prefix);
        append_number(out, *it - section.first);
      }
    }
    out.push_back('\n');
  }
}

}  // namespace

std::optional<ShotFormat> parse_shot_format(std::string_view name) {
  for (ShotFormat format :
       {ShotFormat::k01, ShotFormat::kB8, ShotFormat::kR8, ShotFormat::kPtb64, ShotFormat::kHits, ShotFormat::kDets})
    if (shot_format_name(format) == name) return format;
  return std::nullopt;
}

std::string_view shot_format_name(ShotFormat format) {
  switch (format) {
    case ShotFormat::k01:
      return "01";
    case ShotFormat::kB8:
      return "b8";
    case ShotFormat::kR8:
      return "r8";
    case ShotFormat::kPtb64:
      return "ptb64";
    case ShotFormat::kHits:
      return "hits";
    case ShotFormat::kDets:
      return "dets";
  }
  return "?";
}

BitTable read_shots(std::string_view data, ShotFormat format, const ShotLayout& layout, const std::string& origin) {
  const std::size_t bits = layout.bits_per_shot();
  switch (format) {
    case ShotFormat::k01:
      return read_01(data, bits, origin);
    case ShotFormat::kB8:
      return read_b8(data, bits, origin);
    case ShotFormat::kR8:
      return read_r8(data, bits, origin);
    case ShotFormat::kPtb64:
      return read_ptb64(data, bits, origin);
    case ShotFormat::kHits:
      return read_hits(data, bits, origin);
    case ShotFormat::kDets:
      return read_dets(data, layout, origin);
  }
  throw std::invalid_argument("read_shots: unknown format");
}

std::string write_shots(const BitTable& table, ShotFormat format, const ShotLayout& layout,
                        const ShotWriteOptions& options) {
  if (table.bits_per_shot() != layout.bits_per_shot())
    throw std::invalid_argument("write_shots: the table has " + std::to_string(table.bits_per_shot()) +
                                " bits per shot, the layout " + std::to_string(layout.bits_per_shot()));
  std::string out;
  switch (format) {
    case ShotFormat::k01:
      write_01(table, out);
      break;
    case ShotFormat::kB8:
      write_b8(table, out);
      break;
    case ShotFormat::kR8:
      write_r8(table, out);
      break;
    case ShotFormat::kPtb64:
      write_ptb64(table, out);
      break;
    case ShotFormat::kHits:
      write_hits(table, out);
      break;
    case ShotFormat::kDets:
      write_dets(table, layout, options, out);
      break;
  }
  return out;
}

}  // namespace qontos::qec
