#!/usr/bin/env bash
# The .rknn artifacts and generated sources of every integration run (build
# and install trees, Ninja and Make, -j1 and -j2, different folders) are
# byte-identical.
# usage: compare_outputs.sh WORK_DIR
set -euo pipefail
work=$1
runs=("$work"/*/outputs)
[[ ${#runs[@]} -ge 2 ]] || { echo "FAILED: fewer than two runs in $work" >&2; exit 1; }
reference=${runs[0]}
for run in "${runs[@]:1}"; do
  diff -r "$reference" "$run" || { echo "FAILED: $run differs from $reference" >&2; exit 1; }
  echo "identical: $run"
done
echo "$(find "$reference" -type f | wc -l) files identical across ${#runs[@]} runs"
