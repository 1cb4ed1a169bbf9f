// Verilator testbench of the pulse sequencer (hdl/sequencer/rtl/sequencer.v). Programs are
// encoded with seq_instruction.h's encode() and uploaded through the upload ports; every run is
// compared cycle-exactly with the HLS model (hdl/sequencer/hls/seq_model.h): every stream beat of
// every channel (zeros included) and its tuser, every ev_play / ev_resolve / ev_first_sample /
// ro_trigger / late_set strobe, and the final status. Directed programs also check hand-computed
// times.
//   tb_sequencer directed         the directed programs (loop + branches, feed-forward, late,
//                                 illegal, aborts, tready stall, decoder, conditions on the
//                                 last earlier TRIGGER: reset then measure, late head, history
//                                 depth, no earlier TRIGGER)
//   tb_sequencer random [N]       N random programs (default 300) against the model
// Prints a summary line; exit 0 when every check held. (Verilator names the C++ member of the
// (The software abort port is `sw_abort`.)
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "Vsequencer.h"
#include "sequencer/hls/seq_instruction.h"
#include "sequencer/hls/seq_model.h"
#include "verilated.h"

namespace {

using namespace qontos::hdl::sequencer;

constexpr unsigned kChannels = 2, kReadouts = 2, kSpc = 4, kProgLog2 = 10, kWaveLog2 = 10;
constexpr unsigned kProgDepth = 1u << kProgLog2;
constexpr unsigned kWaveWords = (1u << kWaveLog2) * kSpc / 2;

int g_failures = 0;
long g_checks = 0;
void check(bool ok, const std::string& what) {
  ++g_checks;
  if (!ok) {
    ++g_failures;
    if (g_failures <= 40) std::fprintf(stderr, "FAIL: %s\n", what.c_str());
  }
}
std::string fmt(const char* f, long a = 0, long b = 0, long c = 0, long d = 0) {
  char buf[256];
  std::snprintf(buf, sizeof buf, f, a, b, c, d);
  return buf;
}

struct Observed {
  struct Ev {
    unsigned idx;
    std::uint32_t cycle;
    bool flag;
  };
  std::vector<Ev> plays, triggers, resolves, firsts;
  std::vector<std::uint32_t> late_set_cycles;
  std::uint8_t late_channels = 0;
  std::vector<std::uint32_t> irq_done, irq_late;
  std::vector<std::vector<std::uint32_t>> ro_valid_cycles{kReadouts};
  // Accepted beats with non-zero data or tuser, per channel (for the stall test).
  std::vector<std::vector<std::vector<std::int16_t>>> content{kChannels};
  std::uint32_t end_cycle = 0;
  bool ended = false;
  long beats_compared = 0;
};

class Bench {
 public:
  Bench() : m_(std::make_unique<Vsequencer>()), model_(std::make_unique<SeqResult>()) {
    m_->rst = 1;
    zero_inputs();
    for (int i = 0; i < 4; ++i) tick();
    m_->rst = 0;
    tick();
    // Bring the memories to a known state that the shadows mirror.
    std::vector<Words> p(kProgDepth);
    upload_program(p, 0);
    std::vector<std::uint32_t> w(kWaveWords, 0);
    upload_wave(w);
  }

  Vsequencer& m() { return *m_; }
  std::vector<Words> prog_shadow = std::vector<Words>(kProgDepth);
  std::vector<std::uint32_t> wave_shadow = std::vector<std::uint32_t>(kWaveWords, 0);
  long total_cycles = 0;

  void zero_inputs() {
    m_->start = 0;
    m_->sw_abort = 0;
    m_->wd_abort = 0;
    m_->abort_on_late = 0;
    m_->prog_we = 0;
    m_->prog_word = 0;
    m_->prog_wdata = 0;
    m_->wave_we = 0;
    m_->wave_word = 0;
    m_->wave_wdata = 0;
    m_->ro_valid = 0;
    m_->ro_bit = 0;
    m_->dec_start = 0;
    m_->dec_valid = 0;
    m_->dec_result = 0;
    m_->m_axis_tready = (1u << kChannels) - 1;
  }
  void tick() {
    m_->clk = 0;
    m_->eval();
    m_->clk = 1;
    m_->eval();
    ++total_cycles;
  }

  void upload_program(const std::vector<Words>& prog, unsigned first) {
    unsigned word = first * 4;
    for (const Words& w : prog) {
      for (int k = 0; k < 4; ++k) {
        m_->prog_we = 1;
        m_->prog_word = static_cast<std::uint16_t>(word);
        m_->prog_wdata = w.w[k];
        m_->eval();
        check(m_->prog_word_hw_we == 1 && m_->prog_word_hw_d == ((word + 1) & 0xFFFF), "prog_word auto-increment");
        tick();
        ++word;
      }
      prog_shadow[first++] = w;
    }
    m_->prog_we = 0;
  }
  void upload_instructions(const std::vector<Instruction>& prog) {
    std::vector<Words> w;
    for (const Instruction& i : prog) w.push_back(encode(i));
    upload_program(w, 0);
  }
  void upload_wave(const std::vector<std::uint32_t>& words) {
    for (unsigned i = 0; i < words.size(); ++i) {
      m_->wave_we = 1;
      m_->wave_word = i;
      m_->wave_wdata = words[i];
      m_->eval();
      check(m_->wave_word_hw_we == 1 && m_->wave_word_hw_d == i + 1, "wave_word auto-increment");
      tick();
      wave_shadow[i] = words[i];
    }
    m_->wave_we = 0;
  }

  struct RunOptions {
    bool abort_on_late = false;
    std::uint32_t max_cycles = 60000;
    // tready low probability per cycle on each channel (0: always high). With stalls only the
    // beat contents are compared, not their cycles.
    double stall_prob[kChannels] = {0, 0};
    std::uint32_t rng_seed = 1;
    bool quiet = true;
  };

