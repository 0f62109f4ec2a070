// rknnc memory MODEL.rknn | MODEL.onnx [compile options] [--json FILE]: the
// memory the model needs (RKNN eval_memory): weights, the planned arena of
// internal tensors (simulator/memory), their total and the model size.
#include <cstdio>
#include <filesystem>
#include <memory>
#include <sstream>

#include "rknn/sim/memory_plan.h"
#include "tools/rknnc/report_model.h"

namespace rknn::cli {
namespace {

struct MemoryCommand {
  std::string model;
  std::string json;
  std::string output;
  CompileFlags flags;
  encryption::KeySpec key;
};

std::string mib(std::uint64_t bytes) {
  char text[64];
  std::snprintf(text, sizeof text, "%.2f MiB (%llu bytes)", static_cast<double>(bytes) / (1024.0 * 1024.0),
                static_cast<unsigned long long>(bytes));
  return text;
}

std::string plan_json(const ReportModel& m, const sim::MemoryPlan& plan) {
  std::string out = "{\"total_weight_allocation\":" + std::to_string(plan.weight_bytes) +
                    ",\"total_internal_allocation\":" + std::to_string(plan.arena_bytes) +
                    ",\"total_model_allocation\":" + std::to_string(plan.weight_bytes + plan.arena_bytes) +
                    ",\"model_size\":" + std::to_string(m.artifact_bytes) +
                    ",\"internal_without_reuse\":" + std::to_string(plan.unshared_bytes) + ",\"tensors\":[";
  for (std::size_t i = 0; i < plan.tensors.size(); ++i) {
    const sim::TensorPlacement& p = plan.tensors[i];
    out += std::string(i ? "," : "") + "{\"name\":" + json_string(m.program.tensors[i].name) + ",\"kind\":\"" +
           (p.constant ? "weight" : "internal") + "\",\"offset\":" + std::to_string(p.offset) +
           ",\"bytes\":" + std::to_string(p.bytes) + ",\"first\":" + std::to_string(p.first) +
           ",\"last\":" + std::to_string(p.last) + "}";
  }
  return out + "]}\n";
}

void memory(const MemoryCommand& c) {
  const ReportModel m = load_report_model(c.model, c.flags, c.key);
  const bool float16 = m.info.quantization == "float16";
  // Weights as the artifact and a board hold them: a float16 model's as half.
  const sim::MemoryPlan plan =
      sim::plan_memory(m.program, float16 ? sim::FloatWeights::kHalf : sim::FloatWeights::kFloat32);
  std::ostringstream text;
  text << "Memory estimate of " << std::filesystem::path(c.model).filename().string() << " (" << m.info.quantization << "):\n"
            << "  Total Weight Memory:          " << mib(plan.weight_bytes) << "\n"
            << "  Total Internal Tensor Memory: " << mib(plan.arena_bytes) << ", one planned arena; "
            << plan.unshared_bytes << " bytes without reuse\n"
            << "  Total Memory:                 " << mib(plan.weight_bytes + plan.arena_bytes) << "\n"
            << "  Model size:                   " << mib(m.artifact_bytes) << ", the .rknn artifact\n";
  if (float16) {
    // docs/perf-model.md: weights are stored as half; the simulator keeps activations in float32.
    text << "  (weights count 2 bytes per value, as stored; internal tensors are the simulator's float32 ones, a "
            "board holding float16 activations needs about half of them)\n";
  }
  print_report(c.output, text.str());
  write_report_file(c.json, plan_json(m, plan));
}

}  // namespace

void add_memory_command(CLI::App& app) {
  auto c = std::make_shared<MemoryCommand>();
  CLI::App* cmd = app.add_subcommand("memory", "Weight, internal tensor and total memory, model size (RKNN eval_memory)");
  cmd->add_option("model", c->model, "An .rknn artifact, or an ONNX model compiled with the options below")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("--json", c->json, "Also write the estimate (and every tensor's placement) as JSON to this file");
  cmd->add_option("--output", c->output, "Write the report to this file instead of standard output");
  add_compile_flags(*cmd, c->flags);
  add_key_options(*cmd, c->key);
  cmd->callback([c] { memory(*c); });
}

}  // namespace rknn::cli
