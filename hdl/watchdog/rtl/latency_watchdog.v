// Latency-budget watchdog: times each stage of the measurement-to-pulse path and aborts the run
// when one takes longer than its budget (registers WATCHDOG.*, docs/registers.md).
//
// Stage s is timed from a stage_start[s] strobe to the next stage_stop[s] strobe: a start at cycle
// a and a stop at cycle b give the latency b - a (0 when both come in one cycle). One timing per
// stage is in flight: a start while the stage is already timed is ignored (the earliest start
// counts), a stop with nothing in flight is ignored, stage_cancel[s] drops the timing in flight
// without a latency (the sequencer cancels its stages when a run aborts). Each finished timing is
// reported on lat_valid[s] / lat_cycles (saturating at 2^LW - 1) for the histograms.
//
// Overrun: while `running`, the first cycle in which an enabled stage in flight has taken more
// than budget[s] cycles (elapsed = budget + 1) pulses `wd_abort` and `irq_set`, and latches `tripped`
// and `trip_stage` (the lowest such stage when several overrun in the same cycle). From then on
// `overrun_cycles` = elapsed - budget of that stage, counting on until the stage stops (then
// `overrun_final` = 1: the exact overrun) or is cancelled (final stays 0: a lower bound), and
// saturating at 2^32 - 1. A later overrun of another stage changes nothing until run_start, which
// clears the latched state.
`default_nettype none

module latency_watchdog #(
    parameter integer STAGES = 4,
    parameter integer LW = 16  // latency and budget width
) (
    input wire clk,
    input wire rst,  // synchronous, active high
    input wire run_start,
    input wire running,
    input wire [STAGES-1:0] stage_start,
    input wire [STAGES-1:0] stage_stop,
    input wire [STAGES-1:0] stage_cancel,
    input wire [STAGES*LW-1:0] budget,
    input wire [STAGES-1:0] enable,
    output reg wd_abort,
    output reg irq_set,
    output reg tripped,
    output reg [1:0] trip_stage,
    output reg [31:0] overrun_cycles,
    output reg overrun_final,
    output reg [STAGES-1:0] lat_valid,
    output reg [STAGES*LW-1:0] lat_cycles
);
  localparam [LW-1:0] LMAX = {LW{1'b1}};

  reg [STAGES-1:0] active;
  reg [LW-1:0] elapsed[0:STAGES-1];  // during cycle t of a timing started at a: t - a
  wire [STAGES-1:0] over;  // in flight, enabled, and over budget this cycle (elapsed = budget + 1 first)
  reg tracking;  // overrun_cycles still counts

  genvar s;
  generate
    for (s = 0; s < STAGES; s = s + 1) begin : g_stage
      wire [LW-1:0] b = budget[s*LW+:LW];
      assign over[s] = active[s] && enable[s] && running && elapsed[s] > b;
      always @(posedge clk) begin
        if (rst || run_start) begin
          active[s] <= 1'b0;
          elapsed[s] <= {LW{1'b0}};
          lat_valid[s] <= 1'b0;
          lat_cycles[s*LW+:LW] <= {LW{1'b0}};
        end else begin
          lat_valid[s] <= 1'b0;
          if (stage_cancel[s]) begin
            active[s] <= 1'b0;
          end else if (active[s]) begin
            if (stage_stop[s]) begin
              active[s] <= 1'b0;
              lat_valid[s] <= 1'b1;
              lat_cycles[s*LW+:LW] <= elapsed[s];
            end else if (elapsed[s] != LMAX) begin
              elapsed[s] <= elapsed[s] + 1'b1;
            end
          end else if (stage_start[s]) begin
            if (stage_stop[s]) begin
              lat_valid[s] <= 1'b1;
              lat_cycles[s*LW+:LW] <= {LW{1'b0}};
            end else begin
              active[s] <= 1'b1;
              elapsed[s] <= {{(LW - 1) {1'b0}}, 1'b1};
            end
          end
        end
      end
    end
  endgenerate

  // The lowest overrunning stage.
  reg [1:0] first_over;
  always @(*) begin
    first_over = 2'd0;
    begin : pick
      integer i;
      for (i = STAGES - 1; i >= 0; i = i - 1) if (over[i]) first_over = i[1:0];
    end
  end

  always @(posedge clk) begin
    if (rst || run_start) begin
      wd_abort <= 1'b0;
      irq_set <= 1'b0;
      tripped <= 1'b0;
      trip_stage <= 2'd0;
      overrun_cycles <= 32'd0;
      overrun_final <= 1'b0;
      tracking <= 1'b0;
    end else begin
      wd_abort <= 1'b0;
      irq_set <= 1'b0;
      if (!tripped && |over) begin
        // elapsed = budget + 1 in this cycle: overrun 1, final at once if the stage also stops.
        wd_abort <= 1'b1;
        irq_set <= 1'b1;
        tripped <= 1'b1;
        trip_stage <= first_over;
        overrun_cycles <= 32'd1;
        overrun_final <= stage_stop[first_over] && !stage_cancel[first_over];
        tracking <= !(stage_stop[first_over] || stage_cancel[first_over]);
      end else if (tracking) begin
        // overrun_cycles reads one cycle behind; the increment at the stop makes it exact.
        if (stage_cancel[trip_stage]) begin
          tracking <= 1'b0;
        end else begin
          if (overrun_cycles != 32'hFFFF_FFFF) overrun_cycles <= overrun_cycles + 32'd1;
          if (stage_stop[trip_stage]) begin
            tracking <= 1'b0;
            overrun_final <= 1'b1;
          end
        end
      end
    end
  end

`ifndef SYNTHESIS
  always @(posedge clk) begin
    if (!rst) begin
      assert (!(overrun_final && tracking));
      if (tracking) assert (active[trip_stage]);
    end
  end
`endif
endmodule

`default_nettype wire
