// rknnc perf MODEL.rknn | MODEL.onnx [compile options] [--target CHIP] [--json FILE]:
// the estimated NPU time per layer (RKNN eval_perf) from the platform's cost
// model (simulator/cost, docs/perf-model.md).
#include <memory>

#include "rknn/sim/perf_model.h"
#include "tools/rknnc/report_model.h"

namespace rknn::cli {
namespace {

struct PerfCommand {
  std::string model;
  std::string target;
  std::string json;
  std::string output;
  CompileFlags flags;
  encryption::KeySpec key;
};

void perf(const PerfCommand& c) {
  const ReportModel m = load_report_model(c.model, c.flags, c.key);
  const sim::PerfReport report = sim::estimate_perf(m.program, report_platform(m.info, c.target));
  print_report(c.output, sim::perf_table(report));
  write_report_file(c.json, sim::perf_json(report));
}

}  // namespace

void add_perf_command(CLI::App& app) {
  auto c = std::make_shared<PerfCommand>();
  CLI::App* cmd = app.add_subcommand("perf", "Estimated NPU time per layer, total and FPS (RKNN eval_perf)");
  cmd->add_option("model", c->model, "An .rknn artifact, or an ONNX model compiled with the options below")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("--target", c->target,
                  "The chip to estimate for (default: the model's first platform; one of its group)");
  cmd->add_option("--json", c->json, "Also write the estimate as JSON to this file");
  cmd->add_option("--output", c->output, "Write the table to this file instead of standard output");
  add_compile_flags(*cmd, c->flags);
  add_key_options(*cmd, c->key);
  cmd->callback([c] { perf(*c); });
}

}  // namespace rknn::cli
