// rknnc analyze MODEL.onnx INPUT... | --inputs-file LIST [--output-dir DIR] [--dump-tensors] [compile options]
// RKNN accuracy_analysis: per-layer error of the quantized model against the
// float32 golden model on one sample (compiler/analysis/).
#include <iomanip>
#include <iostream>
#include <memory>

#include "analysis/analyze.h"
#include "analysis/report.h"
#include "commands.h"

namespace rknn::cli {
namespace {

struct AnalyzeCommand {
  std::string model;
  std::vector<std::string> inputs;
  std::string inputs_file;
  std::string output_dir = "snapshot";
  bool dump_tensors = false;
  CompileFlags flags;
};

// The layer whose entire cosine is lowest, for the summary line.
const analysis::LayerResult* worst_layer(const analysis::Analysis& a) {
  const analysis::LayerResult* worst = nullptr;
  for (const auto& layer : a.layers) {
    if (!worst || layer.entire.cosine < worst->entire.cosine) worst = &layer;
  }
  return worst;
}

void analyze(const AnalyzeCommand& c) {
  analysis::AnalysisOptions options;
  options.compile = compile_options(c.flags);
  options.inputs.assign(c.inputs.begin(), c.inputs.end());
  options.inputs_file = c.inputs_file;
  const analysis::Analysis result = analysis::analyze(c.model, options);
  analysis::write_analysis(result, c.output_dir, c.dump_tensors);
  for (const auto& line : result.log) std::cout << "rknnc: " << line << "\n";
  std::cout << analysis::format_table(result);
  std::cout << "rknnc: " << result.layers.size() << " layer outputs analysed (" << result.quantization << ")";
  if (const analysis::LayerResult* worst = worst_layer(result)) {
    std::cout << "; lowest entire cosine " << std::fixed << std::setprecision(6) << worst->entire.cosine << " at '"
              << worst->name << "'";
  }
  std::cout << "; wrote " << c.output_dir << "/error_analysis.txt and .json"
            << (c.dump_tensors ? ", golden/ and quantized/" : "") << "\n";
}

}  // namespace

void add_analyze_command(CLI::App& app) {
  auto c = std::make_shared<AnalyzeCommand>();
  CLI::App* cmd = app.add_subcommand(
      "analyze", "Accuracy analysis: per-layer error of the quantized model against the float model on one sample");
  cmd->add_option("model", c->model, "ONNX model (.onnx)")->required()->check(CLI::ExistingFile);
  cmd->add_option("input", c->inputs,
                  "One file per model input: an image (jpg, png, bmp) or a .npy (NHWC for 4-D inputs), "
                  "preprocessed as rknn_inputs_set does");
  cmd->add_option("--inputs-file", c->inputs_file,
                  "Instead of INPUT...: an RKNN dataset file with one line, one path per model input");
  cmd->add_option("--output-dir", c->output_dir,
                  "Folder for error_analysis.txt/.json and the tensor dumps (default: snapshot)");
  cmd->add_flag("--dump-tensors", c->dump_tensors,
                "Also write every layer output as float32 .npy (4-D as NHWC) to golden/ and quantized/");
  add_compile_flags(*cmd, c->flags);
  // One value per occurrence (--mean A --mean B, as rknn_add_model passes
  // them): the INPUT files after such an option are not its values.
  for (const char* name : {"--mean", "--std", "--reorder", "--platform", "--inputs", "--outputs", "--input-shape"}) {
    cmd->get_option(name)->allow_extra_args(false);
  }
  cmd->get_option("--threads")->description("Threads for calibration and the simulator (results do not depend on it)");
  cmd->callback([c] { analyze(*c); });
}

}  // namespace rknn::cli
