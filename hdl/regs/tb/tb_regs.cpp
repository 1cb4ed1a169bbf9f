// Verilator testbench of the generated AXI4-Lite register block (hdl/regs/rtl/qontos_rt_regs.v).
// Table-driven from the generated host constants (host/regmap/qontos_rt_regs.h): every register's
// reset value, read-back mask and response; then each access kind's hardware side on real
// registers (ro inputs, w1c set/clear, wo strobes, hw_update, read strobes, the decoder window),
// byte strobes, unmapped addresses, both orders of address and data, a stalled response channel,
// and a long random sequence against a shadow model. Exit 0 when every check held.
#include <cstdint>
#include <cstdio>
#include <map>
#include <random>
#include <string>

#include "Vqontos_rt_regs.h"
#include "regs/tb/axi_lite_master.h"
#include "regmap/qontos_rt_regs.h"
#include "verilated.h"

namespace {

namespace R = qontos::rt_regs;
constexpr std::uint8_t kOkay = 0;
constexpr std::uint8_t kSlvErr = 2;

int g_failures = 0;
void check(bool ok, const std::string& what) {
  if (!ok) {
    ++g_failures;
    if (g_failures <= 30) std::fprintf(stderr, "FAIL: %s\n", what.c_str());
  }
}
std::string hex(std::uint64_t v) {
  char b[32];
  std::snprintf(b, sizeof b, "0x%08llx", static_cast<unsigned long long>(v));
  return b;
}

// Pulse counters for the strobes, sampled at each rising edge.
struct Strobes {
  int command_we = 0, prog_data_we = 0, hist_data_re = 0, win_we = 0, win_re = 0;
  std::uint32_t last_prog_data = 0, last_win_addr = 0, last_win_wdata = 0;
  bool last_command_start = false;
};

class Bus {
 public:
  explicit Bus(Vqontos_rt_regs& m) : m_(m) {}
  Strobes strobes;
  std::uint64_t cycle = 0;
  std::mt19937 rng{7};
  bool random_delays = false;

  void tick() {
    m_.clk = 0;
    m_.eval();
    // The decoder window answers combinationally: a recognisable function of the word address.
    m_.win_decoder_rdata = 0xD0000000u | m_.win_decoder_addr;
    m_.eval();
    if (m_.ctrl_command_we) {
      ++strobes.command_we;
      strobes.last_command_start = m_.ctrl_command_start;
    }
    if (m_.seq_prog_data_we) {
      ++strobes.prog_data_we;
      strobes.last_prog_data = m_.seq_prog_data_data;
    }
    if (m_.hist_data_re) ++strobes.hist_data_re;
    if (m_.win_decoder_we) {
      ++strobes.win_we;
      strobes.last_win_addr = m_.win_decoder_addr;
      strobes.last_win_wdata = m_.win_decoder_wdata;
    }
    if (m_.win_decoder_re) ++strobes.win_re;
    m_.clk = 1;
    m_.eval();
    ++cycle;
  }
  void reset() {
    m_.rst_n = 0;
    for (int i = 0; i < 4; ++i) tick();
    m_.rst_n = 1;
    tick();
  }
  void idle(int n) {
    for (int i = 0; i < n; ++i) tick();
  }
  int delay() { return random_delays ? static_cast<int>(rng() % 4) : 0; }

  // order 0: address and data together; 1: address first; 2: data first. during_write (optional)
  // is called before, and with false after, the clock edge that performs the write.
  std::uint8_t write(std::uint32_t addr, std::uint32_t data, std::uint8_t strb = 0xF, int order = 0,
                     void (*during_write)(Vqontos_rt_regs&, bool) = nullptr) {
    qontos::hdl::regs::AxiWriteOptions o;
    o.strb = strb;
    o.order = order;
    o.first_wait = order == 1 || order == 2 ? delay() : 0;
    o.response_stall = delay();
    if (during_write) o.during_write = [this, during_write](bool on) { during_write(m_, on); };
    const auto r = master_.write(addr, data, o);
    check(r.problem.empty(), r.problem);
    return r.resp;
  }