  // Runs the uploaded program with the stimulus; compares with the model. Returns the model's
  // result (valid until the next run).
  const SeqResult& run(const SeqStimulus& stim, const RunOptions& opt, Observed& obs, const std::string& name) {
    SeqConfig cfg;
    cfg.abort_on_late = opt.abort_on_late;
    SeqModel::run(cfg, prog_shadow.data(), wave_shadow.data(), stim, opt.max_cycles, *model_);
    const SeqResult& r = *model_;
    check(!r.overflow, name + ": model capacity");
    const bool stalls = opt.stall_prob[0] > 0 || opt.stall_prob[1] > 0;
    std::mt19937 rng(opt.rng_seed);
    std::uniform_real_distribution<double> u(0, 1);

    // Index the model's beats by cycle per channel.
    std::vector<std::vector<int>> beat_at(kChannels, std::vector<int>(r.last_cycle + 8, -1));
    for (unsigned i = 0; i < r.n_beats; ++i) {
      const SeqBeat& b = r.beats[i];
      if (b.cycle < beat_at[b.chan].size()) beat_at[b.chan][b.cycle] = static_cast<int>(i);
    }

    zero_inputs();
    m_->abort_on_late = opt.abort_on_late;
    m_->start = 1;
    tick();
    m_->start = 0;
    // Responder state (the tb's own, reacting to the RTL's ro_trigger).
    std::vector<std::vector<std::pair<std::uint32_t, bool>>> pending(kReadouts);
    unsigned fired[kReadouts] = {0, 0};
    std::uint32_t c = 0;
    std::uint32_t limit = opt.max_cycles + 4;
    for (; c < limit; ++c) {
      // Inputs of cycle c.
      m_->ro_valid = 0;
      m_->ro_bit = 0;
      m_->dec_start = 0;
      m_->dec_valid = 0;
      m_->dec_result = 0;
      m_->sw_abort = 0;
      m_->wd_abort = 0;
      for (unsigned k = 0; k < kReadouts; ++k) {
        for (auto& p : pending[k]) {
          if (p.first == c) {
            m_->ro_valid |= 1u << k;
            if (p.second) m_->ro_bit |= 1u << k;
          }
        }
      }
      for (unsigned e = 0; e < stim.n_events; ++e) {
        const auto& ev = stim.events[e];
        if (ev.cycle != c) continue;
        switch (ev.kind) {
          case SeqStimulus::kReadout:
            m_->ro_valid |= 1u << ev.index;
            m_->ro_bit = (m_->ro_bit & ~(1u << ev.index)) | (ev.bit ? 1u << ev.index : 0u);
            break;
          case SeqStimulus::kDecStart: m_->dec_start = 1; break;
          case SeqStimulus::kDecResult:
            m_->dec_valid = 1;
            m_->dec_result = ev.bit;
            break;
          case SeqStimulus::kAbort: m_->sw_abort = 1; break;
          default: m_->wd_abort = 1; break;
        }
      }
      unsigned tready = 0;
      for (unsigned k = 0; k < kChannels; ++k)
        if (!(opt.stall_prob[k] > 0 && u(rng) < opt.stall_prob[k])) tready |= 1u << k;
      m_->m_axis_tready = tready;
      m_->clk = 0;
      m_->eval();
      for (unsigned k = 0; k < kReadouts; ++k)
        if (m_->ro_valid >> k & 1) obs.ro_valid_cycles[k].push_back(c);

      // Observe cycle c (registered strobes of the last running cycle show in the first idle one).
      if (m_->late_set) {
        obs.late_set_cycles.push_back(c);
        obs.late_channels |= m_->late_set;
        for (auto& p : obs.plays)
          if (p.cycle + 1 == c && (m_->late_set >> p.idx & 1)) p.flag = true;
      }
      if (m_->irq_done_set) obs.irq_done.push_back(c);
      if (m_->irq_late_set) obs.irq_late.push_back(c);
      if (!m_->running) {
        obs.ended = true;
        obs.end_cycle = c;
        break;
      }
      for (unsigned k = 0; k < kChannels; ++k) {
        if (m_->ev_play >> k & 1) obs.plays.push_back({k, c, false});
        if (m_->ev_resolve >> k & 1) obs.resolves.push_back({k, c, static_cast<bool>(m_->ev_resolve_play >> k & 1)});
        check(!(m_->ev_resolve_play >> k & 1) || (m_->ev_resolve >> k & 1), "ev_resolve_play without ev_resolve");
        if (m_->ev_first_sample >> k & 1) obs.firsts.push_back({k, c, false});
        check((m_->m_axis_tvalid >> k & 1) == 1, name + ": tvalid high");
      }
      for (unsigned k = 0; k < kReadouts; ++k) {
        if (m_->ro_trigger >> k & 1) {
          obs.triggers.push_back({k, c, false});
          if (stim.responder) {
            const bool bit = (stim.pattern[k] >> (fired[k] % 64)) & 1u;
            pending[k].push_back({c + stim.delay[k], bit});
          }
          ++fired[k];
        }
      }
      // Stream beats.
      for (unsigned k = 0; k < kChannels; ++k) {
        std::int16_t s[kSpc];
        bool nz = false;
        for (unsigned j = 0; j < kSpc; ++j) {
          const unsigned bit = k * kSpc * 16 + j * 16;
          s[j] = static_cast<std::int16_t>((m_->m_axis_tdata[bit / 32] >> (bit % 32)) & 0xFFFF);
          nz |= s[j] != 0;
        }
        const bool tuser = m_->m_axis_tuser >> k & 1;
        const bool accepted = tready >> k & 1;
        if (accepted && (nz || tuser)) obs.content[k].push_back(std::vector<std::int16_t>(s, s + kSpc));
        if (accepted && tuser) obs.content[k].back().push_back(0x7FFF);  // marks a first beat
        if (stalls) continue;
        const int bi = c < beat_at[k].size() ? beat_at[k][c] : -1;
        bool ok = true;
        if (bi < 0) {
          ok = !nz && !tuser;
        } else {
          const SeqBeat& b = r.beats[bi];
          ok = tuser == b.tuser;
          for (unsigned j = 0; j < kSpc; ++j) ok = ok && s[j] == b.s[j];
        }
        ++obs.beats_compared;
        if (!ok) {
          char buf[256];
          std::snprintf(buf, sizeof buf, "%s: beat ch%u cycle %u: rtl [%d %d %d %d] tuser %d, model %s [%d %d %d %d] tuser %d",
                        name.c_str(), k, c, s[0], s[1], s[2], s[3], tuser, bi < 0 ? "none" : "beat",
                        bi < 0 ? 0 : r.beats[bi].s[0], bi < 0 ? 0 : r.beats[bi].s[1], bi < 0 ? 0 : r.beats[bi].s[2],
                        bi < 0 ? 0 : r.beats[bi].s[3], bi < 0 ? 0 : r.beats[bi].tuser);
          check(false, buf);
        }
      }
      m_->clk = 1;
      m_->eval();
      ++total_cycles;
    }
    // The status is compared as it stands after the last running cycle: no new inputs.
    zero_inputs();
    tick();
    check(!m_->irq_done_set && !m_->irq_late_set && !m_->late_set, name + ": strobes last one cycle");
    compare(r, obs, name, stalls);
    return r;
  }

