// A descriptor written by descriptor_json reads back as the same descriptor, for every device
// shipped in board/devices (so a proof's integrity layer records the device faithfully).
#include "device/descriptor_json.h"

#include <gtest/gtest.h>

#include <filesystem>

namespace qontos::device {
namespace {

TEST(DescriptorJson, EveryShippedDeviceRoundTrips) {
  int checked = 0;
  for (const auto& entry : std::filesystem::directory_iterator(QONTOS_DEVICES_DIR)) {
    if (entry.path().extension() != ".json") continue;
    SCOPED_TRACE(entry.path().string());
    const Descriptor d = load_descriptor(entry.path().string(), QONTOS_DEVICES_DIR);
    const nlohmann::json written = descriptor_json(d);
    const Descriptor back = parse_descriptor(written.dump(), "round trip");
    EXPECT_EQ(descriptor_json(back), written);
    EXPECT_EQ(back.coupling, d.coupling);
    EXPECT_EQ(back.gate_fidelity, d.gate_fidelity);
    EXPECT_EQ(back.modules.size(), d.modules.size());
    EXPECT_EQ(back.links.size(), d.links.size());
    EXPECT_EQ(back.calibration_id, d.calibration_id);
    ++checked;
  }
  EXPECT_GE(checked, 4);
}

}  // namespace
}  // namespace qontos::device