  std::uint32_t read(std::uint32_t addr, std::uint8_t* resp_out = nullptr) {
    const auto r = master_.read(addr, delay());
    check(r.problem.empty(), r.problem);
    if (resp_out) *resp_out = r.resp;
    else check(r.resp == kOkay, "read of " + hex(addr) + " answered " + std::to_string(r.resp));
    return r.data;
  }

 private:
  Vqontos_rt_regs& m_;
  qontos::hdl::regs::AxiLiteMaster<Vqontos_rt_regs> master_{m_, [this] { tick(); }};
};

void check_reset_values(Bus& bus) {
  for (const R::RegisterInfo& r : R::kRegisters)
    for (unsigned k = 0; k < r.count; ++k) {
      const std::uint32_t a = r.address + 4 * k;
      const std::string name = std::string(r.block) + "." + std::string(r.name) + "[" + std::to_string(k) + "]";
      std::uint8_t resp = 0;
      const std::uint32_t v = bus.read(a, &resp);
      check(resp == kOkay, name + ": read response " + std::to_string(resp));
      if (r.access == R::Access::rw || r.access == R::Access::constant)
        check(v == r.reset, name + ": reset " + hex(v) + ", map says " + hex(r.reset));
      else if (r.access == R::Access::wo || r.access == R::Access::w1c || r.access == R::Access::ro)
        check(v == 0, name + ": reads " + hex(v) + " with its hardware inputs at 0");
    }
}

// Every rw register: all ones reads back as its field mask, zero as zero; const and ro ignore writes.
void check_writable_masks(Bus& bus) {
  for (const R::RegisterInfo& r : R::kRegisters) {
    if (r.access == R::Access::wo || r.access == R::Access::w1c || r.read_strobe) continue;
    for (unsigned k = 0; k < r.count; ++k) {
      const std::uint32_t a = r.address + 4 * k;
      const std::string name = std::string(r.block) + "." + std::string(r.name) + "[" + std::to_string(k) + "]";
      const std::uint32_t before = bus.read(a);
      check(bus.write(a, 0xFFFFFFFFu) == kOkay, name + ": write response");
      const std::uint32_t ones = bus.read(a);
      check(bus.write(a, 0) == kOkay, name + ": write response");
      const std::uint32_t zeros = bus.read(a);
      if (r.access == R::Access::rw) {
        check(ones == r.mask, name + ": all ones read back " + hex(ones) + ", mask " + hex(r.mask));
        check(zeros == 0, name + ": zero read back " + hex(zeros));
        bus.write(a, r.reset);
      } else {
        check(ones == before && zeros == before, name + ": a write changed a read-only register");
      }
    }
  }
}

void check_hardware_side(Vqontos_rt_regs& m, Bus& bus) {
  // rw -> output port, arrays packed.
  bus.write(R::WATCHDOG_BUDGET + 4 * 2, 0x1234);
  check(((m.watchdog_budget_cycles >> 32) & 0xFFFF) == 0x1234, "WATCHDOG.BUDGET[2] drives bits 47:32");
  bus.write(R::READOUT_THRESHOLD + 4, 0x89ABCDEFu);
  check((m.readout_threshold_value >> 32) == 0x89ABCDEFu, "READOUT.THRESHOLD[1] drives bits 63:32");

  // ro inputs, sampled at read.
  m.ctrl_caps_channels = 4;
  m.ctrl_caps_readouts = 2;
  m.ctrl_caps_hist_bins = 64;
  const std::uint32_t caps = bus.read(R::CTRL_CAPS);
  check(R::CTRL_CAPS_CHANNELS.get(caps) == 4 && R::CTRL_CAPS_READOUTS.get(caps) == 2 && R::CTRL_CAPS_HIST_BINS.get(caps) == 64,
        "CTRL.CAPS fields from their inputs: " + hex(caps));
  m.readout_last_i_value = (std::uint64_t{0xFFFFFFF6u} << 32) | 77u;
  check(bus.read(R::READOUT_LAST_I) == 77u && bus.read(R::READOUT_LAST_I + 4) == 0xFFFFFFF6u, "READOUT.LAST_I elements");
  m.watchdog_abort_stage = 3;
  m.watchdog_abort_tripped = 1;
  const std::uint32_t abort = bus.read(R::WATCHDOG_ABORT);
  check(R::WATCHDOG_ABORT_STAGE.get(abort) == R::WATCHDOG_ABORT_STAGE_DAC && R::WATCHDOG_ABORT_TRIPPED.get(abort) == 1,
        "WATCHDOG.ABORT " + hex(abort));

  // w1c: set by a pulse, survives writing 0, cleared by writing 1; a set during the clearing
  // write wins.
  m.ctrl_irq_status_watchdog_set = 1;
  bus.tick();
  m.ctrl_irq_status_watchdog_set = 0;
  check(bus.read(R::CTRL_IRQ_STATUS) == 0x2, "IRQ_STATUS.WATCHDOG set by the hardware");
  check(m.ctrl_irq_status_watchdog == 1, "IRQ_STATUS.WATCHDOG output");
  bus.write(R::CTRL_IRQ_STATUS, 0x5);
  check(bus.read(R::CTRL_IRQ_STATUS) == 0x2, "writing 1 to other bits leaves WATCHDOG set");
  bus.write(R::CTRL_IRQ_STATUS, 0x2);
  check(bus.read(R::CTRL_IRQ_STATUS) == 0, "writing 1 clears WATCHDOG");
  bus.write(R::CTRL_IRQ_STATUS, 0x4, 0xF, 0, [](Vqontos_rt_regs& top, bool on) { top.ctrl_irq_status_late_set = on; });
  check(bus.read(R::CTRL_IRQ_STATUS) == 0x4, "a set in the clearing cycle wins");
  bus.write(R::CTRL_IRQ_STATUS, 0x4);
  m.seq_late_channels_channel_set = 0x81;
  bus.tick();
  m.seq_late_channels_channel_set = 0;
  bus.write(R::SEQ_LATE_CHANNELS, 0x80, 0x1);
  check(bus.read(R::SEQ_LATE_CHANNELS) == 0x01, "LATE_CHANNELS clears only the written 1");

  // wo: one strobe per write, with the data; reads 0.
  bus.strobes = {};
  bus.write(R::CTRL_COMMAND, 0x1);
  check(bus.strobes.command_we == 1 && bus.strobes.last_command_start, "COMMAND.START: one strobe");
  check(bus.read(R::CTRL_COMMAND) == 0, "COMMAND reads 0");
  bus.write(R::CTRL_COMMAND, 0x1, 0x0);  // no byte enabled: still a write, but START not set
  check(bus.strobes.command_we == 2 && !bus.strobes.last_command_start, "COMMAND with WSTRB 0 writes no 1");

  // hw_update: the hardware loads PROG_ADDR (as the sequencer does after each PROG_DATA).
  bus.write(R::SEQ_PROG_ADDR, 10);
  bus.write(R::SEQ_PROG_DATA, 0xCAFEF00Du);
  check(bus.strobes.prog_data_we == 1 && bus.strobes.last_prog_data == 0xCAFEF00Du, "PROG_DATA strobe and data");
  m.seq_prog_addr_word_hw_we = 1;
  m.seq_prog_addr_word_hw_d = 11;
  bus.tick();
  m.seq_prog_addr_word_hw_we = 0;
  check(bus.read(R::SEQ_PROG_ADDR) == 11, "PROG_ADDR loaded by the hardware");
  check(m.seq_prog_addr_word == 11, "PROG_ADDR output follows");
  bus.write(R::SEQ_PROG_ADDR, 20, 0xF, 0, [](Vqontos_rt_regs& top, bool on) {
    top.seq_prog_addr_word_hw_we = on;
    top.seq_prog_addr_word_hw_d = 99;
  });
  check(bus.read(R::SEQ_PROG_ADDR) == 20, "a software write wins over the hardware's load in the same cycle");

  // read strobe: HIST.DATA reads are seen, other reads are not.
  bus.strobes = {};
  m.hist_data_count = 42;
  check(bus.read(R::HIST_DATA) == 42, "HIST.DATA from its input");
  bus.read(R::HIST_SELECT);
  check(bus.strobes.hist_data_re == 1, "one read strobe for one DATA read, got " + std::to_string(bus.strobes.hist_data_re));

  // The decoder window: word addresses from the window base, writes passed through, reads
  // answered by the window.
  bus.write(R::WINDOW_DECODER + 0x4000 + 4 * 5, 7);
  check(bus.strobes.win_we == 1 && bus.strobes.last_win_addr == 0x1005 && bus.strobes.last_win_wdata == 7,
        "window write: addr " + hex(bus.strobes.last_win_addr));
  check(bus.read(R::WINDOW_DECODER + 8) == (0xD0000000u | 2), "window read of word 2");
  check(bus.strobes.win_re == 1, "window read strobe");
}

void check_bus_corners(Bus& bus) {
  // Byte strobes on an rw register.
  bus.write(R::CTRL_SCRATCH, 0x11223344u);
  bus.write(R::CTRL_SCRATCH, 0xAABBCCDDu, 0x5);
  check(bus.read(R::CTRL_SCRATCH) == 0x11BB33DDu, "SCRATCH after WSTRB 0101: " + hex(bus.read(R::CTRL_SCRATCH)));
  // Unmapped addresses: SLVERR, data 0, nothing written.
  for (std::uint32_t a : {0x0028u, 0x00FCu, 0x0180u, 0x0500u, 0x7FFCu}) {
    std::uint8_t resp = 0;
    const std::uint32_t v = bus.read(a, &resp);
    check(resp == kSlvErr && v == 0, "read of unmapped " + hex(a) + " answered " + std::to_string(resp));
    check(bus.write(a, 0xFFFFFFFFu) == kSlvErr, "write to unmapped " + hex(a));
  }
  check(bus.read(R::CTRL_SCRATCH) == 0x11BB33DDu, "unmapped writes left SCRATCH alone");
  // The low address bits do not select a byte register.
  check(bus.read(R::CTRL_SCRATCH + 2) == 0x11BB33DDu, "unaligned read hits the word");
  // Address and data in either order, with delays.
  bus.write(R::CTRL_SCRATCH, 1, 0xF, 1);
  check(bus.read(R::CTRL_SCRATCH) == 1, "address first");
  bus.write(R::CTRL_SCRATCH, 2, 0xF, 2);
  check(bus.read(R::CTRL_SCRATCH) == 2, "data first");
}

// Random reads and writes of rw registers against a shadow, with random handshake orders and
// stalls.
void check_random(Bus& bus, int operations) {
  std::map<std::uint32_t, std::uint32_t> shadow;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> targets;  // address, mask
  for (const R::RegisterInfo& r : R::kRegisters)
    if (r.access == R::Access::rw)
      for (unsigned k = 0; k < r.count; ++k) targets.emplace_back(r.address + 4 * k, r.mask);
  for (const auto& [a, mask] : targets) shadow[a] = bus.read(a);
  bus.random_delays = true;
  for (int i = 0; i < operations; ++i) {
    const auto& [a, mask] = targets[bus.rng() % targets.size()];
    if (bus.rng() % 2) {
      const std::uint32_t v = static_cast<std::uint32_t>(bus.rng());
      const std::uint8_t strb = static_cast<std::uint8_t>(bus.rng() % 16);
      std::uint32_t bytes = 0;
      for (int b = 0; b < 4; ++b)
        if ((strb >> b) & 1) bytes |= 0xFFu << (8 * b);
      check(bus.write(a, v, strb, static_cast<int>(bus.rng() % 3)) == kOkay, "random write " + hex(a));
      shadow[a] = (shadow[a] & ~(bytes & mask)) | (v & bytes & mask);
    } else {
      const std::uint32_t got = bus.read(a);
      check(got == shadow[a], "random read " + hex(a) + ": " + hex(got) + " expected " + hex(shadow[a]));
    }
  }
  bus.random_delays = false;
}

}  // namespace

int main(int argc, char** argv) {
  Verilated::commandArgs(argc, argv);
  Vqontos_rt_regs model;
  Bus bus(model);
  bus.reset();
  check_reset_values(bus);
  check_writable_masks(bus);
  check_hardware_side(model, bus);
  check_bus_corners(bus);
  check_random(bus, 20000);
  model.final();
  std::printf("tb_regs: %zu registers, %llu cycles, %d failures\n", R::kRegisters.size(),
              static_cast<unsigned long long>(bus.cycle), g_failures);
  return g_failures == 0 ? 0 : 1;
}
