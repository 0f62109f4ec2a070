#!/usr/bin/env bash
# Embedding a large model: generates a ~100 MB ONNX model (one 5000x5000 Gemm),
# configures and builds a project that embeds it with rknn_add_model (float32,
# so the artifact keeps all 100 MB), and prints the configure time, the build
# time, and the peak memory and time of compiling the embedding object alone.
# usage: bench/embed_large_model.sh BUILD_DIR   (a configured and built rknn-build tree)
set -euo pipefail
build=$(realpath "${1:?usage: embed_large_model.sh BUILD_DIR}")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

/usr/bin/python3 - "$work/big.onnx" <<'PY'
import sys, numpy as np, onnx
from onnx import helper, numpy_helper, TensorProto
n = 5000
w = np.random.default_rng(0).standard_normal((n, n), dtype=np.float32)
g = helper.make_graph([helper.make_node("Gemm", ["x", "w"], ["y"], transB=1, name="fc")], "big",
                      [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, n])],
                      [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, n])],
                      [numpy_helper.from_array(w, "w")])
onnx.save(helper.make_model(g, opset_imports=[helper.make_opsetid("", 13)]), sys.argv[1])
PY
cat > "$work/CMakeLists.txt" <<'CMAKE'
cmake_minimum_required(VERSION 3.20)
project(embed_big CXX)
find_package(RKNN REQUIRED)
add_executable(app main.cpp)
target_compile_features(app PRIVATE cxx_std_20)
rknn_add_model(app MODEL ${CMAKE_CURRENT_SOURCE_DIR}/big.onnx NAME big QUANT float32)
CMAKE
cat > "$work/main.cpp" <<'CPP'
#include <cstdio>
#include "big.rknn.hpp"
int main() { std::printf("%zu bytes embedded\n", big::Model::bytes().size()); }
CPP
echo "model: $(du -h "$work/big.onnx" | cut -f1)"
seconds() { date +%s.%N; }
t0=$(seconds)
cmake -S "$work" -B "$work/build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_EXPORT_COMPILE_COMMANDS=ON -DRKNN_DIR="$build" >/dev/null
t1=$(seconds)
cmake --build "$work/build" >/dev/null
t2=$(seconds)
"$work/build/app"
echo "configure: $(echo "$t1 - $t0" | bc) s, build (rknnc compile + embed + link): $(echo "$t2 - $t1" | bc) s"
# Recompile just the embedding object, measured.
command=$(/usr/bin/python3 -c "
import json, sys
for e in json.load(open('$work/build/compile_commands.json')):
    if e['file'].endswith('big.rknn.cpp'): print(e['directory'] + '\t' + e['command'])")
dir=${command%%$'\t'*}
cmd=${command#*$'\t'}
(cd "$dir" && /usr/bin/time -f "embedding object: %e s, peak memory %M KiB" sh -c "$cmd")
