#!/usr/bin/env bash
# Builds and runs the Verilog union-find decoder's Verilator testbench on one graph.
#   scripts/uf_decoder_sim.sh BUILD_DIR NAME GRAPH_SPEC... -- TB_ARGS...
# GRAPH_SPEC is what uf_graph_gen takes before its OUTDIR: "--dem FILE.dem" or
# "--random SEED VERTICES EDGES" (or "--random-nb ..."). The graph headers and text go to
# BUILD_DIR/NAME/graph, the Verilated model to BUILD_DIR/NAME/obj; the testbench then runs with
# --graph set plus TB_ARGS.
# Environment: CXX (default g++), JOBS (default 1), LINT=1 also runs verilator --lint-only -Wall,
# GRAPH_ONLY=1 stops after generating the graph (scripts/synth uses this).
# The build log (with the verilate and compile times) is BUILD_DIR/NAME/verilator_build.log.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
if [[ $# -lt 3 ]]; then
  echo "usage: $0 BUILD_DIR NAME GRAPH_SPEC... [-- TB_ARGS...]" >&2
  exit 2
fi
build="$1"; name="$2"; shift 2
spec=()
while [[ $# -gt 0 && "$1" != "--" ]]; do spec+=("$1"); shift; done
[[ $# -gt 0 ]] && shift
jobs="${JOBS:-1}"
mkdir -p "$build/$name/graph"

# ---- the graph generator (host/qec/rtl_graph + the DEM parser), rebuilt when its sources change
qec_srcs=("$root/host/qec/rtl_graph.cpp" "$root/host/qec/dem.cpp" "$root/host/qec/decoding_graph.cpp")
gen="$build/uf_graph_gen"
stale=0
[[ -x "$gen" ]] || stale=1
for src in "$root/hdl/decoder/tb/uf_graph_gen.cpp" "$root/host/qec/rtl_graph.h" "${qec_srcs[@]}"; do
  [[ "$src" -nt "$gen" ]] && stale=1
done
if [[ $stale == 1 ]]; then
  "${CXX:-g++}" -std=c++20 -O1 -I"$root/host" "$root/hdl/decoder/tb/uf_graph_gen.cpp" "${qec_srcs[@]}" -o "$gen.tmp"
  mv "$gen.tmp" "$gen"
fi
"$gen" "${spec[@]}" "$build/$name/graph"
[[ "${GRAPH_ONLY:-0}" == 1 ]] && exit 0

if [[ "${LINT:-0}" == 1 ]]; then
  verilator --lint-only -Wall -I"$build/$name/graph" "$root/hdl/decoder/lint/uf_decoder.vlt" \
    "$root/hdl/decoder/rtl/uf_decoder.v" --top-module uf_decoder
fi
log="$build/$name/verilator_build.log"
t0=$(date +%s)
# The generated model is large (one block of logic per vertex and per edge): its run-once settle
# code is compiled without optimisation and the per-cycle code at -O1, which builds several
# times faster than Verilator's defaults (-O2 / -Os) at about the same simulation speed.
verilator --cc --exe --build -j "$jobs" --assert -O3 -Wno-fatal \
  -I"$build/$name/graph" --top-module uf_decoder --Mdir "$build/$name/obj" \
  -CFLAGS "-std=c++20 -O2 -I$root/host -I$root/hdl" -MAKEFLAGS "OPT_FAST=-O1 OPT_SLOW=-O0" \
  "$root/hdl/decoder/rtl/uf_decoder.v" "$root/hdl/decoder/tb/tb_uf_decoder.cpp" \
  "$root/host/qec/rtl_graph.cpp" "$root/host/qec/shot_formats.cpp" "$root/host/qec/bit_table.cpp" \
  -o tb_uf_decoder >"$log" 2>&1 || { tail -40 "$log"; exit 1; }
echo "verilate + compile: $(( $(date +%s) - t0 )) s" | tee -a "$log"
"$build/$name/obj/tb_uf_decoder" --graph "$build/$name/graph/uf_graph.txt" "$@"
