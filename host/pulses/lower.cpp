// Lowering to pulses: turns the compiled circuit into sequencer instructions and waveforms.
//
// Time: every qubit (and every channel) has a cursor in fabric clock cycles, starting at
// kLeadCycles (the sequencer needs 5 cycles from START to its first pulse, plus one per instruction
// fetched before it; 16 leaves room for a few simultaneous pulses); an operation starts
// when all its qubits are free (the schedule pass's as-soon-as-possible rule, in whole cycles) and
// lasts its descriptor duration rounded up to whole cycles. Gates: `rz` is virtual (it moves the
// qubit's frame by -theta / 2pi turns; later pulses carry the frame as their phase word); every
// other native gate plays its envelope from `control.gates` on the qubit's drive channel at the
// drive IF (two-qubit gates on their coupler's channel). Measurement: the readout tone on the
// qubit's readout channel and a TRIGGER of its readout `trigger_delay_ns` later; the classical bit
// remembers that readout and when the measurement ends. `reset`: a measurement and an X pulse conditioned on reading 1, played
// as soon as the bit is known (active reset). `if (bit == v)` over gates on one qubit: conditional
// pulses on that bit's readout, played as soon as it is known (feed-forward); for the schedule a
// conditional gate occupies its qubit from the end of the measurement it waits for. Waveforms: one
// envelope per distinct (shape, parameters, length), peak normalised to full scale, the gate's
// amplitude in the instruction.
#include "pulses/lower.h"

#include <cmath>
#include <map>
#include <numbers>
#include <tuple>

#include "passes/pass.h"

namespace qontos::pulses {
namespace {

using passes::PassError;

constexpr std::uint32_t kLeadCycles = 16;

struct Condition {
  int readout = 0;
  bool value = true;
  std::uint32_t ready = 0;  // cycle by which the measurement has ended (its bit is known)
};

class Lowering {
 public:
  Lowering(const ir::Program& p, const device::Descriptor& d) : prog_(p), dev_(d), ctl_(*d.control) {
    rate_per_ns_ = ctl_.clock_mhz * ctl_.samples_per_clock / 1000.0;
    qubit_cursor_.assign(static_cast<std::size_t>(p.num_qubits), kLeadCycles);
    frame_.assign(static_cast<std::size_t>(p.num_qubits), 0.0);
    clbit_readout_.assign(static_cast<std::size_t>(p.num_clbits), -1);
    clbit_ready_.assign(static_cast<std::size_t>(p.num_clbits), 0);
  }

  PulseProgram run() {
    for (const ir::Op& op : prog_.ops) lower(op);
    out_.instructions.push_back(seq::encode(seq::Instruction{}));  // END
    out_.clock_khz = static_cast<std::uint32_t>(std::lround(ctl_.clock_mhz * 1000));
    out_.samples_per_clock = static_cast<std::uint32_t>(ctl_.samples_per_clock);
    if (samples_.size() % 2) samples_.push_back(0);
    for (std::size_t i = 0; i < samples_.size(); i += 2)
      out_.wave_words.push_back(static_cast<std::uint16_t>(samples_[i]) |
                                (static_cast<std::uint32_t>(static_cast<std::uint16_t>(samples_[i + 1])) << 16));
    return out_;
  }

 private:
  [[noreturn]] void fail(int line, const std::string& what) const {
    throw PassError((line ? "line " + std::to_string(line) + ": " : std::string()) + "unsupported: " + what);
  }
  std::uint32_t cycles(double ns) const { return static_cast<std::uint32_t>(std::ceil(ns * ctl_.clock_mhz / 1000.0 - 1e-9)); }
  std::uint32_t freq_word(double if_mhz) const {
    const double turns = if_mhz / (ctl_.clock_mhz * ctl_.samples_per_clock);
    return static_cast<std::uint32_t>(static_cast<std::int64_t>(std::llround(turns * 4294967296.0)));
  }
  std::uint16_t phase_word(double turns) const {
    double f = turns - std::floor(turns);
    return static_cast<std::uint16_t>(static_cast<std::uint32_t>(std::lround(f * 65536.0)) & 0xFFFFu);
  }
  const device::QubitControl& qubit(int q, int line) const {
    const auto* c = ctl_.qubit_control(q);
    if (!c) fail(line, "qubit " + std::to_string(q) + " has no entry in the device's control.qubits");
    return *c;
  }
  void check_time(std::uint64_t t, int line) const {
    if (t > seq::kTimeMax) fail(line, "the program runs past 2^24 cycles; the sequencer's time field is 24 bits");
  }

