// The options that decide what `rknnc compile` builds, shared with the
// commands that compile a model the same way (`rknnc analyze`).
#include <sstream>

#include "commands.h"
#include "ir/error.h"

namespace rknn::cli {
namespace {

template <class T>
std::vector<T> parse_list(const std::string& text, const char* option) {
  std::vector<T> values;
  std::stringstream items(text);
  for (std::string item; std::getline(items, item, ',');) {
    std::istringstream in(item);
    T value{};
    if (!(in >> value) || !(in >> std::ws).eof()) {
      throw CompileError(std::string(option) + " '" + text + "': '" + item + "' is not a number");
    }
    values.push_back(value);
  }
  return values;
}

template <class T>
std::vector<std::vector<T>> parse_per_input(const std::vector<std::string>& texts, const char* option) {
  std::vector<std::vector<T>> lists;
  for (const auto& text : texts) lists.push_back(parse_list<T>(text, option));
  return lists;
}

std::vector<std::string> split_names(const std::vector<std::string>& texts) {
  std::vector<std::string> names;
  for (const auto& text : texts) {
    std::stringstream items(text);
    for (std::string item; std::getline(items, item, ',');) {
      if (!item.empty()) names.push_back(item);
    }
  }
  return names;
}

}  // namespace

void add_compile_flags(CLI::App& command, CompileFlags& flags) {
  command.add_option("--quant", flags.quant,
                     "Quantization: float16 (default), float32 (debug), asymmetric_u8, dynamic_fixed_point_i8, "
                     "dynamic_fixed_point_i16; RKNN spellings accepted");
  command.add_option("--quant-method", flags.quant_method, "Weight quantization granularity: layer or channel")
      ->check(CLI::IsMember({"layer", "channel"}));
  command.add_option("--mean", flags.mean,
                     "Mean values of one input's channels, e.g. 123.675,116.28,103.53 (once per input)");
  command.add_option("--std", flags.std,
                     "Std values of one input's channels, e.g. 58.395,57.12,57.375 (once per input)");
  command.add_option("--reorder", flags.reorder,
                     "Channel order of one input, e.g. 2,1,0 for RGB to BGR (once per input)");
  command.add_option("--platform", flags.platforms,
                     "Target platform, e.g. rk1808 (repeatable, one compatibility group)");
  command.add_option("--batch-size", flags.batch_size, "Inputs take this batch (RKNN rknn_batch_size)")
      ->check(CLI::Range(1, 1024));
  command.add_option("--inputs", flags.inputs, "Compile the sub-graph starting at these tensors (comma separated)");
  command.add_option("--outputs", flags.outputs, "Compile the sub-graph ending at these tensors (comma separated)");
  command.add_option("--dataset", flags.dataset, "RKNN dataset file: one line per sample, one path per input")
      ->check(CLI::ExistingFile);
  command.add_option("--quant-algorithm", flags.quant_algorithm, "Calibration: normal (min/max), kl_divergence or mmse")
      ->check(CLI::IsMember({"normal", "kl_divergence", "mmse"}));
  command.add_option("--calibration-batch-size", flags.calibration_batch_size,
                     "Samples per calibration batch (RKNN batch_size, default 100)")
      ->check(CLI::Range(1, 1000000));
  command.add_option("--epochs", flags.epochs, "Calibration batches to use (RKNN epochs; -1: the whole data set)");
  command.add_flag("--quant-img-rgb2bgr", flags.rgb_to_bgr,
                   "Swap R and B of calibration images (RKNN quant_img_RGB2BGR)");
  command.add_option("--threads", flags.threads, "Threads for calibration (results do not depend on it)")
      ->check(CLI::Range(1, 256));
  add_model_options(command, flags.model_options);
}

driver::CompileOptions compile_options(const CompileFlags& flags) {
  driver::CompileOptions o;
  o.load.optimization_level = flags.model_options.optimization_level;
  for (const auto& text : flags.model_options.input_shapes) {
    o.load.import.input_shapes.insert(frontend::parse_input_shape(text));
  }
  o.load.import.batch_size = flags.batch_size;
  o.quantization = flags.quant;
  o.quant_method = flags.quant_method;
  o.platforms = flags.platforms;
  o.mean = parse_per_input<float>(flags.mean, "--mean");
  o.std = parse_per_input<float>(flags.std, "--std");
  o.reorder = parse_per_input<std::int32_t>(flags.reorder, "--reorder");
  o.inputs = split_names(flags.inputs);
  o.outputs = split_names(flags.outputs);
  if (!flags.dataset.empty()) o.dataset = flags.dataset;
  o.quant_algorithm = flags.quant_algorithm;
  o.calibration_batch_size = flags.calibration_batch_size;
  o.epochs = flags.epochs;
  o.rgb_to_bgr = flags.rgb_to_bgr;
  o.threads = flags.threads;
  return o;
}

}  // namespace rknn::cli
