// The firmware's generated header (firmware/include/qontos/qontos_rt_regs.h) against the host's
// table: both come from board/regmap.json, so every address, reset value and mask must agree.
#include <gtest/gtest.h>

#include "qontos/qontos_rt_regs.h"
#include "regmap/qontos_rt_regs.h"

namespace {

namespace fw = qontos::regs;
namespace host = qontos::rt_regs;

TEST(FirmwareRegisterHeader, AgreesWithTheHostTable) {
  static_assert(fw::watchdog::budget::address(2) == host::WATCHDOG_BUDGET + 8);
  static_assert(fw::watchdog::abort::stage::get(0x80000002u) == fw::watchdog::abort::stage::kDispatch);
  static_assert(fw::seq::first_late::channel::put(0, 5) == 0x05000000u);
  const struct {
    std::uint32_t address, reset, mask;
    unsigned count;
  } fw_view[] = {
      {fw::ctrl::id::kAddress, fw::ctrl::id::kReset, fw::ctrl::id::kMask, fw::ctrl::id::kCount},
      {fw::ctrl::version::kAddress, fw::ctrl::version::kReset, fw::ctrl::version::kMask, fw::ctrl::version::kCount},
      {fw::ctrl::irq_enable::kAddress, fw::ctrl::irq_enable::kReset, fw::ctrl::irq_enable::kMask, fw::ctrl::irq_enable::kCount},
      {fw::readout::rot_cos::kAddress, fw::readout::rot_cos::kReset, fw::readout::rot_cos::kMask, fw::readout::rot_cos::kCount},
      {fw::watchdog::budget::kAddress, fw::watchdog::budget::kReset, fw::watchdog::budget::kMask, fw::watchdog::budget::kCount},
      {fw::hist::select::kAddress, fw::hist::select::kReset, fw::hist::select::kMask, fw::hist::select::kCount},
  };
  for (const auto& r : fw_view) {
    const host::RegisterInfo* info = host::find_register(r.address);
    ASSERT_NE(info, nullptr) << r.address;
    EXPECT_EQ(info->reset, r.reset) << info->name;
    EXPECT_EQ(info->mask, r.mask) << info->name;
    EXPECT_EQ(info->count, r.count) << info->name;
  }
  EXPECT_EQ(fw::ctrl::id::kReset, 0x514E5453u);  // "QNTS"
  EXPECT_EQ(fw::kDecoderWindowBase, host::WINDOW_DECODER);
}

}  // namespace
