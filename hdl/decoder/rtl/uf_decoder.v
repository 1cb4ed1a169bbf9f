// Union-find surface-code decoder, parallel form: the algorithm of
// hdl/decoder/hls/union_find_decoder.h (whose header defines the outputs bit for bit) with one
// small piece of logic per vertex and per edge of a decoding graph fixed at elaboration. All the
// logic is O(V + E): every vertex talks only to its neighbours, plus global OR/AND reductions and
// one min tree over the edges.
//
// The graph comes from two generated headers found on the include path (host tool
// qontos::qec::rtl_graph_defines / rtl_graph_tables, program hdl/decoder/tb/uf_graph_gen):
// uf_graph_defs.vh (`define UF_NV, UF_NE, UF_NOBS, UF_WB) and uf_graph.vh (localparam tables).
// Every table lookup is an elaboration-time constant (generate loops with localparam indices).
//
// Per shot:
//   IN    syndrome beats of CHUNK detector bits (valid/ready); the beat holding the last
//         detector ends the shot (s_last must mark it).
//   GROW  every cycle, every vertex steps its cluster state and its peeling state (below). When
//         the cluster state is quiescent every vertex knows whether its cluster is active; each
//         border edge then has its speed (1 or 2) and the rounds it needs, a min tree gives the
//         jump, and every border edge grows by speed * jump (capped at its weight): one HLS
//         round. No active cluster and nothing at all changing: the result. Active clusters but
//         no border edge: cannot match.
//   OUT   result held until m_ready.
//
// Cluster state (per vertex, distributed, one hop per cycle; see hdl/decoder/doc/README.md):
//   lab   min-label propagation over grown edges; a vertex's own label is {no defect, vertex},
//         so a cluster's label converges to its lowest defect vertex (absorbing defect-free
//         vertices never moves a cluster's root).
//   par   when lab strictly decreases, the adjacency slot of the neighbour that supplied the new
//         minimum (lowest slot on ties). Parents form a forest rooted at the vertices whose label
//         is their own; at convergence one tree per cluster.
//   acc   at a root: its cluster's defect parity so far; at a non-root: a parity token in
//         flight. A vertex that is not a root (or stops being one) sends acc to its parent in the
//         same cycle; a root XORs what arrives into its parity. The XOR of a cluster's acc bits is
//         always its defect parity, so at quiescence the root holds it.
//   vw    view of the cluster's parity: a root's is its parity (updated in the cycle tokens
//         arrive), any other vertex's its parent's (a root parent's next value, otherwise the
//         registered one).
//   bf    the cluster touches the boundary: flooded over grown edges (monotone).
//   A vertex's cluster is active when vw & !bf. The growth step waits for quiescence: no label
//   change, no token, no view or boundary change anywhere (one AND over the vertices).
// Peeling state (per vertex, self-stabilising, recomputed every cycle from the current state):
//   low   the cluster's lowest vertex (min propagation): the root of a cluster without boundary.
//   hop   hop distance from the HLS sources (1 at a vertex with a grown boundary edge, 0 at the
//         lowest vertex of a cluster without boundary), taken only from neighbours with the same
//         sources; parent = lowest grown edge to a vertex one hop closer (lowest grown boundary
//         edge for a boundary source); sp = subtree defect parity. The correction is the set of
//         parent edges of the vertices with odd sp. At the fixed point these are exactly the HLS
//         model's breadth-first distances, parents and peeling.
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
  localparam integer KW = VB + 1;                        // a label: {no defect, vertex}
  localparam integer LW = KW + 1;                        // a label with a "none" flag on top
  localparam integer LE = (NE > 1) ? $clog2(NE) : 0;     // levels of the edge trees
  localparam [DB-1:0] DINF = {DB{1'b1}};
  localparam [DB-1:0] DONE = {{(DB - 1) {1'b0}}, 1'b1};
  localparam [DB-1:0] DZERO = {DB{1'b0}};
  localparam [LW-1:0] LNONE = {LW{1'b1}};
  localparam [VB:0] VNONE = {(VB + 1) {1'b1}};           // no vertex (lowest-vertex trees)
  localparam [WB:0] NEED_NONE = {1'b1, {WB{1'b0}}};     // above every real need
  localparam [WB:0] NEED_ONE = {{WB{1'b0}}, 1'b1};

  localparam [2:0] S_IN = 3'd0, S_GROW = 3'd1, S_OUT = 3'd4;

  // ---------------------------------------------------------------- control state
  reg [2:0] state;
  reg [CB-1:0] beat;
  reg [NCH*CHUNK-1:0] syn;     // the shot's syndrome; bits 0..NV-1 are the defects
  reg [31:0] cyc, budget, last_cycles, shots, overruns;
  reg frame_error;

  assign s_ready = (state == S_IN);
  assign m_valid = (state == S_OUT);
  assign busy = (state == S_GROW);
  assign overrun = (state == S_OUT) && m_overrun;

  wire [NV-1:0] dfct = syn[NV-1:0];
  wire last_beat = (beat == NCH[CB-1:0] - 1'b1);
  wire start = (state == S_IN) && s_valid && last_beat;  // this edge loads the shot
  wire in_grow = (state == S_GROW);

  // Global reductions (below) and the decisions made from them.
  wire [NV-1:0] vquiet;   // per vertex: its cluster state will not change
  wire [NV-1:0] vstable;  // per vertex: nothing of it will change (cluster state, hop, subtree parity)
  wire [NV-1:0] act;      // per vertex: its cluster is active (meaningful when quiet)
  wire [WB:0] jump;       // min need over the edges (NEED_NONE: no border edge)
  wire quiet = &vquiet;
  wire stable = &vstable;
  wire any_active = |act;
  wire no_border = jump[WB];
  wire apply = in_grow && quiet && any_active && !no_border;  // one growth round
  wire fin_cm = in_grow && quiet && any_active && no_border;  // an odd cluster cannot grow
  wire fin_ok = in_grow && stable && !any_active;             // growth over, peeling final
  wire finish = fin_cm || fin_ok;

  // ---------------------------------------------------------------- syndrome input
  wire [NCH*CHUNK-1:0] syn_next;  // syn with the current beat's chunk replaced
  genvar gc;
  generate
    for (gc = 0; gc < NCH; gc = gc + 1) begin : g_chunk
      localparam integer GCI = gc;
      assign syn_next[gc*CHUNK+:CHUNK] = (beat == GCI[CB-1:0]) ? s_data : syn[gc*CHUNK+:CHUNK];
    end
  endgenerate

  // ---------------------------------------------------------------- shared per-vertex / per-edge wires
  // Unpacked arrays indexed by elaboration-time constants only.
  wire grown [0:NE-1];          // edge has reached its weight (a flip-flop)
  wire [KW-1:0] lab [0:NV-1];   // cluster label (growth)
  wire [VB-1:0] low [0:NV-1];   // lowest vertex of the cluster seen so far (peeling root)
  wire bf [0:NV-1];             // cluster touches the boundary (flooded)
  wire hb [0:NV-1];             // vertex has a grown boundary edge
  wire vo [0:NV-1];             // view a child reads (a root's next parity)
  wire snd [0:NV-1];            // sends a parity token to its next parent this cycle
  wire [DMAX-1:0] pn1h [0:NV-1];  // next parent slot in the label tree, one-hot
  wire [DB-1:0] hop [0:NV-1];   // hop distance (peeling)
  wire [DMAX-1:0] psel [0:NV-1];  // peeling parent edge slot, one-hot (or none)
  wire sp [0:NV-1];             // subtree defect parity
  wire tu [0:NE-1];             // parity token from u to v through the edge
  wire tv [0:NE-1];             // parity token from v to u
  wire pu [0:NE-1];             // edge is the peeling parent edge of its u endpoint
  wire pv [0:NE-1];             // ... of its v endpoint
  wire [NE-1:0] corr;           // correction (final when stable)

  genvar gv, gk, ge, gb, gl, gi;
  generate
    for (gv = 0; gv < NV; gv = gv + 1) begin : g_v
      localparam integer SELFI = gv;
      localparam [VB-1:0] SELF = SELFI[VB-1:0];
      wire [KW-1:0] KEY = {~dfct[gv], SELF};  // own label: defects before other vertices
      reg [KW-1:0] r_lab;   // cluster label: the least key in the cluster (once converged)
      reg [SB-1:0] r_par;   // label-tree parent slot (meaningful when r_lab != KEY)
      reg [VB-1:0] r_low;   // the cluster's lowest vertex (once converged)
      wire [VB-1:0] low_n;  // r_low after this cycle
      wire bf_n;            // r_bf after this cycle
      reg r_acc;            // root: cluster parity; other: parity token held
      reg r_vw;             // view of the cluster parity
      reg r_bf;             // cluster touches the boundary
      reg [DB-1:0] r_hop;   // hop distance from the peeling sources
      reg r_sp;             // subtree defect parity in the peeling tree
      // One entry per adjacency slot (all constant lookups).
      wire [DMAX-1:0] s_b;   // grown boundary edge
      wire [DMAX-1:0] s_bo;  // neighbour through a grown edge knows the boundary
      wire [DMAX-1:0] s_vo;  // neighbour's view
      wire [DMAX-1:0] s_ti;  // parity token arriving from the neighbour
      wire [DMAX-1:0] s_ch;  // the neighbour's peeling parent edge is this one (a child)
      wire [DMAX-1:0] s_so;  // the neighbour's subtree parity
      for (gk = 0; gk < DMAX; gk = gk + 1) begin : g_s
        localparam integer P = gv * DMAX + gk;
        localparam [31:0] E = {{(32 - EB) {1'b0}}, ADJ_E[P*EB+:EB]};
        localparam [31:0] O = {{(32 - VB) {1'b0}}, ADJ_O[P*VB+:VB]};
        localparam integer GKI = gk;
        localparam [SB-1:0] GK = GKI[SB-1:0];
        if (ADJ_OK[P] && !ADJ_B[P]) begin : g_n
          wire [LW-1:0] lo = grown[E] ? {1'b0, lab[O]} : LNONE;  // neighbour's label, else none
          // The neighbour's hop counts only when it has the same peeling sources as this vertex
          // will have (same lowest vertex and boundary flag): stale distances from a former
          // source are never taken up, so hops converge without counting up.
          wire [DB-1:0] ho = (grown[E] && low[O] == low_n && bf[O] == bf_n) ? hop[O] : DINF;
          wire [VB:0] wo = grown[E] ? {1'b0, low[O]} : VNONE;     // neighbour's lowest vertex
          assign s_b[gk] = 1'b0;
          assign s_bo[gk] = grown[E] & (bf[O] | hb[O]);
          assign s_vo[gk] = vo[O];
          if (ADJ_ISU[P]) begin : g_u
            assign s_ti[gk] = tv[E];
            assign s_ch[gk] = pv[E];
          end else begin : g_v
            assign s_ti[gk] = tu[E];
            assign s_ch[gk] = pu[E];
          end
          assign s_so[gk] = sp[O];
        end else begin : g_x
          assign s_b[gk] = ADJ_OK[P] ? grown[E] : 1'b0;
          assign s_bo[gk] = 1'b0;
          assign s_vo[gk] = 1'b0;
          assign s_ti[gk] = 1'b0;
          assign s_ch[gk] = 1'b0;
          assign s_so[gk] = 1'b0;
        end
`ifndef SYNTHESIS
        // A non-root's label-tree parent is a grown edge (to a vertex whose label is not larger).
        always @(posedge clk)
          if (!rst && busy && r_lab != KEY && r_par == GK)
            assert (ADJ_OK[P] && !ADJ_B[P] && grown[E] && lab[O] <= r_lab);
`endif
      end
      // Min trees over the slots that lead to another vertex (NN of them; a boundary or unused
      // slot would be a constant leaf): the smallest neighbour label and hop, with the lowest
      // slot holding it (a right child wins only when strictly smaller; slots are in edge order).
      localparam [31:0] NN = {{(32 - NB) {1'b0}}, ADJ_NN[gv*NB+:NB]};
      localparam integer TL = (NN > 1) ? $clog2(NN) : 0;
      wire [LW-1:0] lmin;
      wire [SB-1:0] lidx;
      wire [DB-1:0] hmin;
      wire [SB-1:0] hidx;
      wire [VB:0] wmin;
      wire chg;  // a smaller label arrives
      wire wchg;  // a lower vertex arrives
      if (NN == 0) begin : g_lone  // no edge to another vertex: nothing ever arrives
        assign lmin = LNONE;
        assign lidx = {SB{1'b0}};
        assign hmin = DINF;
        assign hidx = {SB{1'b0}};
        assign wmin = VNONE;
        assign chg = 1'b0;
        assign wchg = 1'b0;
      end else begin : g_tree
        for (gl = 0; gl <= TL; gl = gl + 1) begin : g_t
          for (gi = 0; gi < ((NN + (1 << gl) - 1) >> gl); gi = gi + 1) begin : g_n
            wire [LW-1:0] lv;
            wire [DB-1:0] hv;
            wire [VB:0] wv;
            wire [SB-1:0] lx, hx;
            if (gl == 0) begin : g_leaf
              localparam [31:0] K = {{(32 - SB) {1'b0}}, ADJ_NS[(gv*DMAX+gi)*SB+:SB]};
              assign lv = g_s[K].g_n.lo;
              assign hv = g_s[K].g_n.ho;
              assign wv = g_s[K].g_n.wo;
              assign lx = K[SB-1:0];
              assign hx = K[SB-1:0];
            end else if (2 * gi + 1 < ((NN + (1 << (gl - 1)) - 1) >> (gl - 1))) begin : g_m
              wire lr = g_t[gl-1].g_n[2*gi+1].lv < g_t[gl-1].g_n[2*gi].lv;
              wire hr = g_t[gl-1].g_n[2*gi+1].hv < g_t[gl-1].g_n[2*gi].hv;
              wire wr = g_t[gl-1].g_n[2*gi+1].wv < g_t[gl-1].g_n[2*gi].wv;
              assign wv = wr ? g_t[gl-1].g_n[2*gi+1].wv : g_t[gl-1].g_n[2*gi].wv;
              assign lv = lr ? g_t[gl-1].g_n[2*gi+1].lv : g_t[gl-1].g_n[2*gi].lv;
              assign lx = lr ? g_t[gl-1].g_n[2*gi+1].lx : g_t[gl-1].g_n[2*gi].lx;
              assign hv = hr ? g_t[gl-1].g_n[2*gi+1].hv : g_t[gl-1].g_n[2*gi].hv;
              assign hx = hr ? g_t[gl-1].g_n[2*gi+1].hx : g_t[gl-1].g_n[2*gi].hx;
            end else begin : g_1  // no right child
              assign lv = g_t[gl-1].g_n[2*gi].lv;
              assign lx = g_t[gl-1].g_n[2*gi].lx;
              assign hv = g_t[gl-1].g_n[2*gi].hv;
              assign hx = g_t[gl-1].g_n[2*gi].hx;
              assign wv = g_t[gl-1].g_n[2*gi].wv;
            end
          end
        end
        assign lmin = g_t[TL].g_n[0].lv;
        assign lidx = g_t[TL].g_n[0].lx;
        assign hmin = g_t[TL].g_n[0].hv;
        assign hidx = g_t[TL].g_n[0].hx;
        assign wmin = g_t[TL].g_n[0].wv;
        assign chg = lmin < {1'b0, r_lab};
        assign wchg = wmin < {1'b0, r_low};
      end
      wire [DMAX-1:0] p1h, h1h;
      wire [SB-1:0] parn = chg ? lidx : r_par;        // label-tree parent after this cycle
      for (gk = 0; gk < DMAX; gk = gk + 1) begin : g_1h
        localparam integer GKI = gk;
        assign p1h[gk] = (parn == GKI[SB-1:0]);
        assign h1h[gk] = (hidx == GKI[SB-1:0]);
      end

      // ---- cluster state
      wire rootn = (r_lab == KEY) && !chg;            // a root after this cycle
      wire lown = (r_low == SELF) && !wchg;           // the lowest vertex after this cycle
      wire tin = ^s_ti;
      wire rodd = r_acc ^ tin;                        // a root's parity after this cycle
      wire vw_n = rootn ? rodd : |(p1h & s_vo);
      wire acc_n = rootn ? rodd : tin;
      wire sndv = !rootn && r_acc;
      wire hbv = |s_b;
      assign bf_n = r_bf | hbv | (|s_bo);
      assign low_n = wchg ? wmin[VB-1:0] : r_low;
      assign lab[gv] = r_lab;
      assign low[gv] = r_low;
      assign bf[gv] = r_bf;
      assign hb[gv] = hbv;
      assign vo[gv] = rootn ? rodd : r_vw;
      assign snd[gv] = sndv;
      assign pn1h[gv] = p1h;
      assign act[gv] = r_vw && !r_bf && !hbv;
      assign vquiet[gv] = !chg && !sndv && (vw_n == r_vw) && (bf_n == r_bf);

      // ---- peeling, computed all along (self-stabilising): sources are the vertices with a
      // grown boundary edge (distance 1) and the lowest vertices of clusters without boundary
      // (0; the lowest vertex is found by its own min propagation, r_low); other
      // vertices take 1 + the least hop of their grown neighbours. Parent edge: the lowest grown
      // boundary edge for a boundary source, else the lowest grown edge to a vertex one hop
      // closer. Subtree parity: own defect XOR the children's.
      wire [DB-1:0] hcand = (hmin == DINF) ? DINF : hmin + DONE;
      wire [DB-1:0] hop_n = hbv ? DONE : (lown && !bf_n) ? DZERO : hcand;
      wire [DMAX-1:0] blow = s_b & (~s_b + {{(DMAX - 1) {1'b0}}, 1'b1});
      wire inner = (r_hop != DZERO) && (r_hop != DINF) && (hcand == r_hop);
      wire sp_n = dfct[gv] ^ (^(s_ch & s_so));
      assign hop[gv] = r_hop;
      assign psel[gv] = hbv ? blow : inner ? h1h : {DMAX{1'b0}};
      assign sp[gv] = r_sp;
      assign vstable[gv] = vquiet[gv] && !wchg && (hop_n == r_hop) && (sp_n == r_sp);

      always @(posedge clk) begin
        if (start) begin
          r_lab <= {~syn_next[gv], SELF};
          r_low <= SELF;
          r_par <= {SB{1'b0}};
          r_acc <= syn_next[gv];
          r_vw <= syn_next[gv];
          r_bf <= 1'b0;
          r_hop <= DZERO;
          r_sp <= syn_next[gv];
        end else if (in_grow) begin
          if (chg) r_lab <= lmin[KW-1:0];
          r_low <= low_n;
          r_par <= parn;
          r_acc <= acc_n;
          r_vw <= vw_n;
          r_bf <= bf_n;
          r_hop <= hop_n;
          r_sp <= sp_n;
        end
      end

`ifndef SYNTHESIS
      // Labels never exceed their vertex's own; at most one peeling parent edge.
      always @(posedge clk) begin
        if (!rst && busy) begin
          assert (r_lab <= KEY);
          assert (r_low <= SELF);
          assert ((psel[gv] & (psel[gv] - 1'b1)) == {DMAX{1'b0}});
        end
      end
`endif
    end
  endgenerate

  // ---------------------------------------------------------------- per edge
  wire [WB-1:0] cfg_w = cfg_wdata[WB-1:0];
  wire cfg_w_legal = (cfg_w != {WB{1'b0}}) && (cfg_wdata[31:WB] == {(32 - WB) {1'b0}});
  wire cfg_w_take = cfg_we && !busy && (cfg_addr[15:12] == 4'h1) && cfg_w_legal;

  generate
    for (ge = 0; ge < NE; ge = ge + 1) begin : g_e
      localparam [31:0] U = {{(32 - VB) {1'b0}}, EDGE_U[ge*VB+:VB]};
      localparam [31:0] V = {{(32 - VB) {1'b0}}, EDGE_V[ge*VB+:VB]};
      localparam [31:0] US = {{(32 - SB) {1'b0}}, EDGE_US[ge*SB+:SB]};
      localparam [31:0] VS = {{(32 - SB) {1'b0}}, EDGE_VS[ge*SB+:SB]};
      localparam integer GEI = ge;
      localparam [11:0] ADDR = GEI[11:0];
      reg [WB-1:0] r_w;  // weight (register port)
      reg [WB-1:0] r_g;  // growth
      reg r_gd;          // grown: r_g >= r_w
      wire [WB:0] need;  // rounds to completion (NEED_NONE: not a border edge)
      assign grown[ge] = r_gd;
      wire au = act[U];
      wire av, same;
      if (EDGE_B[ge]) begin : g_b
        assign av = 1'b0;
        assign same = 1'b0;
        assign tu[ge] = 1'b0;
        assign tv[ge] = 1'b0;
        assign pv[ge] = 1'b0;
        assign corr[ge] = pu[ge] & sp[U];
      end else begin : g_n
        assign av = act[V];
        assign same = (lab[U] == lab[V]);
        assign tu[ge] = snd[U] & pn1h[U][US];
        assign tv[ge] = snd[V] & pn1h[V][VS];
        assign pv[ge] = psel[V][VS];
        assign corr[ge] = (pu[ge] & sp[U]) | (pv[ge] & sp[V]);
      end
      assign pu[ge] = psel[U][US];
      wire border = !r_gd && !same && (au | av);
      wire fast = au & av;  // between two active clusters: grows by 2 per round
      wire [WB:0] rem1 = {1'b0, r_w - r_g};
      assign need = !border ? NEED_NONE : fast ? ((rem1 + NEED_ONE) >> 1) : rem1;
      wire [WB+1:0] inc = fast ? {jump, 1'b0} : {1'b0, jump};
      wire [WB+1:0] sum = {2'b00, r_g} + inc;
      wire reach = sum >= {2'b00, r_w};
      always @(posedge clk) begin
        if (rst) r_w <= EDGE_W0[ge*WB+:WB];
        else if (cfg_w_take && cfg_addr[11:0] == ADDR) r_w <= cfg_w;
        if (rst || start) begin
          r_g <= {WB{1'b0}};
          r_gd <= 1'b0;
        end else if (apply && border) begin
          r_g <= reach ? r_w : sum[WB-1:0];
          r_gd <= reach;
        end
      end
`ifndef SYNTHESIS
      // No edge grows past its weight; the grown flag is r_g >= r_w.
      always @(posedge clk)
        if (!rst && busy) begin
          assert (r_g <= r_w);
          assert (r_gd == (r_g >= r_w));
        end
`endif
    end
  endgenerate

  // Trees over the edges (leaf i = edge i): the min need (the jump), and the weight read-back
  // mux (level l selects with address bit l-1).
  wire [WB-1:0] wsel;
  generate
    for (gl = 0; gl <= LE; gl = gl + 1) begin : g_et
      for (gi = 0; gi < ((NE + (1 << gl) - 1) >> gl); gi = gi + 1) begin : g_n
        wire [WB:0] nv;
        wire [WB-1:0] wv;
        if (gl == 0) begin : g_leaf
          assign nv = g_e[gi].need;
          assign wv = g_e[gi].r_w;
        end else if (2 * gi + 1 < ((NE + (1 << (gl - 1)) - 1) >> (gl - 1))) begin : g_m
          wire [WB:0] na = g_et[gl-1].g_n[2*gi].nv;
          wire [WB:0] nb = g_et[gl-1].g_n[2*gi+1].nv;
          assign nv = (nb < na) ? nb : na;
          assign wv = cfg_addr[gl-1] ? g_et[gl-1].g_n[2*gi+1].wv : g_et[gl-1].g_n[2*gi].wv;
        end else begin : g_1  // no right child (addresses past the last edge read as zero anyway)
          assign nv = g_et[gl-1].g_n[2*gi].nv;
          assign wv = g_et[gl-1].g_n[2*gi].wv;
        end
      end
    end
  endgenerate
  assign jump = g_et[LE].g_n[0].nv;
  assign wsel = g_et[LE].g_n[0].wv;

  // Observable flips: per observable, the XOR of the correction edges that carry it.
  wire [NOBS-1:0] obs;
  generate
    for (gb = 0; gb < NOBS; gb = gb + 1) begin : g_obs
      wire [NE-1:0] hit;
      for (ge = 0; ge < NE; ge = ge + 1) begin : g_oe
        if (EDGE_OBS[ge*NOBS+gb]) begin : g_1
          assign hit[ge] = corr[ge];
        end else begin : g_0
          assign hit[ge] = 1'b0;
        end
      end
      assign obs[gb] = ^hit;
    end
  endgenerate

  // ---------------------------------------------------------------- control
  wire out_of_budget = busy && !finish && (cyc >= budget);
  wire cfg_weight = (cfg_addr[15:12] == 4'h1) && ({20'd0, cfg_addr[11:0]} < NE);

  always @(posedge clk) begin
    if (rst) begin
      state <= S_IN;
      beat <= {CB{1'b0}};
      syn <= {(NCH * CHUNK) {1'b0}};
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
      end
      if (busy) cyc <= cyc + 32'd1;
      case (state)
        S_IN:
        if (s_valid) begin
          syn <= syn_next;
          if (s_last != last_beat) frame_error <= 1'b1;
          if (last_beat) begin
            beat <= {CB{1'b0}};
            cyc <= 32'd1;
            state <= S_GROW;
          end else begin
            beat <= beat + 1'b1;
          end
        end
        S_OUT: if (m_ready) state <= S_IN;
        S_GROW: ;
        default: state <= S_IN;
      endcase
      if (finish) begin
        state <= S_OUT;
        m_ok <= fin_ok;
        m_cannot_match <= fin_cm;
        m_overrun <= 1'b0;
        m_obs <= fin_ok ? obs : {NOBS{1'b0}};
        m_correction <= fin_ok ? corr : {NE{1'b0}};
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
      default:  if (cfg_weight) cfg_rdata = {{(32 - WB) {1'b0}}, wsel};
    endcase
  end

`ifndef SYNTHESIS
  // ---------------------------------------------------------------- assertions (simulation)
  // Plain immediate assertions: Verilator (--assert) and yosys (read_verilog -sv -nosynthesis,
  // for formal) both accept them; synthesis defines SYNTHESIS and leaves them out.
  always @(posedge clk) begin
    if (!rst) begin
      // s_last marks exactly the beat holding the last detector.
      if (state == S_IN && s_valid) assert (s_last == last_beat);
      // A growth step that is applied moves every border edge.
      if (apply) assert (jump != {(WB + 1) {1'b0}});
      // A valid result is neither an overrun nor unmatchable.
      if (state == S_OUT) assert (!(m_ok && (m_overrun || m_cannot_match)));
    end
  end
`endif
endmodule

`default_nettype wire
