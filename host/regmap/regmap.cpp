// Reads the register map (board/regmap.json) strictly: every key known, every value typed and in
// range, no two registers at one address, no two fields on one bit, names usable as identifiers
// in Verilog and C++. Errors name the file and the JSON path: "regmap.json: blocks[1].registers[3]
// .fields[0].bits: 35:32 is beyond bit 31".
#include "regmap/regmap.h"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <initializer_list>
#include <map>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

namespace qontos::regmap {
namespace {

using nlohmann::json;

// Names that would not compile as a C++ namespace or a Verilog port once lowercased.
const std::set<std::string, std::less<>> kReservedWords = {
    "alignas", "alignof", "always", "and", "asm", "assign", "auto", "begin", "bool", "break", "case", "catch",
    "char", "class", "const", "continue", "default", "delete", "do", "double", "else", "end", "enum",
    "explicit", "export", "extern", "false", "float", "for", "friend", "function", "generate", "goto", "if",
    "initial", "inline", "input", "int", "integer", "long", "module", "mutable", "namespace", "new", "not",
    "operator", "or", "output", "parameter", "private", "protected", "public", "reg", "register", "return",
    "short", "signed", "sizeof", "static", "struct", "switch", "task", "template", "this", "throw", "true",
    "try", "typedef", "typename", "union", "unsigned", "using", "virtual", "void", "volatile", "wire",
    "while", "xor"};

std::string join(const std::string& path, std::string_view key) {
  return path.empty() ? std::string(key) : path + "." + std::string(key);
}
std::string index(const std::string& path, std::size_t i) { return path + "[" + std::to_string(i) + "]"; }

class Reader {
 public:
  explicit Reader(std::string origin) : origin_(std::move(origin)) {}

  [[noreturn]] void fail(const std::string& path, const std::string& problem) const {
    throw RegmapError(origin_ + ": " + (path.empty() ? "document" : path) + ": " + problem);
  }
  void object(const json& v, const std::string& path, std::initializer_list<std::string_view> allowed) const {
    if (!v.is_object()) fail(path, "must be a JSON object");
    for (const auto& item : v.items())
      if (std::find(allowed.begin(), allowed.end(), item.key()) == allowed.end())
        fail(join(path, item.key()), "unknown key");
  }
  const json& required(const json& obj, const std::string& path, std::string_view key) const {
    auto it = obj.find(std::string(key));
    if (it == obj.end()) fail(join(path, key), "missing");
    return *it;
  }
  static const json* optional(const json& obj, std::string_view key) {
    auto it = obj.find(std::string(key));
    return it == obj.end() ? nullptr : &*it;
  }
  std::string text(const json& v, const std::string& path) const {
    if (!v.is_string()) fail(path, "must be a string");
    return v.get<std::string>();
  }
  bool boolean(const json& v, const std::string& path) const {
    if (!v.is_boolean()) fail(path, "must be true or false");
    return v.get<bool>();
  }
  // An unsigned number: a JSON integer, or a string in decimal or 0x hex (for readable addresses).
  std::uint64_t number(const json& v, const std::string& path, std::uint64_t hi) const {
    std::uint64_t x = 0;
    if (v.is_number_unsigned()) {
      x = v.get<std::uint64_t>();
    } else if (v.is_string()) {
      const std::string s = v.get<std::string>();
      const bool is_hex = s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
      const std::string digits = is_hex ? s.substr(2) : s;
      if (digits.empty() || digits.size() > 16) fail(path, "\"" + s + "\" is not a number");
      for (char c : digits)
        if (!(is_hex ? std::isxdigit(static_cast<unsigned char>(c)) : std::isdigit(static_cast<unsigned char>(c))))
          fail(path, "\"" + s + "\" is not a number");
      x = std::stoull(digits, nullptr, is_hex ? 16 : 10);
    } else {
      fail(path, "must be a non-negative integer or a \"0x...\" string");
    }
    if (x > hi) fail(path, std::to_string(x) + " is larger than " + std::to_string(hi));
    return x;
  }
  std::string identifier(const json& v, const std::string& path) const {
    const std::string s = text(v, path);
    const bool ok = !s.empty() && std::isupper(static_cast<unsigned char>(s[0])) &&
                    std::all_of(s.begin(), s.end(), [](char c) {
                      return std::isupper(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) ||
                             c == '_';
                    });
    if (!ok) fail(path, "\"" + s + "\" must be an upper-case identifier (A-Z, 0-9, _; starting with a letter)");
    if (kReservedWords.count(lower(s))) fail(path, "\"" + s + "\" is a C++ or Verilog keyword");
    return s;
  }

