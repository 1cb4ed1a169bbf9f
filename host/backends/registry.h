// The backends a runtime can choose from, read from board/backends.json: each entry names an
// engine (statevector, stabilizer, twin) and the device descriptor it runs. The list is data,
// so a lab adds a twin of its own device without touching code.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "exec/contract.h"

namespace qontos::backends {

struct RegistryOptions {
  bool single_precision = false;  // statevector precision
  std::string calibration_json;   // a calibration record applied to twins of its device
  std::string calibration_origin;
};

class BackendRegistry {
 public:
  /// Reads the backends file; throws std::runtime_error "<path>: <field>: <problem>".
  static BackendRegistry load(const std::string& backends_path, const std::string& devices_dir,
                              const RegistryOptions& options = {});
  /// The backends file next to the devices directory ($QONTOS_BACKENDS overrides).
  static std::string default_path(const std::string& devices_dir);

  const std::vector<std::unique_ptr<exec::ExecutorContract>>& all() const { return backends_; }
  /// Null when no backend has that name.
  exec::ExecutorContract* find(const std::string& name) const;
  /// Adds (or returns) the twin of a device given by name or path, for --device.
  exec::ExecutorContract& twin_of(const std::string& device_name_or_path);
  std::vector<std::string> names() const;

 private:
  std::unique_ptr<exec::ExecutorContract> make(const std::string& engine, device::Descriptor descriptor,
                                               const std::string& origin) const;
  std::vector<std::unique_ptr<exec::ExecutorContract>> backends_;
  std::string devices_dir_;
  RegistryOptions options_;
};

}  // namespace qontos::backends
