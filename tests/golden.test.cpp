// Content addresses pinned for two corpus circuits on the heavy-hex device, so that a host whose
// compiler or libraries produce different bytes (floating-point contraction, hash-table order,
// a different libm) fails here rather than publishing different hashes for the same input.
// These are expected to change when a pass changes on purpose: re-pin them with
//   qontos compile FILE --device superconducting-heavyhex-27 --until schedule --hashes
// and say why in the commit (docs/COMPATIBILITY.md: hashes are stable within a version).
#include <gtest/gtest.h>

#include "device/descriptor.h"
#include "passes/pipeline.h"

namespace qontos {
namespace {

struct Golden {
  const char* file;
  const char* hashes[9];
};

const Golden kGolden[] = {
    {"qasmbench/small/qft_n4/qft_n4.qasm",
     {"f3c15c68d4a6eb763499df9a0572b0ca79f93adedc8776359ddb8659206cd715",
      "f3c15c68d4a6eb763499df9a0572b0ca79f93adedc8776359ddb8659206cd715",
      "d76607ab3d42e281e05aa21205cb9a857261c82cde4d42c05d11cc4e48d3d59e",
      "d07f2b54d621eccd3455c2e0dfc4ed121a5efcb81ebee8f03a7687c152513450",
      "1f38025ae58e86159269058af8f1b6b0b951b39b15a935b958045fbc5fefe4f9",
      "980331af51bb47e89e54c749a1b3b609f4f3a63745811d16670ff041b90c9f23",
      "9a1c8ab914fd091a1453fef5726711a081be66adc96cf078e1cea8cb4485c701",
      "1e597c3be40533557275a0e5fa479b1aeb123a476f9e6fccca4bb573b73ceca4",
      "2fa08e6503dc182ef3058a9fa1abf0650a7327e8a394da4997027851967d7346"}},
    {"openqasm3-examples/teleport.qasm",
     {"9b565d5e32083c9aeea33b5830fbfac628d5ab1b9503737f8a308b0eaf2492e4",
      "23d601ca53334c74599663fa3320f09ba060dae217117ca8af73699d2ab4f0c2",
      "23d601ca53334c74599663fa3320f09ba060dae217117ca8af73699d2ab4f0c2",
      "cd5121b112d0f3495fc3bed495b6bb1c4cf7ae1c8e1a1ae083c7a8b3b2c7fab8",
      "2514eabb0a65035ca9e8a69fd698f511bdb55b67d107a655982b2c3960239f3f",
      "0bf8eeccca046ae11bdfdabef54c46d53d7bb64290fdde0ba29351f97e7027d4",
      "f6e91ac25d0c010654fc63e36548e4ba1f582244313bba149ee7a15e7d0b0c17",
      "f44ee7348081792583017cb18f98a9c3b9e0e8037b294eee8bb2ef56b3589e54",
      "4c9322a1ddb176486ac4b23376d9021af5ef53105e70bc4e58ba637e9f9a14b5"}},
};

TEST(Golden, ContentAddressesAreTheSameOnThisHost) {
  const device::Descriptor dev = device::load_descriptor("superconducting-heavyhex-27", QONTOS_DEVICES_DIR);
  passes::PassContext ctx;
  ctx.device = &dev;
  for (const auto& g : kGolden) {
    auto stages = passes::compile_file(std::string(QONTOS_CORPUS_DIR) + "/qasm/" + g.file, "schedule", ctx);
    ASSERT_EQ(stages.size(), 9u);
    for (std::size_t i = 0; i < stages.size(); ++i)
      EXPECT_EQ(stages[i].hash, g.hashes[i]) << g.file << " stage " << stages[i].pass;
  }
}

}  // namespace
}  // namespace qontos