  // Address (in beats) of an envelope, generating it on first use.
  std::uint32_t waveform(const device::PulseShape& s, std::uint32_t beats, int line) {
    const auto key = std::make_tuple(s.shape, s.sigma_ns, s.rise_ns, beats);
    if (auto it = waves_.find(key); it != waves_.end()) return it->second;
    const std::uint32_t addr = static_cast<std::uint32_t>(samples_.size()) / static_cast<std::uint32_t>(ctl_.samples_per_clock);
    if (addr + beats > seq::kWaveFieldMax)
      fail(line, "the waveforms need more than the " + std::to_string(seq::kWaveFieldMax) + " beats a program can address");
    const std::size_t n = std::size_t{beats} * static_cast<std::size_t>(ctl_.samples_per_clock);
    for (std::size_t i = 0; i < n; ++i) {
      double v = 1.0;
      const double x = static_cast<double>(i);
      if (s.shape == "gaussian") {
        const double c = (static_cast<double>(n) - 1) / 2, sigma = s.sigma_ns * rate_per_ns_;
        v = std::exp(-0.5 * ((x - c) / sigma) * ((x - c) / sigma));
      } else if (s.shape == "flat_top") {
        const double r = s.rise_ns * rate_per_ns_;
        const double edge = std::min(x + 0.5, static_cast<double>(n) - x - 0.5);
        if (edge < r) v = 0.5 * (1 - std::cos(std::numbers::pi * edge / r));
      }
      samples_.push_back(static_cast<std::int16_t>(std::lround(v * 32767.0)));
    }
    waves_[key] = addr;
    return addr;
  }

  void pulse(int channel, std::uint32_t t, const device::PulseShape& s, std::uint32_t beats, double if_mhz,
             double frame, const Condition* cond, int line) {
    check_time(t, line);
    auto& ch_cursor = channel_cursor_[channel];
    if (!cond && t < ch_cursor) t = ch_cursor;  // one pulse at a time per channel
    const std::uint32_t addr = waveform(s, beats, line);
    std::uint8_t flags = 0;
    if (cond) flags = static_cast<std::uint8_t>(seq::kFlagCond | seq::kFlagAsap | seq::condition(false, static_cast<unsigned>(cond->readout), cond->value));
    const auto amp = static_cast<std::int16_t>(std::lround(s.amp * 32767.0));
    out_.instructions.push_back(seq::encode(seq::pulse(static_cast<unsigned>(channel), t, addr, beats, amp,
                                                       phase_word(frame), freq_word(if_mhz), flags)));
    ch_cursor = std::max(ch_cursor, t + beats);
  }

  void gate(const ir::GateOp& g, int line, const Condition* cond) {
    if (g.name == "rz") {
      if (cond) fail(line, "a conditional rz (a frame change cannot wait for a measurement)");
      frame_[static_cast<std::size_t>(g.qubits[0])] -= g.params[0].radians() / (2 * std::numbers::pi);
      return;
    }
    const auto it = ctl_.gates.find(g.name);
    if (it == ctl_.gates.end()) fail(line, "gate '" + g.name + "' has no pulse in the device's control.gates");
    const std::uint32_t beats = std::max<std::uint32_t>(1, cycles(dev_.gate_duration_ns.at(g.name)));
    std::uint32_t t = cond ? cond->ready : 0;  // a conditional gate plays once its bit is known
    for (int q : g.qubits) t = std::max(t, qubit_cursor_[static_cast<std::size_t>(q)]);
    if (g.qubits.size() == 1) {
      const int q = g.qubits[0];
      const auto& qc = qubit(q, line);
      pulse(qc.drive_channel, t, it->second, beats, qc.drive_if_mhz, frame_[static_cast<std::size_t>(q)], cond, line);
    } else if (g.qubits.size() == 2) {
      if (cond) fail(line, "a conditional two-qubit gate");
      const auto* k = ctl_.coupler(g.qubits[0], g.qubits[1]);
      if (!k) fail(line, "no coupler in the device's control.couplers for (" + std::to_string(g.qubits[0]) + "," + std::to_string(g.qubits[1]) + ")");
      pulse(k->channel, t, it->second, beats, k->if_mhz, 0.0, nullptr, line);
    } else {
      fail(line, "gate '" + g.name + "' on " + std::to_string(g.qubits.size()) + " qubits");
    }
    for (int q : g.qubits) qubit_cursor_[static_cast<std::size_t>(q)] = t + beats;
  }

  // The readout that a measurement of q goes to; the tone and the trigger.
  int measure(int q, int line) {
    const auto& qc = qubit(q, line);
    std::uint32_t& cur = qubit_cursor_[static_cast<std::size_t>(q)];
    const std::uint32_t t = std::max(cur, channel_cursor_[qc.readout_channel]);
    const std::uint32_t beats = std::max<std::uint32_t>(1, cycles(ctl_.measure.duration_ns));
    pulse(qc.readout_channel, t, ctl_.measure, beats, qc.readout_if_mhz, 0.0, nullptr, line);
    const std::uint32_t trig = t + cycles(ctl_.trigger_delay_ns);
    check_time(trig, line);
    out_.instructions.push_back(seq::encode(seq::timed(seq::Op::kTrigger, static_cast<unsigned>(qc.readout), trig)));
    cur = t + std::max(beats, cycles(dev_.measure_duration_ns));
    last_measure_end_ = cur;
    return qc.readout;
  }

