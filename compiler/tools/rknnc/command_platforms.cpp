// rknnc platforms [MODEL.rknn | MODEL.onnx [compile options]] [--json FILE]:
// without a model, every supported chip with its compatibility group,
// quantization types and hardware figures; with one, the chips it can run on
// (RKNN list_support_target_platform).
#include <cstdio>
#include <iostream>
#include <memory>

#include "tools/rknnc/report_model.h"

namespace rknn::cli {
namespace {

struct PlatformsCommand {
  std::string model;
  std::string json;
  CompileFlags flags;
  encryption::KeySpec key;
};

std::string padded(std::string text, std::size_t width) {
  text.resize(std::max(width, text.size() + 1), ' ');
  return text;
}

std::string number(double value, int decimals) {
  char text[32];
  std::snprintf(text, sizeof text, "%.*f", decimals, value);
  return text;
}

std::string json_names(const std::vector<std::string>& names) {
  std::string out = "[";
  for (std::size_t i = 0; i < names.size(); ++i) out += (i ? "," : "") + json_string(names[i]);
  return out + "]";
}

std::vector<std::string> split(std::string_view words) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < words.size()) {
    const std::size_t end = std::min(words.find(' ', start), words.size());
    if (end > start) out.emplace_back(words.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

std::string macs_text(const sim::Platform& p) {
  return std::to_string(p.int8_macs) + "/" + std::to_string(p.int16_macs) + "/" +
         (p.fp16_macs ? std::to_string(p.fp16_macs) : "-");
}

void print_table() {
  std::cout << padded("platform", 11) << padded("group", 19) << padded("cores", 6) << padded("MACs/cycle/core", 16)
            << padded("MHz", 6) << padded("DRAM GB/s", 10) << padded("on-chip KiB", 12) << padded("int8 TOPS", 10)
            << "quantization types\n";
  for (const sim::Platform& p : sim::platforms()) {
    std::cout << padded(std::string(p.name), 11) << padded(std::string(p.group_members), 19)
              << padded(std::to_string(p.cores), 6) << padded(macs_text(p), 16) << padded(std::to_string(p.clock_mhz), 6)
              << padded(number(p.dram_gb_per_s, 1), 10) << padded(std::to_string(p.onchip_kib), 12)
              << padded(number(p.peak_tops(), 2), 10) << p.quantization_list() << "\n";
  }
  std::cout << "MACs per cycle int8/int16/float16 ('-': no float path). Chips run models of their own group only.\n"
               "Every figure's source, and which are estimates: docs/perf-model.md.\n";
}

std::string table_json() {
  std::string out = "{\"platforms\":[";
  bool first = true;
  for (const sim::Platform& p : sim::platforms()) {
    out += std::string(first ? "" : ",") + "{\"name\":" + json_string(p.name) + ",\"group\":" + std::to_string(p.group) +
           ",\"group_members\":" + json_names(split(p.group_members)) +
           ",\"quantizations\":" + json_names(split(p.quantization_list())) +
           ",\"int8_macs\":" + std::to_string(p.int8_macs) + ",\"int16_macs\":" + std::to_string(p.int16_macs) +
           ",\"fp16_macs\":" + std::to_string(p.fp16_macs) + ",\"clock_mhz\":" + std::to_string(p.clock_mhz) +
           ",\"dram_gb_per_s\":" + number(p.dram_gb_per_s, 2) + ",\"onchip_kib\":" + std::to_string(p.onchip_kib) +
           ",\"cores\":" + std::to_string(p.cores) + ",\"peak_int8_tops\":" + number(p.peak_tops(), 3) + "}";
    first = false;
  }
  return out + "]}\n";
}

void list_platforms(const PlatformsCommand& c) {
  if (c.model.empty()) {
    print_table();
    write_report_file(c.json, table_json());
    return;
  }
  const ReportModel m = load_report_model(c.model, c.flags, c.key);
  std::vector<std::string> supported;
  for (const sim::Platform* p : runnable_platforms(m.info)) supported.emplace_back(p->name);
  std::string filled;
  for (const auto& p : m.info.platforms) filled += (filled.empty() ? "" : " ") + p;
  std::string runs;
  for (const auto& p : supported) runs += (runs.empty() ? "" : " ") + p;
  std::cout << "Target platforms filled in the model: " << filled << "\n"
            << "Target platforms that run the model (" << m.info.quantization << "): " << runs << "\n";
  write_report_file(c.json, "{\"filled\":" + json_names(m.info.platforms) + ",\"supported\":" + json_names(supported) +
                              ",\"quantization\":" + json_string(m.info.quantization) + "}\n");
}

}  // namespace

void add_platforms_command(CLI::App& app) {
  auto c = std::make_shared<PlatformsCommand>();
  CLI::App* cmd = app.add_subcommand(
      "platforms", "The supported chips, or the chips a model can run on (RKNN list_support_target_platform)");
  cmd->add_option("model", c->model, "An .rknn artifact, or an ONNX model compiled with the options below")
      ->check(CLI::ExistingFile);
  cmd->add_option("--json", c->json, "Also write the result as JSON to this file");
  add_compile_flags(*cmd, c->flags);
  add_key_options(*cmd, c->key);
  cmd->callback([c] { list_platforms(*c); });
}

}  // namespace rknn::cli
