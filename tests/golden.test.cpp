// Content addresses pinned for two corpus circuits on the heavy-hex device, so that a host whose
// compiler or libraries produce different bytes (floating-point contraction, hash-table order,
// a different libm) fails here rather than publishing different hashes for the same input.
// These are expected to change when a pass changes on purpose: re-pin them with
//   qontos compile FILE --device superconducting-heavyhex-27 --hashes
// and say why in the commit (docs/COMPATIBILITY.md: hashes are stable within a version).
#include <gtest/gtest.h>

#include "device/descriptor.h"
#include "passes/pipeline.h"

namespace qontos {
namespace {

struct Golden {
  const char* file;
  const char* hashes[7];
};

const Golden kGolden[] = {
    {"qasmbench/small/qft_n4/qft_n4.qasm",
     {"f3c15c68d4a6eb763499df9a0572b0ca79f93adedc8776359ddb8659206cd715",
      "f3c15c68d4a6eb763499df9a0572b0ca79f93adedc8776359ddb8659206cd715",
      "d76607ab3d42e281e05aa21205cb9a857261c82cde4d42c05d11cc4e48d3d59e",
      "7b045944ec3b5cb82e61f094833f55cb601a05d271d3272dcd80b759121d1596",
      "3be17b780fbfcc042511f6bab23cdaec4e4b4a6f15aadddf0d498f8a48c216b2",
      "32d712c9b27f1f08c8bc3206eae5bcd2740ef96ca6d7c51d5cef2824fec0c3e6",
      "fb77c1b8a4227180ed8be9ef5f63bf71feba800ed37614e6a892667c6eb53cfb"}},
    {"openqasm3-examples/teleport.qasm",
     {"9b565d5e32083c9aeea33b5830fbfac628d5ab1b9503737f8a308b0eaf2492e4",
      "23d601ca53334c74599663fa3320f09ba060dae217117ca8af73699d2ab4f0c2",
      "23d601ca53334c74599663fa3320f09ba060dae217117ca8af73699d2ab4f0c2",
      "94dd453f5962849866df2baa95efb8bbffb2589f7ff371d5f6ff328885d5dd49",
      "9c0b61a79006b15ef3b231890de043225f746e8f6464217014c83e739a1ac627",
      "98c25825a81ba1eab2999b1274e4f67e274435c918a5e9ba78b402f578467a55",
      "704f15824eaeb63aaf249d73ca1f790ee7f5e32f8038a61c8cd4d2232b4cc890"}},
};

TEST(Golden, ContentAddressesAreTheSameOnThisHost) {
  const device::Descriptor dev = device::load_descriptor("superconducting-heavyhex-27", QONTOS_DEVICES_DIR);
  passes::PassContext ctx;
  ctx.device = &dev;
  for (const auto& g : kGolden) {
    auto stages = passes::compile_file(std::string(QONTOS_CORPUS_DIR) + "/qasm/" + g.file, "route", ctx);
    ASSERT_EQ(stages.size(), 7u);
    for (std::size_t i = 0; i < stages.size(); ++i)
      EXPECT_EQ(stages[i].hash, g.hashes[i]) << g.file << " stage " << stages[i].pass;
  }
}

}  // namespace
}  // namespace qontos
