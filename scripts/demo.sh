#!/usr/bin/env bash
# The README's demo: builds examples/classify, whose CMakeLists.txt says
#   rknn_add_model(classify MODEL shapes.onnx DATASET dataset.txt QUANT asymmetric_u8 ...)
# so the build compiles the ONNX model with rknnc, embeds it as generated C++
# and links the runtime, and REPORT ON writes the perf/memory/accuracy report;
# then classifies the sample images on the simulator.
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
echo "== build-time report: estimated NPU time per layer on rk1808 ($build/rknn/shapes/shapes.report/)"
cat "$build/rknn/shapes/shapes.report/perf.txt"
cat "$build/rknn/shapes/shapes.report/memory.txt"
echo
echo "== build-time report: u8 accuracy per layer against float (error_analysis.txt)"
cat "$build/rknn/shapes/shapes.report/error_analysis.txt"
echo
echo "== classifying the sample images on the simulator"
"$build/classify"
