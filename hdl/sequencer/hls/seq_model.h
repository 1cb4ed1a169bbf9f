// Cycle-exact model of the pulse sequencer (hdl/sequencer/rtl/sequencer.v): given the program
// and waveform memories, the configuration and a stimulus (when each readout's bit / the decoder's
// result arrives, optional aborts; tready always high), it computes every pulse start, readout
// trigger, condition resolution and stream beat, and the final status. The testbench compares the
// RTL with it beat for beat; hdl/sequencer/doc/README.md states the same rules in prose.
//
// Header-only and HLS-friendly: no heap, no exceptions, no recursion, fixed-capacity arrays and
// bounded loops. The Result is large (every beat); callers allocate it once.
//
// Timing (cycle 0 = the cycle after START; all cycles below are in that numbering):
//   - one instruction completes per cycle unless it stalls (PULSE/TRIGGER on a full queue, WAIT
//     before now >= tref + time, BRANCH before its bit is known);
//   - an entry pushed in cycle c is at its queue head in c + 1;
//   - a pulse launches in cycle c when its player is free (idle or on its last beat) and
//     c >= T - kLaunchLatency (ASAP: once resolved); its first beat is on the stream in
//     c + kLaunchLatency; it is late when c > T - kLaunchLatency (late by c + kLaunchLatency - T);
//   - a trigger at the head in cycle c with c + 1 >= T fires: ro_trigger high in cycle c + 1
//     (late when c + 1 > T);
//   - a readout condition (conditional PULSE or BRANCH) refers to the readout's k-th TRIGGER,
//     k = the readout's `issued` count when it is fetched (the last TRIGGER of that readout before
//     it in program order; k = 0 is ILLEGAL). Results are numbered: ro_valid answers a trigger when
//     fewer results than fired triggers have been received (received != fired), and is then result
//     received + 1. The condition is known once received >= k, or when result k arrives in this
//     cycle (then ro_bit is used); its bit is result k, kept in a history of the last qdepth
//     results. A conditional pulse whose result k has been overwritten (received - k >= qdepth)
//     when it is examined at its queue head aborts the run with ILLEGAL. Counts are 32-bit,
//     compared modulo 2^32. The decoder's condition is known when FRESH or dec_valid now.
#pragma once

#include <cstdint>

#include "sequencer/hls/seq_cos_table.h"
#include "sequencer/hls/seq_instruction.h"

namespace qontos::hdl::sequencer {

inline constexpr unsigned kLaunchLatency = 4;  // launch cycle to first beat
inline constexpr unsigned kMaxChannels = 8;
inline constexpr unsigned kMaxReadouts = 8;
inline constexpr unsigned kMaxSpc = 16;
inline constexpr unsigned kMaxQDepth = 64;

enum class AbortCause : std::uint8_t { kNone = 0, kSoftware = 1, kWatchdog = 2, kLate = 3, kIllegal = 4 };

struct SeqConfig {
  unsigned channels = 2;
  unsigned readouts = 2;
  unsigned spc = 4;  // even, power of two
  unsigned prog_log2 = 10;
  unsigned wave_log2 = 10;
  unsigned qdepth = 8;
  bool abort_on_late = false;
};

// One output sample: out = sat16(((amp * env) >> 15) * cos[phase >> 22] >> 15), arithmetic shifts
// (floor), saturation to int16 only at the end (the intermediate is 17 bits).
constexpr std::int16_t seq_sample(std::int16_t amp, std::int16_t env, std::uint32_t phase) {
  const std::int32_t a = (static_cast<std::int32_t>(amp) * static_cast<std::int32_t>(env)) >> 15;
  const std::int64_t y = (static_cast<std::int64_t>(a) * kSeqCos[phase >> 22]) >> 15;
  if (y > 32767) return 32767;
  if (y < -32768) return -32768;
  return static_cast<std::int16_t>(y);
}

// Inputs in cycle numbering. Kinds: readout bit (index = readout), decoder start, decoder result,
// software abort, watchdog abort.
struct SeqStimulus {
  enum Kind : std::uint8_t { kReadout = 0, kDecStart = 1, kDecResult = 2, kAbort = 3, kWatchdog = 4 };
  struct Event {
    std::uint32_t cycle = 0;
    std::uint8_t kind = kReadout;
    std::uint8_t index = 0;
    bool bit = false;
  };
  static constexpr unsigned kMaxEvents = 256;
  Event events[kMaxEvents];
  unsigned n_events = 0;
  // Automatic readout responder: the k-th ro_trigger of readout r (k from 0, in cycle X) makes its
  // bit (pattern[r] >> (k % 64)) & 1 arrive in cycle X + delay[r] (delay >= 1). Explicit kReadout
  // events for the same readout and cycle take precedence.
  bool responder = false;
  std::uint32_t delay[kMaxReadouts] = {};
  std::uint64_t pattern[kMaxReadouts] = {};

