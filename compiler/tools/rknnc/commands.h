// rknnc subcommands. Each adds itself to the app; its callback does the work
// and throws on error (main prints one message and exits non-zero).
#pragma once

#include <CLI/CLI.hpp>

#include "encryption/key_file.h"

namespace rknn::cli {

void add_bench_command(CLI::App& app);
void add_compile_command(CLI::App& app);
void add_encrypt_command(CLI::App& app);
void add_inspect_command(CLI::App& app);
void add_run_command(CLI::App& app);

// Options shared by the commands that load an ONNX model.
struct ModelOptions {
  std::vector<std::string> input_shapes;  // name=d0,d1,...
  int optimization_level = 3;
};
void add_model_options(CLI::App& command, ModelOptions& options);

// --key-file / --key-env: where the key of an encrypted artifact comes from
// (the key itself never appears on the command line).
void add_key_options(CLI::App& command, encryption::KeySpec& key);

}  // namespace rknn::cli
