// Pre-compilation step 2: which nodes run as one NPU step. The convolution
// core fuses on the fly (RKNN Trouble Shooting 5.1):
//
//   * a Relu after a Conv, always;
//   * a MaxPool after a Conv (or Conv + Relu) only when the pool is 2x2 or
//     3x3 with stride 2 and no padding, a 2x2 pool's input size is even, a 3x3
//     pool's input size is odd and not 1, and a 3x3 pool's input is narrower
//     than 64 (8-bit codes) or 32 (16-bit: int16, float16) columns.
//
// A fused node's input must be read by it alone and must not be a program
// output: the intermediate value never reaches memory. Every other node is a
// step of its own. A sync point (--sync-layers) ends a step: the node after
// it never joins the step of the node before.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "rknn/sim/program.h"

namespace rknn::precompile {

// A Conv (or Conv + Relu) followed by a MaxPool that reads it alone, and
// whether the pool joins the Conv's step.
struct PoolDecision {
  int conv = -1;        // Program::nodes index
  int pool = -1;
  bool fused = false;
  std::string reason;   // why not, when not fused
};

struct Fusion {
  std::vector<std::vector<int>> groups;  // node indices of each step, in program order; every node once
  std::vector<PoolDecision> pools;       // every Conv -> MaxPool pair considered
};

// `sync_after`: node indices after which a segment ends.
Fusion fuse(const sim::Program& program, const std::vector<std::int32_t>& sync_after = {});

// Why the MaxPool `pool`, reading a value of type `input`, cannot run inside
// the Conv before it; empty when it can.
std::string pool_refusal(const sim::OpNode& pool, const sim::TensorType& input);

}  // namespace rknn::precompile
