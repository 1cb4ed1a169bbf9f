// Per-stage latency histograms (registers HIST.*, docs/registers.md), fed by the watchdog's
// lat_valid / lat_cycles.
//
// A latency L of stage s falls in bin min((L - offset) >> shift, BINS - 1), or bin 0 when
// L < offset; its CW-bit counter (32 bits) increments and saturates at 2^CW - 1. The bin is computed in the
// cycle the latency arrives and the counter incremented in the next (one register stage, so a
// stage may report a latency every cycle).
//
// `snapshot` copies every live counter into the snapshot bank and clears the live ones in the same
// clock edge. An increment that lands on that edge goes into the new live bank, so every latency
// is counted exactly once: in this snapshot or in the next one. Software reads the snapshot bank
// through select_stage/select_bin and `data`; each read (data_re) advances the selection (bins
// first, then stages, wrapping) through select_hw_we / select_hw_d.
//
// Counters are flip-flops (STAGES * BINS * 32 * 2 bits) so that the snapshot-and-clear takes one
// edge; docs/latency-budget.md gives the synthesis estimate.
`default_nettype none

module latency_histogram #(
    parameter integer STAGES = 4,
    parameter integer BINS = 64,  // 32 to 64
    parameter integer LW = 16,
    parameter integer CW = 32  // counter width (the testbench checks saturation with a small one)
) (
    input wire clk,
    input wire rst,
    input wire [STAGES-1:0] lat_valid,
    input wire [STAGES*LW-1:0] lat_cycles,
    input wire [4:0] shift,
    input wire [15:0] offset,
    input wire snapshot,
    input wire [6:0] select_bin,
    input wire [1:0] select_stage,
    input wire data_re,
    output wire [31:0] data,
    output wire select_hw_we,
    output wire [6:0] select_bin_hw_d,
    output wire [1:0] select_stage_hw_d
);
  localparam integer BB = 7;  // bin index bits (BINS <= 64 fits with room for the clamp)

  reg [CW-1:0] live[0:STAGES*BINS-1];
  reg [CW-1:0] snap[0:STAGES*BINS-1];
  reg [STAGES-1:0] inc;            // increment pending, one per stage
  reg [BB-1:0] inc_bin[0:STAGES-1];

  // Cycle 1: the bin of each arriving latency.
  genvar s, b;
  generate
    for (s = 0; s < STAGES; s = s + 1) begin : g_bin
      wire [LW-1:0] lat = lat_cycles[s*LW+:LW];
      wire below = {{(32 - LW) {1'b0}}, lat} < {16'd0, offset};
      wire [31:0] above = {{(32 - LW) {1'b0}}, lat} - {16'd0, offset};
      wire [31:0] scaled = above >> shift;
      wire [BB-1:0] bin = below ? {BB{1'b0}} : (scaled >= BINS) ? BINS[BB-1:0] - 1'b1 : scaled[BB-1:0];
      always @(posedge clk) begin
        if (rst) begin
          inc[s] <= 1'b0;
          inc_bin[s] <= {BB{1'b0}};
        end else begin
          inc[s] <= lat_valid[s];
          inc_bin[s] <= bin;
        end
      end
      // Cycle 2: count, snapshot and clear.
      for (b = 0; b < BINS; b = b + 1) begin : g_counter
        localparam integer I = s * BINS + b;
        wire hit = inc[s] && inc_bin[s] == b;
        always @(posedge clk) begin
          if (rst) begin
            live[I] <= {CW{1'b0}};
            snap[I] <= {CW{1'b0}};
          end else if (snapshot) begin
            snap[I] <= live[I];
            live[I] <= {{(CW - 1) {1'b0}}, hit};
          end else if (hit && live[I] != {CW{1'b1}}) begin
            live[I] <= live[I] + 1'b1;
          end
        end
      end
    end
  endgenerate

  // Reading the snapshot bank; out-of-range selections read 0.
  wire sel_ok = {25'd0, select_bin} < BINS && {30'd0, select_stage} < STAGES;
  localparam integer IW = $clog2(STAGES * BINS);
  wire [31:0] sel_full = {30'd0, select_stage} * BINS + {25'd0, select_bin};
  wire [IW-1:0] sel_index = sel_full[IW-1:0];
  wire unused_sel = &{1'b0, sel_full[31:IW]};
  wire [CW-1:0] sel_count = snap[sel_index];
  assign data = sel_ok ? {{(32 - CW) {1'b0}}, sel_count} : 32'd0;
  wire last_bin = {25'd0, select_bin} >= BINS - 1;
  assign select_hw_we = data_re;
  assign select_bin_hw_d = last_bin ? 7'd0 : select_bin + 7'd1;
  assign select_stage_hw_d = last_bin ? select_stage + 2'd1 : select_stage;

`ifndef SYNTHESIS
  initial begin
    assert (BINS >= 32 && BINS <= 64);
    assert (STAGES <= 4);
    assert (CW <= 32);
  end
`endif
endmodule

`default_nettype wire