  constexpr bool add(std::uint32_t cycle, Kind kind, unsigned index = 0, bool bit = false) {
    if (n_events >= kMaxEvents) return false;
    events[n_events].cycle = cycle;
    events[n_events].kind = kind;
    events[n_events].index = static_cast<std::uint8_t>(index);
    events[n_events].bit = bit;
    ++n_events;
    return true;
  }
};

struct SeqPulseStart {
  std::uint8_t chan = 0;
  std::uint32_t launch = 0;      // ev_play cycle
  std::uint32_t first_beat = 0;  // tuser cycle = launch + kLaunchLatency
  bool late = false;
  std::uint32_t late_by = 0;     // first_beat - T when late
};
struct SeqTrigger {
  std::uint8_t readout = 0;
  std::uint32_t cycle = 0;  // ro_trigger high
  bool late = false;
};
struct SeqResolve {
  std::uint8_t chan = 0;
  std::uint32_t cycle = 0;  // ev_resolve high
  bool play = false;
};
struct SeqBeat {
  std::uint8_t chan = 0;
  bool tuser = false;
  std::uint32_t cycle = 0;  // on the stream (tready high throughout)
  std::int16_t s[kMaxSpc] = {};
};

struct SeqResult {
  static constexpr unsigned kMaxPulses = 4096;
  static constexpr unsigned kMaxTriggers = 4096;
  static constexpr unsigned kMaxBeats = 1u << 17;
  SeqPulseStart pulses[kMaxPulses];
  unsigned n_pulses = 0;
  SeqTrigger triggers[kMaxTriggers];
  unsigned n_triggers = 0;
  SeqResolve resolves[kMaxPulses];
  unsigned n_resolves = 0;
  SeqBeat beats[kMaxBeats];  // pulse beats in cycle order; every other beat is zero
  unsigned n_beats = 0;
  bool overflow = false;  // a capacity above was exceeded

  // Final status, as the status outputs read in the cycle after the run ended.
  bool finished = false;  // the run ended within max_cycles
  std::uint32_t last_cycle = 0;  // last cycle with running = 1
  bool done = false;
  bool aborted = false;
  AbortCause cause = AbortCause::kNone;
  std::uint32_t pc = 0;
  std::uint32_t run_cycles = 0;
  std::uint32_t pulse_count = 0;
  std::uint32_t late_count = 0;
  std::uint8_t late_channels = 0;  // OR of late_set
  bool first_late_valid = false;
  std::uint32_t first_late_cycles = 0;
  std::uint8_t first_late_channel = 0;
  std::uint8_t meas_bits = 0;
  std::uint8_t meas_fresh = 0;
  bool dec_bit = false;
  bool dec_fresh = false;
};

class SeqModel {
 public:
  // prog: 2^prog_log2 instructions; wave: 2^wave_log2 * spc/2 words.
  static constexpr void run(const SeqConfig& cfg, const Words* prog, const std::uint32_t* wave, const SeqStimulus& stim,
                            std::uint32_t max_cycles, SeqResult& out) {
    SeqModel m;
    m.simulate(cfg, prog, wave, stim, max_cycles, out);
  }

