// rknnc subcommands. Each adds itself to the app; its callback does the work
// and throws on error (main prints one message and exits non-zero).
#pragma once

#include <CLI/CLI.hpp>

#include "driver/compile.h"
#include "encryption/key_file.h"

namespace rknn::cli {

void add_analyze_command(CLI::App& app);
void add_bench_command(CLI::App& app);
void add_compile_command(CLI::App& app);
void add_devices_command(CLI::App& app);
void add_encrypt_command(CLI::App& app);
void add_inspect_command(CLI::App& app);
void add_memory_command(CLI::App& app);
void add_perf_command(CLI::App& app);
void add_platforms_command(CLI::App& app);
void add_run_command(CLI::App& app);

// Options shared by the commands that load an ONNX model.
struct ModelOptions {
  std::vector<std::string> input_shapes;  // name=d0,d1,...
  int optimization_level = 3;
};
void add_model_options(CLI::App& command, ModelOptions& options);

// The options that decide what `compile` builds (quantization, calibration,
// preprocessing, sub-graph, shapes), shared by the commands that compile a
// model the same way (compile_flags.cpp).
struct CompileFlags {
  std::string quant = "float16";
  std::string quant_method = "channel";
  std::string quant_algorithm = "normal";
  int calibration_batch_size = 100;
  int epochs = -1;
  bool rgb_to_bgr = false;
  int threads = 1;
  std::vector<std::string> mean, std, reorder, platforms{"rk1808"}, inputs, outputs;
  int batch_size = 1;
  std::string dataset;
  ModelOptions model_options;
};
void add_compile_flags(CLI::App& command, CompileFlags& flags);
// Throws CompileError for a malformed list (e.g. --mean 1,x,3).
driver::CompileOptions compile_options(const CompileFlags& flags);

// --key-file / --key-env: where the key of an encrypted artifact comes from
// (the key itself never appears on the command line).
void add_key_options(CLI::App& command, encryption::KeySpec& key);

}  // namespace rknn::cli
