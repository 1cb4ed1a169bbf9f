#!/usr/bin/env bash
# yosys synth_xilinx resource estimate of the union-find decoder for one generated graph.
#   scripts/uf_decoder_synth.sh GRAPH_DIR [LOG]   (GRAPH_DIR holds uf_graph_defs.vh and uf_graph.vh)
# Runs `synth_xilinx -family xcup -top uf_decoder -flatten`, then `stat` and `ltp -noff` over the
# combinational cells (the flip-flops, FD*, left out so that paths run from register to register:
# the logic depth in cells), and prints both. Files: LOG (default GRAPH_DIR/synth_xilinx.log),
# LOG.stat, LOG.ltp, LOG.warnings (yosys' warnings) and LOG.il (the netlist). No timing: yosys does
# not place or route; the numbers are cell counts for an UltraScale+ part. scripts/synth runs this
# for d=3 and d=5 and tabulates the results.
# Environment: YOSYS (default yosys), ABC9=1 uses synth_xilinx -abc9.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
if [[ $# -lt 1 ]]; then
  echo "usage: $0 GRAPH_DIR [LOG]" >&2
  exit 2
fi
graph="$1"; log="${2:-$graph/synth_xilinx.log}"
yosys="${YOSYS:-yosys}"
if ! command -v "$yosys" >/dev/null 2>&1; then
  echo "$0: yosys not found (install it with scripts/setup, or set YOSYS)" >&2
  exit 1
fi
for f in uf_graph_defs.vh uf_graph.vh; do
  [[ -f "$graph/$f" ]] || { echo "$0: $graph/$f missing (generate the graph first)" >&2; exit 1; }
done
abc9=""
[[ "${ABC9:-0}" == 1 ]] && abc9="-abc9"
"$yosys" -q -l "$log" -p "read_verilog -I$graph $root/hdl/decoder/rtl/uf_decoder.v; \
  synth_xilinx -family xcup -top uf_decoder -flatten $abc9; write_rtlil $log.il; \
  tee -o $log.stat stat; tee -o $log.ltp ltp -noff t:FD* %n" >/dev/null 2>"$log.warnings" || {
  tail -20 "$log.warnings" "$log" >&2
  exit 1
}
cat "$log.stat"
grep "Longest topological path" "$log.ltp"
