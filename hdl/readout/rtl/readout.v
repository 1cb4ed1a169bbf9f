// Readout discriminator: integrates one ADC channel's I/Q over a programmable window, rotates the
// sums, thresholds the rotated I and emits one measurement bit with a valid strobe (registers
// READOUT.*, docs/registers.md: window, delay, rotation and threshold are the calibration).
//
// ADC stream: AXI4-Stream of already down-converted I/Q, PAIRS pairs per beat (pair k: I at
// [32k +: 16], Q at [32k + 16 +: 16], signed, earliest pair in the LSBs). tready is always high:
// an ADC cannot be paused. Only beats with tvalid count.
//
// A `trigger` strobe starts a measurement: the next `delay` beats are skipped (time of flight),
// the following `window` beats (0 is taken as 1) are summed into 48-bit I and Q accumulators.
// When the last window beat is on the stream in cycle t, `valid` is high in cycle t + 3 with
//   rot_i = (sum_i * cos - sum_q * sin) >>> 15, saturated to 32 bits (last_i),
//   bit   = rot_i > threshold (signed),
// cos and sin signed Q1.15. A trigger while a measurement is in progress restarts it (and counts
// in `retriggers`): the measurement that was cut short never reports.
`default_nettype none

module readout #(
    parameter integer PAIRS = 2
) (
    input wire clk,
    input wire rst,
    input wire trigger,
    input wire [15:0] window,
    input wire [15:0] delay,
    input wire [15:0] rot_cos,
    input wire [15:0] rot_sin,
    input wire [31:0] threshold,
    input wire [PAIRS*32-1:0] s_axis_tdata,
    input wire s_axis_tvalid,
    output wire s_axis_tready,
    output reg valid,
    output reg meas_bit,
    output reg [31:0] last_i,
    output reg [31:0] count,
    output reg [31:0] retriggers,
    output wire busy
);
  assign s_axis_tready = 1'b1;

  localparam [1:0] IDLE = 2'd0, DELAY = 2'd1, WINDOW = 2'd2;
  reg [1:0] state;
  reg [15:0] left;  // beats left in the current phase
  reg signed [47:0] sum_i, sum_q;
  reg done1;        // the window's last beat was taken: multiply next
  reg done2;        // products ready: threshold next
  reg signed [63:0] prod_i, prod_q;
  assign busy = state != IDLE || done1 || done2;

  // The beat's I and Q sums (PAIRS values each, sign-extended).
  reg signed [47:0] beat_i, beat_q;
  always @(*) begin
    beat_i = 48'sd0;
    beat_q = 48'sd0;
    begin : add
      integer k;
      for (k = 0; k < PAIRS; k = k + 1) begin
        beat_i = beat_i + {{32{s_axis_tdata[32*k+15]}}, s_axis_tdata[32*k+:16]};
        beat_q = beat_q + {{32{s_axis_tdata[32*k+31]}}, s_axis_tdata[32*k+16+:16]};
      end
    end
  end

  wire [15:0] window_beats = window == 16'd0 ? 16'd1 : window;
  wire signed [64:0] diff = {prod_i[63], prod_i} - {prod_q[63], prod_q};
  wire signed [64:0] rot = diff >>> 15;
  wire too_big = rot > 65'sh0_7FFF_FFFF;
  wire too_small = rot < -65'sh0_8000_0000;
  wire [31:0] rot_sat = too_big ? 32'h7FFF_FFFF : too_small ? 32'h8000_0000 : rot[31:0];

  always @(posedge clk) begin
    if (rst) begin
      state <= IDLE;
      left <= 16'd0;
      sum_i <= 48'sd0;
      sum_q <= 48'sd0;
      done1 <= 1'b0;
      done2 <= 1'b0;
      prod_i <= 64'sd0;
      prod_q <= 64'sd0;
      valid <= 1'b0;
      meas_bit <= 1'b0;
      last_i <= 32'd0;
      count <= 32'd0;
      retriggers <= 32'd0;
    end else begin
      valid <= 1'b0;
      done1 <= 1'b0;
      done2 <= done1;
      if (trigger) begin
        if (state != IDLE || done1) retriggers <= retriggers + 32'd1;
        sum_i <= 48'sd0;
        sum_q <= 48'sd0;
        done2 <= 1'b0;
        if (delay == 16'd0) begin
          state <= WINDOW;
          left <= window_beats;
        end else begin
          state <= DELAY;
          left <= delay;
        end
      end else if (s_axis_tvalid) begin
        case (state)
          DELAY: begin
            if (left == 16'd1) begin
              state <= WINDOW;
              left <= window_beats;
            end else begin
              left <= left - 16'd1;
            end
          end
          WINDOW: begin
            sum_i <= sum_i + beat_i;
            sum_q <= sum_q + beat_q;
            if (left == 16'd1) begin
              state <= IDLE;
              done1 <= 1'b1;
            end else begin
              left <= left - 16'd1;
            end
          end
          default: ;
        endcase
      end
      if (done1) begin
        prod_i <= sum_i * $signed({{32{rot_cos[15]}}, rot_cos});
        prod_q <= sum_q * $signed({{32{rot_sin[15]}}, rot_sin});
      end
      if (done2) begin
        valid <= 1'b1;
        last_i <= rot_sat;
        meas_bit <= $signed(rot_sat) > $signed(threshold);
        count <= count + 32'd1;
      end
    end
  end
endmodule

`default_nettype wire
