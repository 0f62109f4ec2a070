#include "model_runner.h"

#include <new>
#include <utility>

#include "context.h"
#include "rknn/sim/memory_plan.h"
#include "rknn/sim/planned_executor.h"

namespace rknn::runtime {
namespace {

// Hands the ModelRunner calls to a sim::Executor or sim::PlannedExecutor:
// both run, time and segment a program the same way.
template <class Executor>
class Runner : public ModelRunner {
 public:
  template <class... Args>
  explicit Runner(Args&&... args) : executor_(std::forward<Args>(args)...) {}
  const sim::Program& program() const override { return executor_.program(); }
  std::size_t input_count() const override { return executor_.input_count(); }
  const sim::ProgramTensor& input(std::size_t i) const override { return executor_.input(i); }
  std::vector<sim::Tensor> run(std::span<const sim::Tensor> inputs) override { return executor_.run(inputs); }
  const std::vector<sim::NodeTiming>& last_timings() const override { return executor_.last_timings(); }
  std::size_t segment_count() const override { return executor_.segment_count(); }
  void start(std::span<const sim::Tensor> inputs) override { executor_.start(inputs); }
  void run_segment(std::size_t k) override { executor_.run_segment(k); }
  std::vector<sim::Tensor> results() override { return executor_.results(); }

 protected:
  Executor executor_;
};

class GraphRunner final : public Runner<sim::Executor> {
 public:
  GraphRunner(sim::Program program, const sim::ExecutorOptions& options, sim::FloatWeights weights)
      : Runner(std::move(program), options), plan_(sim::plan_memory(executor_.program(), weights)) {}
  std::uint64_t weight_bytes() const override { return plan_.weight_bytes; }
  std::uint64_t internal_bytes() const override { return plan_.arena_bytes; }

 private:
  sim::MemoryPlan plan_;
};

class PlannedRunner final : public Runner<sim::PlannedExecutor> {
 public:
  PlannedRunner(sim::Program program, sim::PlannedProgram plan, const sim::ExecutorOptions& options,
                sim::FloatWeights weights)
      : Runner(std::move(program), std::move(plan), options),
        weights_(sim::weight_section_bytes(executor_.program(), weights)) {}
  std::uint64_t weight_bytes() const override { return weights_; }
  std::uint64_t internal_bytes() const override { return executor_.arena_bytes(); }

 private:
  std::uint64_t weights_;
};

}  // namespace

std::unique_ptr<ModelRunner> make_runner(format::LoadedModel& loaded, int threads, bool float16) {
  sim::ExecutorOptions options;
  options.threads = threads;
  options.float16 = float16;
  // The weights as a board holds them: a float16 model's as half (memory_plan.h).
  const sim::FloatWeights weights = float16 ? sim::FloatWeights::kHalf : sim::FloatWeights::kFloat32;
  try {
    options.sync_after.assign(loaded.info.sync_after.begin(), loaded.info.sync_after.end());
    if (loaded.precompiled) {
      return std::make_unique<PlannedRunner>(std::move(loaded.program), std::move(*loaded.precompiled), options, weights);
    }
    options.planned_memory = true;  // activations in one planned arena, as on the board
    return std::make_unique<GraphRunner>(std::move(loaded.program), options, weights);
  } catch (const std::bad_alloc&) {
    throw;
  } catch (const std::exception& e) {
    // A verified artifact whose program (or plan) the simulator cannot prepare.
    throw ApiError(RKNN_ERR_MODEL_INVALID, std::string("invalid model: ") + e.what());
  }
}

}  // namespace rknn::runtime
