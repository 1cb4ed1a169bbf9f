// regmap_gen: generates the register block, the firmware and host headers and docs/registers.md
// from the register map, or checks that the committed copies are up to date.
//   regmap_gen [--check] [--root DIR] MAP.json
// Writes (or, with --check, compares) every file of qontos::regmap::generate_all under DIR
// (default: the current directory). Exit 0: written / up to date; 1: a file is stale or missing
// (--check), each named; 2: the map is malformed or a file cannot be written.
#include <iostream>
#include <string>

#include "common/atomic_file.h"
#include "regmap/regmap.h"

int main(int argc, char** argv) {
  bool check = false;
  std::filesystem::path root = ".";
  std::filesystem::path map_path;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--check") {
      check = true;
    } else if (a == "--root" && i + 1 < argc) {
      root = argv[++i];
    } else if (!a.empty() && a[0] != '-' && map_path.empty()) {
      map_path = a;
    } else {
      std::cerr << "regmap_gen: unexpected argument '" << a << "'\nusage: regmap_gen [--check] [--root DIR] MAP.json\n";
      return 2;
    }
  }
  if (map_path.empty()) {
    std::cerr << "usage: regmap_gen [--check] [--root DIR] MAP.json\n";
    return 2;
  }
  qontos::regmap::RegisterMap map;
  try {
    map = qontos::regmap::load_register_map(map_path);
  } catch (const qontos::regmap::RegmapError& e) {
    std::cerr << "regmap_gen: " << e.what() << "\n";
    return 2;
  }
  if (check) {
    const auto problems = qontos::regmap::stale_files(map, root);
    for (const auto& p : problems)
      std::cerr << "regmap_gen: " << p << " (not what " << map_path.filename().string() << " generates)\n";
    if (!problems.empty()) {
      std::cerr << "regmap_gen: " << problems.size() << " generated file(s) out of date; regenerate them with\n"
                << "  cmake --build build/default --target regmap\n";
      return 1;
    }
    std::cout << "regmap_gen: every generated file matches " << map_path.filename().string() << "\n";
    return 0;
  }
  for (const auto& file : qontos::regmap::generate_all(map)) {
    const std::filesystem::path path = root / file.path;
    std::error_code ec;
    std::filesystem::create_directories(path.parent_path(), ec);
    if (ec || !qontos::write_file_atomically(path, file.text)) {
      std::cerr << "regmap_gen: cannot write " << path.string() << "\n";
      return 2;
    }
    std::cout << "regmap_gen: wrote " << file.path << "\n";
  }
  return 0;
}
