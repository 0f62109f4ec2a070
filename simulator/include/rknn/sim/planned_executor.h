// Runs a pre-compiled program (planned_program.h): one arena at the planned
// offsets, each step's tiles staged through the scratch region, the kernels of
// the ops registry prepared once per tile class. No graph work happens here:
// no shape inference, folding, fusion, tiling or memory planning; the
// constructor checks that the plan stays inside its memory and prepares the
// kernels the plan names. The bytes equal those of the graph Executor.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "rknn/sim/executor.h"
#include "rknn/sim/planned_program.h"

namespace rknn::sim {

class PlannedExecutor {
 public:
  // Takes the program (tensors, nodes with their attributes) and its plan.
  // Throws Error naming the step when the plan does not fit the program
  // (indices, boxes outside a tensor, memory outside the arena, kernel output
  // shapes that disagree with the tiles) and when a kernel cannot be prepared.
  PlannedExecutor(Program program, PlannedProgram plan, ExecutorOptions options = {});
  ~PlannedExecutor();
  PlannedExecutor(const PlannedExecutor&) = delete;
  PlannedExecutor& operator=(const PlannedExecutor&) = delete;

  const Program& program() const { return program_; }
  std::size_t input_count() const { return program_.inputs.size(); }
  std::size_t output_count() const { return program_.outputs.size(); }
  const ProgramTensor& input(std::size_t i) const;
  const ProgramTensor& output(std::size_t i) const;

  // As Executor::run: inputs of the program's input types, outputs in order.
  std::vector<Tensor> run(std::span<const Tensor> inputs);

  // As Executor::start/run_segment/results: the steps in segments split at
  // ExecutorOptions::sync_after (node indices; each must end a step).
  std::size_t segment_count() const { return segments_.count(); }
  void start(std::span<const Tensor> inputs);
  void run_segment(std::size_t k);
  std::vector<Tensor> results() const;

  // One entry per program node, as Executor::last_timings: a step's time goes
  // to its first node, the other nodes of a fused step and nodes folded away
  // by the compiler show 0.
  const std::vector<NodeTiming>& last_timings() const { return timings_; }

  const PlannedProgram& plan() const { return plan_; }
  std::uint64_t arena_bytes() const { return plan_.arena_bytes(); }

 private:
  struct Source;
  struct PreparedKernel;
  struct PreparedStep;

  const ProgramTensor& tensor(int index) const;
  bool placed(int index) const;
  void check_region_sizes() const;
  void place_tensors();
  void check_box(const Box& box, int tensor, bool direct) const;
  std::vector<const Tile*> check_step(const PlannedStep& step, PreparedStep& prepared) const;
  void prepare_step(std::size_t index);
  Tensor scratch_view(const TileKernel& kernel, std::size_t slot, TensorType type);
  const std::optional<QuantParams>* quant_of(const ProgramTensor& t, const Box& box, PreparedKernel& prepared_kernel);
  std::vector<Source> bind_inputs(const PlannedStep& step, const PreparedStep& prepared, const TileKernel& kernel,
                                  const Tile& tile, PreparedKernel& prepared_kernel);
  void prepare_kernel(const PlannedStep& step, const PreparedStep& prepared, const TileKernel& kernel,
                      const Tile& tile, PreparedKernel& prepared_kernel);
  void run_step(std::size_t index);
  void set_segments();

  Program program_;
  PlannedProgram plan_;
  ExecutorOptions options_;
  std::unique_ptr<ThreadPool> pool_;
  Tensor arena_;                       // activations, then scratch
  std::vector<Tensor> views_;          // per program tensor: its arena bytes (placed tensors only)
  std::vector<bool> placed_;
  std::vector<PreparedStep> steps_;
  std::vector<NodeTiming> timings_;
  Segments segments_;  // of steps
};

}  // namespace rknn::sim
