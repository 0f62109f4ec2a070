// What a Context runs its model with on the simulator: the graph Executor
// for a plain model, the PlannedExecutor for a pre-compiled one
// (docs/precompile.md). Loading a pre-compiled model does no graph work: no
// Executor preparation (data-flow checks, static evaluation) and no memory
// planning; the stored plan says where everything lives.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "rknn/model_format.h"
#include "rknn/sim/executor.h"

namespace rknn::runtime {

class ModelRunner {
 public:
  virtual ~ModelRunner() = default;
  virtual const sim::Program& program() const = 0;
  virtual std::size_t input_count() const = 0;
  virtual const sim::ProgramTensor& input(std::size_t i) const = 0;
  virtual std::vector<sim::Tensor> run(std::span<const sim::Tensor> inputs) = 0;
  virtual const std::vector<sim::NodeTiming>& last_timings() const = 0;  // one per program node
  // The same run in segments split at the model's sync points, as
  // sim::Executor::start/run_segment/results.
  virtual std::size_t segment_count() const = 0;
  virtual void start(std::span<const sim::Tensor> inputs) = 0;
  virtual void run_segment(std::size_t k) = 0;
  virtual std::vector<sim::Tensor> results() = 0;
  // RKNN_QUERY_MEM_SIZE: the weights (a float16 model's at 2 bytes per value,
  // as a board holds them), and the activation memory (a pre-compiled model's
  // arena includes its scratch region).
  virtual std::uint64_t weight_bytes() const = 0;
  virtual std::uint64_t internal_bytes() const = 0;
};

// Takes the loaded program (and its plan, when pre-compiled). Throws ApiError
// (context.h): RKNN_ERR_MODEL_INVALID for a program or plan the simulator
// cannot prepare.
std::unique_ptr<ModelRunner> make_runner(format::LoadedModel& loaded, int threads, bool float16);

}  // namespace rknn::runtime
