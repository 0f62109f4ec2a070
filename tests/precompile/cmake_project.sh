#!/usr/bin/env bash
# PRECOMPILE in rknn_add_model (cmake/RKNNAddModel.cmake), as a project uses it:
#   1. PRECOMPILE ON with two PLATFORMs fails at configure time naming the target;
#   2. PRECOMPILE ON with one PLATFORM builds; the app finds the pre-compiled
#      and the plain model give the same bytes; the artifact holds the program.
#
# usage: cmake_project.sh RKNN_DIR RKNNC SHAPES_DIR WORK [cmake args...]
set -euo pipefail

rknn_dir=$1 rknnc=$2 shapes=$3 work=$4
shift 4
here=$(cd "$(dirname "$0")" && pwd)
log=$work/last.log
fail() {
  cat "$log" >&2 || true
  echo "FAILED: $*" >&2
  exit 1
}

rm -rf "$work"
mkdir -p "$work"
configure() {
  local bin=$1
  shift
  cmake -S "$here/project" -B "$bin" -G Ninja -DCMAKE_BUILD_TYPE=Release -DRKNN_DIR="$rknn_dir" \
    -DSHAPES_DIR="$shapes" "$@" >"$log" 2>&1
}

if configure "$work/refused" "-DPRE_PLATFORMS=rk1808;rk3399pro" "$@"; then fail "two platforms with PRECOMPILE ON configured"; fi
grep -q "rknn_add_model(app): PRECOMPILE ON lowers the model for one platform" "$log" || fail "no clear configure error"

configure "$work/build" "$@" || fail "configure"
cmake --build "$work/build" -j 2 >"$log" 2>&1 || fail "build"
grep -q -- "--precompile" "$work/build/rknn/pre/pre.options" || fail "rknnc was not asked to pre-compile"
"$work/build/app" >"$log" 2>&1 || fail "the app"
grep -q "are the same" "$log" || fail "app output"
"$rknnc" inspect "$work/build/rknn/pre/pre.rknn" >"$log" 2>&1 || fail "inspect"
grep -q "pre-compiled for rk1808" "$log" || fail "the artifact holds no program"
if "$rknnc" inspect "$work/build/rknn/plain/plain.rknn" | grep -q "pre-compiled"; then fail "the plain model is pre-compiled"; fi
echo "PASSED"
