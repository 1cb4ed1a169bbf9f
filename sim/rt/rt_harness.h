// A cycle-level harness around the verilated real-time path (hdl/rt/rtl/rt_top.v): an AXI4-Lite
// master (hdl/regs/tb/axi_lite_master.h) that talks to the register map the way firmware does, a
// stimulus model for the ADC streams (a qubit's readout blob per measurement), scheduled decoder
// events (the decoder sits outside rt_top: a scenario chooses when its syndrome ends and when its
// result comes, which is what the watchdog and the histograms time), and a record of every
// observable event (measurement strobes, timing taps, pulse starts on the DAC streams, the
// interrupt line) with its cycle. Only built with Verilator (QONTOS_HAVE_RT_MODEL).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "pulses/program_file.h"
#include "regs/tb/axi_lite_master.h"

class Vrt_top;

namespace qontos::sim::rt {

inline constexpr unsigned kChannels = 2;
inline constexpr unsigned kReadouts = 2;
inline constexpr unsigned kSpc = 4;
inline constexpr unsigned kPairs = 2;
inline constexpr unsigned kBins = 64;

struct Event {
  std::uint64_t cycle = 0;
  unsigned index = 0;  // channel or readout
  bool bit = false;    // measurement bit
};

// A qubit seen through readout r: each trigger measures the next state of `states` (cycled),
// drawn as I/Q around (+amplitude, 0) for 1 and (-amplitude, 0) for 0 with Gaussian noise.
struct ReadoutStimulus {
  std::vector<bool> states{true};
  int amplitude = 2000;
  double noise = 300;
};

class RtHarness {
 public:
  RtHarness();
  ~RtHarness();
  RtHarness(const RtHarness&) = delete;
  RtHarness& operator=(const RtHarness&) = delete;

  Vrt_top& top() { return *top_; }
  std::uint64_t cycle() const { return cycle_; }

  void tick();
  void idle(unsigned n);

  // Register access through AXI4-Lite; the write returns the cycle in which it was performed.
  std::uint64_t write(std::uint32_t address, std::uint32_t value);
  std::uint32_t read(std::uint32_t address);

  // Uploads the program and its waveforms (SEQ.PROG_ADDR/DATA, SEQ.WAVE_ADDR/DATA).
  void upload(const pulses::PulseProgram& program);
  // Writes CTRL.COMMAND.START; returns the cycle of the start strobe (the sequencer's cycle 0 is
  // the next one).
  std::uint64_t start();
  // Runs until CTRL.STATUS shows the run over (or max_cycles pass); false on timeout.
  bool run_to_end(std::uint64_t max_cycles);

  ReadoutStimulus stimulus[kReadouts];
  std::uint32_t readout_delay_beats[kReadouts] = {0, 0};  // mirrors READOUT.DELAY for the stimulus
  // The decoder's events as the scenario schedules them: dec_start at cycle s, dec_valid (with the
  // result bit) at cycle v.
  struct DecoderEvent {
    std::uint64_t start = 0, valid = 0;
    bool result = false;
  };
  std::vector<DecoderEvent> decoder;
  // tready of DAC channel c is low in the cycles [from, to).
  struct Stall {
    unsigned channel = 0;
    std::uint64_t from = 0, to = 0;
  };
  std::vector<Stall> stalls;

  // What happened, in cycle order.
  std::vector<Event> triggers;        // tap_ro_trigger
  std::vector<Event> measurements;    // meas_valid (with the bit)
  std::vector<Event> resolve_play;    // tap_resolve_play
  std::vector<Event> plays;           // tap_play
  std::vector<Event> first_beats;     // tuser && tvalid && tready
  std::vector<Event> decoder_starts, decoder_results;
  bool irq_seen = false;

 private:
  void drive_inputs();
  void sample_outputs();

  std::unique_ptr<Vrt_top> top_;
  hdl::regs::AxiLiteMaster<Vrt_top> axi_;
  std::uint64_t cycle_ = 0;
  std::mt19937 rng_{12345};
  unsigned measured_[kReadouts] = {0, 0};  // triggers seen per readout
  bool blob_state_[kReadouts] = {false, false};
};

}  // namespace qontos::sim::rt
