#!/usr/bin/env bash
# Configures and builds tests/integration/project against an RKNN package
# (build tree or install tree) with one generator, and checks what the build
# integration promises:
#   1. it builds, the app runs and prints the expected result, the model test passes;
#   2. a no-op rebuild does nothing;
#   3. touching one image of one model's data set recompiles that model only;
#   4. changing an option recompiles that model;
#   5. a missing model and a bad data set line fail the build naming the file (and line);
#   6. a bad option fails at configure time naming the target and option.
# The generated .rknn and sources are copied to WORK/outputs for the
# reproducibility check (compare_outputs.sh).
#
# usage: run_project.sh RKNN_DIR GENERATOR JOBS WORK MODELS_DIR PYTHON [cmake args...]
set -euo pipefail

rknn_dir=$1 generator=$2 jobs=$3 work=$4 models=$5 python=$6
shift 6
here=$(cd "$(dirname "$0")" && pwd)
src=$work/src
bin=$work/build
start=$SECONDS

fail() {
  echo "FAILED: $*" >&2
  exit 1
}
step() { echo "== [$((SECONDS - start))s] $*"; }

# Builds and keeps the output in $log; `expect_fail` inverts the status check.
log=$work/last.log
build() {
  cmake --build "$bin" -j "$jobs" >"$log" 2>&1 || { cat "$log"; fail "build failed"; }
}
build_fails() {
  if cmake --build "$bin" -j "$jobs" >"$log" 2>&1; then cat "$log"; fail "the build should have failed"; fi
}
expect_in_log() { grep -q -- "$1" "$log" || { cat "$log"; fail "expected '$1' in the output"; }; }
expect_not_in_log() { if grep -q -- "$1" "$log"; then cat "$log"; fail "did not expect '$1' in the output"; fi; }

# Nothing ran: Ninja says so; Make's output has no build step in it.
expect_no_work() {
  if [[ $generator == Ninja ]]; then
    expect_in_log "ninja: no work to do"
  else
    expect_not_in_log "Compiling model"
    expect_not_in_log "Building CXX"
    expect_not_in_log "Linking CXX"
  fi
}

step "project in $work ($generator, -j$jobs)"
rm -rf "$work"
mkdir -p "$src/models" "$work/outputs"
cp "$here/project/CMakeLists.txt" "$here/project/main.cpp" "$src/"
cp "$models/tiny_cnn.onnx" "$models/tiny_cnn.input.npy" "$models/tiny_cnn.expected.npy" "$src/models/"
"$python" "$here/make_dataset.py" "$src"

step "configure"
cmake -S "$src" -B "$bin" -G "$generator" -DCMAKE_BUILD_TYPE=Release -DRKNN_DIR="$rknn_dir" "$@" >"$log" 2>&1 ||
  { cat "$log"; fail "configure failed"; }

step "1. build and run"
build
expect_in_log "Compiling model shapes for app"
expect_in_log "Compiling model plain for app"
"$bin/app" "$src/models/tiny_cnn.input.npy" "$src/models/tiny_cnn.expected.npy" >"$log" 2>&1 ||
  { cat "$log"; fail "the app failed"; }
cat "$log"
expect_in_log "plain: class [0-9]*, max |diff| .*: ok"
expect_in_log "shapes: class [0-9]*, [0-9]* embedded bytes, custom string 'first'"
(cd "$bin" && ctest --output-on-failure -L simulator >"$log" 2>&1) || { cat "$log"; fail "the model test failed"; }
expect_in_log "100% tests passed"
for model in shapes plain; do
  mkdir -p "$work/outputs/$model"
  cp "$bin/rknn/$model/$model.rknn" "$bin/rknn/$model/$model.rknn.hpp" "$bin/rknn/$model/$model.rknn.cpp" \
    "$work/outputs/$model/"
done

step "2. no-op rebuild"
build
expect_no_work

step "3. touching one image of the shapes data set recompiles shapes only"
sleep 1  # a new time stamp even on file systems with 1 s resolution
touch "$src/data_shapes/img_1.png"
build
expect_in_log "Compiling model shapes for app"
expect_not_in_log "Compiling model plain"
build
expect_no_work

step "4. changing an option recompiles"
sleep 1
cmake "$bin" -DAPP_CUSTOM=second >"$log" 2>&1 || { cat "$log"; fail "reconfigure failed"; }
build
expect_in_log "Compiling model shapes for app"
expect_not_in_log "Compiling model plain"
"$bin/app" "$src/models/tiny_cnn.input.npy" "$src/models/tiny_cnn.expected.npy" >"$log" 2>&1 || true
expect_in_log "custom string 'second'"

step "5a. a missing model fails the build naming the file"
mv "$src/models/tiny_cnn.onnx" "$work/saved.onnx"
build_fails
cat "$log" | tail -3
expect_in_log "tiny_cnn.onnx"
mv "$work/saved.onnx" "$src/models/tiny_cnn.onnx"

step "5b. a bad data set line fails the build naming the file and line"
cp "$src/data_plain/dataset.txt" "$work/saved.txt"
printf 'does_not_exist.npy\n' >>"$src/data_plain/dataset.txt"
bad_line=$(wc -l <"$src/data_plain/dataset.txt")
build_fails
cat "$log" | grep -i "dataset" | head -3
expect_in_log "dataset.txt"
expect_in_log "$bad_line"
expect_in_log "does_not_exist.npy"
cp "$work/saved.txt" "$src/data_plain/dataset.txt"
build
expect_in_log "Compiling model plain"

step "6. a bad option fails at configure time"
# configure_fails MESSAGE CMAKE_ARGS...: configuring fails and prints MESSAGE.
configure_fails() {
  local message=$1
  shift
  if cmake "$bin" "$@" >"$log" 2>&1; then cat "$log"; fail "configure with $* should have failed"; fi
  # CMake wraps long messages: compare with the line breaks and indents squeezed out.
  tr -s ' \n' '  ' <"$log" | grep -F -q -- "$message" || { cat "$log"; fail "expected '$message' in the output"; }
  echo "  $message"
}
configure_fails "rknn_add_model(app): unknown PLATFORM 'rk9999'" -DAPP_EXTRA="PLATFORM;rk9999"
configure_fails "rknn_add_model(app): ENCRYPT: unexpected 'key.bin'; expected ENCRYPT LEVEL" -DAPP_EXTRA="ENCRYPT;key.bin"
configure_fails "rknn_add_model(app): MODEL file '$src/models/missing.onnx' does not exist" \
  -DAPP_EXTRA="MODEL;models/missing.onnx"
configure_fails "rknn_add_model(app): unknown QUANT_ALGORITHM 'median'" \
  -DAPP_EXTRA="QUANT_ALGORITHM;median" -DAPP_QUANT=asymmetric_u8
configure_fails "rknn_add_model(app): unknown QUANT 'int3'" -DAPP_QUANT=int3
configure_fails "rknn_add_model(app): REPORT 'maybe' must be ON or OFF" -DAPP_EXTRA="REPORT;maybe" -DAPP_QUANT=float16
configure_fails "rknn_add_model(app): REPORT_INPUTS analyses a quantized model: give an integer QUANT and a DATASET" \
  -DAPP_EXTRA="REPORT_INPUTS;data_shapes/dataset.txt" -DAPP_QUANT=float16

step "done in $((SECONDS - start)) s"
