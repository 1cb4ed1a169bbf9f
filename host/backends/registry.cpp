#include "backends/registry.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>

#include "backends/stabilizer_backend.h"
#include "backends/statevector_backend.h"
#include "backends/twin_backend.h"

namespace qontos::backends {

std::string BackendRegistry::default_path(const std::string& devices_dir) {
  if (const char* env = std::getenv("QONTOS_BACKENDS"); env && *env) return env;
  return (std::filesystem::path(devices_dir).parent_path() / "backends.json").string();
}

std::unique_ptr<exec::ExecutorContract> BackendRegistry::make(const std::string& engine, device::Descriptor d,
                                                              const std::string& origin) const {
  if (engine == "statevector") {
    simulate::StatevectorOptions o;
    o.single_precision = options_.single_precision;
    return std::make_unique<StatevectorBackend>(std::move(d), o);
  }
  if (engine == "stabilizer") return std::make_unique<StabilizerBackend>(std::move(d));
  if (engine == "twin") {
    twin::NoiseModel model = twin::noise_model_from(d);
    if (!options_.calibration_json.empty()) {
      // A calibration record names its device; it refines only that device's twin.
      const auto doc = nlohmann::json::parse(options_.calibration_json, nullptr, false);
      const bool mine = doc.is_object() && doc.contains("device") && doc["device"] == d.name;
      if (mine || !doc.is_object() || !doc.contains("device"))
        twin::apply_calibration(model, d, options_.calibration_json, options_.calibration_origin);
    }
    return std::make_unique<TwinBackend>(std::move(d), std::move(model));
  }
  throw std::runtime_error(origin + ": engine: '" + engine + "' is not one of statevector, stabilizer, twin");
}

BackendRegistry BackendRegistry::load(const std::string& path, const std::string& devices_dir,
                                      const RegistryOptions& options) {
  BackendRegistry r;
  r.devices_dir_ = devices_dir;
  r.options_ = options;
  std::ifstream in(path);
  if (!in) throw std::runtime_error(path + ": cannot open the backends file");
  std::stringstream text;
  text << in.rdbuf();
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(text.str());
  } catch (const nlohmann::json::parse_error& e) {
    throw std::runtime_error(path + ": not valid JSON: " + e.what());
  }
  if (!doc.is_object() || !doc.contains("backends") || !doc["backends"].is_array())
    throw std::runtime_error(path + ": backends: must be an array");
  for (std::size_t i = 0; i < doc["backends"].size(); ++i) {
    const auto& e = doc["backends"][i];
    const std::string at = path + ": backends[" + std::to_string(i) + "]";
    for (const char* field : {"name", "engine", "device"})
      if (!e.contains(field) || !e[field].is_string())
        throw std::runtime_error(at + ": " + field + ": must be a string");
    device::Descriptor d = device::load_descriptor(e["device"].get<std::string>(), devices_dir);
    auto backend = r.make(e["engine"].get<std::string>(), std::move(d), at);
    if (backend->name() != e["name"].get<std::string>())
      throw std::runtime_error(at + ": name: '" + e["name"].get<std::string>() + "' must be '" + backend->name() +
                               "' (engine and device decide a backend's name)");
    if (r.find(backend->name())) throw std::runtime_error(at + ": name: '" + backend->name() + "' is listed twice");
    r.backends_.push_back(std::move(backend));
  }
  return r;
}

exec::ExecutorContract* BackendRegistry::find(const std::string& name) const {
  for (const auto& b : backends_)
    if (b->name() == name) return b.get();
  return nullptr;
}

exec::ExecutorContract& BackendRegistry::twin_of(const std::string& device_name_or_path) {
  device::Descriptor d = device::load_descriptor(device_name_or_path, devices_dir_);
  if (auto* existing = find("twin:" + d.name)) return *existing;
  backends_.push_back(make("twin", std::move(d), device_name_or_path));
  return *backends_.back();
}

std::vector<std::string> BackendRegistry::names() const {
  std::vector<std::string> n;
  for (const auto& b : backends_) n.push_back(b->name());
  return n;
}

}  // namespace qontos::backends