 private:
  struct Entry {
    std::uint32_t t = 0;
    std::uint16_t addr = 0, len = 0;
    std::int16_t amp = 0;
    std::uint16_t phase = 0;
    std::uint32_t freq = 0;
    std::uint8_t flags = 0;
    std::uint32_t ref = 0;  // condition: trigger sequence number k of its readout
  };
  struct Channel {
    Entry q[kMaxQDepth];
    unsigned rd = 0, n = 0;
    bool hres = false;
    bool p_act = false, p_first = false;
    std::uint32_t p_addr = 0, p_rem = 0, p_acc = 0, p_freq = 0;
    std::int16_t p_amp = 0;
    std::int64_t last_s1 = -100;  // last cycle the player issued a beat
  };
  struct Readout {
    std::uint32_t q[kMaxQDepth] = {};
    unsigned rd = 0, n = 0;
    bool fresh = false, bit = false;
    std::uint32_t fired = 0;     // triggers fired (also for the responder)
    std::uint32_t issued = 0;    // TRIGGERs fetched
    std::uint32_t received = 0;  // results that answered a fired trigger
    bool seen = false;           // a TRIGGER has been fetched
    bool hist[kMaxQDepth] = {};  // bit of result n at (n - 1) % qdepth
    std::uint32_t pend_cycle[64] = {};
    bool pend_bit[64] = {};
    unsigned pend_rd = 0, pend_n = 0;
  };

  Channel ch_[kMaxChannels];
  Readout ro_[kMaxReadouts];

  static constexpr bool sgn(std::uint32_t v) { return (v >> 31) != 0; }

