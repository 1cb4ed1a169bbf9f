#!/usr/bin/env bash
# Quick yosys synth_xilinx resource estimate of the union-find decoder for one generated graph.
#   scripts/uf_decoder_synth.sh GRAPH_DIR [LOG]   (GRAPH_DIR holds uf_graph_defs.vh and uf_graph.vh)
# No timing: yosys does not place or route; the numbers are cell counts for an UltraScale+ part.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
graph="$1"; log="${2:-$graph/synth_xilinx.log}"
yosys -q -l "$log" -p "read_verilog -I$graph $root/hdl/decoder/rtl/uf_decoder.v; \
  synth_xilinx -family xcup -top uf_decoder -flatten; stat" >/dev/null
sed -n '/Printing statistics/,$p' "$log"
