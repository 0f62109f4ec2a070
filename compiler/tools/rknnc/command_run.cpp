// rknnc run MODEL.onnx --input FILE... --output-dir DIR
#include <algorithm>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <memory>
#include <numeric>

#include "commands.h"
#include "driver/load_model.h"
#include "io/tensor_file.h"
#include "ir/error.h"
#include "lower/to_program.h"
#include "rknn/sim/executor.h"
#include "tools/rknnc/artifact_run.h"

namespace rknn::cli {
namespace {

struct RunOptions {
  std::string model;
  std::string format = "nchw";
  bool raw = false;
  std::vector<std::string> inputs;
  std::string output_dir;
  int threads = 1;
  bool reference = false;
  int top = 0;
  bool profile = false;
  ModelOptions model_options;
  encryption::KeySpec key;
  std::string device;  // an artifact on a board
};

driver::LoadOptions load_options(const ModelOptions& options) {
  driver::LoadOptions load;
  load.optimization_level = options.optimization_level;
  for (const auto& text : options.input_shapes) load.import.input_shapes.insert(frontend::parse_input_shape(text));
  return load;
}

std::vector<sim::Tensor> read_inputs(const sim::Executor& executor, const std::vector<std::string>& files) {
  if (files.size() != executor.input_count()) {
    throw CompileError("the model has " + std::to_string(executor.input_count()) + " inputs, " +
                       std::to_string(files.size()) + " --input files were given");
  }
  std::vector<sim::Tensor> tensors;
  for (std::size_t i = 0; i < files.size(); ++i) {
    sim::Tensor t = io::read_tensor_file(files[i]);
    const sim::ProgramTensor& expected = executor.input(i);
    if (!(t.type() == expected.type)) {
      throw CompileError("input '" + expected.name + "' expects " + expected.type.to_string() + ", but '" +
                         files[i] + "' holds " + t.type().to_string());
    }
    tensors.push_back(std::move(t));
  }
  return tensors;
}

// Output files are named after the output tensors; path separators become '_'.
std::string file_name_for(const std::string& tensor_name) {
  std::string name = tensor_name;
  for (char& c : name) {
    if (c == '/' || c == '\\' || c == ':') c = '_';
  }
  return name + ".npy";
}

// The k largest values of each row (last axis) of a float output.
void print_top(const std::string& name, const sim::Tensor& output, int k) {
  if (output.dtype() != sim::DType::kFloat32 || output.shape().empty()) return;
  const auto values = output.values<float>();
  const auto row = static_cast<std::size_t>(output.shape().back());
  for (std::size_t start = 0; start < values.size(); start += row) {
    std::vector<std::size_t> order(row);
    std::iota(order.begin(), order.end(), 0);
    const auto count = std::min<std::size_t>(static_cast<std::size_t>(k), row);
    std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(count), order.end(),
                      [&](std::size_t a, std::size_t b) { return values[start + a] > values[start + b]; });
    std::cout << "top-" << count << " of " << name << " (row " << start / row << "):\n";
    for (std::size_t i = 0; i < count; ++i) {
      std::cout << "  class " << std::setw(5) << order[i] << "  " << std::fixed << std::setprecision(5)
                << values[start + order[i]] << "\n";
    }
  }
}

// Wall time per node of the last run, slowest first, with the share of the total.
void print_profile(const std::vector<sim::NodeTiming>& timings) {
  double total = 0;
  for (const auto& t : timings) total += t.microseconds;
  std::vector<sim::NodeTiming> sorted = timings;
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const auto& a, const auto& b) { return a.microseconds > b.microseconds; });
  std::cout << "\nper-layer time on the simulator (" << timings.size() << " layers, " << std::fixed
            << std::setprecision(1) << total / 1000.0 << " ms in all; slowest 15):\n";
  std::cout << "  " << std::left << std::setw(20) << "op" << std::setw(56) << "layer" << std::right << std::setw(10)
            << "us" << std::setw(8) << "%" << "\n";
  for (std::size_t i = 0; i < sorted.size() && i < 15; ++i) {
    std::cout << "  " << std::left << std::setw(20) << sorted[i].op << std::setw(56) << sorted[i].name.substr(0, 55)
              << std::right << std::setw(10) << std::setprecision(0) << sorted[i].microseconds << std::setw(7)
              << std::setprecision(1) << 100.0 * sorted[i].microseconds / total << "%\n";
  }
}

void run(const RunOptions& options) {
  if (std::filesystem::path(options.model).extension() == ".rknn") {
    run_artifact({options.model, options.inputs, options.output_dir, options.format, options.raw, options.threads,
                  options.top, options.key, options.device});
    return;
  }
  if (!options.device.empty()) {
    throw CompileError("--device runs .rknn artifacts; compile '" + options.model + "' with `rknnc compile` first");
  }
  driver::LoadedModel model = driver::load_model(options.model, load_options(options.model_options));
  sim::Executor executor(lower::to_program(model.graph), {.threads = options.threads, .reference = options.reference});
  const std::vector<sim::Tensor> outputs = executor.run(read_inputs(executor, options.inputs));
  std::filesystem::create_directories(options.output_dir);
  for (std::size_t i = 0; i < outputs.size(); ++i) {
    const std::string& name = executor.output(i).name;
    const auto path = std::filesystem::path(options.output_dir) / file_name_for(name);
    io::write_npy(path, outputs[i]);
    std::cout << name << ": " << outputs[i].type().to_string() << " -> " << path.string() << "\n";
    if (options.top > 0) print_top(name, outputs[i], options.top);
  }
  if (options.profile) print_profile(executor.last_timings());
}

}  // namespace

void add_run_command(CLI::App& app) {
  auto options = std::make_shared<RunOptions>();
  CLI::App* cmd = app.add_subcommand("run", "Run a model on the simulator; inputs and outputs as .npy or .pb");
  cmd->add_option("model", options->model, "ONNX model (.onnx) on the float simulator, or artifact (.rknn) through the runtime")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("--input", options->inputs, "Input tensor file (.npy or .pb), one per model input, in order")
      ->required();
  cmd->add_option("--output-dir", options->output_dir, "Folder for the outputs, one .npy per output tensor")
      ->required();
  cmd->add_option("--threads", options->threads, "Worker threads (results do not depend on it)")
      ->check(CLI::Range(1, 256));
  cmd->add_flag("--reference", options->reference, "Use the plain reference kernels only (.onnx)");
  cmd->add_option("--format", options->format, "Layout of 4-D input files for an artifact: nchw (default) or nhwc")
      ->check(CLI::IsMember({"nchw", "nhwc"}));
  cmd->add_flag("--raw", options->raw, "Artifact outputs in the model's own type (quantized/float16) instead of float32");
  cmd->add_option("--top", options->top, "Print the K largest values of each output row (classification)")
      ->check(CLI::Range(1, 1000));
  cmd->add_flag("--profile", options->profile, "Print the time of each layer on the simulator");
  cmd->add_option("--device", options->device,
                  "Run the artifact on this board: tcp://HOST[:PORT] or usb:BUS-PORTS (see `rknnc devices`)");
  add_model_options(*cmd, options->model_options);
  add_key_options(*cmd, options->key);
  cmd->callback([options] { run(*options); });
}

}  // namespace rknn::cli
