// rknnc: the rknn-build command-line compiler.
#include <cstdio>
#include <exception>
#include <iostream>

#include "commands.h"

int main(int argc, char** argv) {
  CLI::App app{"rknnc: compile, inspect and run ONNX models for Rockchip-style NPUs"};
  app.set_version_flag("--version", std::string("rknnc ") + RKNN_VERSION);
  app.require_subcommand(1);
  rknn::cli::add_compile_command(app);
  rknn::cli::add_encrypt_command(app);
  rknn::cli::add_inspect_command(app);
  rknn::cli::add_run_command(app);
  rknn::cli::add_bench_command(app);
  rknn::cli::add_analyze_command(app);
  rknn::cli::add_platforms_command(app);
  rknn::cli::add_perf_command(app);
  rknn::cli::add_memory_command(app);
  rknn::cli::add_devices_command(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  } catch (const std::exception& e) {
    std::cerr << "rknnc: error: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