  constexpr void simulate(const SeqConfig& cfg, const Words* prog, const std::uint32_t* wave, const SeqStimulus& stim,
                          std::uint32_t max_cycles, SeqResult& out) {
    const std::uint32_t pdepth = 1u << cfg.prog_log2;
    const std::uint32_t wdepth = 1u << cfg.wave_log2;
    const unsigned lanes = cfg.spc / 2;
    bool running = true, fetching = true;
    std::uint32_t pc = 0, now = 0, tref = 0;
    std::uint32_t cnt[kCounters] = {0, 0, 0, 0};
    bool dfresh = false, dbit = false;
    out = SeqResult{};
    for (std::uint32_t c = 0; c < max_cycles && running; ++c) {
      // ---- inputs of cycle c
      bool ro_valid[kMaxReadouts] = {}, ro_bit[kMaxReadouts] = {};
      bool dec_start = false, dec_valid = false, dec_result = false, sw_abort = false, wd_abort = false;
      for (unsigned r = 0; r < cfg.readouts; ++r) {
        Readout& R = ro_[r];
        if (R.pend_n > 0 && R.pend_cycle[R.pend_rd] == c) {
          ro_valid[r] = true;
          ro_bit[r] = R.pend_bit[R.pend_rd];
          R.pend_rd = (R.pend_rd + 1) % 64;
          --R.pend_n;
        }
      }
      for (unsigned e = 0; e < stim.n_events; ++e) {
        const SeqStimulus::Event& ev = stim.events[e];
        if (ev.cycle != c) continue;
        switch (ev.kind) {
          case SeqStimulus::kReadout:
            if (ev.index < cfg.readouts) {
              ro_valid[ev.index] = true;
              ro_bit[ev.index] = ev.bit;
            }
            break;
          case SeqStimulus::kDecStart: dec_start = true; break;
          case SeqStimulus::kDecResult:
            dec_valid = true;
            dec_result = ev.bit;
            break;
          case SeqStimulus::kAbort: sw_abort = true; break;
          default: wd_abort = true; break;
        }
      }

      // ---- readouts: trigger heads, known bits
      bool t_fire[kMaxReadouts] = {}, t_late[kMaxReadouts] = {}, ans[kMaxReadouts] = {};
      std::uint32_t t_by[kMaxReadouts] = {};
      bool t_all_empty = true;
      for (unsigned r = 0; r < cfg.readouts; ++r) {
        Readout& R = ro_[r];
        const std::uint32_t slack = now + 1 - R.q[R.rd];
        t_fire[r] = R.n != 0 && !sgn(slack);
        t_late[r] = t_fire[r] && slack != 0;
        t_by[r] = slack;
        if (R.n != 0) t_all_empty = false;
        ans[r] = ro_valid[r] && R.received != R.fired;
      }
      const bool dknown = dfresh || dec_valid;
      const bool dval = dec_valid ? dec_result : dbit;
      // Condition with flags fl referring to trigger k of its readout: known, value, stale.
      struct Cond {
        bool known = false, val = false, stale = false;
      };
      auto cond_eval = [&](std::uint8_t fl, std::uint32_t k) {
        Cond cd;
        if (fl & kFlagSrcDecoder) {
          cd.known = dknown;
          cd.val = dval;
          return cd;
        }
        const unsigned r = (fl >> 3) & 7u;
        if (r >= cfg.readouts) return cd;
        const Readout& R = ro_[r];
        const std::uint32_t d = R.received - k;  // results received since result k
        const bool now_k = d == 0xFFFFFFFFu && ans[r];
        const bool avail = !sgn(d) && d < cfg.qdepth;
        cd.stale = !sgn(d) && d >= cfg.qdepth;
        cd.known = avail || now_k;
        cd.val = now_k ? ro_bit[r] : R.hist[(k - 1u) % cfg.qdepth];
        return cd;
      };

      // ---- channel heads
      bool launch[kMaxChannels] = {}, late[kMaxChannels] = {}, resolving[kMaxChannels] = {}, dropping[kMaxChannels] = {};
      bool stale_abort = false;
      std::uint32_t late_by[kMaxChannels] = {};
      bool all_idle = true;
      for (unsigned k = 0; k < cfg.channels; ++k) {
        Channel& C = ch_[k];
        const Entry& h = C.q[C.rd];
        const bool nonempty = C.n != 0;
        const bool cond = (h.flags & kFlagCond) != 0;
        const Cond hc = cond_eval(h.flags, h.ref);
        const bool hk = hc.known;
        const bool hb = hc.val;
        if (nonempty && cond && !C.hres && hc.stale) stale_abort = true;
        const bool want = (h.flags & kFlagValue) != 0;
        const bool asap = (h.flags & kFlagAsap) != 0;
        resolving[k] = nonempty && cond && !C.hres && hk;
        dropping[k] = resolving[k] && hb != want;
        const bool play_ok = nonempty && (!cond || C.hres || (hk && hb == want));
        const bool free = !C.p_act || C.p_rem == 1;
        const std::uint32_t slack = now + kLaunchLatency - h.t;
        const bool due = asap || !sgn(slack);
        launch[k] = play_ok && free && due;
        late[k] = launch[k] && !asap && !sgn(slack) && slack != 0;
        late_by[k] = slack;
        const bool idle = !nonempty && !C.p_act && static_cast<std::int64_t>(c) > C.last_s1 + 3;
        if (!idle) all_idle = false;
      }

      // ---- fetch
      bool f_illegal = false, f_stall = false, f_jump = false, f_push = false, f_tpush = false, f_end = false;
      Instruction in{};
      std::uint32_t t_abs = 0;
      if (fetching) {
        if (pc >= pdepth) {
          f_illegal = true;
        } else {
          in = decode(prog[pc]);
          t_abs = tref + in.time;
          const bool target_bad = in.target() >= pdepth;
          const bool ro_bad = !(in.flags & kFlagSrcDecoder) && in.readout() >= cfg.readouts;
          // A readout condition needs an earlier TRIGGER of that readout in this run.
          const bool no_trig = !(in.flags & kFlagSrcDecoder) && (in.readout() >= cfg.readouts || !ro_[in.readout()].seen);
          const std::uint32_t issued = in.readout() < cfg.readouts ? ro_[in.readout()].issued : 0u;
          switch (in.op) {
            case Op::kEnd: f_end = true; break;
            case Op::kPulse:
              if (in.chan >= cfg.channels || in.wave_len == 0 || in.wave_addr + in.wave_len > wdepth ||
                  ((in.flags & kFlagCond) && (ro_bad || no_trig)))
                f_illegal = true;
              else if (ch_[in.chan].n == cfg.qdepth)
                f_stall = true;
              else
                f_push = true;
              break;
            case Op::kTrigger:
              if (in.chan >= cfg.readouts) f_illegal = true;
              else if (ro_[in.chan].n == cfg.qdepth) f_stall = true;
              else f_tpush = true;
              break;
            case Op::kWait: f_stall = sgn(now - t_abs); break;
            case Op::kSync: break;
            case Op::kSetCounter:
              if (in.chan > 3) f_illegal = true;
              break;
            case Op::kDecJumpNotZero:
              if (in.chan > 3 || target_bad) f_illegal = true;
              else f_jump = ((cnt[in.chan] - 1u) & 0xFFFFFFu) != 0;
              break;
            case Op::kBranch:
              if (target_bad || ro_bad || no_trig) {
                f_illegal = true;
              } else {
                const Cond bc = cond_eval(in.flags, issued);
                if (!bc.known) f_stall = true;
                else f_jump = bc.val == ((in.flags & kFlagValue) != 0);
              }
              break;
            case Op::kJump:
              if (target_bad) f_illegal = true;
              else f_jump = true;
              break;
            default: f_illegal = true; break;
          }
        }
      } else {
        f_stall = true;
      }

      // ---- late, abort, done
      unsigned n_late = 0, n_launch = 0;
      bool any_late = false;
      std::uint8_t late_mask = 0;
      std::uint8_t fl_chan = 0;
      std::uint32_t fl_by = 0;
      bool fl_found = false;
      for (unsigned k = 0; k < cfg.channels; ++k) {
        if (launch[k]) ++n_launch;
        if (late[k]) {
          ++n_late;
          any_late = true;
          late_mask = static_cast<std::uint8_t>(late_mask | (1u << k));
          if (!fl_found) {
            fl_found = true;
            fl_chan = static_cast<std::uint8_t>(k);
            fl_by = late_by[k];
          }
        }
      }
      for (unsigned r = 0; r < cfg.readouts; ++r) {
        if (t_late[r]) {
          ++n_late;
          any_late = true;
          if (!fl_found) {
            fl_found = true;
            fl_chan = static_cast<std::uint8_t>(8 + r);
            fl_by = t_by[r];
          }
        }
      }
      const bool late_abort = cfg.abort_on_late && any_late;
      const bool abort_now = sw_abort || wd_abort || late_abort || f_illegal || stale_abort;
      const AbortCause cause = sw_abort ? AbortCause::kSoftware
                               : wd_abort ? AbortCause::kWatchdog
                               : late_abort ? AbortCause::kLate
                                            : AbortCause::kIllegal;
      const bool done_now = !fetching && all_idle && t_all_empty;
      const bool f_go = fetching && !f_stall && !f_illegal && !abort_now;

      // ---- outputs recorded for cycle c (events) and c + 1 (registered strobes)
      if (any_late) {
        out.late_count += n_late;
        out.late_channels = static_cast<std::uint8_t>(out.late_channels | late_mask);
        if (!out.first_late_valid) {
          out.first_late_valid = true;
          out.first_late_channel = fl_chan;
          out.first_late_cycles = (fl_by >> 24) != 0 ? 0xFFFFFFu : fl_by;
        }
      }

      // ---- state updates
      // Meas state (inputs of this cycle; a trigger popped now clears FRESH).
      for (unsigned r = 0; r < cfg.readouts; ++r) {
        Readout& R = ro_[r];
        const bool pop = t_fire[r] && !abort_now;
        if (ro_valid[r]) R.bit = ro_bit[r];
        if (ans[r]) {
          R.hist[R.received % cfg.qdepth] = ro_bit[r];
          ++R.received;
        }
        if (pop) R.fresh = false;
        else if (ro_valid[r]) R.fresh = true;
        if (pop) {
          if (out.n_triggers < SeqResult::kMaxTriggers) {
            out.triggers[out.n_triggers++] = SeqTrigger{static_cast<std::uint8_t>(r), c + 1, t_late[r]};
          } else {
            out.overflow = true;
          }
          if (stim.responder && R.pend_n < 64) {
            const unsigned slot = (R.pend_rd + R.pend_n) % 64;
            R.pend_cycle[slot] = c + 1 + stim.delay[r];
            R.pend_bit[slot] = ((stim.pattern[r] >> (R.fired % 64)) & 1u) != 0;
            ++R.pend_n;
          }
          ++R.fired;
          R.rd = (R.rd + 1) % cfg.qdepth;
          --R.n;
        }
      }
      if (dec_valid) dbit = dec_result;
      if (dec_valid) dfresh = true;
      else if (dec_start) dfresh = false;

      for (unsigned k = 0; k < cfg.channels; ++k) {
        Channel& C = ch_[k];
        const Entry h = C.q[C.rd];
        // Beat issued by the player this cycle (S1) reaches the stream in c + 3.
        if (C.p_act && !abort_now) {
          C.last_s1 = c;
          if (out.n_beats < SeqResult::kMaxBeats) {
            SeqBeat& b = out.beats[out.n_beats++];
            b.chan = static_cast<std::uint8_t>(k);
            b.tuser = C.p_first;
            b.cycle = c + 3;
            for (unsigned s = 0; s < cfg.spc; ++s) {
              const std::uint32_t word = wave[C.p_addr * lanes + s / 2];
              const auto env = static_cast<std::int16_t>(static_cast<std::uint16_t>((s & 1) ? (word >> 16) : word));
              b.s[s] = seq_sample(C.p_amp, env, C.p_acc + C.p_freq * s);
            }
          } else {
            out.overflow = true;
          }
        }
        if (abort_now) continue;
        if (resolving[k] && out.n_resolves < SeqResult::kMaxPulses)
          out.resolves[out.n_resolves++] = SeqResolve{static_cast<std::uint8_t>(k), c, !dropping[k]};
        if (launch[k]) {
          if (out.n_pulses < SeqResult::kMaxPulses)
            out.pulses[out.n_pulses++] = SeqPulseStart{static_cast<std::uint8_t>(k), c, c + kLaunchLatency, late[k],
                                                       late[k] ? late_by[k] : 0};
          else
            out.overflow = true;
          C.p_act = true;
          C.p_first = true;
          C.p_addr = h.addr;
          C.p_rem = h.len;
          C.p_acc = (static_cast<std::uint32_t>(h.phase) << 16) + h.freq * ((now + kLaunchLatency) * cfg.spc);
          C.p_freq = h.freq;
          C.p_amp = h.amp;
        } else if (C.p_act) {
          C.p_first = false;
          C.p_addr = (C.p_addr + 1) & (wdepth - 1);
          C.p_acc += C.p_freq * cfg.spc;
          if (C.p_rem == 1) C.p_act = false;
          C.p_rem = (C.p_rem - 1) & 0xFFFu;
        }
        if (launch[k] || dropping[k]) {
          C.rd = (C.rd + 1) % cfg.qdepth;
          --C.n;
          C.hres = false;
        } else if (resolving[k]) {
          C.hres = true;
        }
      }

      if (abort_now) {
        // Flush: beats issued before the abort that had not reached the stream are dropped.
        while (out.n_beats > 0 && out.beats[out.n_beats - 1].cycle > c) --out.n_beats;
        for (unsigned k = 0; k < cfg.channels; ++k) {
          ch_[k].n = 0;
          ch_[k].rd = 0;
          ch_[k].hres = false;
          ch_[k].p_act = false;
        }
        for (unsigned r = 0; r < cfg.readouts; ++r) {
          ro_[r].n = 0;
          ro_[r].rd = 0;
        }
        running = false;
        out.aborted = true;
        out.cause = cause;
      } else {
        out.pulse_count += n_launch;
        if (done_now) {
          running = false;
          out.done = true;
        }
        if (f_go) {
          if (f_end) {
            fetching = false;
          } else {
            pc = f_jump ? (in.target() & (2 * pdepth - 1)) : pc + 1;
          }
          if (f_push) {
            Channel& C = ch_[in.chan];
            Entry& e = C.q[(C.rd + C.n) % cfg.qdepth];
            e = Entry{t_abs, static_cast<std::uint16_t>(in.wave_addr & (wdepth - 1)), in.wave_len, in.amp, in.phase, in.freq, in.flags,
                      in.readout() < cfg.readouts ? ro_[in.readout()].issued : 0u};
            ++C.n;
          }
          if (f_tpush) {
            Readout& R = ro_[in.chan];
            R.q[(R.rd + R.n) % cfg.qdepth] = t_abs;
            ++R.n;
            ++R.issued;
            R.seen = true;
          }
          if (in.op == Op::kSync) tref += in.time;
          if (in.op == Op::kSetCounter) cnt[in.chan] = in.time;
          if (in.op == Op::kDecJumpNotZero) cnt[in.chan] = (cnt[in.chan] - 1u) & 0xFFFFFFu;
        }
      }
      out.last_cycle = c;
      ++now;
    }
    out.finished = !running;
    out.pc = pc;
    out.run_cycles = now;
    out.pulse_count = out.pulse_count;
    std::uint8_t mb = 0, mf = 0;
    for (unsigned r = 0; r < cfg.readouts; ++r) {
      if (ro_[r].bit) mb = static_cast<std::uint8_t>(mb | (1u << r));
      if (ro_[r].fresh) mf = static_cast<std::uint8_t>(mf | (1u << r));
    }
    out.meas_bits = mb;
    out.meas_fresh = mf;
    out.dec_bit = dbit;
    out.dec_fresh = dfresh;
  }
};

}  // namespace qontos::hdl::sequencer
