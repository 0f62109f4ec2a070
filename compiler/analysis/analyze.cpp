#include "analysis/analyze.h"

#include "analysis/runner.h"
#include "calibration/sample_loader.h"
#include "ir/error.h"

namespace rknn::analysis {
namespace {

namespace fs = std::filesystem;

std::string input_names(const std::vector<format::IoInfo>& inputs) {
  std::string names;
  for (const auto& io : inputs) names += (names.empty() ? "'" : ", '") + io.name + "'";
  return names;
}

struct LoadedSample {
  std::vector<sim::Tensor> tensors;     // preprocessed, in the model's layout
  std::vector<std::string> file_names;  // for the report (names only: reports do not depend on folders)
  std::vector<std::string> warnings;
};

std::vector<std::string> file_names(const std::vector<fs::path>& files) {
  std::vector<std::string> names;
  for (const auto& f : files) names.push_back(f.filename().string());
  return names;
}

// Files named on the command line: load_sample locates its messages as
// "DATASET:LINE: ", which such files do not have, so that prefix is dropped.
LoadedSample load_files(const std::vector<fs::path>& files, const format::ModelInfo& info,
                        const calibration::SampleOptions& options) {
  if (files.empty()) {
    throw CompileError("no sample given: name one file per model input (" + input_names(info.inputs) +
                       "), or an inputs file");
  }
  if (files.size() != info.inputs.size()) {
    throw CompileError("the model has " + std::to_string(info.inputs.size()) + " input(s) (" +
                       input_names(info.inputs) + "), " + std::to_string(files.size()) + " input file(s) were given");
  }
  for (const auto& file : files) {
    if (!fs::is_regular_file(file)) throw CompileError("input file '" + file.string() + "' does not exist");
  }
  const calibration::Sample sample{0, files};
  const std::string prefix = ":0: ";
  auto strip = [&prefix](std::string text) { return text.starts_with(prefix) ? text.substr(prefix.size()) : text; };
  LoadedSample loaded;
  loaded.file_names = file_names(files);
  try {
    loaded.tensors = calibration::load_sample(sample, "", info.inputs, info.preprocess, options, &loaded.warnings);
  } catch (const CompileError& e) {
    throw CompileError(strip(e.what()));
  }
  for (auto& w : loaded.warnings) w = strip(w);
  return loaded;
}

// An RKNN dataset file with the one sample to analyse.
LoadedSample load_list(const fs::path& list, const format::ModelInfo& info, const calibration::SampleOptions& options) {
  const std::vector<calibration::Sample> samples = calibration::read_dataset(list, info.inputs.size());
  if (samples.size() != 1) {
    throw CompileError("inputs file '" + list.string() + "' lists " + std::to_string(samples.size()) +
                       " samples; accuracy analysis takes one line (one file per model input)");
  }
  LoadedSample loaded;
  loaded.file_names = file_names(samples[0].files);
  loaded.tensors = calibration::load_sample(samples[0], list, info.inputs, info.preprocess, options, &loaded.warnings);
  return loaded;
}

LoadedSample load_inputs(const AnalysisOptions& options, const format::ModelInfo& info) {
  const calibration::SampleOptions sample_options{options.compile.rgb_to_bgr};
  if (options.inputs_file.empty()) return load_files(options.inputs, info, sample_options);
  if (!options.inputs.empty()) throw CompileError("give the input files or an inputs file, not both");
  return load_list(options.inputs_file, info, sample_options);
}

std::string op_label(const sim::OpNode& node) {
  const std::string activation = node.attrs.get_string("activation", "");
  return activation.empty() ? node.op : node.op + "+" + activation;
}

sim::Tensor float_tensor(std::vector<float> values, const sim::Shape& shape) {
  sim::Tensor t(sim::DType::kFloat32, shape);
  std::copy(values.begin(), values.end(), t.values<float>().begin());
  return t;
}

// The golden program's float node outputs, each with its quantized counterpart.
struct LayerTensors {
  std::vector<std::size_t> golden;
  std::vector<int> quantized;
};

LayerTensors layer_tensors(const sim::ProgramNode& node, const RecordedRun& golden, const RecordedRun& quantized) {
  LayerTensors tensors;
  for (int t : node.outputs) {
    if (t < 0) continue;
    const sim::ProgramTensor& g = golden.program().tensors.at(static_cast<std::size_t>(t));
    if (g.type.dtype != sim::DType::kFloat32) continue;  // shapes and indices are not activations
    const auto q = quantized.find(g.name);
    if (!q) {
      throw CompileError("accuracy analysis: " + node.node.describe() + " writes '" + g.name +
                         "', which the quantized program does not have");
    }
    const sim::ProgramTensor& qt = quantized.program().tensors[*q];
    if (qt.type.shape != g.type.shape) {
      throw CompileError("accuracy analysis: tensor '" + g.name + "' is " + qt.type.to_string() +
                         " in the quantized program but " + g.type.to_string() + " in the float program");
    }
    tensors.golden.push_back(static_cast<std::size_t>(t));
    tensors.quantized.push_back(static_cast<int>(*q));
  }
  return tensors;
}

// The sample as the quantized program takes it (what rknn_inputs_set stores).
std::vector<sim::Tensor> quantized_inputs(const std::vector<sim::Tensor>& feeds, const sim::Program& quantized,
                                          bool float16) {
  std::vector<sim::Tensor> inputs;
  for (std::size_t i = 0; i < feeds.size(); ++i) {
    const auto slot = static_cast<std::size_t>(quantized.inputs.at(i));
    inputs.push_back(to_domain(feeds[i], quantized.tensors.at(slot), float16));
  }
  return inputs;
}

// One row per float output of each golden node, in execution order.
std::vector<LayerResult> layer_results(const RecordedRun& golden, const RecordedRun& quantized,
                                       const LayerRunner& layer_runner) {
  std::vector<LayerResult> rows;
  const sim::Program& program = golden.program();
  for (std::size_t n = 0; n < program.nodes.size(); ++n) {
    const LayerTensors tensors = layer_tensors(program.nodes[n], golden, quantized);
    if (tensors.golden.empty()) continue;
    const std::vector<std::vector<float>> alone = layer_runner.run(tensors.quantized);
    for (std::size_t k = 0; k < tensors.golden.size(); ++k) {
      const auto q = static_cast<std::size_t>(tensors.quantized[k]);
      LayerResult row;
      row.layer = n;
      row.name = program.tensors[tensors.golden[k]].name;
      row.op = op_label(program.nodes[n].node);
      row.golden = golden.value(tensors.golden[k]);
      row.quantized = float_tensor(to_real(quantized.value(q), quantized.program().tensors[q].quant),
                                   row.golden.shape());
      row.entire = compare(row.golden.values<float>(), row.quantized.values<float>());
      row.per_layer = compare(row.golden.values<float>(), alone[k]);
      rows.push_back(std::move(row));
    }
  }
  return rows;
}

}  // namespace

Analysis analyze(const fs::path& model, const AnalysisOptions& options) {
  driver::CompileOptions golden_options = options.compile;
  golden_options.quantization = "float32";
  golden_options.dataset.reset();  // the golden program needs no calibration
  const driver::CompiledModel golden = driver::compile_model(model, golden_options);

  Analysis analysis;
  analysis.model = model.filename().string();
  // Inputs before the quantized compile: a bad sample fails before calibrating.
  LoadedSample sample = load_inputs(options, golden.info);
  analysis.inputs = sample.file_names;
  std::vector<sim::Tensor> feeds = std::move(sample.tensors);

  const driver::CompiledModel quantized = driver::compile_model(model, options.compile);
  analysis.quantization = quantized.info.quantization;
  analysis.log = quantized.log;
  analysis.log.insert(analysis.log.end(), sample.warnings.begin(), sample.warnings.end());

  const bool float16 = analysis.quantization == "float16";
  sim::ExecutorOptions golden_executor;
  golden_executor.threads = options.compile.threads;
  sim::ExecutorOptions quantized_executor = golden_executor;
  quantized_executor.float16 = float16;
  std::vector<sim::Tensor> quantized_feeds = quantized_inputs(feeds, quantized.program, float16);
  const RecordedRun golden_run(golden.program, std::move(feeds), golden_executor);
  const RecordedRun quantized_run(quantized.program, std::move(quantized_feeds), quantized_executor);
  const LayerRunner layer_runner(quantized.program, golden_run, quantized_executor);
  analysis.layers = layer_results(golden_run, quantized_run, layer_runner);
  return analysis;
}

}  // namespace rknn::analysis
