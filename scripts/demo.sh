#!/usr/bin/env bash
# The README's demo: builds examples/classify, whose CMakeLists.txt says
#   rknn_add_model(classify MODEL shapes.onnx DATASET dataset.txt QUANT asymmetric_u8 ...)
# so the build compiles the ONNX model with rknnc, embeds it as generated C++
# and links the runtime; then classifies the sample images on the simulator.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
cmake --preset release >/dev/null
echo "== building examples/classify (the model is compiled as a build step)"
cmake --build --preset release --target classify
build=build/release/examples/classify
echo
echo "== the embedded artifact"
build/release/compiler/rknnc inspect "$build/rknn/shapes/shapes.rknn"
echo
echo "== the generated interface ($build/rknn/shapes/shapes.rknn.hpp)"
sed -n '/^struct Inputs {/,/^};/p; /^struct Outputs {/,/^};/p' "$build/rknn/shapes/shapes.rknn.hpp"
echo
echo "== classifying the sample images on the simulator"
"$build/classify"
