// rknnc bench NAME.rknn [--repeat N] [--threads T]: time per inference on the
// simulator through the linked runtime, after one warm-up run.
#include <algorithm>
#include <chrono>
#include <iomanip>
#include <iostream>
#include <memory>
#include <vector>

#include "commands.h"
#include "io/tensor_file.h"
#include "tools/rknnc/artifact_run.h"

namespace rknn::cli {
namespace {

struct BenchOptions {
  std::string model;
  int repeat = 20;
  int threads = 1;
  encryption::KeySpec key;
};

void bench(const BenchOptions& options) {
  const sim::Tensor bytes = io::read_file_aligned(options.model);
  const encryption::SecretBytes key = encryption::read_key_for({bytes.raw(), bytes.byte_size()}, options.key);
  Session session({bytes.raw(), bytes.byte_size()}, {.threads = options.threads, .key = key.span()});
  std::vector<sim::Tensor> inputs;
  for (std::size_t i = 0; i < session.input_count(); ++i) {
    inputs.emplace_back(sim::DType::kFloat32, shape_of(session.input_attr(i)));
    session.set_input(i, {inputs[i].raw(), inputs[i].byte_size()}, RKNN_TENSOR_FLOAT32, RKNN_TENSOR_NCHW);
  }
  session.run();  // warm-up
  std::vector<double> ms;
  for (int r = 0; r < options.repeat; ++r) {
    const auto start = std::chrono::steady_clock::now();
    session.run();
    ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
  }
  std::sort(ms.begin(), ms.end());
  const double median = ms.size() % 2 ? ms[ms.size() / 2] : (ms[ms.size() / 2 - 1] + ms[ms.size() / 2]) / 2;
  std::cout << std::fixed << std::setprecision(3) << options.model << ": " << options.repeat << " runs, "
            << options.threads << " thread(s): min " << ms.front() << " ms, median " << median << " ms, max "
            << ms.back() << " ms (" << std::setprecision(1) << 1000.0 / median << " inferences/s)\n";
}

}  // namespace

void add_bench_command(CLI::App& app) {
  auto options = std::make_shared<BenchOptions>();
  CLI::App* cmd = app.add_subcommand("bench", "Time an .rknn artifact on the simulator (min, median, max per inference)");
  cmd->add_option("model", options->model, "Artifact (.rknn)")->required()->check(CLI::ExistingFile);
  cmd->add_option("--repeat", options->repeat, "Timed runs after one warm-up (default 20)")->check(CLI::Range(1, 100000));
  cmd->add_option("--threads", options->threads, "Simulator threads")->check(CLI::Range(1, 256));
  add_key_options(*cmd, options->key);
  cmd->callback([options] { bench(*options); });
}

}  // namespace rknn::cli
