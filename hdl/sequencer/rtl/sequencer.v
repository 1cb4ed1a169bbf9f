// Pulse sequencer: runs a pulse program (docs/formats/pulse-program.md, encoding in
// hdl/sequencer/hls/seq_instruction.h) and plays its pulses on CHANNELS DAC AXI4-Streams, fires
// readout triggers and makes conditional pulses / branches on readout and decoder bits. The
// cycle-exact behaviour is defined by the HLS model hdl/sequencer/hls/seq_model.h, which the
// testbench compares beat for beat; hdl/sequencer/doc/README.md explains it in prose.
//
// Cycle numbering: cycle 0 is the cycle after the one in which `start` is high; `now` (also
// run_cycles) holds n during cycle n.
//
// Structure:
//   FETCH  program memory (4 x 32-bit BRAM columns, synchronous read). `ir` holds the instruction
//          at `pc`; the read address is the next pc, so one instruction completes per cycle
//          (jumps included) unless it stalls: PULSE / TRIGGER on a full queue, WAIT before its
//          time, BRANCH before its bit is known. END clears `fetching`. A pc one past the memory
//          is an illegal fetch.
//   QUEUES per DAC channel a QDEPTH pulse queue (entry: start time T = tref + time and the pulse
//          fields), per readout a QDEPTH trigger queue (T). A pushed entry is at its queue's head
//          in the next cycle.
//   HEAD   per channel, combinational: a conditional head is resolved in the cycle its bit is
//          known (ro_valid / dec_valid are used in the cycle they arrive); a dropped pulse is
//          popped at once. A readout condition carries the readout's TRIGGER count k at its
//          fetch and uses result k (per readout: issued / fired / received counts and the bits
//          of the last QDEPTH results); a head whose result k was overwritten aborts (ILLEGAL). A pulse launches in cycle c when the player is free (idle or on its
//          last beat), tready is high and c >= T - LAT (ASAP: as soon as resolved). It is late
//          when c > T - LAT. A trigger fires (ro_trigger high in cycle c+1) when c >= T - 1.
//   PLAYER per channel: one beat per cycle, the pipeline
//            c+1  S1 player: waveform address, phase of each sample (acc + k*freq)
//            c+2  S2 envelope beat (BRAM register), cosine index (top 10 phase bits)
//            c+3  S3 a = amp*env >>> 15, cosine (ROM register)
//            c+4  S4 out = sat16(a*cos >>> 15), tuser on the first beat  -> m_axis_*
//          so LAT = 4: a pulse launched in cycle c presents its first beat in cycle c + 4 = T.
//          Every register of a channel's pipeline advances only while its tready is high.
//   Abort (software, watchdog, late with abort_on_late, illegal): queues and pipelines are
//          flushed in the cycle it is seen; the stream carries zeros from the next cycle.
`default_nettype none

module sequencer #(
    parameter integer CHANNELS = 2,   // DAC channels (1..8)
    parameter integer READOUTS = 2,   // readouts (1..8)
    parameter integer SPC = 4,        // 16-bit samples per clock per channel (even, power of two)
    parameter integer PROG_LOG2 = 10, // program memory: 2^PROG_LOG2 instructions (<= 13)
    parameter integer WAVE_LOG2 = 10, // waveform memory: 2^WAVE_LOG2 beats (<= 12)
    parameter integer QDEPTH = 8      // pulse / trigger queue depth (power of two, >= 2)
) (
    input wire clk,
    input wire rst,  // synchronous, active high
    // Control.
    input wire start,          // strobe: clear the run state and start at instruction 0
    input wire sw_abort,         // strobe: software abort (cause 1)
    input wire wd_abort,       // strobe: watchdog abort (cause 2)
    input wire abort_on_late,  // level: a late pulse or trigger aborts (cause 3)
    // Upload (ignored while running).
    input wire prog_we,
    input wire [15:0] prog_word,  // instruction * 4 + word
    input wire [31:0] prog_wdata,
    output wire prog_word_hw_we,
    output wire [15:0] prog_word_hw_d,
    input wire wave_we,
    input wire [19:0] wave_word,  // beat * SPC/2 + word in beat
    input wire [31:0] wave_wdata,
    output wire wave_word_hw_we,
    output wire [19:0] wave_word_hw_d,
    // Status.
    output reg running,
    output reg done,
    output reg aborted,
    output reg [2:0] abort_cause,
    output wire [15:0] pc,
    output wire [31:0] run_cycles,
    output reg [31:0] pulses,
    output reg [31:0] late_count,
    output reg [7:0] late_set,  // 1-cycle: bit c, a pulse on channel c was late
    output reg [23:0] first_late_cycles,
    output reg [3:0] first_late_channel,  // DAC channel, or 8 + readout for a trigger
    output reg first_late_valid,
    output wire [7:0] meas_bits,
    output wire [7:0] meas_fresh,
    output reg dec_bit,
    output reg dec_fresh,
    output reg irq_done_set,
    output reg irq_late_set,
    // Readouts.
    output wire [READOUTS-1:0] ro_trigger,
    input wire [READOUTS-1:0] ro_valid,
    input wire [READOUTS-1:0] ro_bit,
    // Decoder.
    input wire dec_start,
    input wire dec_valid,
    input wire dec_result,
    // DAC streams.
    output wire [CHANNELS*SPC*16-1:0] m_axis_tdata,
    output wire [CHANNELS-1:0] m_axis_tvalid,
    input wire [CHANNELS-1:0] m_axis_tready,
    output wire [CHANNELS-1:0] m_axis_tuser,
    // Timing events (1-cycle strobes).
    output wire [CHANNELS-1:0] ev_resolve,
    output wire [CHANNELS-1:0] ev_resolve_play,  // with ev_resolve: the pulse will play (not dropped)
    output wire [CHANNELS-1:0] ev_play,
    output wire [CHANNELS-1:0] ev_first_sample
);

  localparam integer LAT = 4;  // launch-to-first-beat cycles
  localparam integer PDEPTH = 1 << PROG_LOG2;
  localparam integer WDEPTH = 1 << WAVE_LOG2;
  localparam integer LANES = SPC / 2;
  localparam integer LANE_BITS = $clog2(LANES);
  localparam integer QLOG = $clog2(QDEPTH);
  localparam integer HW = 32 - QLOG;
  // Pulse queue entry: condition reference (readout trigger count at fetch), T, wave_addr,
  // wave_len, amp, phase, freq, flags.
  localparam integer QW = 32 + 32 + WAVE_LOG2 + 12 + 16 + 16 + 32 + 8;
  localparam [31:0] LAT32 = LAT;
  localparam [31:0] SPC32 = SPC;
  localparam [4:0] NCH = CHANNELS[4:0];
  localparam [4:0] NRO = READOUTS[4:0];
  localparam [12:0] WDEPTH13 = WDEPTH[12:0];
  localparam [QLOG:0] QFULL = QDEPTH[QLOG:0];
  localparam [QLOG-1:0] QONE = 1;
  localparam integer LANE_MASK = LANES - 1;
  localparam [2:0] CAUSE_SOFTWARE = 3'd1, CAUSE_WATCHDOG = 3'd2, CAUSE_LATE = 3'd3, CAUSE_ILLEGAL = 3'd4;
  localparam [3:0] OP_END = 4'd0, OP_PULSE = 4'd1, OP_TRIGGER = 4'd2, OP_WAIT = 4'd3, OP_SYNC = 4'd4,
                   OP_SETC = 4'd5, OP_DJNZ = 4'd6, OP_BRANCH = 4'd7, OP_JUMP = 4'd8;

  // ---------------------------------------------------------------- run state
  reg fetching;
  reg [PROG_LOG2:0] pc_r;
  reg [31:0] now;
  reg [31:0] now_p1, now_p4;  // now + 1, now + LAT (registered copies: no adder before the compares)
  reg [31:0] nmt;             // now - tref (WAIT compares it with the instruction's time)
  reg [31:0] tref;
  reg [95:0] cnt;  // four 24-bit loop counters
  wire abort_now;

  assign pc = {{(15 - PROG_LOG2) {1'b0}}, pc_r};
  assign run_cycles = now;

  // ---------------------------------------------------------------- upload
  wire prog_wr = prog_we && !running && ((prog_word >> (PROG_LOG2 + 2)) == 16'd0);
  wire [19:0] wave_beat = wave_word >> LANE_BITS;
  wire [19:0] wave_lane = wave_word & LANE_MASK[19:0];
  wire wave_wr = wave_we && !running && ((wave_beat >> WAVE_LOG2) == 20'd0);
  assign prog_word_hw_we = prog_we && !running;
  assign prog_word_hw_d = prog_word + 16'd1;
  assign wave_word_hw_we = wave_we && !running;
  assign wave_word_hw_d = wave_word + 20'd1;

  // ---------------------------------------------------------------- program memory, fetch
  reg [PROG_LOG2-1:0] fetch_raddr;
  wire [127:0] ir;
  genvar gw;
  generate
    for (gw = 0; gw < 4; gw = gw + 1) begin : g_pm
      localparam [1:0] WSEL = gw;
      reg [31:0] mem[0:PDEPTH-1];
      reg [31:0] q;
      always @(posedge clk) begin
        if (prog_wr && prog_word[1:0] == WSEL) mem[prog_word[PROG_LOG2+1:2]] <= prog_wdata;
        q <= mem[fetch_raddr];
      end
      assign ir[32*gw+:32] = q;
    end
  endgenerate

  wire [3:0] op = ir[127:124];
  wire [3:0] ich = ir[123:120];
  wire [7:0] ifl = ir[119:112];
  wire [23:0] itime = ir[111:88];
  wire [11:0] iwaddr = ir[87:76];
  wire [11:0] iwlen = ir[75:64];
  wire [15:0] itarget = ir[15:0];
  wire [31:0] it_abs = tref + {8'd0, itime};
  wire pc_oob = pc_r[PROG_LOG2];
  wire [31:0] wait_diff = nmt - {8'd0, itime};  // = now - it_abs; < 0: WAIT stalls
  wire unused_wait = &{1'b0, wait_diff[30:0]};
  wire target_bad = (itarget >> PROG_LOG2) != 16'd0;
  wire ro_bad = !ifl[1] && ({2'b0, ifl[5:3]} >= NRO);
  wire [23:0] cnt_cur = cnt[24*ich[1:0]+:24];
  wire [23:0] cnt_dec = cnt_cur - 24'd1;

  // Measurement state. A readout condition refers to a trigger by its sequence number: the
  // readout's `issued` count when the conditional PULSE / BRANCH is fetched (k: the k-th TRIGGER
  // of that readout, the last one before it in program order). It is known once `received` >= k
  // (or the answering result arrives in this very cycle) and takes the bit of result k from the
  // readout's history (the last QDEPTH results); if more than QDEPTH - 1 newer results have
  // arrived by then, result k is gone: stale (ILLEGAL). Counts are 32-bit, compared modulo 2^32.
  // The decoder's condition is its FRESH bit (or dec_valid now), as before.
  wire dknown = dec_fresh || dec_valid;
  wire dval = dec_valid ? dec_result : dec_bit;
  wire [15:0] qfull_pad;
  wire [15:0] tfull_pad;
  wire [8*32-1:0] iss_pad;       // per readout: TRIGGERs fetched (issued)
  wire [8*32-1:0] rcv_pad;       // per readout: results received (answering a fired trigger)
  wire [7:0] seen_pad;           // per readout: a TRIGGER has been fetched in this run
  wire [7:0] ans_pad;            // per readout: ro_valid answers a trigger in this cycle
  wire [7:0] rbit_pad;           // per readout: ro_bit
  wire [8*QDEPTH-1:0] hist_pad;  // per readout: bit of result n at [QDEPTH*r + (n-1) mod QDEPTH]
  // d = received - k (mod 2^32) classified without a 32-bit subtract: split at QLOG bits, with the
  // registered (received >> QLOG) - 1 and + 1 of each readout. [0]: 0 <= d < QDEPTH, [1]: d = -1.
  wire [8*HW-1:0] rhm1_pad;      // per readout: (received >> QLOG) - 1
  wire [8*HW-1:0] rhp1_pad;      // per readout: (received >> QLOG) + 1
  function automatic [1:0] dflags(input [31:0] rcv, input [HW-1:0] rhm1, input [HW-1:0] rhp1, input [31:0] k);
    reg [HW-1:0] rh, kh;
    reg [QLOG-1:0] rl, kl;
    begin
      rh = rcv[31:QLOG];
      rl = rcv[QLOG-1:0];
      kh = k[31:QLOG];
      kl = k[QLOG-1:0];
      dflags[0] = (rh == kh && rl >= kl) || (rhm1 == kh && rl < kl);
      dflags[1] = (&rl ? (kh == rhp1) : (kh == rh)) && kl == rl + QONE;
    end
  endfunction
  wire [2:0] iro = ifl[5:3];
  wire [31:0] iss_sel = iss_pad[32*iro+:32];
  wire no_trig = !ifl[1] && !seen_pad[iro];  // a readout condition with no earlier TRIGGER
  // BRANCH: refers to the last TRIGGER fetched (k = issued; received <= issued, never stale).
  wire [1:0] b_df = dflags(rcv_pad[32*iro+:32], rhm1_pad[HW*iro+:HW], rhp1_pad[HW*iro+:HW], iss_sel);
  wire b_now = b_df[1] && ans_pad[iro];
  wire b_avail = b_df[0];
  wire [QLOG-1:0] b_slot = iss_sel[QLOG-1:0] - QONE;  // (k - 1) mod QDEPTH
  wire b_hbit = hist_pad[{iro, b_slot}];
  wire b_known = ifl[1] ? dknown : (b_avail || b_now);
  wire b_val = ifl[1] ? dval : (b_now ? rbit_pad[iro] : b_hbit);

  reg f_illegal, f_stall, f_jump, f_push, f_tpush, f_end, f_sync, f_setc, f_djnz;
  always @(*) begin
    f_illegal = 1'b0;
    f_stall = 1'b0;
    f_jump = 1'b0;
    f_push = 1'b0;
    f_tpush = 1'b0;
    f_end = 1'b0;
    f_sync = 1'b0;
    f_setc = 1'b0;
    f_djnz = 1'b0;
    if (pc_oob) f_illegal = 1'b1;
    else begin
      case (op)
        OP_END: f_end = 1'b1;
        OP_PULSE:
        if ({1'b0, ich} >= NCH || iwlen == 12'd0 || ({1'b0, iwaddr} + {1'b0, iwlen}) > WDEPTH13 ||
            (ifl[0] && (ro_bad || no_trig)))
          f_illegal = 1'b1;
        else if (qfull_pad[ich]) f_stall = 1'b1;
        else f_push = 1'b1;
        OP_TRIGGER:
        if ({1'b0, ich} >= NRO) f_illegal = 1'b1;
        else if (tfull_pad[ich]) f_stall = 1'b1;
        else f_tpush = 1'b1;
        OP_WAIT: f_stall = wait_diff[31];
        OP_SYNC: f_sync = 1'b1;
        OP_SETC:
        if (ich > 4'd3) f_illegal = 1'b1;
        else f_setc = 1'b1;
        OP_DJNZ:
        if (ich > 4'd3 || target_bad) f_illegal = 1'b1;
        else begin
          f_djnz = 1'b1;
          f_jump = cnt_dec != 24'd0;
        end
        OP_BRANCH:
        if (target_bad || ro_bad || no_trig) f_illegal = 1'b1;
        else if (!b_known) f_stall = 1'b1;
        else f_jump = b_val == ifl[2];
        OP_JUMP:
        if (target_bad) f_illegal = 1'b1;
        else f_jump = 1'b1;
        default: f_illegal = 1'b1;
      endcase
    end
    if (!(running && fetching)) begin
      f_illegal = 1'b0;
      f_stall = 1'b1;
    end
  end
  wire f_go = running && fetching && !f_stall && !f_illegal && !abort_now;
  wire [PROG_LOG2:0] npc = f_jump ? itarget[PROG_LOG2:0] : pc_r + 1'b1;
  always @(*) begin
    if (start) fetch_raddr = {PROG_LOG2{1'b0}};
    else if (f_go && !f_end) fetch_raddr = npc[PROG_LOG2-1:0];
    else fetch_raddr = pc_r[PROG_LOG2-1:0];
  end

  // ---------------------------------------------------------------- readout trigger queues
  wire [READOUTS-1:0] t_fire;   // head fires: ro_trigger in the next cycle
  wire [READOUTS-1:0] t_late;
  wire [32*READOUTS-1:0] t_lateby;
  wire [READOUTS-1:0] t_empty;
  wire [READOUTS-1:0] t_full;
  wire [32*READOUTS-1:0] r_iss;
  wire [32*READOUTS-1:0] r_rcv;
  wire [HW*READOUTS-1:0] r_rhm1;
  wire [HW*READOUTS-1:0] r_rhp1;
  wire [READOUTS-1:0] r_seen;
  wire [READOUTS-1:0] r_ans;
  wire [QDEPTH*READOUTS-1:0] r_hist;
  wire [READOUTS-1:0] r_bitreg;
  wire [READOUTS-1:0] r_freshreg;
  genvar gr;
  generate
    for (gr = 0; gr < READOUTS; gr = gr + 1) begin : g_ro
      localparam [3:0] RID = gr;
      reg [31:0] tq[0:QDEPTH-1];
      reg [QLOG-1:0] rd, wr;
      reg [QLOG:0] n;
      reg fresh, bitv, trig;
      assign r_bitreg[gr] = bitv;
      assign r_freshreg[gr] = fresh;
      assign ro_trigger[gr] = trig;
      wire [31:0] head = tq[rd];
      wire [31:0] slack = now_p1 - head;  // now + 1 - T >= 0: fire this cycle; > 0: late
      assign t_fire[gr] = running && n != 0 && !slack[31];
      assign t_late[gr] = t_fire[gr] && slack != 32'd0;
      assign t_lateby[32*gr+:32] = slack;
      assign t_empty[gr] = n == 0;
      assign t_full[gr] = n == QFULL;
      // Trigger / result sequence counts and the result history.
      reg [31:0] issued, fired, received;
      reg seen;
      reg [HW-1:0] rhm1, rhp1;  // (received >> QLOG) - 1, + 1
      reg [QDEPTH-1:0] hist;
      wire ans = ro_valid[gr] && received != fired;  // a result answering a fired trigger
      assign r_iss[32*gr+:32] = issued;
      assign r_rcv[32*gr+:32] = received;
      assign r_rhm1[HW*gr+:HW] = rhm1;
      assign r_rhp1[HW*gr+:HW] = rhp1;
      assign r_seen[gr] = seen;
      assign r_ans[gr] = ans;
      assign r_hist[QDEPTH*gr+:QDEPTH] = hist;
      wire push = f_go && f_tpush && ich == RID;
      wire pop = t_fire[gr] && !abort_now;
      always @(posedge clk) begin
        if (rst || start) begin
          issued <= 32'd0;
          fired <= 32'd0;
          received <= 32'd0;
          rhm1 <= {HW{1'b1}};
          rhp1 <= {{(HW - 1) {1'b0}}, 1'b1};
          seen <= 1'b0;
        end else begin
          if (push) begin
            issued <= issued + 32'd1;
            seen <= 1'b1;
          end
          if (pop) fired <= fired + 32'd1;
          if (ans) received <= received + 32'd1;
          if (ans && (&received[QLOG-1:0])) begin
            rhm1 <= rhm1 + 1'b1;
            rhp1 <= rhp1 + 1'b1;
          end
        end
        if (ans) hist[received[QLOG-1:0]] <= ro_bit[gr];
      end
      always @(posedge clk) begin
        if (push) tq[wr] <= it_abs;
        if (rst || start || abort_now) begin
          rd <= {QLOG{1'b0}};
          wr <= {QLOG{1'b0}};
          n <= {(QLOG + 1) {1'b0}};
        end else begin
          if (push) wr <= wr + 1'b1;
          if (pop) rd <= rd + 1'b1;
          if (push && !pop) n <= n + 1'b1;
          else if (pop && !push) n <= n - 1'b1;
        end
        if (rst) trig <= 1'b0;
        else trig <= pop;
        if (rst || start) bitv <= 1'b0;
        else if (ro_valid[gr]) bitv <= ro_bit[gr];
        if (rst || start || pop) fresh <= 1'b0;
        else if (ro_valid[gr]) fresh <= 1'b1;
      end
`ifndef SYNTHESIS
      always @(posedge clk) begin
        if (!rst) begin
          assert (n <= QFULL);
          assert (!(push && n == QFULL && !pop));
          assert (rhm1 == received[31:QLOG] - 1'b1);
          assert (rhp1 == received[31:QLOG] + 1'b1);
        end
      end
`endif
    end
  endgenerate

  integer i;
  reg [7:0] sp, ap, bp;
  reg [8*32-1:0] ip, rp;
  reg [8*HW-1:0] hm, hq;
  reg [8*QDEPTH-1:0] hp;
  reg [15:0] qf, tf;
  always @(*) begin
    sp = 8'd0;
    ap = 8'd0;
    bp = 8'd0;
    ip = {(8 * 32) {1'b0}};
    rp = {(8 * 32) {1'b0}};
    hm = {(8 * HW) {1'b0}};
    hq = {(8 * HW) {1'b0}};
    hp = {(8 * QDEPTH) {1'b0}};
    tf = 16'hFFFF;
    for (i = 0; i < READOUTS; i = i + 1) begin
      sp[i] = r_seen[i];
      ap[i] = r_ans[i];
      bp[i] = ro_bit[i];
      ip[32*i+:32] = r_iss[32*i+:32];
      rp[32*i+:32] = r_rcv[32*i+:32];
      hm[HW*i+:HW] = r_rhm1[HW*i+:HW];
      hq[HW*i+:HW] = r_rhp1[HW*i+:HW];
      hp[QDEPTH*i+:QDEPTH] = r_hist[QDEPTH*i+:QDEPTH];
      tf[i] = t_full[i];
    end
  end
  assign seen_pad = sp;
  assign ans_pad = ap;
  assign rbit_pad = bp;
  assign iss_pad = ip;
  assign rcv_pad = rp;
  assign rhm1_pad = hm;
  assign rhp1_pad = hq;
  assign hist_pad = hp;
  assign tfull_pad = tf;

  // ---------------------------------------------------------------- channels
  wire [CHANNELS-1:0] c_launch;  // head launches this cycle (before abort gating)
  wire [CHANNELS-1:0] c_late;
  wire [32*CHANNELS-1:0] c_lateby;
  wire [CHANNELS-1:0] c_idle;  // queue empty, nothing in the pipeline
  wire [CHANNELS-1:0] c_full;
  wire [CHANNELS-1:0] c_stale;  // head's readout condition refers to a result no longer kept
  wire [QW-1:0] f_entry = {iss_sel, it_abs, iwaddr[WAVE_LOG2-1:0], iwlen, ir[63:48], ir[47:32], ir[31:0], ifl};

  genvar gc, gk, gl;
  generate
    for (gc = 0; gc < CHANNELS; gc = gc + 1) begin : g_ch
      localparam [3:0] CID = gc;
      wire adv = m_axis_tready[gc];
      // Pulse queue.
      reg [QW-1:0] q[0:QDEPTH-1];
      reg [QLOG-1:0] rd, wr;
      reg [QLOG:0] n;
      reg hres;  // head's condition resolved: it plays
      wire [QW-1:0] head = q[rd];
      wire [7:0] h_fl = head[7:0];
      wire [31:0] h_freq = head[39:8];
      wire [15:0] h_phase = head[55:40];
      wire [15:0] h_amp = head[71:56];
      wire [11:0] h_len = head[83:72];
      wire [WAVE_LOG2-1:0] h_addr = head[84+WAVE_LOG2-1:84];
      wire [31:0] h_t = head[QW-33:QW-64];
      wire [31:0] h_ref = head[QW-1:QW-32];  // trigger sequence number k of its readout
      wire h_cond = h_fl[0];
      wire [2:0] h_ro = h_fl[5:3];
      wire [31:0] h_d = rcv_pad[32*h_ro+:32] - h_ref;  // results received since result k
      wire [1:0] h_df = dflags(rcv_pad[32*h_ro+:32], rhm1_pad[HW*h_ro+:HW], rhp1_pad[HW*h_ro+:HW], h_ref);
      wire h_now = h_df[1] && ans_pad[h_ro];  // result k arrives in this cycle (d = -1)
      wire h_avail = h_df[0];                 // result k in the history (0 <= d < QDEPTH)
      wire h_old = !h_d[31] && !h_df[0];      // result k overwritten (d >= QDEPTH)
      wire unused_hd = &{1'b0, h_d[30:0]};
      wire [QLOG-1:0] h_slot = h_ref[QLOG-1:0] - QONE;  // (k - 1) mod QDEPTH
      wire h_hbit = hist_pad[{h_ro, h_slot}];
      wire h_known = h_fl[1] ? dknown : (h_avail || h_now);
      wire h_bit = h_fl[1] ? dval : (h_now ? rbit_pad[h_ro] : h_hbit);
      wire h_asap = h_fl[7];
      wire unused_fl = h_fl[6];  // flag bit 6 is reserved
      wire nonempty = n != 0;
      wire resolving = running && nonempty && h_cond && !hres && h_known;
      assign c_stale[gc] = running && nonempty && h_cond && !h_fl[1] && !hres && h_old;
      wire dropping = resolving && (h_bit != h_fl[2]);
      wire play_ok = running && nonempty && (!h_cond || hres || (h_known && h_bit == h_fl[2]));
      // Player (S1).
      reg p_act, p_first;
      reg [WAVE_LOG2-1:0] p_addr;
      reg [11:0] p_rem;
      reg [31:0] p_acc, p_freq;
      reg [15:0] p_amp;
      wire free = !p_act || p_rem == 12'd1;
      wire [31:0] slack = now_p4 - h_t;  // now + LAT - T >= 0: due; > 0: late
      wire due = h_asap || !slack[31];
      wire launch = play_ok && adv && free && due;
      assign c_launch[gc] = launch;
      assign c_late[gc] = launch && !h_asap && !slack[31] && slack != 32'd0;
      assign c_lateby[32*gc+:32] = slack;
      assign ev_resolve[gc] = resolving && !abort_now;
      assign ev_resolve_play[gc] = resolving && !dropping && !abort_now;
      assign ev_play[gc] = launch && !abort_now;
      assign c_full[gc] = n == QFULL;
      wire push = f_go && f_push && ich == CID;
      wire pop = (launch || dropping) && !abort_now;
      wire [31:0] start_samp = now_p4 * SPC32;
      always @(posedge clk) begin
        if (push) q[wr] <= f_entry;
        if (rst || start || abort_now) begin
          rd <= {QLOG{1'b0}};
          wr <= {QLOG{1'b0}};
          n <= {(QLOG + 1) {1'b0}};
          hres <= 1'b0;
        end else begin
          if (push) wr <= wr + 1'b1;
          if (pop) rd <= rd + 1'b1;
          if (push && !pop) n <= n + 1'b1;
          else if (pop && !push) n <= n - 1'b1;
          if (pop) hres <= 1'b0;
          else if (resolving) hres <= 1'b1;
        end
      end
      always @(posedge clk) begin
        if (rst || start || abort_now) begin
          p_act <= 1'b0;
          p_first <= 1'b0;
        end else if (launch) begin
          p_act <= 1'b1;
          p_first <= 1'b1;
          p_addr <= h_addr;
          p_rem <= h_len;
          p_acc <= {h_phase, 16'd0} + h_freq * start_samp;
          p_freq <= h_freq;
          p_amp <= h_amp;
        end else if (p_act && adv) begin
          p_first <= 1'b0;
          p_addr <= p_addr + 1'b1;
          p_rem <= p_rem - 12'd1;
          p_acc <= p_acc + p_freq * SPC32;
          if (p_rem == 12'd1) p_act <= 1'b0;
        end
      end
      // S2, S3, S4.
      reg v2, f2, v3, f3, v4, u4;
      reg [15:0] amp2;
      wire [SPC*16-1:0] env2;
      wire [SPC*16-1:0] out4;
      always @(posedge clk) begin
        if (rst || start || abort_now) begin
          v2 <= 1'b0;
          v3 <= 1'b0;
        end else if (adv) begin
          v2 <= p_act;
          v3 <= v2;
        end
        if (adv) begin
          f2 <= p_first;
          amp2 <= p_amp;
          f3 <= f2;
        end
        if (rst) begin
          v4 <= 1'b0;
          u4 <= 1'b0;
        end else if (adv) begin
          v4 <= v3 && !abort_now;
          u4 <= v3 && f3 && !abort_now;
        end
      end
      // Waveform memory: one copy per channel, one 32-bit column per lane (two samples).
      for (gl = 0; gl < LANES; gl = gl + 1) begin : g_lane
        localparam [19:0] LID = gl;
        reg [31:0] wmem[0:WDEPTH-1];
        reg [31:0] wq;
        always @(posedge clk) begin
          if (wave_wr && wave_lane == LID) wmem[wave_beat[WAVE_LOG2-1:0]] <= wave_wdata;
          if (adv) wq <= wmem[p_addr];
        end
        assign env2[32*gl+:32] = wq;
      end
      for (gk = 0; gk < SPC; gk = gk + 1) begin : g_s
        localparam [31:0] K32 = gk;
        wire [31:0] ph1 = p_acc + p_freq * K32;
        reg [9:0] phi2;
        reg signed [16:0] a3;
        wire signed [15:0] cos3;
        seq_cos_rom u_cos (
            .clk(clk),
            .en (adv),
            .idx(phi2),
            .q  (cos3)
        );
        reg [15:0] o4;
        assign out4[16*gk+:16] = o4;
        wire signed [31:0] prod1 = $signed(amp2) * $signed(env2[16*gk+:16]);
        wire signed [32:0] prod2 = a3 * cos3;
        wire [2:0] top = prod2[32:30];
        wire unused_low = &{1'b0, ph1[21:0], prod1[14:0], prod2[14:0]};
        wire [15:0] sat = (top == 3'b000 || top == 3'b111) ? prod2[30:15] : (top[2] ? 16'h8000 : 16'h7FFF);
        always @(posedge clk) begin
          if (adv) begin
            phi2 <= ph1[31:22];
            a3 <= prod1[31:15];
          end
          if (rst) o4 <= 16'd0;
          else if (adv) o4 <= (v3 && !abort_now) ? sat : 16'd0;
        end
      end
      assign m_axis_tdata[SPC*16*gc+:SPC*16] = out4;
      assign m_axis_tuser[gc] = u4;
      assign ev_first_sample[gc] = u4 && adv;
      assign c_idle[gc] = !nonempty && !p_act && !v2 && !v3 && !v4;
`ifndef SYNTHESIS
      always @(posedge clk) begin
        if (!rst) begin
          assert (n <= QFULL);
          assert (!(push && n == QFULL && !pop));
          assert (!(launch && dropping));
        end
      end
`endif
    end
  endgenerate

  reg tvalid_r;
  always @(posedge clk) tvalid_r <= !rst;
  assign m_axis_tvalid = {CHANNELS{tvalid_r}};

  always @(*) begin
    qf = 16'hFFFF;
    for (i = 0; i < CHANNELS; i = i + 1) qf[i] = c_full[i];
  end
  assign qfull_pad = qf;

  // ---------------------------------------------------------------- late, abort, done
  reg [3:0] n_late, n_launch;
  reg any_late;
  reg [3:0] fl_chan;
  reg [31:0] fl_by;
  reg [7:0] late_mask;
  always @(*) begin
    n_late = 4'd0;
    n_launch = 4'd0;
    any_late = 1'b0;
    fl_chan = 4'd0;
    fl_by = 32'd0;
    late_mask = 8'd0;
    for (i = READOUTS - 1; i >= 0; i = i - 1) begin
      if (t_late[i]) begin
        n_late = n_late + 4'd1;
        any_late = 1'b1;
        fl_chan = 4'd8 + i[3:0];
        fl_by = t_lateby[32*i+:32];
      end
    end
    for (i = CHANNELS - 1; i >= 0; i = i - 1) begin
      if (c_launch[i]) n_launch = n_launch + 4'd1;
      if (c_late[i]) begin
        n_late = n_late + 4'd1;
        any_late = 1'b1;
        late_mask[i] = 1'b1;
        fl_chan = i[3:0];
        fl_by = c_lateby[32*i+:32];
      end
    end
  end
  wire late_abort = abort_on_late && any_late;
  wire stale_abort = |c_stale;
  assign abort_now = running && (sw_abort || wd_abort || late_abort || f_illegal || stale_abort);
  wire [2:0] cause_now = sw_abort ? CAUSE_SOFTWARE : wd_abort ? CAUSE_WATCHDOG : late_abort ? CAUSE_LATE : CAUSE_ILLEGAL;
  wire done_now = running && !fetching && (&c_idle) && (&t_empty);
  // Carry-select: the upper 28 bits' increment does not wait for the launch / late decisions.
  wire [4:0] lc_lo = {1'b0, late_count[3:0]} + {1'b0, n_late};
  wire [27:0] lc_hi1 = late_count[31:4] + 28'd1;
  wire [31:0] late_count_nx = {lc_lo[4] ? lc_hi1 : late_count[31:4], lc_lo[3:0]};
  wire [4:0] pu_lo = {1'b0, pulses[3:0]} + {1'b0, n_launch};
  wire [27:0] pu_hi1 = pulses[31:4] + 28'd1;
  wire [31:0] pulses_nx = {pu_lo[4] ? pu_hi1 : pulses[31:4], pu_lo[3:0]};
  wire [31:0] nmt_inc = nmt + 32'd1;                     // now + 1 - tref
  wire [31:0] nmt_sync = nmt_inc - {8'd0, itime};       // now + 1 - (tref + time): SYNC

  always @(posedge clk) begin
    irq_done_set <= 1'b0;
    irq_late_set <= 1'b0;
    late_set <= 8'd0;
    if (rst || start) begin  // reset, or a new run: the same state, running only for a run
      running <= !rst;
      fetching <= !rst;
      done <= 1'b0;
      aborted <= 1'b0;
      abort_cause <= 3'd0;
      pc_r <= {(PROG_LOG2 + 1) {1'b0}};
      now <= 32'd0;
      now_p1 <= 32'd1;
      now_p4 <= LAT32;
      nmt <= 32'd0;
      tref <= 32'd0;
      cnt <= 96'd0;
      pulses <= 32'd0;
      late_count <= 32'd0;
      first_late_cycles <= 24'd0;
      first_late_channel <= 4'd0;
      first_late_valid <= 1'b0;
    end else if (running) begin
      now <= now + 32'd1;
      now_p1 <= now_p1 + 32'd1;
      now_p4 <= now_p4 + 32'd1;
      nmt <= (!abort_now && f_go && f_sync) ? nmt_sync : nmt_inc;
      if (any_late) begin
        late_count <= late_count_nx;
        late_set <= late_mask;
        irq_late_set <= 1'b1;
        if (!first_late_valid) begin
          first_late_valid <= 1'b1;
          first_late_channel <= fl_chan;
          first_late_cycles <= (fl_by[31:24] != 8'd0) ? 24'hFFFFFF : fl_by[23:0];
        end
      end
      if (abort_now) begin
        running <= 1'b0;
        fetching <= 1'b0;
        aborted <= 1'b1;
        abort_cause <= cause_now;
      end else begin
        pulses <= pulses_nx;
        if (done_now) begin
          running <= 1'b0;
          done <= 1'b1;
          irq_done_set <= 1'b1;
        end
        if (f_go) begin
          if (f_end) fetching <= 1'b0;
          else pc_r <= npc;
          if (f_sync) tref <= tref + {8'd0, itime};
          if (f_setc) cnt[24*ich[1:0]+:24] <= itime;
          if (f_djnz) cnt[24*ich[1:0]+:24] <= cnt_dec;
        end
      end
    end
  end

  // Measurement bits and freshness (registers mirrored in SEQ.MEAS).
  reg [7:0] mb, mf;
  always @(*) begin
    mb = 8'd0;
    mf = 8'd0;
    for (i = 0; i < READOUTS; i = i + 1) begin
      mb[i] = r_bitreg[i];
      mf[i] = r_freshreg[i];
    end
  end
  assign meas_bits = mb;
  assign meas_fresh = mf;
  always @(posedge clk) begin
    if (rst || start) dec_bit <= 1'b0;
    else if (dec_valid) dec_bit <= dec_result;
    if (rst || start) dec_fresh <= 1'b0;
    else if (dec_valid) dec_fresh <= 1'b1;
    else if (dec_start) dec_fresh <= 1'b0;
  end

`ifndef SYNTHESIS
  always @(posedge clk) begin
    if (!rst) begin
      assert (now_p1 == now + 32'd1);
      assert (now_p4 == now + LAT32);
      assert (nmt == now - tref);
    end
  end
  initial begin
    assert (CHANNELS >= 1 && CHANNELS <= 8);
    assert (READOUTS >= 1 && READOUTS <= 8);
    assert (SPC >= 2 && (SPC & (SPC - 1)) == 0);
    assert (PROG_LOG2 >= 1 && PROG_LOG2 <= 13);
    assert (WAVE_LOG2 >= 1 && WAVE_LOG2 <= 12);
    assert (QDEPTH >= 2 && (QDEPTH & (QDEPTH - 1)) == 0);
  end
`endif
endmodule

`default_nettype wire