 private:
  std::string origin_;
};

Access parse_access(const Reader& r, const json& v, const std::string& path) {
  const std::string s = r.text(v, path);
  if (s == "rw") return Access::rw;
  if (s == "ro") return Access::ro;
  if (s == "wo") return Access::wo;
  if (s == "w1c") return Access::w1c;
  if (s == "const") return Access::constant;
  r.fail(path, "\"" + s + "\" is not one of rw, ro, wo, w1c, const");
}

Field parse_field(const Reader& r, const json& j, const std::string& path, Access access) {
  r.object(j, path, {"name", "bits", "reset", "hw_update", "doc", "enum"});
  Field f;
  f.name = r.identifier(r.required(j, path, "name"), join(path, "name"));
  const std::string bits_path = join(path, "bits");
  const std::string bits = r.text(r.required(j, path, "bits"), bits_path);
  unsigned hi = 0;
  unsigned lo = 0;
  {
    char colon = 0;
    std::istringstream is(bits);
    const bool two = bits.find(':') != std::string::npos;
    if (two) {
      is >> hi >> colon >> lo;
    } else {
      is >> hi;
      lo = hi;
    }
    if (is.fail() || !is.eof() || (two && colon != ':'))
      r.fail(bits_path, "\"" + bits + "\" must be \"HI:LO\" or a single bit number");
  }
  if (hi > 31) r.fail(bits_path, bits + " is beyond bit 31");
  if (lo > hi) r.fail(bits_path, bits + ": the high bit comes first");
  f.lsb = lo;
  f.width = hi - lo + 1;
  const std::uint64_t field_max = f.width == 32 ? 0xFFFFFFFFull : ((1ull << f.width) - 1);
  if (const json* v = Reader::optional(j, "reset")) {
    if (access == Access::ro || access == Access::wo || access == Access::w1c)
      r.fail(join(path, "reset"), "only rw and const fields have a reset value (the others read the hardware)");
    f.reset = static_cast<std::uint32_t>(r.number(*v, join(path, "reset"), field_max));
  } else if (access == Access::rw || access == Access::constant) {
    r.fail(join(path, "reset"), "missing (rw and const fields need one)");
  }
  if (const json* v = Reader::optional(j, "hw_update")) {
    f.hw_update = r.boolean(*v, join(path, "hw_update"));
    if (f.hw_update && access != Access::rw) r.fail(join(path, "hw_update"), "only rw fields can be updated by the hardware");
  }
  f.doc = r.text(r.required(j, path, "doc"), join(path, "doc"));
  if (const json* e = Reader::optional(j, "enum")) {
    const std::string epath = join(path, "enum");
    if (!e->is_object() || e->empty()) r.fail(epath, "must be a non-empty object of NAME: value");
    std::set<std::uint32_t> seen;
    for (const auto& item : e->items()) {
      const std::string vpath = join(epath, item.key());
      const std::string name = r.identifier(json(item.key()), vpath);
      const auto value = static_cast<std::uint32_t>(r.number(item.value(), vpath, field_max));
      if (!seen.insert(value).second) r.fail(vpath, "value " + std::to_string(value) + " is named twice");
      f.values.emplace_back(name, value);
    }
  }
  return f;
}

Register parse_register(const Reader& r, const json& j, const std::string& path) {
  r.object(j, path, {"name", "offset", "access", "count", "read_strobe", "doc", "fields"});
  Register reg;
  reg.name = r.identifier(r.required(j, path, "name"), join(path, "name"));
  reg.offset = static_cast<std::uint32_t>(r.number(r.required(j, path, "offset"), join(path, "offset"), 0xFFFFFFFFu));
  if (reg.offset % 4 != 0) r.fail(join(path, "offset"), "must be a multiple of 4");
  reg.access = parse_access(r, r.required(j, path, "access"), join(path, "access"));
  if (const json* v = Reader::optional(j, "count")) {
    reg.count = static_cast<unsigned>(r.number(*v, join(path, "count"), 64));
    if (reg.count == 0) r.fail(join(path, "count"), "must be at least 1");
  }
  if (const json* v = Reader::optional(j, "read_strobe")) {
    reg.read_strobe = r.boolean(*v, join(path, "read_strobe"));
    if (reg.read_strobe && reg.access == Access::wo) r.fail(join(path, "read_strobe"), "a write-only register is never read");
  }
  reg.doc = r.text(r.required(j, path, "doc"), join(path, "doc"));
  const std::string fpath = join(path, "fields");
  const json& fields = r.required(j, path, "fields");
  if (!fields.is_array() || fields.empty()) r.fail(fpath, "must be a non-empty array");
  std::uint32_t used = 0;
  std::set<std::string> names;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    Field f = parse_field(r, fields[i], index(fpath, i), reg.access);
    if (!names.insert(f.name).second) r.fail(join(index(fpath, i), "name"), "field " + f.name + " appears twice");
    if (used & f.mask()) r.fail(join(index(fpath, i), "bits"), "overlaps another field of " + reg.name);
    used |= f.mask();
    reg.fields.push_back(std::move(f));
  }
  std::sort(reg.fields.begin(), reg.fields.end(), [](const Field& a, const Field& b) { return a.lsb < b.lsb; });
  return reg;
}

}  // namespace

