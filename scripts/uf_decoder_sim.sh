#!/usr/bin/env bash
# Builds and runs the Verilog union-find decoder's Verilator testbench on one graph.
#   scripts/uf_decoder_sim.sh BUILD_DIR NAME GRAPH_SPEC... -- TB_ARGS...
# GRAPH_SPEC is what uf_graph_gen takes before its OUTDIR: "--dem FILE.dem" or
# "--random SEED VERTICES EDGES". The graph headers and text go to BUILD_DIR/NAME/graph, the
# Verilated model to BUILD_DIR/NAME/obj; the testbench then runs with --graph set plus TB_ARGS.
# Environment: CXX (default g++), JOBS (default 1), LINT=1 also runs verilator --lint-only -Wall.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="$1"; name="$2"; shift 2
spec=()
while [[ $# -gt 0 && "$1" != "--" ]]; do spec+=("$1"); shift; done
[[ $# -gt 0 ]] && shift
jobs="${JOBS:-1}"
mkdir -p "$build/$name/graph"
qec_srcs=("$root/host/qec/rtl_graph.cpp" "$root/host/qec/dem.cpp" "$root/host/qec/decoding_graph.cpp")
gen="$build/uf_graph_gen"
if [[ ! -x "$gen" || "$root/hdl/decoder/tb/uf_graph_gen.cpp" -nt "$gen" || "$root/host/qec/rtl_graph.cpp" -nt "$gen" ]]; then
  "${CXX:-g++}" -std=c++20 -O1 -I"$root/host" "$root/hdl/decoder/tb/uf_graph_gen.cpp" "${qec_srcs[@]}" -o "$gen"
fi
"$gen" "${spec[@]}" "$build/$name/graph"
if [[ "${LINT:-0}" == 1 ]]; then
  verilator --lint-only -Wall -I"$build/$name/graph" "$root/hdl/decoder/lint/uf_decoder.vlt" \
    "$root/hdl/decoder/rtl/uf_decoder.v" --top-module uf_decoder
fi
verilator --cc --exe --build -j "$jobs" --assert -O3 -Wno-fatal \
  -I"$build/$name/graph" --top-module uf_decoder --Mdir "$build/$name/obj" \
  -CFLAGS "-std=c++20 -O2 -I$root/host -I$root/hdl" \
  "$root/hdl/decoder/rtl/uf_decoder.v" "$root/hdl/decoder/tb/tb_uf_decoder.cpp" \
  "$root/host/qec/rtl_graph.cpp" "$root/host/qec/shot_formats.cpp" "$root/host/qec/bit_table.cpp" \
  -o tb_uf_decoder >"$build/$name/verilator_build.log" 2>&1 || { tail -40 "$build/$name/verilator_build.log"; exit 1; }
"$build/$name/obj/tb_uf_decoder" --graph "$build/$name/graph/uf_graph.txt" "$@"
