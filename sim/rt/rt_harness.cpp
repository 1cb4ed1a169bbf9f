// The harness of the verilated real-time path; see rt_harness.h.
#include "rt/rt_harness.h"

#include <stdexcept>

#include "Vrt_top.h"
#include "regmap/qontos_rt_regs.h"

namespace qontos::sim::rt {

namespace R = qontos::rt_regs;

RtHarness::RtHarness() : top_(std::make_unique<Vrt_top>()), axi_(*top_, [this] { tick(); }) {
  top_->rst_n = 0;
  top_->m_dac_tready = static_cast<std::uint8_t>((1u << kChannels) - 1);
  for (int i = 0; i < 4; ++i) tick();
  top_->rst_n = 1;
  tick();
}

RtHarness::~RtHarness() { top_->final(); }

void RtHarness::drive_inputs() {
  // ADC: every readout streams a beat every cycle, around the blob of the state it measures.
  std::normal_distribution<double> noise(0.0, 1.0);
  std::uint64_t data[kReadouts] = {};
  for (unsigned r = 0; r < kReadouts; ++r) {
    const ReadoutStimulus& s = stimulus[r];
    const double centre = blob_state_[r] ? s.amplitude : -s.amplitude;
    for (unsigned k = 0; k < kPairs; ++k) {
      const auto i = static_cast<std::int16_t>(centre + s.noise * noise(rng_));
      const auto q = static_cast<std::int16_t>(s.noise * noise(rng_));
      data[r] |= (std::uint64_t{static_cast<std::uint16_t>(i)} | (std::uint64_t{static_cast<std::uint16_t>(q)} << 16))
                 << (32 * k);
    }
  }
  static_assert(kReadouts * kPairs * 32 <= 128, "ADC bus wider than the harness packs");
  top_->s_adc_tdata[0] = static_cast<std::uint32_t>(data[0]);
  top_->s_adc_tdata[1] = static_cast<std::uint32_t>(data[0] >> 32);
  top_->s_adc_tdata[2] = static_cast<std::uint32_t>(data[1]);
  top_->s_adc_tdata[3] = static_cast<std::uint32_t>(data[1] >> 32);
  top_->s_adc_tvalid = static_cast<std::uint8_t>((1u << kReadouts) - 1);
  // The scheduled decoder events.
  top_->dec_start = 0;
  top_->dec_valid = 0;
  top_->dec_result = 0;
  for (const DecoderEvent& d : decoder) {
    if (d.start == cycle_) top_->dec_start = 1;
    if (d.valid == cycle_) {
      top_->dec_valid = 1;
      top_->dec_result = d.result;
    }
  }
  // DAC back-pressure.
  unsigned ready = (1u << kChannels) - 1;
  for (const Stall& s : stalls)
    if (cycle_ >= s.from && cycle_ < s.to) ready &= ~(1u << s.channel);
  top_->m_dac_tready = static_cast<std::uint8_t>(ready);
}

void RtHarness::sample_outputs() {
  for (unsigned r = 0; r < kReadouts; ++r) {
    if ((top_->tap_ro_trigger >> r) & 1) {
      triggers.push_back({cycle_, r, false});
      const auto& states = stimulus[r].states;
      blob_state_[r] = states.empty() ? false : states[measured_[r] % states.size()];
      ++measured_[r];
    }
    if ((top_->meas_valid >> r) & 1) measurements.push_back({cycle_, r, static_cast<bool>((top_->meas_bit >> r) & 1)});
  }
  for (unsigned c = 0; c < kChannels; ++c) {
    if ((top_->tap_resolve_play >> c) & 1) resolve_play.push_back({cycle_, c, false});
    if ((top_->tap_play >> c) & 1) plays.push_back({cycle_, c, false});
    if (((top_->m_dac_tuser & top_->m_dac_tvalid & top_->m_dac_tready) >> c) & 1) first_beats.push_back({cycle_, c, false});
  }
  if (top_->dec_start) decoder_starts.push_back({cycle_, 0, false});
  if (top_->dec_valid) decoder_results.push_back({cycle_, 0, static_cast<bool>(top_->dec_result)});
  if (top_->irq) irq_seen = true;
}

void RtHarness::tick() {
  drive_inputs();
  top_->clk = 0;
  top_->eval();
  sample_outputs();
  top_->clk = 1;
  top_->eval();
  ++cycle_;
}

void RtHarness::idle(unsigned n) {
  for (unsigned i = 0; i < n; ++i) tick();
}

std::uint64_t RtHarness::write(std::uint32_t address, std::uint32_t value) {
  std::uint64_t performed = 0;
  hdl::regs::AxiWriteOptions o;
  o.during_write = [&](bool before) {
    if (before) performed = cycle_;  // the cycle after both were taken
  };
  const auto r = axi_.write(address, value, o);
  if (!r.problem.empty()) throw std::runtime_error("rt harness: " + r.problem);
  if (r.resp != 0) throw std::runtime_error("rt harness: write to " + std::to_string(address) + " answered SLVERR");
  return performed;
}

std::uint32_t RtHarness::read(std::uint32_t address) {
  const auto r = axi_.read(address);
  if (!r.problem.empty()) throw std::runtime_error("rt harness: " + r.problem);
  if (r.resp != 0) throw std::runtime_error("rt harness: read of " + std::to_string(address) + " answered SLVERR");
  return r.data;
}

void RtHarness::upload(const pulses::PulseProgram& p) {
  write(R::SEQ_PROG_ADDR, 0);
  for (const auto& ins : p.instructions)
    for (std::uint32_t word : ins.w) write(R::SEQ_PROG_DATA, word);
  write(R::SEQ_WAVE_ADDR, 0);
  for (std::uint32_t word : p.wave_words) write(R::SEQ_WAVE_DATA, word);
}

std::uint64_t RtHarness::start() {
  triggers.clear();
  measurements.clear();
  resolve_play.clear();
  plays.clear();
  first_beats.clear();
  decoder_starts.clear();
  decoder_results.clear();
  irq_seen = false;
  for (unsigned r = 0; r < kReadouts; ++r) measured_[r] = 0;
  return write(R::CTRL_COMMAND, R::CTRL_COMMAND_START.put(0, 1));
}

bool RtHarness::run_to_end(std::uint64_t max_cycles) {
  const std::uint64_t until = cycle_ + max_cycles;
  while (cycle_ < until) {
    idle(32);
    if (!R::CTRL_STATUS_RUNNING.get(read(R::CTRL_STATUS))) return true;
  }
  return false;
}

}  // namespace qontos::sim::rt