 private:
  std::unique_ptr<Vsequencer> m_;
  std::unique_ptr<SeqResult> model_;

  void compare(const SeqResult& r, const Observed& o, const std::string& name, bool stalls) {
    check(r.finished == o.ended, name + ": run ended in RTL and model alike");
    if (!r.finished) return;
    if (!stalls) {
      check(o.end_cycle == r.last_cycle + 1, name + fmt(": end cycle rtl %ld model %ld", o.end_cycle, r.last_cycle + 1));
      // Pulse starts.
      check(o.plays.size() == r.n_pulses, name + fmt(": pulses started rtl %ld model %ld", o.plays.size(), r.n_pulses));
      for (unsigned i = 0; i < o.plays.size() && i < r.n_pulses; ++i) {
        const auto& p = r.pulses[i];
        check(o.plays[i].idx == p.chan && o.plays[i].cycle == p.launch && o.plays[i].flag == p.late,
              name + fmt(": pulse %ld: rtl ch%ld launch %ld, model launch %ld", i, o.plays[i].idx, o.plays[i].cycle, p.launch));
      }
      std::size_t nf = 0;
      for (unsigned i = 0; i < r.n_pulses; ++i)
        if (r.pulses[i].first_beat <= r.last_cycle) ++nf;
      check(o.firsts.size() == nf, name + fmt(": ev_first_sample count rtl %ld model %ld", o.firsts.size(), nf));
      for (unsigned i = 0, j = 0; i < r.n_pulses && j < o.firsts.size(); ++i) {
        if (r.pulses[i].first_beat > r.last_cycle) continue;
        // firsts are in cycle order; pulses in launch order (same order: fixed latency).
        check(o.firsts[j].cycle == r.pulses[i].first_beat && o.firsts[j].idx == r.pulses[i].chan,
              name + fmt(": first sample %ld at %ld, model %ld", j, o.firsts[j].cycle, r.pulses[i].first_beat));
        ++j;
      }
      check(o.triggers.size() == r.n_triggers, name + fmt(": triggers rtl %ld model %ld", o.triggers.size(), r.n_triggers));
      for (unsigned i = 0; i < o.triggers.size() && i < r.n_triggers; ++i)
        check(o.triggers[i].idx == r.triggers[i].readout && o.triggers[i].cycle == r.triggers[i].cycle,
              name + fmt(": trigger %ld rtl %ld model %ld", i, o.triggers[i].cycle, r.triggers[i].cycle));
      check(o.resolves.size() == r.n_resolves, name + fmt(": resolves rtl %ld model %ld", o.resolves.size(), r.n_resolves));
      for (unsigned i = 0; i < o.resolves.size() && i < r.n_resolves; ++i)
        check(o.resolves[i].idx == r.resolves[i].chan && o.resolves[i].cycle == r.resolves[i].cycle &&
                  o.resolves[i].flag == r.resolves[i].play,
              name + fmt(": resolve %ld rtl %ld model %ld", i, o.resolves[i].cycle, r.resolves[i].cycle));
      check(o.irq_done.size() == (r.done ? 1u : 0u) && (!r.done || o.irq_done[0] == r.last_cycle + 1), name + ": irq_done_set");
    } else {
      // Stall: the accepted pulse beats, in order, are exactly the model's.
      for (unsigned k = 0; k < kChannels; ++k) {
        std::vector<std::vector<std::int16_t>> want;
        for (unsigned i = 0; i < r.n_beats; ++i) {
          const SeqBeat& b = r.beats[i];
          if (b.chan != k) continue;
          bool nz = false;
          for (unsigned j = 0; j < kSpc; ++j) nz |= b.s[j] != 0;
          if (!nz && !b.tuser) continue;
          want.push_back(std::vector<std::int16_t>(b.s, b.s + kSpc));
          if (b.tuser) want.back().push_back(0x7FFF);
        }
        check(want == o.content[k], name + fmt(": stalled channel %ld: %ld beats, model %ld", k, o.content[k].size(), want.size()));
      }
    }
    const Vsequencer& m = *m_;
    check(m.running == 0, name + ": not running");
    check(m.done == r.done, name + fmt(": done rtl %ld model %ld", m.done, r.done));
    check(m.aborted == r.aborted, name + fmt(": aborted rtl %ld model %ld", m.aborted, r.aborted));
    check(m.abort_cause == static_cast<unsigned>(r.cause), name + fmt(": cause rtl %ld model %ld", m.abort_cause, static_cast<long>(r.cause)));
    check(m.pc == r.pc, name + fmt(": pc rtl %ld model %ld", m.pc, r.pc));
    check(m.pulses == r.pulse_count, name + fmt(": pulses rtl %ld model %ld", m.pulses, r.pulse_count));
    if (stalls) return;
    check(m.run_cycles == r.run_cycles, name + fmt(": run_cycles rtl %ld model %ld", m.run_cycles, r.run_cycles));
    check(m.late_count == r.late_count, name + fmt(": late_count rtl %ld model %ld", m.late_count, r.late_count));
    check(o.late_channels == r.late_channels, name + ": late channels");
    check(m.first_late_valid == r.first_late_valid && m.first_late_cycles == r.first_late_cycles &&
              m.first_late_channel == r.first_late_channel,
          name + fmt(": first late rtl %ld/%ld model %ld/%ld", m.first_late_cycles, m.first_late_channel, r.first_late_cycles,
                     r.first_late_channel));
    check(m.meas_bits == r.meas_bits && m.meas_fresh == r.meas_fresh && m.dec_bit == r.dec_bit && m.dec_fresh == r.dec_fresh,
          name + fmt(": meas rtl %ld/%ld model %ld/%ld", m.meas_bits, m.meas_fresh, r.meas_bits, r.meas_fresh));
  }
};

// ------------------------------------------------------------------ helpers
std::vector<std::uint32_t> random_wave(std::mt19937& rng, int min_abs = 0) {
  std::vector<std::uint32_t> w(kWaveWords);
  std::uniform_int_distribution<int> d(-32768, 32767);
  for (auto& x : w) {
    int a = d(rng), b = d(rng);
    if (min_abs) {
      a = (a < 0 ? -1 : 1) * (min_abs + std::abs(a) % 20000);
      b = (b < 0 ? -1 : 1) * (min_abs + std::abs(b) % 20000);
    }
    x = (static_cast<std::uint32_t>(a) & 0xFFFF) | (static_cast<std::uint32_t>(b) << 16);
  }
  return w;
}

std::vector<std::uint32_t> first_beats(const Observed& o, unsigned chan) {
  std::vector<std::uint32_t> v;
  for (const auto& f : o.firsts)
    if (f.idx == chan) v.push_back(f.cycle);
  return v;
}

std::string list(const std::vector<std::uint32_t>& v) {
  std::string s;
  for (auto x : v) s += " " + std::to_string(x);
  return s;
}

constexpr Instruction end_() { return Instruction{}; }

// ------------------------------------------------------------------ directed programs
void directed(Bench& b) {
  std::mt19937 rng(11);
  b.upload_wave(random_wave(rng));
  Bench::RunOptions opt;

  // (1) Loop (SETC/DJNZ + SYNC) with a branch on readout 0 (responder: bits 1, 0, 1).
  {
    b.upload_instructions({
        timed(Op::kSetCounter, 0, 3),                                            // 0
        pulse(0, 10, 0, 8, 20000, 0x1000, 0x01000000),                           // 1 L
        timed(Op::kTrigger, 0, 20),                                              // 2
        jump_to(Op::kBranch, 0, 6, condition(false, 0, true)),                  // 3
        pulse(1, 60, 100, 5, -12000, 0, 0),                                      // 4 bit 0
        jump_to(Op::kJump, 0, 7),                                                // 5
        pulse(1, 70, 200, 6, 30000, 0x4000, 0x00800000),                         // 6 bit 1
        timed(Op::kSync, 0, 100),                                                // 7
        jump_to(Op::kDecJumpNotZero, 0, 1),                                      // 8
        end_(),                                                                  // 9
    });
    SeqStimulus st;
    st.responder = true;
    st.delay[0] = 15;
    st.pattern[0] = 0b101;
    Observed o;
    const SeqResult& r = b.run(st, opt, o, "loop+branch");
    std::printf("loop+branch: ch0 first beats%s; ch1 first beats%s; triggers at", list(first_beats(o, 0)).c_str(),
                list(first_beats(o, 1)).c_str());
    for (auto& t : o.triggers) std::printf(" %u", t.cycle);
    std::printf("; done at %u\n", o.end_cycle);
    check(first_beats(o, 0) == std::vector<std::uint32_t>({10, 110, 210}), "loop: channel 0 pulses at 10, 110, 210");
    check(first_beats(o, 1) == std::vector<std::uint32_t>({70, 160, 270}), "loop: branch outcomes 1, 0, 1 -> 70, 160, 270");
    check(o.triggers.size() == 3 && o.triggers[0].cycle == 20 && o.triggers[1].cycle == 120 && o.triggers[2].cycle == 220,
          "loop: triggers at 20, 120, 220");
    check(r.done && r.pulse_count == 6 && r.late_count == 0, "loop: done, 6 pulses, none late");
  }

  // (2) Feed-forward: TRIGGER, then ASAP conditional pulses (VALUE 1 on ch0, VALUE 0 on ch1);
  // the bit arrives at cycle 40.
  for (int bit = 0; bit < 2; ++bit) {
    b.upload_instructions({
        timed(Op::kTrigger, 0, 10),
        pulse(0, 0, 0, 4, 25000, 0, 0, kFlagCond | kFlagAsap | condition(false, 0, true)),
        pulse(1, 0, 8, 4, 25000, 0, 0, kFlagCond | kFlagAsap | condition(false, 0, false)),
        end_(),
    });
    SeqStimulus st;
    st.add(40, SeqStimulus::kReadout, 0, bit != 0);
    Observed o;
    const SeqResult& r = b.run(st, opt, o, bit ? "feedforward bit 1" : "feedforward bit 0");
    const unsigned played = bit ? 0 : 1;
    const auto fb = first_beats(o, played);
    const long n = fb.empty() ? -1 : static_cast<long>(fb[0]) - 40;
    std::printf("feedforward cycles: %ld (bit %d: ro_valid at 40, first conditional beat on ch%u at %u; other pulse %s)\n", n,
                bit, played, fb.empty() ? 0 : fb[0], first_beats(o, 1 - played).empty() ? "dropped" : "PLAYED");
    check(n >= 0 && n <= 8, "feedforward <= 8 cycles");
    check(n == static_cast<long>(kLaunchLatency), "feedforward == launch latency");
    check(first_beats(o, 1 - played).empty(), "feedforward: the other pulse is dropped");
    check(o.resolves.size() == 2 && o.resolves[0].cycle == 40 && o.resolves[1].cycle == 40, "feedforward: both resolve at 40");
    check(r.done && r.pulse_count == 1, "feedforward: one pulse counted");
  }

  // (3) Late pulses: time 0 right after START (late by 5), and a pulse queued behind a long one;
  // a trigger at time 0 (late by 2). Then the same with abort_on_late.
  for (int aol = 0; aol < 2; ++aol) {
    b.upload_instructions({
        pulse(0, 0, 0, 3, 10000),
        pulse(1, 20, 0, 50, 10000),
        pulse(1, 30, 0, 4, 10000),
        timed(Op::kTrigger, 1, 0),
        end_(),
    });
    SeqStimulus st;
    Bench::RunOptions o2 = opt;
    o2.abort_on_late = aol != 0;
    Observed o;
    const SeqResult& r = b.run(st, o2, o, aol ? "late abort" : "late");
    if (!aol) {
      std::printf("late: late_count %u, first late %u cycles on channel %u; ch0 first beats%s, ch1%s; trigger at %u\n",
                  b.m().late_count, b.m().first_late_cycles, b.m().first_late_channel, list(first_beats(o, 0)).c_str(),
                  list(first_beats(o, 1)).c_str(), o.triggers.empty() ? 0 : o.triggers[0].cycle);
      check(b.m().late_count == 3 && b.m().first_late_valid && b.m().first_late_cycles == 5 && b.m().first_late_channel == 0,
            "late: three late (pulse t=0 by 5 cycles first)");
      check(first_beats(o, 0) == std::vector<std::uint32_t>({5}), "late: t=0 pulse starts at 5, not shifted silently");
      check(first_beats(o, 1) == std::vector<std::uint32_t>({20, 70}), "late: queued pulse starts right after the long one");
      check(o.late_channels == 3 && b.m().done, "late: both channels flagged, run done");
    } else {
      check(r.aborted && b.m().abort_cause == 3 && b.m().pulses == 0 && b.m().late_count == 1, "late abort: cause LATE at once");
      check(o.firsts.empty(), "late abort: nothing played");
    }
  }

  // (4) Illegal instructions: each aborts with ILLEGAL and pc at it.
  {
    std::vector<std::pair<std::string, Instruction>> bad;
    for (unsigned op = kOpCount; op < 16; ++op) {
      Instruction i;
      i.op = static_cast<Op>(op);
      bad.push_back({"op " + std::to_string(op), i});
    }
    bad.push_back({"wave_len 0", pulse(0, 100, 0, 0, 1000)});
    bad.push_back({"past waveform end", pulse(0, 100, 1020, 5, 1000)});
    bad.push_back({"channel 2", pulse(2, 100, 0, 4, 1000)});
    bad.push_back({"channel 15", pulse(15, 100, 0, 4, 1000)});
    bad.push_back({"cond readout 2", pulse(0, 100, 0, 4, 1000, 0, 0, kFlagCond | condition(false, 2, true))});
    bad.push_back({"trigger readout 2", timed(Op::kTrigger, 2, 10)});
    bad.push_back({"setc counter 4", timed(Op::kSetCounter, 4, 10)});
    bad.push_back({"djnz counter 5", jump_to(Op::kDecJumpNotZero, 5, 0)});
    bad.push_back({"djnz target", jump_to(Op::kDecJumpNotZero, 0, 1024)});
    bad.push_back({"branch target", jump_to(Op::kBranch, 0, 5000, condition(false, 0, true))});
    bad.push_back({"branch readout 3", jump_to(Op::kBranch, 0, 0, condition(false, 3, true))});
    bad.push_back({"cond on untriggered readout 0", pulse(0, 100, 0, 4, 1000, 0, 0, kFlagCond | condition(false, 0, true))});
    bad.push_back({"branch on untriggered readout 1", jump_to(Op::kBranch, 0, 0, condition(false, 1, true))});
    bad.push_back({"jump target", jump_to(Op::kJump, 0, 0xFFFF)});
    int ok = 0;
    for (auto& [what, ins] : bad) {
      b.upload_instructions({timed(Op::kSync, 0, 5), pulse(0, 30, 0, 40, 1000), timed(Op::kSync, 0, 5), ins, end_()});
      SeqStimulus st;
      Observed o;
      b.run(st, opt, o, "illegal " + what);
      const bool good = b.m().aborted && b.m().abort_cause == 4 && b.m().pc == 3;
      check(good, "illegal " + what + ": aborted ILLEGAL at pc 3");
      ok += good;
    }
    // Fetching past the end of the program memory.
    std::vector<Words> tail;
    for (int k = 0; k < 4; ++k) tail.push_back(encode(timed(Op::kSync, 0, 1)));
    b.upload_program(tail, kProgDepth - 4);
    b.upload_instructions({jump_to(Op::kJump, 0, kProgDepth - 4)});
    SeqStimulus st;
    Observed o;
    b.run(st, opt, o, "illegal fetch past end");
    const bool good = b.m().aborted && b.m().abort_cause == 4 && b.m().pc == kProgDepth;
    check(good, "fetch past end: ILLEGAL with pc 1024");
    ok += good;
    std::printf("illegal: %d of %zu kinds abort with ILLEGAL at the right pc\n", ok, bad.size() + 1);
  }

  // (5) Software and watchdog abort mid-pulse.
  for (int wd = 0; wd < 2; ++wd) {
    b.upload_instructions({pulse(0, 10, 0, 100, 20000, 0, 0x00400000), pulse(1, 10, 0, 100, 20000),
                           pulse(0, 300, 0, 10, 20000), timed(Op::kTrigger, 0, 400), end_()});
    SeqStimulus st;
    st.add(57, wd ? SeqStimulus::kWatchdog : SeqStimulus::kAbort);
    Observed o;
    const SeqResult& r = b.run(st, opt, o, wd ? "watchdog abort" : "software abort");
    check(r.aborted && b.m().abort_cause == (wd ? 2u : 1u) && b.m().pulses == 2 && o.triggers.empty(),
          "abort: cause, two pulses started, later ones flushed");
    check(o.end_cycle == 58, "abort: running low the cycle after");
  }

  // (6) tready low on channel 1 (and briefly on 0): the pipeline stalls, no sample is lost.
  {
    std::mt19937 wr(5);
    b.upload_wave(random_wave(wr, 2000));
    std::vector<Instruction> p;
    for (int k = 0; k < 12; ++k) {
      p.push_back(pulse(k % 2, 20 + 15 * k, 37 * k, 5 + k, static_cast<std::int16_t>(20000 + 500 * k)));
    }
    p.push_back(end_());
    b.upload_instructions(p);
    SeqStimulus st;
    Bench::RunOptions o2 = opt;
    o2.stall_prob[1] = 0.4;
    o2.stall_prob[0] = 0.05;
    Observed o;
    b.run(st, o2, o, "tready stall");
    std::size_t beats = o.content[0].size() + o.content[1].size();
    std::printf("tready stall: %zu pulse beats accepted on the two channels, all in order, %u late\n", beats,
                b.m().late_count);
    check(b.m().done && b.m().pulses == 12, "stall: done, 12 pulses");
    b.upload_wave(random_wave(rng));
  }

  // (7) Decoder-conditioned pulses and a branch on the decoder's result.
  {
    b.upload_instructions({
        pulse(0, 0, 0, 6, 15000, 0, 0, kFlagCond | kFlagAsap | condition(true, 0, true)),    // plays (result 1)
        pulse(1, 0, 0, 6, 15000, 0, 0, kFlagCond | kFlagAsap | condition(true, 0, false)),   // dropped
        jump_to(Op::kBranch, 0, 4, condition(true, 0, true)),                               // taken
        pulse(1, 500, 0, 6, 15000),                                                         // skipped
        pulse(1, 200, 20, 6, -15000, 0, 0, kFlagCond | condition(true, 0, true)),           // timed cond
        end_(),
    });
    SeqStimulus st;
    st.add(5, SeqStimulus::kDecStart);
    st.add(60, SeqStimulus::kDecResult, 0, true);
    Observed o;
    const SeqResult& r = b.run(st, opt, o, "decoder");
    std::printf("decoder: ch0 first beats%s, ch1%s\n", list(first_beats(o, 0)).c_str(), list(first_beats(o, 1)).c_str());
    check(first_beats(o, 0) == std::vector<std::uint32_t>({64}), "decoder: ASAP pulse 4 cycles after dec_valid");
    check(first_beats(o, 1) == std::vector<std::uint32_t>({200}), "decoder: timed conditional pulse at 200, other dropped");
    check(r.done && r.pulse_count == 2, "decoder: two pulses");
  }

  // (8) Reset then measure: a conditional pulse refers to the last TRIGGER of its readout before
  // it in program order, even while a later TRIGGER of the same readout is already queued. The
  // active-reset pulse (ch1, cond r1 == 1) waits at its head while the second TRIGGER is queued
  // (cycle 3); results: first bit b at 86, second !b at 194.
  for (int bit = 0; bit < 2; ++bit) {
    b.upload_instructions({
        timed(Op::kTrigger, 1, 56),                                                        // 0 reset's measurement
        pulse(1, 0, 0, 4, 20000, 0, 0, kFlagCond | kFlagAsap | condition(false, 1, true)),  // 1 X if 1
        pulse(0, 100, 10, 4, 20000),                                                       // 2
        timed(Op::kTrigger, 1, 164),                                                       // 3 c = measure
        pulse(0, 0, 20, 4, 20000, 0, 0, kFlagCond | kFlagAsap | condition(false, 1, true)),  // 4 uses c
        end_(),
    });
    SeqStimulus st;
    st.responder = true;
    st.delay[1] = 30;
    st.pattern[1] = bit ? 0b01u : 0b10u;  // result 1 = bit, result 2 = !bit
    Observed o;
    const std::string name = bit ? "reset-measure bit 1" : "reset-measure bit 0";
    const SeqResult& r = b.run(st, opt, o, name);
    std::printf("%s: resolves at", name.c_str());
    for (auto& x : o.resolves) std::printf(" ch%u@%u", x.idx, x.cycle);
    std::printf("; ch0 first beats%s, ch1%s\n", list(first_beats(o, 0)).c_str(), list(first_beats(o, 1)).c_str());
    check(o.resolves.size() == 2 && o.resolves[0].idx == 1 && o.resolves[0].cycle == 86 && o.resolves[1].idx == 0 &&
              o.resolves[1].cycle == 194,
          name + ": reset pulse resolves on the first result (86), the later one on the second (194)");
    check(first_beats(o, 1) == (bit ? std::vector<std::uint32_t>({90}) : std::vector<std::uint32_t>{}),
          name + ": reset pulse follows the FIRST result");
    check(first_beats(o, 0) == (bit ? std::vector<std::uint32_t>({100}) : std::vector<std::uint32_t>({100, 198})),
          name + ": second conditional pulse follows the SECOND result");
    check(r.done && r.pulse_count == 2, name + ": done, two pulses");
  }

  // (9) A conditional pulse that reaches its queue head only after two later results of its
  // readout have arrived (it is queued behind a pulse at 200) uses its own result (history).
  for (int bit = 0; bit < 2; ++bit) {
    b.upload_instructions({
        pulse(0, 10, 0, 100, 20000),                                                       // 0
        pulse(0, 200, 100, 4, 20000),                                                      // 1 head until 196
        timed(Op::kTrigger, 0, 20),                                                        // 2 result 1 at 30
        pulse(0, 0, 0, 4, 20000, 0, 0, kFlagCond | kFlagAsap | condition(false, 0, true)),  // 3 at head in 197
        timed(Op::kTrigger, 0, 60),                                                        // 4 result 2 at 70
        timed(Op::kTrigger, 0, 100),                                                       // 5 result 3 at 110
        pulse(1, 0, 0, 4, 20000, 0, 0, kFlagCond | kFlagAsap | condition(false, 0, true)),  // 6 uses result 3
        end_(),
    });
    SeqStimulus st;
    st.responder = true;
    st.delay[0] = 10;
    st.pattern[0] = bit ? 0b001u : 0b110u;
    Observed o;
    const std::string name = bit ? "late head bit 1" : "late head bit 0";
    const SeqResult& r = b.run(st, opt, o, name);
    std::printf("%s: resolves at", name.c_str());
    for (auto& x : o.resolves) std::printf(" ch%u@%u", x.idx, x.cycle);
    std::printf("; ch0 first beats%s, ch1%s\n", list(first_beats(o, 0)).c_str(), list(first_beats(o, 1)).c_str());
    check(o.resolves.size() == 2 && o.resolves[0].idx == 1 && o.resolves[0].cycle == 110 && o.resolves[1].idx == 0 &&
              o.resolves[1].cycle == 197,
          name + ": ch1 resolves at 110, the late head at 197");
    check(first_beats(o, 0) == (bit ? std::vector<std::uint32_t>({10, 200, 204}) : std::vector<std::uint32_t>({10, 200})),
          name + ": the late head uses result 1, not the newest");
    check(first_beats(o, 1) == (bit ? std::vector<std::uint32_t>{} : std::vector<std::uint32_t>({114})),
          name + ": ch1 uses result 3");
    check(r.done && r.pulse_count == 3, name + ": done, three pulses");
  }

  // (10) History depth: the same late head after 7 newer results still plays on its own result;
  // after 8 newer results (result 1 overwritten) the run aborts ILLEGAL at the head, never using
  // a wrong bit.
  for (int more = 7; more <= 8; ++more) {
    std::vector<Instruction> p = {
        pulse(0, 400, 0, 4, 20000),                                                        // 0 head until 396
        timed(Op::kTrigger, 0, 10),                                                        // 1
        pulse(0, 0, 0, 4, 20000, 0, 0, kFlagCond | kFlagAsap | condition(false, 0, true)),  // 2 at head in 397
    };
    for (int k = 0; k < more; ++k) p.push_back(timed(Op::kTrigger, 0, 20 + 10 * k));
    p.push_back(end_());
    b.upload_instructions(p);
    SeqStimulus st;
    st.responder = true;
    st.delay[0] = 5;
    st.pattern[0] = 0b1u;  // result 1 = 1, the newer ones 0
    Observed o;
    const std::string name = "history " + std::to_string(more) + " newer";
    const SeqResult& r = b.run(st, opt, o, name);
    std::printf("%s: %s, cause %u, pc %u, ch0 first beats%s\n", name.c_str(), r.aborted ? "aborted" : "done",
                b.m().abort_cause, b.m().pc, list(first_beats(o, 0)).c_str());
    if (more == 7) {
      check(r.done && first_beats(o, 0) == std::vector<std::uint32_t>({400, 404}), name + ": plays on result 1");
    } else {
      check(r.aborted && b.m().abort_cause == 4 && o.end_cycle == 398 && b.m().pc == p.size() - 1 &&
                first_beats(o, 0).empty(),
            name + ": ILLEGAL at the head (cycle 397; the pulse at 400 is flushed), pc at END");
    }
  }

  // (11) A condition on a readout with no earlier TRIGGER in program order is ILLEGAL at fetch
  // (a TRIGGER of the other readout, or a later one of the same readout, does not count).
  {
    const std::vector<std::pair<std::string, std::vector<Instruction>>> cases = {
        {"cond pulse, other readout triggered",
         {timed(Op::kTrigger, 1, 10), pulse(0, 0, 0, 4, 1000, 0, 0, kFlagCond | kFlagAsap | condition(false, 0, true)),
          end_()}},
        {"branch before its trigger",
         {timed(Op::kSync, 0, 5), jump_to(Op::kBranch, 0, 3, condition(false, 1, false)), timed(Op::kTrigger, 1, 10),
          end_()}},
    };
    for (const auto& [what, prog] : cases) {
      b.upload_instructions(prog);
      SeqStimulus st;
      st.add(0, SeqStimulus::kReadout, 0, true);  // a stray result does not make it legal
      st.add(0, SeqStimulus::kReadout, 1, true);
      Observed o;
      b.run(st, opt, o, "no trigger: " + what);
      check(b.m().aborted && b.m().abort_cause == 4 && b.m().pc == 1 && o.end_cycle == 2,
            "no trigger: " + what + ": ILLEGAL at pc 1 in cycle 1");
    }
  }
}

// ------------------------------------------------------------------ random programs
struct Gen {
  std::mt19937 rng;
  std::vector<Instruction> p;
  std::uint32_t cur = 10;  // time cursor relative to tref: pulses mostly in order (some late)
  bool triggered[kReadouts] = {};  // a TRIGGER of the readout precedes in program order
  // A readout with an earlier TRIGGER (so a condition on it is legal), or -1.
  int old_readout() {
    unsigned n = 0;
    for (bool t : triggered) n += t;
    if (n == 0) return -1;
    unsigned pick = uni(0, n - 1);
    for (unsigned r = 0; r < kReadouts; ++r)
      if (triggered[r] && pick-- == 0) return static_cast<int>(r);
    return -1;
  }
  Instruction trigger(unsigned r, std::uint32_t t) {
    triggered[r] = true;
    return timed(Op::kTrigger, r, t);
  }
  std::uint8_t cond_flags(unsigned r) {
    std::uint8_t fl = static_cast<std::uint8_t>(kFlagCond | condition(false, r, uni(0, 1)));
    if (uni(0, 1)) fl |= kFlagAsap;
    return fl;
  }
  std::uint32_t next_t() {
    const std::uint32_t t = uni(0, 15) == 0 ? uni(0, cur + 1) : cur + uni(0, 25);
    cur += uni(0, 20);
    return t;
  }
  void sync(std::uint32_t s) {
    p.push_back(timed(Op::kSync, 0, s));
    cur = cur > s ? cur - s : 0;
  }
  explicit Gen(std::uint32_t seed) : rng(seed) {}
  unsigned uni(unsigned lo, unsigned hi) { return std::uniform_int_distribution<unsigned>(lo, hi)(rng); }
  Instruction rpulse(std::uint32_t t, std::uint8_t flags = 0) {
    const unsigned len = uni(0, 9) == 0 ? uni(20, 60) : uni(1, 12);
    const unsigned addr = uni(0, 1024 - len);
    const auto amp = static_cast<std::int16_t>(uni(0, 65535));
    const std::uint32_t freq = uni(0, 2) == 0 ? 0u : static_cast<std::uint32_t>(rng());
    return pulse(uni(0, kChannels - 1), t, addr, len, amp, static_cast<std::uint16_t>(uni(0, 65535)), freq, flags);
  }
  void pulses(unsigned n) {
    for (unsigned i = 0; i < n; ++i) {
      // Now and then a conditional pulse on an older TRIGGER (possibly several TRIGGERs back).
      const int r = uni(0, 7) == 0 ? old_readout() : -1;
      p.push_back(r < 0 ? rpulse(next_t()) : rpulse(next_t(), cond_flags(static_cast<unsigned>(r))));
    }
  }
  void build(bool decoder) {
    const unsigned blocks = uni(3, 12);
    for (unsigned bl = 0; bl < blocks; ++bl) {
      switch (uni(0, 7)) {
        case 0: pulses(uni(1, 6)); break;
        case 1: {  // loop
          const unsigned k = uni(0, 3);
          p.push_back(timed(Op::kSetCounter, k, uni(1, 4)));
          const auto top = static_cast<std::uint16_t>(p.size());
          const std::uint32_t c0 = cur;
          pulses(uni(1, 3));
          if (uni(0, 1)) p.push_back(trigger(uni(0, kReadouts - 1), next_t()));
          const std::uint32_t span = cur - c0 + uni(0, 40);
          cur = c0;
          sync(span);
          cur = c0;
          p.push_back(jump_to(Op::kDecJumpNotZero, k, top));
          break;
        }
        case 2: {  // measure, conditional pulse, branch
          // The conditions are on this TRIGGER's readout or (1 in 3) on any readout triggered
          // earlier; a second TRIGGER of the same readout may follow before them.
          const unsigned r = uni(0, kReadouts - 1);
          p.push_back(trigger(r, next_t()));
          if (uni(0, 3) == 0) p.push_back(trigger(uni(0, 1) ? r : uni(0, kReadouts - 1), next_t() + uni(0, 60)));
          auto pick = [&] { return uni(0, 2) == 0 ? static_cast<unsigned>(old_readout()) : r; };
          if (uni(0, 1)) {
            const std::uint8_t fl = cond_flags(pick());
            cur += 30;
            p.push_back(rpulse(next_t(), fl));
          }
          if (uni(0, 3) == 0) p.push_back(trigger(r, next_t() + uni(0, 60)));  // measure again, e.g. reset then measure
          if (uni(0, 1)) {
            const auto br = p.size();
            p.push_back(jump_to(Op::kBranch, 0, 0, condition(false, pick(), uni(0, 1))));
            cur += 40;
            const std::uint32_t c0 = cur;
            pulses(uni(1, 2));
            const auto j = p.size();
            p.push_back(jump_to(Op::kJump, 0, 0));
            p[br].freq = static_cast<std::uint32_t>(p.size());
            cur = c0;
            pulses(uni(1, 2));
            p[j].freq = static_cast<std::uint32_t>(p.size());
          }
          break;
        }
        case 3: p.push_back(timed(Op::kWait, 0, uni(0, cur + 20))); break;
        case 4: sync(uni(0, 120)); break;
        case 5:
          if (decoder) {
            std::uint8_t fl = static_cast<std::uint8_t>(kFlagCond | condition(true, 0, uni(0, 1)));
            if (uni(0, 1)) fl |= kFlagAsap;
            p.push_back(rpulse(next_t(), fl));
          } else {
            // A conditional pulse on an older TRIGGER; 1 in 8 on any readout (ILLEGAL when it
            // has no earlier TRIGGER).
            const int r = uni(0, 7) == 0 ? static_cast<int>(uni(0, kReadouts - 1)) : old_readout();
            if (r >= 0) p.push_back(rpulse(next_t(), cond_flags(static_cast<unsigned>(r))));
          }
          break;
        case 6: {  // a conditional pulse held behind a later pulse while newer results arrive
          if (uni(0, 2) != 0) {
            pulses(uni(1, 4));
            break;
          }
          const unsigned c = uni(0, kChannels - 1), r = uni(0, kReadouts - 1);
          Instruction hold = rpulse(cur + uni(100, 400));
          hold.chan = static_cast<std::uint8_t>(c);
          p.push_back(hold);
          p.push_back(trigger(r, next_t()));
          Instruction cp = rpulse(next_t(), cond_flags(r));
          cp.chan = static_cast<std::uint8_t>(c);
          p.push_back(cp);
          for (unsigned i = 0, n = uni(2, 9); i < n; ++i) p.push_back(trigger(r, next_t()));  // > 7 may be stale
          break;
        }
        default: {  // a burst on one channel (queue full, late pulses)
          const unsigned c = uni(0, kChannels - 1);
          for (unsigned i = 0, n = uni(4, 12); i < n; ++i) {
            Instruction in = rpulse(next_t());
            in.chan = static_cast<std::uint8_t>(c);
            p.push_back(in);
          }
          break;
        }
      }
    }
    p.push_back(end_());
  }
};

void random_programs(Bench& b, unsigned n) {
  long pulses = 0, late = 0, aborted = 0, illegal = 0, cycles = 0, beats = 0, resolves = 0;
  for (unsigned seed = 1; seed <= n; ++seed) {
    const int before = g_failures;
    Gen g(seed * 7919u);
    if (seed % 10 == 1) b.upload_wave(random_wave(g.rng));
    const bool decoder = g.uni(0, 2) == 0;
    g.build(decoder);
    b.upload_instructions(g.p);
    SeqStimulus st;
    st.responder = true;
    for (unsigned r = 0; r < kReadouts; ++r) {
      st.delay[r] = g.uni(1, 40);
      st.pattern[r] = (static_cast<std::uint64_t>(g.rng()) << 32) | g.rng();
    }
    if (decoder) {
      for (std::uint32_t c = g.uni(0, 100); c < 8000 && st.n_events < 200; c += g.uni(20, 300)) {
        st.add(c, SeqStimulus::kDecStart);
        st.add(c + g.uni(1, 40), SeqStimulus::kDecResult, 0, g.uni(0, 1));
      }
    }
    for (int k = 0, e = g.uni(0, 4); k < e; ++k) st.add(g.uni(0, 2000), SeqStimulus::kReadout, g.uni(0, 1), g.uni(0, 1));
    if (g.uni(0, 9) == 0) st.add(g.uni(0, 600), g.uni(0, 1) ? SeqStimulus::kAbort : SeqStimulus::kWatchdog);
    Bench::RunOptions opt;
    opt.abort_on_late = g.uni(0, 4) == 0;
    opt.max_cycles = 20000;
    Observed o;
    const std::string name = "random seed " + std::to_string(seed);
    const SeqResult& r = b.run(st, opt, o, name);
    check(r.finished, name + ": finished");
    pulses += r.pulse_count;
    late += r.late_count;
    aborted += r.aborted;
    illegal += r.aborted && r.cause == AbortCause::kIllegal;
    resolves += r.n_resolves;
    cycles += r.run_cycles;
    beats += o.beats_compared;
    if (g_failures != before) std::fprintf(stderr, "  (seed %u: %zu instructions)\n", seed, g.p.size());
  }
  std::printf("random: %u programs, %ld run cycles, %ld beats compared, %ld pulses, %ld late, %ld aborted (%ld ILLEGAL), "
              "%ld conditions resolved\n",
              n, cycles, beats, pulses, late, aborted, illegal, resolves);
}

}  // namespace

int main(int argc, char** argv) {
  Verilated::commandArgs(argc, argv);
  const std::string mode = argc > 1 ? argv[1] : "directed";
  Bench b;
  if (mode == "directed") {
    directed(b);
  } else if (mode == "random") {
    random_programs(b, argc > 2 ? static_cast<unsigned>(std::atoi(argv[2])) : 300);
  } else {
    std::fprintf(stderr, "usage: tb_sequencer directed | random [N]\n");
    return 2;
  }
  std::printf("tb_sequencer %s: %ld checks, %d failures, %ld cycles simulated: %s\n", mode.c_str(), g_checks, g_failures,
              b.total_cycles, g_failures ? "FAIL" : "PASS");
  return g_failures ? 1 : 0;
}
