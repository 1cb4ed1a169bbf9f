// Drives the ports of the verilated hdl/decoder/rtl/uf_decoder.v the way the board's fabric does:
// reset, register writes and reads, one shot's syndrome beats in (valid/ready), the result out.
// Shared by the testbench (tb_uf_decoder.cpp) and the CLI's harness (uf_decoder_runner.cpp).
#pragma once

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "Vuf_decoder.h"
#include "verilated.h"

namespace qontos::hdl::decoder {

class UfDecoderDriver {
 public:
  static constexpr unsigned kChunk = 32;  // s_data width (the RTL's CHUNK parameter)

  UfDecoderDriver() : top_(std::make_unique<Vuf_decoder>(&ctx_)) {
    top_->clk = 0;
    top_->rst = 1;
    top_->s_valid = 0;
    top_->m_ready = 0;
    top_->cfg_we = 0;
    for (int i = 0; i < 4; ++i) tick();
    top_->rst = 0;
    tick();
  }
  ~UfDecoderDriver() { top_->final(); }
  UfDecoderDriver(const UfDecoderDriver&) = delete;
  UfDecoderDriver& operator=(const UfDecoderDriver&) = delete;

  void write(std::uint16_t addr, std::uint32_t data) {
    top_->cfg_we = 1;
    top_->cfg_addr = addr;
    top_->cfg_wdata = data;
    tick();
    top_->cfg_we = 0;
  }
  std::uint32_t read(std::uint16_t addr) {
    top_->cfg_addr = addr;
    top_->clk = 0;
    top_->eval();
    return top_->cfg_rdata;
  }

  /// Streams one shot's syndrome words (kChunk detectors each; the last beat is marked s_last)
  /// and waits, with m_ready high, until the result is valid (at most max_cycles, else throws).
  /// Returns the clock edges from the last beat's edge to m_valid. The result stays on ports()
  /// until take().
  std::uint64_t send(const std::vector<std::uint32_t>& beats, std::uint64_t max_cycles) {
    std::uint64_t last_beat_edge = edges_;
    for (std::size_t b = 0; b < beats.size(); ++b) {
      top_->s_valid = 1;
      top_->s_data = beats[b];
      top_->s_last = b + 1 == beats.size();
      for (;;) {
        top_->clk = 0;
        top_->eval();
        const bool ready = top_->s_ready;
        tick();
        if (ready) break;
      }
      last_beat_edge = edges_;
    }
    top_->s_valid = 0;
    top_->s_last = 0;
    top_->m_ready = 1;
    for (std::uint64_t guard = 0; !top_->m_valid; ++guard) {
      if (guard >= max_cycles) throw std::runtime_error("no result within " + std::to_string(max_cycles) + " cycles");
      tick();
    }
    return edges_ - last_beat_edge;
  }
  /// One clock edge with m_ready high: the result on the ports is taken.
  void take() {
    tick();
    top_->m_ready = 0;
  }
  const Vuf_decoder& ports() const { return *top_; }

 private:
  void tick() {
    top_->clk = 0;
    top_->eval();
    top_->clk = 1;
    top_->eval();
    ++edges_;
  }
  VerilatedContext ctx_;
  std::unique_ptr<Vuf_decoder> top_;
  std::uint64_t edges_ = 0;
};

}  // namespace qontos::hdl::decoder
