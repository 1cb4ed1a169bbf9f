// Union-find surface-code decoder, parallel form: the algorithm of
// hdl/decoder/hls/union_find_decoder.h (whose header defines the outputs bit for bit) with one
// small piece of logic per vertex and per edge of a decoding graph fixed at elaboration.
//
// The graph comes from two generated headers found on the include path (host tool
// qontos::qec::rtl_graph_defines / rtl_graph_tables, program hdl/decoder/tb/uf_graph_gen):
// uf_graph_defs.vh (`define UF_NV, UF_NE, UF_NOBS, UF_WB) and uf_graph.vh (localparam tables).
//
// Per shot:
//   IN    syndrome beats of CHUNK detector bits (valid/ready); the beat holding the last
//         detector ends the shot (s_last must mark it).
//   GROW  every cycle: labels step once (min label over grown edges). When no label changed the
//         clusters are the connected components (label = lowest vertex); each vertex sees its
//         cluster's parity and boundary flag (label-equality reduction), each border edge its
//         speed (1 or 2) and the rounds it needs, a min tree gives the jump, and every border
//         edge grows by speed * jump (capped at its weight). No active cluster: to BFS.
//   BFS   hop distances by propagation from the sources (vertices with a grown boundary edge at
//         distance 1 in boundary clusters, the lowest vertex at distance 0 otherwise).
//   TREE  parent = lowest grown edge to a vertex one hop closer (lowest grown boundary edge for
//         a source); subtree defect parity by propagation from the leaves; an odd subtree puts
//         its parent edge in the correction. The first TREE step runs in the last BFS cycle.
//   OUT   result held until m_ready.
// A cycle budget (register) bounds IN-to-OUT: when it runs out the decoder stops, raises
// overrun, and delivers an invalid result (m_ok = 0) carrying the cycle count.
`default_nettype none
`include "uf_graph_defs.vh"

module uf_decoder #(
    parameter integer CHUNK = 32,                // syndrome bits per beat
    parameter [31:0] BUDGET_RESET = 32'd1024     // cycle budget after reset
) (
    input wire clk,
    input wire rst,  // synchronous, active high
    // Register port (32-bit words, see hdl/decoder/doc/README.md); reads are combinational.
    input wire cfg_we,
    input wire [15:0] cfg_addr,
    input wire [31:0] cfg_wdata,
    output reg [31:0] cfg_rdata,
    // Syndrome stream: beat k carries detectors k*CHUNK .. k*CHUNK+CHUNK-1 (LSB first).
    input wire s_valid,
    output wire s_ready,
    input wire [CHUNK-1:0] s_data,
    input wire s_last,
    // Result stream.
    output wire m_valid,
    input wire m_ready,
    output reg [`UF_NOBS-1:0] m_obs,         // predicted observable flips
    output reg [`UF_NE-1:0] m_correction,    // bit e: edge e is in the correction
    output reg m_ok,                         // result valid (no overrun, matchable)
    output reg m_overrun,                    // the cycle budget ran out
    output reg m_cannot_match,               // an odd cluster that can grow no further
    output reg [31:0] m_cycles,              // cycles from the last syndrome beat to the result
    output wire overrun,                     // level: the result held on m_* is an overrun
    output wire busy
);
  localparam integer NV = `UF_NV;
  localparam integer NE = `UF_NE;
  localparam integer NOBS = `UF_NOBS;
  localparam integer WB = `UF_WB;
