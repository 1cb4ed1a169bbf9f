// The real-time path on the fabric: one AXI4-Lite register block (generated from
// board/regmap.json) in front of the pulse sequencer, READOUTS readout discriminators, the
// latency-budget watchdog and the timing histograms; the union-find decoder sits outside (its
// graph is fixed per bitstream) on the dec_* ports and the DECODER register window.
//
// Watchdog stages (docs/latency-budget.md): one timing per stage in flight, the earliest event
// of any channel or readout starting it:
//   0 READOUT   a readout trigger                  -> a readout's bit valid
//   1 DECODE    dec_start (last syndrome beat in)  -> dec_valid
//   2 DISPATCH  a conditional pulse that will play is resolved at its queue head (its bit known)
//               -> it launches (ev_play); dropped pulses are not timed
//   3 DAC       a pulse launches                   -> its first beat accepted by the DAC stream
// A run that aborts cancels stages 2 and 3 (the sequencer flushes its queues); stages 0 and 1
// finish on their own. The feed-forward latency (bit valid to the conditional pulse's first beat
// on the stream) is DISPATCH + DAC.
`default_nettype none

module rt_top #(
    parameter integer CHANNELS = 2,
    parameter integer READOUTS = 2,
    parameter integer SPC = 4,
    parameter integer PAIRS = 2,  // ADC I/Q pairs per beat
    parameter integer BINS = 64
) (
    input wire clk,
    input wire rst_n,
    // AXI4-Lite slave (board/regmap.json)
    input wire [15:0] s_axi_awaddr,
    input wire [2:0] s_axi_awprot,
    input wire s_axi_awvalid,
    output wire s_axi_awready,
    input wire [31:0] s_axi_wdata,
    input wire [3:0] s_axi_wstrb,
    input wire s_axi_wvalid,
    output wire s_axi_wready,
    output wire [1:0] s_axi_bresp,
    output wire s_axi_bvalid,
    input wire s_axi_bready,
    input wire [15:0] s_axi_araddr,
    input wire [2:0] s_axi_arprot,
    input wire s_axi_arvalid,
    output wire s_axi_arready,
    output wire [31:0] s_axi_rdata,
    output wire [1:0] s_axi_rresp,
    output wire s_axi_rvalid,
    input wire s_axi_rready,
    output wire irq,
    // ADC streams, one per readout (readout r at [r*PAIRS*32 +: PAIRS*32])
    input wire [READOUTS*PAIRS*32-1:0] s_adc_tdata,
    input wire [READOUTS-1:0] s_adc_tvalid,
    output wire [READOUTS-1:0] s_adc_tready,
    // DAC streams
    output wire [CHANNELS*SPC*16-1:0] m_dac_tdata,
    output wire [CHANNELS-1:0] m_dac_tvalid,
    input wire [CHANNELS-1:0] m_dac_tready,
    output wire [CHANNELS-1:0] m_dac_tuser,
    // The decoder (outside): its events and result, and its register window
    input wire dec_start,
    input wire dec_valid,
    input wire dec_result,
    output wire dec_cfg_we,
    output wire [12:0] dec_cfg_addr,
    output wire [31:0] dec_cfg_wdata,
    input wire [31:0] dec_cfg_rdata,
    // Measurement strobes (board trigger outputs; the testbenches time feed-forward from them)
    output wire [READOUTS-1:0] meas_valid,
    output wire [READOUTS-1:0] meas_bit,
    // Timing taps: the events the watchdog times (board trigger outputs; the testbenches measure
    // each stage's latency from them and compare with the histograms)
    output wire [READOUTS-1:0] tap_ro_trigger,
    output wire [CHANNELS-1:0] tap_resolve_play,
    output wire [CHANNELS-1:0] tap_play
);
  localparam integer STAGES = 4;
  localparam integer LW = 16;
  wire rst = !rst_n;

  // ---------------------------------------------------------------- register block ports
  wire ctrl_command_start, ctrl_command_abort, ctrl_command_we, ctrl_config_abort_on_late;
  wire ctrl_irq_status_done, ctrl_irq_status_watchdog, ctrl_irq_status_late;
  wire ctrl_irq_enable_done, ctrl_irq_enable_watchdog, ctrl_irq_enable_late;
  wire [31:0] ctrl_scratch_data;
  wire [15:0] seq_prog_addr_word;
  wire [31:0] seq_prog_data_data;
  wire seq_prog_data_we;
  wire [19:0] seq_wave_addr_word;
  wire [15:0] seq_wave_data_sample0, seq_wave_data_sample1;
  wire seq_wave_data_we;
  wire [7:0] seq_late_channels_channel;
  wire [READOUTS*16-1:0] readout_window_beats, readout_delay_beats, readout_rot_cos_value, readout_rot_sin_value;
  wire [READOUTS*32-1:0] readout_threshold_value, readout_last_i_value, readout_count_count;
  wire [STAGES*LW-1:0] watchdog_budget_cycles;
  wire [3:0] watchdog_enable_stages;
  wire [4:0] hist_config_shift;
  wire [15:0] hist_config_offset;
  wire hist_command_snapshot, hist_command_we;
  wire [6:0] hist_select_bin;
  wire [1:0] hist_select_stage;
  wire hist_select_hw_we;
  wire [6:0] hist_select_bin_hw_d;
  wire [1:0] hist_select_stage_hw_d;
  wire [31:0] hist_data_count;
  wire hist_data_re;
  wire win_decoder_re;
  wire [3:0] win_decoder_wstrb;

  // Sequencer outputs
  wire prog_word_hw_we, wave_word_hw_we;
  wire [15:0] prog_word_hw_d;
  wire [19:0] wave_word_hw_d;
  wire running, done, aborted;
  wire [2:0] abort_cause;
  wire [15:0] pc;
  wire [31:0] run_cycles, pulses, late_count;
  wire [7:0] late_set;
  wire [23:0] first_late_cycles;
  wire [3:0] first_late_channel;
  wire first_late_valid;
  wire [7:0] meas_bits, meas_fresh;
  wire seq_dec_bit, seq_dec_fresh, irq_done_set, irq_late_set;
  wire [READOUTS-1:0] ro_trigger, ro_valid, ro_bit;
  wire [CHANNELS-1:0] ev_resolve, ev_resolve_play, ev_play, ev_first_sample;

  // Watchdog outputs
  wire wd_abort, wd_irq_set, wd_tripped, wd_overrun_final;
  wire [1:0] wd_trip_stage;
  wire [31:0] wd_overrun_cycles;
  wire [STAGES-1:0] lat_valid;
  wire [STAGES*LW-1:0] lat_cycles;

  qontos_rt_regs u_regs (
      .clk(clk),
      .rst_n(rst_n),
      .s_axi_awaddr(s_axi_awaddr),
      .s_axi_awprot(s_axi_awprot),
      .s_axi_awvalid(s_axi_awvalid),
      .s_axi_awready(s_axi_awready),
      .s_axi_wdata(s_axi_wdata),
      .s_axi_wstrb(s_axi_wstrb),
      .s_axi_wvalid(s_axi_wvalid),
      .s_axi_wready(s_axi_wready),
      .s_axi_bresp(s_axi_bresp),
      .s_axi_bvalid(s_axi_bvalid),
      .s_axi_bready(s_axi_bready),
      .s_axi_araddr(s_axi_araddr),
      .s_axi_arprot(s_axi_arprot),
      .s_axi_arvalid(s_axi_arvalid),
      .s_axi_arready(s_axi_arready),
      .s_axi_rdata(s_axi_rdata),
      .s_axi_rresp(s_axi_rresp),
      .s_axi_rvalid(s_axi_rvalid),
      .s_axi_rready(s_axi_rready),
      .ctrl_caps_channels(CHANNELS[3:0]),
      .ctrl_caps_readouts(READOUTS[3:0]),
      .ctrl_caps_samples_per_clock(SPC[4:0]),
      .ctrl_caps_hist_bins(BINS[6:0]),
      .ctrl_caps_prog_words_log2(4'd10),
      .ctrl_caps_wave_words_log2(4'd10),
      .ctrl_scratch_data(ctrl_scratch_data),
      .ctrl_command_start(ctrl_command_start),
      .ctrl_command_abort(ctrl_command_abort),
      .ctrl_command_we(ctrl_command_we),
      .ctrl_config_abort_on_late(ctrl_config_abort_on_late),
      .ctrl_status_running(running),
      .ctrl_status_done(done),
      .ctrl_status_aborted(aborted),
      .ctrl_status_abort_cause(abort_cause),
      .ctrl_irq_status_done(ctrl_irq_status_done),
      .ctrl_irq_status_done_set(irq_done_set),
      .ctrl_irq_status_watchdog(ctrl_irq_status_watchdog),
      .ctrl_irq_status_watchdog_set(wd_irq_set),
      .ctrl_irq_status_late(ctrl_irq_status_late),
      .ctrl_irq_status_late_set(irq_late_set),
      .ctrl_irq_enable_done(ctrl_irq_enable_done),
      .ctrl_irq_enable_watchdog(ctrl_irq_enable_watchdog),
      .ctrl_irq_enable_late(ctrl_irq_enable_late),
      .ctrl_run_cycles_cycles(run_cycles),
      .seq_prog_addr_word(seq_prog_addr_word),
      .seq_prog_addr_word_hw_we(prog_word_hw_we),
      .seq_prog_addr_word_hw_d(prog_word_hw_d),
      .seq_prog_data_data(seq_prog_data_data),
      .seq_prog_data_we(seq_prog_data_we),
      .seq_wave_addr_word(seq_wave_addr_word),
      .seq_wave_addr_word_hw_we(wave_word_hw_we),
      .seq_wave_addr_word_hw_d(wave_word_hw_d),
      .seq_wave_data_sample0(seq_wave_data_sample0),
      .seq_wave_data_sample1(seq_wave_data_sample1),
      .seq_wave_data_we(seq_wave_data_we),
      .seq_pc_pc(pc),
      .seq_pulses_count(pulses),
      .seq_late_count_count(late_count),
      .seq_late_channels_channel(seq_late_channels_channel),
      .seq_late_channels_channel_set(late_set),
      .seq_first_late_cycles(first_late_cycles),
      .seq_first_late_channel(first_late_channel),
      .seq_first_late_valid(first_late_valid),
      .seq_meas_bits(meas_bits),
      .seq_meas_fresh(meas_fresh),
      .seq_meas_decoder(seq_dec_bit),
      .seq_meas_decoder_fresh(seq_dec_fresh),
      .readout_window_beats(readout_window_beats),
      .readout_delay_beats(readout_delay_beats),
      .readout_rot_cos_value(readout_rot_cos_value),
      .readout_rot_sin_value(readout_rot_sin_value),
      .readout_threshold_value(readout_threshold_value),
      .readout_last_i_value(readout_last_i_value),
      .readout_count_count(readout_count_count),
      .watchdog_budget_cycles(watchdog_budget_cycles),
      .watchdog_enable_stages(watchdog_enable_stages),
      .watchdog_abort_stage(wd_trip_stage),
      .watchdog_abort_tripped(wd_tripped),
      .watchdog_overrun_cycles(wd_overrun_cycles),
      .watchdog_overrun_final_final(wd_overrun_final),
      .hist_config_shift(hist_config_shift),
      .hist_config_offset(hist_config_offset),
      .hist_command_snapshot(hist_command_snapshot),
      .hist_command_we(hist_command_we),
      .hist_select_bin(hist_select_bin),
      .hist_select_bin_hw_we(hist_select_hw_we),
      .hist_select_bin_hw_d(hist_select_bin_hw_d),
      .hist_select_stage(hist_select_stage),
      .hist_select_stage_hw_we(hist_select_hw_we),
      .hist_select_stage_hw_d(hist_select_stage_hw_d),
      .hist_data_count(hist_data_count),
      .hist_data_re(hist_data_re),
      .win_decoder_we(dec_cfg_we),
      .win_decoder_re(win_decoder_re),
      .win_decoder_addr(dec_cfg_addr),
      .win_decoder_wdata(dec_cfg_wdata),
      .win_decoder_wstrb(win_decoder_wstrb),
      .win_decoder_rdata(dec_cfg_rdata)
  );

  assign irq = (ctrl_irq_status_done && ctrl_irq_enable_done) || (ctrl_irq_status_watchdog && ctrl_irq_enable_watchdog) ||
               (ctrl_irq_status_late && ctrl_irq_enable_late);

  // ---------------------------------------------------------------- sequencer
  wire start = ctrl_command_we && ctrl_command_start;
  sequencer #(
      .CHANNELS(CHANNELS),
      .READOUTS(READOUTS),
      .SPC(SPC)
  ) u_seq (
      .clk(clk),
      .rst(rst),
      .start(start),
      .sw_abort(ctrl_command_we && ctrl_command_abort),
      .wd_abort(wd_abort),
      .abort_on_late(ctrl_config_abort_on_late),
      .prog_we(seq_prog_data_we),
      .prog_word(seq_prog_addr_word),
      .prog_wdata(seq_prog_data_data),
      .prog_word_hw_we(prog_word_hw_we),
      .prog_word_hw_d(prog_word_hw_d),
      .wave_we(seq_wave_data_we),
      .wave_word(seq_wave_addr_word),
      .wave_wdata({seq_wave_data_sample1, seq_wave_data_sample0}),
      .wave_word_hw_we(wave_word_hw_we),
      .wave_word_hw_d(wave_word_hw_d),
      .running(running),
      .done(done),
      .aborted(aborted),
      .abort_cause(abort_cause),
      .pc(pc),
      .run_cycles(run_cycles),
      .pulses(pulses),
      .late_count(late_count),
      .late_set(late_set),
      .first_late_cycles(first_late_cycles),
      .first_late_channel(first_late_channel),
      .first_late_valid(first_late_valid),
      .meas_bits(meas_bits),
      .meas_fresh(meas_fresh),
      .dec_bit(seq_dec_bit),
      .dec_fresh(seq_dec_fresh),
      .irq_done_set(irq_done_set),
      .irq_late_set(irq_late_set),
      .ro_trigger(ro_trigger),
      .ro_valid(ro_valid),
      .ro_bit(ro_bit),
      .dec_start(dec_start),
      .dec_valid(dec_valid),
      .dec_result(dec_result),
      .m_axis_tdata(m_dac_tdata),
      .m_axis_tvalid(m_dac_tvalid),
      .m_axis_tready(m_dac_tready),
      .m_axis_tuser(m_dac_tuser),
      .ev_resolve(ev_resolve),
      .ev_resolve_play(ev_resolve_play),
      .ev_play(ev_play),
      .ev_first_sample(ev_first_sample)
  );

  // ---------------------------------------------------------------- readouts
  genvar r;
  generate
    for (r = 0; r < READOUTS; r = r + 1) begin : g_readout
      wire [31:0] retriggers;
      wire busy;
      wire [31:0] last_i, count;
      readout #(
          .PAIRS(PAIRS)
      ) u_readout (
          .clk(clk),
          .rst(rst),
          .trigger(ro_trigger[r]),
          .window(readout_window_beats[r*16+:16]),
          .delay(readout_delay_beats[r*16+:16]),
          .rot_cos(readout_rot_cos_value[r*16+:16]),
          .rot_sin(readout_rot_sin_value[r*16+:16]),
          .threshold(readout_threshold_value[r*32+:32]),
          .s_axis_tdata(s_adc_tdata[r*PAIRS*32+:PAIRS*32]),
          .s_axis_tvalid(s_adc_tvalid[r]),
          .s_axis_tready(s_adc_tready[r]),
          .valid(ro_valid[r]),
          .meas_bit(ro_bit[r]),
          .last_i(last_i),
          .count(count),
          .retriggers(retriggers),
          .busy(busy)
      );
      assign readout_last_i_value[r*32+:32] = last_i;
      assign readout_count_count[r*32+:32] = count;
      wire unused_readout = &{1'b0, retriggers, busy};
    end
  endgenerate
  assign meas_valid = ro_valid;
  assign meas_bit = ro_bit;
  assign tap_ro_trigger = ro_trigger;
  assign tap_resolve_play = ev_resolve & ev_resolve_play;
  assign tap_play = ev_play;

  // ---------------------------------------------------------------- watchdog and histograms
  reg aborted_q;
  always @(posedge clk) aborted_q <= rst ? 1'b0 : aborted;
  wire cancel_seq = aborted && !aborted_q;
  latency_watchdog #(
      .STAGES(STAGES),
      .LW(LW)
  ) u_watchdog (
      .clk(clk),
      .rst(rst),
      .run_start(start),
      .running(running),
      .stage_start({|ev_play, |(ev_resolve & ev_resolve_play), dec_start, |ro_trigger}),
      .stage_stop({|ev_first_sample, |ev_play, dec_valid, |ro_valid}),
      .stage_cancel({cancel_seq, cancel_seq, 2'b00}),
      .budget(watchdog_budget_cycles),
      .enable(watchdog_enable_stages),
      .wd_abort(wd_abort),
      .irq_set(wd_irq_set),
      .tripped(wd_tripped),
      .trip_stage(wd_trip_stage),
      .overrun_cycles(wd_overrun_cycles),
      .overrun_final(wd_overrun_final),
      .lat_valid(lat_valid),
      .lat_cycles(lat_cycles)
  );

  latency_histogram #(
      .STAGES(STAGES),
      .BINS(BINS),
      .LW(LW)
  ) u_hist (
      .clk(clk),
      .rst(rst),
      .lat_valid(lat_valid),
      .lat_cycles(lat_cycles),
      .shift(hist_config_shift),
      .offset(hist_config_offset),
      .snapshot(hist_command_we && hist_command_snapshot),
      .select_bin(hist_select_bin),
      .select_stage(hist_select_stage),
      .data_re(hist_data_re),
      .data(hist_data_count),
      .select_hw_we(hist_select_hw_we),
      .select_bin_hw_d(hist_select_bin_hw_d),
      .select_stage_hw_d(hist_select_stage_hw_d)
  );

  wire unused_top = &{1'b0, ctrl_scratch_data, seq_late_channels_channel, win_decoder_re, win_decoder_wstrb};
endmodule

`default_nettype wire