  Condition condition(const ir::IfOp& i, int line) const {
    const ir::Expr* e = i.condition.get();
    bool value = true;
    const ir::Expr* bit = nullptr;
    auto single_bit = [](const ir::Expr* x) -> int {
      if (x->kind == ir::Expr::Kind::kBit) return x->index;
      if (x->kind == ir::Expr::Kind::kRegister && x->bits.size() == 1) return x->bits[0];
      return -1;
    };
    if (single_bit(e) >= 0) {
      bit = e;
    } else if (e->kind == ir::Expr::Kind::kUnary && e->op == "!" && single_bit(e->args[0].get()) >= 0) {
      bit = e->args[0].get();
      value = false;
    } else if (e->kind == ir::Expr::Kind::kBinary && (e->op == "==" || e->op == "!=")) {
      const ir::Expr* a = e->args[0].get();
      const ir::Expr* b = e->args[1].get();
      if (single_bit(a) < 0) std::swap(a, b);
      if (single_bit(a) >= 0 && (b->kind == ir::Expr::Kind::kInt || b->kind == ir::Expr::Kind::kBool) &&
          (b->int_value == 0 || b->int_value == 1)) {
        bit = a;
        value = (b->int_value == 1) == (e->op == "==");
      }
    }
    if (!bit) fail(line, "an `if` whose condition is not one classical bit compared with 0 or 1");
    const int c = single_bit(bit);
    const int r = clbit_readout_[static_cast<std::size_t>(c)];
    if (r < 0) fail(line, "an `if` on classical bit " + std::to_string(c) + ", which no earlier measurement wrote");
    return Condition{r, value, clbit_ready_[static_cast<std::size_t>(c)]};
  }

  void lower(const ir::Op& op) {
    const int line = op.line;
    if (const auto* g = std::get_if<ir::GateOp>(&op.v)) {
      gate(*g, line, nullptr);
    } else if (const auto* m = std::get_if<ir::MeasureOp>(&op.v)) {
      clbit_readout_[static_cast<std::size_t>(m->clbit)] = measure(m->qubit, line);
      clbit_ready_[static_cast<std::size_t>(m->clbit)] = last_measure_end_;
    } else if (const auto* r = std::get_if<ir::ResetOp>(&op.v)) {
      const int readout = measure(r->qubit, line);
      const Condition one{readout, true, last_measure_end_};
      ir::GateOp x;
      x.name = "x";
      x.qubits = {r->qubit};
      gate(x, line, &one);
    } else if (const auto* b = std::get_if<ir::BarrierOp>(&op.v)) {
      std::uint32_t t = 0;
      for (int q : b->qubits) t = std::max(t, qubit_cursor_[static_cast<std::size_t>(q)]);
      for (int q : b->qubits) qubit_cursor_[static_cast<std::size_t>(q)] = t;
    } else if (const auto* d = std::get_if<ir::DelayOp>(&op.v)) {
      const double scale = d->unit == "ns" ? 1 : d->unit == "us" ? 1e3 : d->unit == "ms" ? 1e6 : d->unit == "s" ? 1e9 : -1;
      if (scale < 0) fail(line, "a delay in '" + d->unit + "'");
      for (int q : d->qubits) qubit_cursor_[static_cast<std::size_t>(q)] += cycles(d->duration * scale);
    } else if (std::holds_alternative<ir::GlobalPhaseOp>(op.v)) {
      // A global phase changes no pulse.
    } else if (const auto* i = std::get_if<ir::IfOp>(&op.v)) {
      Condition c = condition(*i, line);
      for (const ir::OpList* branch : {&i->then_ops, &i->else_ops}) {
        for (const ir::Op& inner : *branch) {
          const auto* body_gate = std::get_if<ir::GateOp>(&inner.v);
          if (!body_gate || body_gate->qubits.size() != 1) fail(line, "an `if` body other than single-qubit gates");
          gate(*body_gate, inner.line ? inner.line : line, &c);
        }
        c.value = !c.value;  // the else branch plays on the other value
      }
    } else {
      fail(line, "this statement (loops and classical assignments have no sequencer form yet)");
    }
  }

  const ir::Program& prog_;
  const device::Descriptor& dev_;
  const device::ControlSection& ctl_;
  double rate_per_ns_ = 1;
  std::vector<std::uint32_t> qubit_cursor_;
  std::map<int, std::uint32_t> channel_cursor_;
  std::vector<double> frame_;
  std::vector<int> clbit_readout_;
  std::vector<std::uint32_t> clbit_ready_;
  std::uint32_t last_measure_end_ = 0;
  std::map<std::tuple<std::string, double, double, std::uint32_t>, std::uint32_t> waves_;
  std::vector<std::int16_t> samples_;
  PulseProgram out_;
};

}  // namespace

PulseProgram lower_to_pulses(const ir::Program& program, const device::Descriptor& device) {
  if (!device.control)
    throw PassError("unsupported: device '" + device.name + "' has no control section, so it has no pulses (board/devices/README.md)");
  return Lowering(program, device).run();
}

}  // namespace qontos::pulses
