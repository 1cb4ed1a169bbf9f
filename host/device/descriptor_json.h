// A descriptor as JSON in the same format parse_descriptor reads, so the device state a run
// used can be recorded (in a proof's integrity layer) and read back.
#pragma once

#include <nlohmann/json.hpp>

#include "device/descriptor.h"

namespace qontos::device {

/// parse_descriptor(descriptor_json(d).dump(), ...) gives back `d`.
nlohmann::json descriptor_json(const Descriptor& d);

}  // namespace qontos::device
