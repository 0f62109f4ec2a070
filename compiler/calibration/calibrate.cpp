#include "calibration/calibrate.h"

#include "ir/error.h"
#include "rknn/sim/executor.h"

namespace rknn::calibration {
namespace {

std::vector<Sample> samples_to_use(const CalibrationOptions& options, std::size_t inputs) {
  std::vector<Sample> samples = read_dataset(options.dataset, inputs);
  if (options.batch_size < 1) throw CompileError("calibration batch size must be at least 1");
  if (options.epochs > 0) {
    const auto wanted = static_cast<std::size_t>(options.batch_size) * static_cast<std::size_t>(options.epochs);
    if (samples.size() > wanted) samples.resize(wanted);
  }
  return samples;
}

// Float tensors of the program that get quantization parameters: inputs and node outputs.
std::vector<std::size_t> observed_tensors(const sim::Program& program) {
  std::vector<std::size_t> tensors;
  for (std::size_t i = 0; i < program.tensors.size(); ++i) {
    const auto& t = program.tensors[i];
    if (!t.constant && t.type.dtype == sim::DType::kFloat32) tensors.push_back(i);
  }
  return tensors;
}

}  // namespace

CalibrationResult calibrate(const sim::Program& program, const std::vector<format::IoInfo>& inputs,
                            const std::vector<format::Preprocessing>& preprocess, const CalibrationOptions& options) {
  CalibrationResult result;
  const std::vector<Sample> samples = samples_to_use(options, inputs.size());
  result.samples = samples.size();
  sim::Executor executor(program, {.threads = options.threads});
  const std::vector<std::size_t> tensors = observed_tensors(program);
  std::vector<std::size_t> input_slot(program.tensors.size(), SIZE_MAX);
  for (std::size_t i = 0; i < program.inputs.size(); ++i) input_slot[static_cast<std::size_t>(program.inputs[i])] = i;

  const int passes = options.algorithm == Algorithm::kNormal ? 1 : 2;
  for (int pass = 0; pass < passes; ++pass) {
    for (const Sample& sample : samples) {
      std::vector<sim::Tensor> feeds = load_sample(sample, options.dataset, inputs, preprocess, options.sample,
                                                   pass == 0 ? &result.warnings : nullptr);
      executor.run(feeds);
      for (std::size_t t : tensors) {
        const sim::Tensor& value =
            input_slot[t] != SIZE_MAX ? feeds[input_slot[t]] : executor.value(t);
        TensorStatistics& s = result.statistics[program.tensors[t].name];
        if (pass == 0) {
          s.observe_range(value.values<float>());
        } else {
          s.observe_histogram(value.values<float>());
        }
      }
    }
  }
  return result;
}

}  // namespace rknn::calibration
