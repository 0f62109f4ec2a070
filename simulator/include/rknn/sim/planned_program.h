// A pre-compiled program: a Program (the graph) lowered for one platform into
// steps that run without any graph work at load time (docs/precompile.md).
//
//   * A step is one op or a fused group (Conv + Relu, Conv [+ Relu] + MaxPool)
//     that runs as a unit: the intermediate values of a group never reach
//     memory, they live in the scratch region (the on-chip buffer).
//   * A step is cut into tiles: boxes of its output. Each tile copies the boxes
//     of its inputs it needs into scratch, runs the step's nodes on them with a
//     prepared TileKernel and copies its output box back. A direct step (one
//     tile covering everything) runs on its tensors in place.
//   * Memory is one arena: activations at planned offsets (tensors whose
//     lifetimes do not overlap share bytes), then the scratch region. Weights
//     stay where the artifact holds them.
//
// The compiler (compiler/precompile/) makes it, the artifact stores it, the
// PlannedExecutor (planned_executor.h) runs it with the same kernels as the
// graph Executor, so both give the same bytes.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "rknn/sim/attributes.h"

namespace rknn::sim {

// Version of the program format and of its meaning. A runtime runs only the
// version it was built with; anything else is an incompatible pre-compiled
// model (RKNN_ERR_INCOMPATILE_PRE_COMPILE_MODEL), rebuilt by recompiling.
inline constexpr std::uint32_t kPlannedProgramVersion = 1;

// [begin, end) along one axis.
struct Range {
  std::int64_t begin = 0;
  std::int64_t end = 0;
  std::int64_t size() const { return end - begin; }
  bool operator==(const Range&) const = default;
};

// A box of a tensor: one range per axis.
using Box = std::vector<Range>;

// Where a node of a TileKernel reads input i from.
inline constexpr int kAbsentInput = -1;    // an absent optional input
inline constexpr int kPreviousOutput = -2;  // output 0 of the previous node of the kernel

// One node of a TileKernel: a node of the graph run on a tile, with the
// attributes that differ on the tile (pads at a tile edge, group of a
// channel slice) replacing the graph node's.
struct TileNode {
  int node = -1;              // index into Program::nodes
  Attributes overrides;
  std::vector<int> inputs;    // step input index, kAbsentInput or kPreviousOutput
};

// The box of a constant step input a kernel reads (a weight slice).
struct ConstantSlice {
  int input = -1;  // step input index
  Box box;
};

// What runs on one class of tiles: prepared once at load. Activation inputs
// arrive in scratch with the shape of the tile's box; constants are the
// slices below (a step input neither staged nor sliced is used whole).
struct TileKernel {
  std::vector<TileNode> nodes;          // run in order; the last one's output 0 is the step output
  std::vector<ConstantSlice> constants;
  // Offsets in the scratch region: one per staged (activation) step input,
  // then one per node output that stays in scratch. A tiled step stages its
  // activation inputs and keeps every node's output in scratch; a direct step
  // stages nothing and its last node writes the step outputs in place.
  std::vector<std::uint64_t> scratch;
};

struct Tile {
  int kernel = 0;
  std::vector<Box> inputs;  // one per activation step input, in step input order
  Box output;               // the box of the step output this tile writes
};

struct PlannedStep {
  std::vector<int> nodes;    // Program::nodes in the step, in order (a fused group has several)
  std::vector<int> inputs;   // Program::tensors read: activations and constants
  std::vector<int> outputs;  // Program::tensors written (one, unless a direct multi-output op)
  bool direct = false;       // one tile covering every input and output: run in place
  std::vector<TileKernel> kernels;
  std::vector<Tile> tiles;
  // Bytes a tile needs in the on-chip buffer: staged inputs, weight slices,
  // intermediate values and the output tile (the largest tile). `fits` is
  // false when no tiling brought it under the platform's buffer.
  std::uint64_t footprint = 0;
  bool fits = true;
};

// An activation (program input, step output) at a fixed arena offset.
struct Placement {
  int tensor = -1;
  std::uint64_t offset = 0;
  std::uint64_t size = 0;
};

struct PlannedProgram {
  std::string platform;
  std::uint32_t version = kPlannedProgramVersion;
  std::vector<PlannedStep> steps;
  std::vector<Placement> placements;
  std::uint64_t activation_bytes = 0;  // the arena's activation region
  std::uint64_t scratch_bytes = 0;     // the scratch region, after the activations
  std::uint64_t buffer_bytes = 0;      // the platform's on-chip buffer the tiles were cut for

  std::uint64_t arena_bytes() const { return activation_bytes + scratch_bytes; }
};

}  // namespace rknn::sim
