// An AXI4-Lite master for a verilated model whose slave port is named s_axi_* (the generated
// register block, and the real-time top that wraps it): one transaction at a time, as a
// processor's interconnect issues them. Shared by the register block's testbench (which adds
// handshake orders, delays and stalls) and the harness of `qontos rtl` (sim/rt).
//
// The caller owns the clock: `tick` runs one cycle (inputs held, one rising edge). The master
// sets the s_axi inputs, evaluates the model to see the ready/valid outputs of the current cycle,
// and ticks until the transaction is over. A problem (a handshake that never completes, a write
// not performed the cycle after its handshakes when during_write asks for that check) is returned
// as text, never thrown, so a testbench can count it and a harness can raise it.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <utility>

namespace qontos::hdl::regs {

struct AxiResponse {
  std::uint8_t resp = 0;  // 0 OKAY, 2 SLVERR
  std::uint32_t data = 0;  // reads
  std::string problem;     // empty when the transaction completed
};

struct AxiWriteOptions {
  std::uint8_t strb = 0xF;
  int order = 0;            // 0: address and data together; 1: address first; 2: data first
  int first_wait = 0;       // order 1/2: extra cycles before the second channel is offered (2 + this)
  int response_stall = 0;   // cycles the master holds bready low after the handshakes
  // Called with true before, and false after, the clock edge that performs the write (the one
  // after both address and data were taken); the response must then be valid.
  std::function<void(bool)> during_write;
};

template <typename Model>
class AxiLiteMaster {
 public:
  AxiLiteMaster(Model& model, std::function<void()> tick) : m_(model), tick_(std::move(tick)) {}

  AxiResponse write(std::uint32_t addr, std::uint32_t data, const AxiWriteOptions& o = {}) {
    AxiResponse r;
    bool aw_done = false, w_done = false;
    int wait_w = o.order == 1 ? 2 + o.first_wait : 0, wait_aw = o.order == 2 ? 2 + o.first_wait : 0;
    for (int guard = 0; !(aw_done && w_done); ++guard) {
      if (guard >= kGuard) return fail(r, "write handshake hangs at " + hex(addr));
      m_.s_axi_awvalid = !aw_done && wait_aw == 0;
      m_.s_axi_awaddr = static_cast<std::uint16_t>(addr);
      m_.s_axi_wvalid = !w_done && wait_w == 0;
      m_.s_axi_wdata = data;
      m_.s_axi_wstrb = o.strb;
      m_.eval();
      const bool aw_fire = m_.s_axi_awvalid && m_.s_axi_awready;
      const bool w_fire = m_.s_axi_wvalid && m_.s_axi_wready;
      tick_();
      aw_done |= aw_fire;
      w_done |= w_fire;
      if (wait_aw) --wait_aw;
      if (wait_w) --wait_w;
    }
    m_.s_axi_awvalid = 0;
    m_.s_axi_wvalid = 0;
    if (o.during_write) {
      o.during_write(true);
      tick_();
      o.during_write(false);
      m_.eval();
      if (!m_.s_axi_bvalid) r.problem = "write at " + hex(addr) + " not performed the cycle after its handshakes";
    }
    for (int d = o.response_stall; d > 0; --d) tick_();
    m_.s_axi_bready = 1;
    for (int guard = 0;; ++guard) {
      m_.eval();
      if (m_.s_axi_bvalid) break;
      if (guard >= kGuard) return fail(r, "no write response at " + hex(addr));
      tick_();
    }
    r.resp = m_.s_axi_bresp;
    tick_();
    m_.s_axi_bready = 0;
    return r;
  }

  AxiResponse read(std::uint32_t addr, int response_stall = 0) {
    AxiResponse r;
    m_.s_axi_araddr = static_cast<std::uint16_t>(addr);
    m_.s_axi_arvalid = 1;
    for (int guard = 0;; ++guard) {
      m_.eval();
      const bool fire = m_.s_axi_arready;
      tick_();
      if (fire) break;
      if (guard >= kGuard) {
        m_.s_axi_arvalid = 0;
        return fail(r, "read address never accepted at " + hex(addr));
      }
    }
    m_.s_axi_arvalid = 0;
    for (int d = response_stall; d > 0; --d) tick_();
    m_.s_axi_rready = 1;
    m_.eval();
    if (!m_.s_axi_rvalid) r.problem = "no read data at " + hex(addr);
    r.data = m_.s_axi_rdata;
    r.resp = m_.s_axi_rresp;
    tick_();
    m_.s_axi_rready = 0;
    return r;
  }

  static std::string hex(std::uint32_t v) {
    static const char* digits = "0123456789abcdef";
    std::string s = "0x00000000";
    for (int i = 9; i >= 2; --i, v >>= 4) s[static_cast<std::size_t>(i)] = digits[v & 0xF];
    return s;
  }

 private:
  static constexpr int kGuard = 100;
  static AxiResponse& fail(AxiResponse& r, std::string problem) {
    r.problem = std::move(problem);
    r.resp = 0xFF;
    return r;
  }
  Model& m_;
  std::function<void()> tick_;
};

}  // namespace qontos::hdl::regs
