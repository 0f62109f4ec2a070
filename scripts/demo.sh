#!/usr/bin/env bash
# The README's demo: builds rknnc, generates a MobileNetV2-shaped ONNX model
# (scripts/models, fixed seed), shows what the compiler makes of it and runs
# it on the float golden simulator with the top-5 classes and per-layer times.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
cmake --preset release >/dev/null
cmake --build --preset release --target rknnc test_model_mobilenetv2
models=build/release/models/mobilenetv2
rknnc=build/release/compiler/rknnc
echo
"$rknnc" inspect "$models/mobilenetv2.onnx"
echo
"$rknnc" run "$models/mobilenetv2.onnx" --input "$models/mobilenetv2.input.npy" \
  --output-dir build/release/demo --top 5 --profile --threads 2