std::string_view access_name(Access a) {
  switch (a) {
    case Access::rw: return "rw";
    case Access::ro: return "ro";
    case Access::wo: return "wo";
    case Access::w1c: return "w1c";
    case Access::constant: return "const";
  }
  return "?";
}

std::uint32_t Field::mask() const {
  const std::uint32_t ones = width >= 32 ? 0xFFFFFFFFu : ((1u << width) - 1u);
  return ones << lsb;
}

std::uint32_t Register::reset() const {
  std::uint32_t v = 0;
  for (const Field& f : fields) v |= f.reset << f.lsb;
  return v;
}

std::uint32_t Register::mask() const {
  std::uint32_t m = 0;
  for (const Field& f : fields) m |= f.mask();
  return m;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string hex32(std::uint32_t v, int digits) {
  static const char* kDigits = "0123456789ABCDEF";
  std::string s(static_cast<std::size_t>(digits), '0');
  for (int i = digits - 1; i >= 0; --i, v >>= 4) s[static_cast<std::size_t>(i)] = kDigits[v & 0xF];
  return "0x" + s;
}

RegisterMap parse_register_map(std::string_view json_text, std::string_view file_name) {
  const Reader r{std::string(file_name)};
  json doc;
  try {
    doc = json::parse(json_text);
  } catch (const json::parse_error& e) {
    // nlohmann reports the byte offset; turn it into a line for the message.
    const std::size_t at = std::min(e.byte == 0 ? 0 : e.byte - 1, json_text.size());
    const auto line = 1 + std::count(json_text.begin(), json_text.begin() + static_cast<std::ptrdiff_t>(at), '\n');
    throw RegmapError(std::string(file_name) + ":" + std::to_string(line) + ": not valid JSON (" + e.what() + ")");
  }
  r.object(doc, "", {"format", "format_version", "name", "version", "doc", "address_bits", "blocks", "windows"});
  if (r.text(r.required(doc, "", "format"), "format") != "qontos-regmap")
    r.fail("format", "must be \"qontos-regmap\"");
  if (r.number(r.required(doc, "", "format_version"), "format_version", 0xFFFF) != 1)
    r.fail("format_version", "this generator reads version 1");
  RegisterMap map;
  map.source_name = std::string(file_name);
  map.name = lower(r.identifier(r.required(doc, "", "name"), "name"));
  map.version = r.text(r.required(doc, "", "version"), "version");
  map.doc = r.text(r.required(doc, "", "doc"), "doc");
  map.address_bits = static_cast<unsigned>(r.number(r.required(doc, "", "address_bits"), "address_bits", 32));
  if (map.address_bits < 4) r.fail("address_bits", "must be at least 4");
  const std::uint64_t space = 1ull << map.address_bits;

  // Every occupied word, to find overlaps between registers, arrays and windows.
  std::map<std::uint64_t, std::string> words;
  std::set<std::string> names;
  auto claim = [&](std::uint64_t first_byte, std::uint64_t bytes, const std::string& what, const std::string& path) {
    if (first_byte + bytes > space)
      r.fail(path, what + " ends at " + hex32(static_cast<std::uint32_t>(first_byte + bytes - 1)) + ", beyond the " +
                       std::to_string(map.address_bits) + "-bit address space");
    auto it = words.lower_bound(first_byte);
    if (it != words.end() && it->first < first_byte + bytes)
      r.fail(path, what + " overlaps " + it->second + " at " + hex32(static_cast<std::uint32_t>(it->first)));
  };

  const json& blocks = r.required(doc, "", "blocks");
  if (!blocks.is_array() || blocks.empty()) r.fail("blocks", "must be a non-empty array");
  for (std::size_t b = 0; b < blocks.size(); ++b) {
    const std::string bpath = index("blocks", b);
    r.object(blocks[b], bpath, {"name", "base", "doc", "registers"});
    Block block;
    block.name = r.identifier(r.required(blocks[b], bpath, "name"), join(bpath, "name"));
    if (!names.insert(block.name).second) r.fail(join(bpath, "name"), block.name + " is used twice");
    block.base = static_cast<std::uint32_t>(r.number(r.required(blocks[b], bpath, "base"), join(bpath, "base"), space - 1));
    if (block.base % 4 != 0) r.fail(join(bpath, "base"), "must be a multiple of 4");
    block.doc = r.text(r.required(blocks[b], bpath, "doc"), join(bpath, "doc"));
    const json& regs = r.required(blocks[b], bpath, "registers");
    const std::string rpath = join(bpath, "registers");
    if (!regs.is_array() || regs.empty()) r.fail(rpath, "must be a non-empty array");
    std::set<std::string> reg_names;
    for (std::size_t i = 0; i < regs.size(); ++i) {
      const std::string path = index(rpath, i);
      Register reg = parse_register(r, regs[i], path);
      if (!reg_names.insert(reg.name).second) r.fail(join(path, "name"), reg.name + " is used twice in " + block.name);
      const std::uint64_t first = std::uint64_t{block.base} + reg.offset;
      const std::string what = block.name + "." + reg.name;
      claim(first, 4ull * reg.count, what, join(path, "offset"));
      for (unsigned k = 0; k < reg.count; ++k) words[first + 4ull * k] = what;
      block.registers.push_back(std::move(reg));
    }
    std::sort(block.registers.begin(), block.registers.end(),
              [](const Register& x, const Register& y) { return x.offset < y.offset; });
    map.blocks.push_back(std::move(block));
  }
  if (const json* windows = Reader::optional(doc, "windows")) {
    if (!windows->is_array()) r.fail("windows", "must be an array");
    for (std::size_t w = 0; w < windows->size(); ++w) {
      const std::string path = index("windows", w);
      const json& j = (*windows)[w];
      r.object(j, path, {"name", "base", "size", "doc"});
      Window win;
      win.name = r.identifier(r.required(j, path, "name"), join(path, "name"));
      if (!names.insert(win.name).second) r.fail(join(path, "name"), win.name + " is used twice");
      win.base = static_cast<std::uint32_t>(r.number(r.required(j, path, "base"), join(path, "base"), space - 1));
      win.size = static_cast<std::uint32_t>(r.number(r.required(j, path, "size"), join(path, "size"), space));
      if (win.size < 4 || (win.size & (win.size - 1)) != 0) r.fail(join(path, "size"), "must be a power of two, at least 4");
      if (win.base % win.size != 0) r.fail(join(path, "base"), "must be aligned to the window's size");
      win.doc = r.text(r.required(j, path, "doc"), join(path, "doc"));
      claim(win.base, win.size, "window " + win.name, join(path, "base"));
      // Every word of the window, so that a later window overlapping it is caught by lower_bound.
      for (std::uint64_t a = win.base; a < std::uint64_t{win.base} + win.size; a += 4) words[a] = "window " + win.name;
      map.windows.push_back(std::move(win));
    }
  }
  return map;
}

RegisterMap load_register_map(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw RegmapError(path.string() + ": cannot read");
  std::ostringstream text;
  text << in.rdbuf();
  return parse_register_map(text.str(), path.filename().string());
}

}  // namespace qontos::regmap
