// Runs a Program: prepares every node once, allocates every activation once,
// then executes the nodes in order on each run.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "rknn/sim/memory_plan.h"
#include "rknn/sim/program.h"
#include "rknn/sim/segments.h"

namespace rknn::sim {

struct ExecutorOptions {
  int threads = 1;         // <= 0: one per hardware thread
  bool reference = false;  // plain reference kernels only
  // float16 models: every float32 value a node produces is rounded to the
  // nearest IEEE half (round to nearest even), as the NPU stores float16
  // activations between layers. Constants are rounded by the compiler.
  bool float16 = false;
  // Activations (inputs, node outputs) share one arena laid out by
  // plan_memory(): the memory a board would use, instead of one buffer per
  // tensor. value() then keeps only what is still live at the end of a run
  // (inputs' copies may be overwritten; program outputs are kept).
  bool planned_memory = false;
  // Sync points: indices of nodes after which a segment ends, ascending, each
  // before the last node. A run may then go one segment at a time (below).
  std::vector<std::size_t> sync_after{};
};

// Wall time of one node in the last run, for perf reports.
struct NodeTiming {
  std::string name;
  std::string op;
  double microseconds = 0;
};

class Executor {
 public:
  // Takes a copy of the program. Throws Error / UnsupportedError naming the node.
  explicit Executor(Program program, ExecutorOptions options = {});
  ~Executor();
  Executor(const Executor&) = delete;
  Executor& operator=(const Executor&) = delete;

  const Program& program() const { return program_; }
  std::size_t input_count() const { return program_.inputs.size(); }
  std::size_t output_count() const { return program_.outputs.size(); }
  const ProgramTensor& input(std::size_t i) const;
  const ProgramTensor& output(std::size_t i) const;

  // Inputs must match the program's input types exactly (dtype and shape);
  // a mismatch throws Error naming the input. Returns the outputs in order.
  std::vector<Tensor> run(std::span<const Tensor> inputs);

  // The same run in segments, split at ExecutorOptions::sync_after, so that a
  // caller can do other work between them: start(inputs), then run_segment(k)
  // for k = 0 .. segment_count() - 1 in order, then results(). The bytes are
  // those of run(). `inputs` must stay alive until the last segment has run.
  // Out of order or before start(): throws Error.
  std::size_t segment_count() const { return segments_.count(); }
  void start(std::span<const Tensor> inputs);
  void run_segment(std::size_t k);
  std::vector<Tensor> results() const;

  const std::vector<NodeTiming>& last_timings() const { return timings_; }

  // After run(): the value of a constant or of a node output of the last run
  // (calibration and accuracy analysis read every intermediate tensor).
  // Program inputs are the caller's tensors and are not kept.
  const Tensor& value(std::size_t tensor) const;

  // Bytes the executor allocated for activations: the arena with
  // planned_memory, else the sum of the per-tensor buffers.
  std::uint64_t activation_bytes() const;

 private:
  void place_in_arena();

  Program program_;
  ExecutorOptions options_;
  std::unique_ptr<ThreadPool> pool_;
  std::vector<std::unique_ptr<Kernel>> kernels_;
  std::vector<Tensor> values_;  // one slot per program tensor; constants are referenced in place
  std::vector<std::optional<Tensor>> folded_;  // values evaluated while preparing
  std::vector<NodeTiming> timings_;
  Tensor arena_;  // planned_memory: every activation lives in here
  Segments segments_;
  std::vector<const Tensor*> slots_;       // the value each tensor index reads in the current run
};

}  // namespace rknn::sim