`include "uf_graph.vh"

  localparam integer NCH = (NV + CHUNK - 1) / CHUNK;     // beats per shot
  localparam integer CB = (NCH > 1) ? $clog2(NCH) : 1;   // bits of a beat index
  localparam integer DB = $clog2(NV + 2);                // bits of a hop distance (+ infinity)
  localparam [DB-1:0] DINF = {DB{1'b1}};
  localparam [DB-1:0] DONE = {{(DB - 1) {1'b0}}, 1'b1};
  localparam [DB-1:0] DZERO = {DB{1'b0}};
  localparam integer NP = (NE > 1) ? (1 << $clog2(NE)) : 1;  // min-tree leaves
  localparam [WB:0] NEED_NONE = {1'b1, {WB{1'b0}}};           // above every real need
  localparam [WB:0] NEED_ONE = {{WB{1'b0}}, 1'b1};

  localparam [2:0] S_IN = 3'd0, S_GROW = 3'd1, S_BFS = 3'd2, S_TREE = 3'd3, S_OUT = 3'd4;

  // ---------------------------------------------------------------- state
  reg [2:0] state;
  reg [CB-1:0] beat;
  reg [NCH*CHUNK-1:0] syn;
  reg [NV-1:0] dfct;           // the shot's defects
  reg [NE*WB-1:0] wgt;         // run-time weights
  reg [NE*WB-1:0] gro;         // growth per edge
  reg [NV*VB-1:0] lab;         // cluster label per vertex
  reg [NV*DB-1:0] hop;        // hop distance per vertex
  reg [NV-1:0] rdy;            // subtree parity final
  reg [NV-1:0] sp;             // subtree defect parity
  reg [31:0] cyc, budget, last_cycles, shots, overruns;
  reg frame_error;

  assign s_ready = (state == S_IN);
  assign m_valid = (state == S_OUT);
  assign busy = (state == S_GROW) || (state == S_BFS) || (state == S_TREE);
  assign overrun = (state == S_OUT) && m_overrun;

  // ---------------------------------------------------------------- syndrome input
  reg [NCH*CHUNK-1:0] syn_next;
  always @* begin
    syn_next = syn;
    syn_next[beat*CHUNK+:CHUNK] = s_data;
  end
  wire last_beat = (beat == NCH[CB-1:0] - 1'b1);

  // ---------------------------------------------------------------- per edge: grown
  wire [NE-1:0] grown;
  genvar ge, gv;
  generate
    for (ge = 0; ge < NE; ge = ge + 1) begin : g_grown
      assign grown[ge] = gro[ge*WB+:WB] >= wgt[ge*WB+:WB];
    end
  endgenerate

  // ---------------------------------------------------------------- per vertex
  wire [NV*VB-1:0] lab_next;
  wire [NV*DB-1:0] hop_next;
  wire [NV-1:0] hb;           // has a grown boundary edge
  wire [NV-1:0] bnd;          // cluster touches the boundary
  wire [NV-1:0] act;          // cluster active
  wire [NV*DMAX-1:0] psel;    // parent edge slot, one-hot (or none)
  wire [NV-1:0] rdy_next, sp_next;
  wire [NE-1:0] pu, pv;       // edge is the parent edge of its u / v endpoint

  generate
    for (gv = 0; gv < NV; gv = gv + 1) begin : g_vertex
      reg [VB-1:0] lmin;
      reg [DB-1:0] dmin;
      reg hbv;
      reg [DMAX-1:0] sel;
      reg found;
      reg all_rdy, spx;
      reg p, b;
      integer k, u;
      reg [EB-1:0] e;
      reg [VB-1:0] o;
      // Label and distance propagation, boundary flag.
      always @* begin
        lmin = lab[gv*VB+:VB];
        dmin = hop[gv*DB+:DB];
        hbv = 1'b0;
        for (k = 0; k < DMAX; k = k + 1) begin
          e = ADJ_E[(gv*DMAX+k)*EB+:EB];
          o = ADJ_O[(gv*DMAX+k)*VB+:VB];
          if (ADJ_OK[gv*DMAX+k] && grown[e]) begin
            if (ADJ_B[gv*DMAX+k]) begin
              hbv = 1'b1;
            end else begin
              if (lab[o*VB+:VB] < lmin) lmin = lab[o*VB+:VB];
              if (hop[o*DB+:DB] != DINF && hop[o*DB+:DB] + DONE < dmin) dmin = hop[o*DB+:DB] + DONE;
            end
          end
        end
      end
      assign lab_next[gv*VB+:VB] = lmin;
      assign hop_next[gv*DB+:DB] = dmin;
      assign hb[gv] = hbv;
      // Cluster parity and boundary: reduce over the vertices sharing this vertex's label.
      always @* begin
        p = 1'b0;
        b = 1'b0;
        for (u = 0; u < NV; u = u + 1) begin
          if (lab[u*VB+:VB] == lab[gv*VB+:VB]) begin
            p = p ^ dfct[u];
            b = b | hb[u];
          end
        end
      end
      assign bnd[gv] = b;
      assign act[gv] = p & ~b;
      // Parent edge: the lowest grown boundary edge for a source, else the lowest grown edge to
      // a vertex one hop closer.
      always @* begin
        sel = {DMAX{1'b0}};
        found = 1'b0;
        for (k = 0; k < DMAX; k = k + 1) begin
          e = ADJ_E[(gv*DMAX+k)*EB+:EB];
          o = ADJ_O[(gv*DMAX+k)*VB+:VB];
          if (!found && ADJ_OK[gv*DMAX+k] && grown[e]) begin
            if (hb[gv]) begin
              if (ADJ_B[gv*DMAX+k]) begin
                sel[k] = 1'b1;
                found = 1'b1;
              end
            end else if (hop[gv*DB+:DB] != DZERO && hop[gv*DB+:DB] != DINF && !ADJ_B[gv*DMAX+k] &&
                         hop[o*DB+:DB] + DONE == hop[gv*DB+:DB]) begin
              sel[k] = 1'b1;
              found = 1'b1;
            end
          end
        end
      end
      assign psel[gv*DMAX+:DMAX] = sel;
      // Subtree parity: final once every child's is.
      always @* begin
        all_rdy = 1'b1;
        spx = dfct[gv];
        for (k = 0; k < DMAX; k = k + 1) begin
          e = ADJ_E[(gv*DMAX+k)*EB+:EB];
          o = ADJ_O[(gv*DMAX+k)*VB+:VB];
          if (ADJ_OK[gv*DMAX+k] && !ADJ_B[gv*DMAX+k] && (ADJ_ISU[gv*DMAX+k] ? pv[e] : pu[e])) begin
            all_rdy = all_rdy & rdy[o];
            spx = spx ^ sp[o];
          end
        end
      end
      assign rdy_next[gv] = all_rdy;
      assign sp_next[gv] = spx;
    end
  endgenerate

  // ---------------------------------------------------------------- per edge: border, need
  wire [NE*(WB+1)-1:0] need;
  wire [NE*WB-1:0] gro_next;   // growth after applying the jump
  wire [NE-1:0] corr;          // correction (valid when the subtree parities are final)
  reg [WB:0] jump;

  generate
    for (ge = 0; ge < NE; ge = ge + 1) begin : g_edge
      localparam [VB-1:0] U = EDGE_U[ge*VB+:VB];
      localparam [VB-1:0] V = EDGE_V[ge*VB+:VB];
      localparam [31:0] US = {{(32 - SB) {1'b0}}, EDGE_US[ge*SB+:SB]};
      localparam [31:0] VS = {{(32 - SB) {1'b0}}, EDGE_VS[ge*SB+:SB]};
      wire [WB-1:0] w = wgt[ge*WB+:WB];
      wire [WB-1:0] g = gro[ge*WB+:WB];
      wire [WB-1:0] rem = w - g;
      wire au = act[U];
      wire av;
      wire same;
      if (EDGE_B[ge]) begin : g_b
        assign av = 1'b0;
        assign same = 1'b0;
        assign pv[ge] = 1'b0;
        assign corr[ge] = pu[ge] & sp_next[U];
      end else begin : g_n
        assign av = act[V];
        assign same = (lab[U*VB+:VB] == lab[V*VB+:VB]);
        assign pv[ge] = psel[V*DMAX+VS];
        assign corr[ge] = (pu[ge] & sp_next[U]) | (pv[ge] & sp_next[V]);
      end
      assign pu[ge] = psel[U*DMAX+US];
      wire border = !grown[ge] && !same && (au | av);
      wire fast = au & av;  // between two active clusters: grows by 2 per round
      wire [WB:0] rem1 = {1'b0, rem};
      assign need[ge*(WB+1)+:WB+1] = !border ? NEED_NONE : fast ? ((rem1 + NEED_ONE) >> 1) : rem1;
      wire [WB+1:0] inc = fast ? {jump, 1'b0} : {1'b0, jump};
      wire [WB+1:0] sum = {2'b00, g} + inc;
      assign gro_next[ge*WB+:WB] = !border ? g : (sum >= {2'b00, w}) ? w : sum[WB-1:0];
    end
  endgenerate

  // Min tree over the needs (heap layout, in place: level by level, log2(NP) deep).
  reg [NP*(WB+1)-1:0] tree;
  integer ti, ts;
  always @* begin
    for (ti = 0; ti < NP; ti = ti + 1) tree[ti*(WB+1)+:WB+1] = (ti < NE) ? need[ti*(WB+1)+:WB+1] : NEED_NONE;
    for (ts = NP / 2; ts >= 1; ts = ts / 2)
      for (ti = 0; ti < ts; ti = ti + 1)
        if (tree[(2*ti+1)*(WB+1)+:WB+1] < tree[(2*ti)*(WB+1)+:WB+1])
          tree[ti*(WB+1)+:WB+1] = tree[(2*ti+1)*(WB+1)+:WB+1];
        else
          tree[ti*(WB+1)+:WB+1] = tree[(2*ti)*(WB+1)+:WB+1];
    jump = tree[0+:WB+1];
  end

  // Observable flips of the correction.
  reg [NOBS-1:0] obs;
  integer oi;
  always @* begin
    obs = {NOBS{1'b0}};
    for (oi = 0; oi < NE; oi = oi + 1) if (corr[oi]) obs = obs ^ EDGE_OBS[oi*NOBS+:NOBS];
  end

  // ---------------------------------------------------------------- control
  wire lab_changed = (lab_next != lab);
  wire hop_changed = (hop_next != hop);
  wire any_active = |act;
  wire no_border = jump[WB];
  wire tree_done = &rdy_next;
  // This cycle ends the shot with a result (ok or cannot-match).
  wire finish = ((state == S_GROW) && !lab_changed && any_active && no_border) ||
                ((state == S_BFS) && !hop_changed && tree_done) || ((state == S_TREE) && tree_done);
  wire out_of_budget = busy && !finish && (cyc >= budget);

  wire cfg_weight = (cfg_addr[15:12] == 4'h1) && ({20'd0, cfg_addr[11:0]} < NE);
  wire [WB-1:0] cfg_w = cfg_wdata[WB-1:0];
  wire cfg_w_legal = (cfg_w != {WB{1'b0}}) && (cfg_wdata[31:WB] == {(32 - WB) {1'b0}});

  integer i;
  always @(posedge clk) begin
    if (rst) begin
      state <= S_IN;
      beat <= {CB{1'b0}};
      syn <= {(NCH * CHUNK) {1'b0}};
      dfct <= {NV{1'b0}};
      wgt <= EDGE_W0;
      gro <= {(NE * WB) {1'b0}};
      lab <= {(NV * VB) {1'b0}};
      hop <= {(NV * DB) {1'b1}};
      rdy <= {NV{1'b0}};
      sp <= {NV{1'b0}};
      cyc <= 32'd0;
      budget <= BUDGET_RESET;
      last_cycles <= 32'd0;
      shots <= 32'd0;
      overruns <= 32'd0;
      frame_error <= 1'b0;
      m_obs <= {NOBS{1'b0}};
      m_correction <= {NE{1'b0}};
      m_ok <= 1'b0;
      m_overrun <= 1'b0;
      m_cannot_match <= 1'b0;
      m_cycles <= 32'd0;
    end else begin
      // Registers are written between shots only (a calibration must not change a decode).
      if (cfg_we && !busy) begin
        if (cfg_addr == 16'h0002) budget <= cfg_wdata;
        if (cfg_addr == 16'h0006) frame_error <= 1'b0;
        if (cfg_weight && cfg_w_legal) wgt[cfg_addr[11:0]*WB+:WB] <= cfg_w;
      end
      if (busy) cyc <= cyc + 32'd1;
      case (state)
        S_IN:
        if (s_valid) begin
          syn <= syn_next;
          if (s_last != last_beat) frame_error <= 1'b1;
          if (last_beat) begin
            beat <= {CB{1'b0}};
            dfct <= syn_next[NV-1:0];
            for (i = 0; i < NV; i = i + 1) lab[i*VB+:VB] <= i[VB-1:0];
            gro <= {(NE * WB) {1'b0}};
            cyc <= 32'd1;
            state <= S_GROW;
          end else begin
            beat <= beat + 1'b1;
          end
        end
        S_GROW:
        if (lab_changed) begin
          lab <= lab_next;
        end else if (!any_active) begin
          for (i = 0; i < NV; i = i + 1)
            hop[i*DB+:DB] <= hb[i] ? DONE : (lab[i*VB+:VB] == i[VB-1:0] && !bnd[i]) ? DZERO : DINF;
          rdy <= {NV{1'b0}};
          sp <= dfct;
          state <= S_BFS;
        end else if (!no_border) begin
          gro <= gro_next;
        end
        S_BFS:
        if (hop_changed) begin
          hop <= hop_next;
        end else begin
          rdy <= rdy_next;
          sp <= sp_next;
          if (!tree_done) state <= S_TREE;
        end
        S_TREE: begin
          rdy <= rdy_next;
          sp <= sp_next;
        end
        S_OUT: if (m_ready) state <= S_IN;
        default: state <= S_IN;
      endcase
      if (finish) begin
        state <= S_OUT;
        m_ok <= !(state == S_GROW);
        m_cannot_match <= (state == S_GROW);
        m_overrun <= 1'b0;
        m_obs <= (state == S_GROW) ? {NOBS{1'b0}} : obs;
        m_correction <= (state == S_GROW) ? {NE{1'b0}} : corr;
        m_cycles <= cyc;
        last_cycles <= cyc;
        shots <= shots + 32'd1;
      end else if (out_of_budget) begin
        state <= S_OUT;
        m_ok <= 1'b0;
        m_cannot_match <= 1'b0;
        m_overrun <= 1'b1;
        m_obs <= {NOBS{1'b0}};
        m_correction <= {NE{1'b0}};
        m_cycles <= cyc;
        last_cycles <= cyc;
        shots <= shots + 32'd1;
        overruns <= overruns + 32'd1;
      end
    end
  end

  // ---------------------------------------------------------------- register reads
  localparam integer INFO0 = NE * 65536 + NV;
  localparam integer INFO1 = DMAX * 16777216 + CHUNK * 65536 + WB * 256 + NOBS;
  always @* begin
    cfg_rdata = 32'd0;
    case (cfg_addr)
      16'h0000: cfg_rdata = INFO0;
      16'h0001: cfg_rdata = INFO1;
      16'h0002: cfg_rdata = budget;
      16'h0003: cfg_rdata = last_cycles;
      16'h0004: cfg_rdata = shots;
      16'h0005: cfg_rdata = overruns;
      16'h0006: cfg_rdata = {28'd0, frame_error, overrun, busy, m_valid};
      default:  if (cfg_weight) cfg_rdata = {{(32 - WB) {1'b0}}, wgt[cfg_addr[11:0]*WB+:WB]};
    endcase
  end

`ifndef SYNTHESIS
  // ---------------------------------------------------------------- assertions (simulation)
  // Plain immediate assertions: Verilator (--assert) and yosys (read_verilog -sv -nosynthesis,
  // for formal) both accept them; synthesis defines SYNTHESIS and leaves them out.
  integer ai;
  always @(posedge clk) begin
    if (!rst) begin
      // s_last marks exactly the beat holding the last detector.
      if (state == S_IN && s_valid) assert (s_last == last_beat);
      // A growth step that is applied moves every border edge.
      if (state == S_GROW && !lab_changed && any_active && !no_border) assert (jump != {(WB + 1) {1'b0}});
      // No edge grows past its weight; labels never exceed their vertex (min propagation).
      if (busy) begin
        for (ai = 0; ai < NE; ai = ai + 1) assert (gro[ai*WB+:WB] <= wgt[ai*WB+:WB]);
        for (ai = 0; ai < NV; ai = ai + 1) assert (lab[ai*VB+:VB] <= ai[VB-1:0]);
      end
      // At most one parent edge per vertex.
      if (state == S_TREE || state == S_BFS)
        for (ai = 0; ai < NV; ai = ai + 1)
          assert ((psel[ai*DMAX+:DMAX] & (psel[ai*DMAX+:DMAX] - 1'b1)) == {DMAX{1'b0}});
      // A valid result is neither an overrun nor unmatchable.
      if (state == S_OUT) assert (!(m_ok && (m_overrun || m_cannot_match)));
    end
  end
`endif
endmodule

`default_nettype wire
