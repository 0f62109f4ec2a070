#include "estimate.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <new>

#include "context.h"
#include "rknn_api.h"

namespace rknn::runtime {
namespace {


std::string joined(const std::vector<std::string>& names) {
  std::string text;
  for (const auto& n : names) text += (text.empty() ? "" : " ") + n;
  return text;
}

// The model's platforms, all known and of one group; its first.
const sim::Platform& model_platform(const format::ModelInfo& info) {
  if (info.platforms.empty()) fail(RKNN_ERR_MODEL_INVALID, "invalid model: it names no target platform");
  const sim::Platform* first = nullptr;
  for (const auto& name : info.platforms) {
    const sim::Platform* p = sim::find_platform(name);
    if (!p) fail(RKNN_ERR_MODEL_INVALID, "invalid model: unknown target platform '" + name + "'");
    if (first && p->group != first->group) {
      fail(RKNN_ERR_MODEL_INVALID, "invalid model: its target platforms (" + joined(info.platforms) +
                                       ") span several compatibility groups");
    }
    if (!first) first = p;
  }
  return *first;
}

std::string padded(std::string text, std::size_t width) {
  text.resize(std::max(width, text.size() + 1), ' ');
  return text;
}

std::string microseconds(double us) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f", us);
  return text;
}

}  // namespace

const sim::Platform& target_platform(const format::ModelInfo& info, const char* requested) {
  const sim::Platform& built_for = model_platform(info);
  const char* name = requested ? requested : std::getenv("RKNN_TARGET_PLATFORM");
  if (!name || !*name) return built_for;
  const sim::Platform* target = sim::find_platform(name);
  if (!target) {
    fail(RKNN_ERR_PARAM_INVALID, "unknown target platform '" + std::string(name) + "'; supported: " +
                                     sim::platform_names());
  }
  if (target->group != built_for.group) {
    fail(RKNN_ERR_TARGET_PLATFORM_UNMATCH,
         "the model was built for " + joined(info.platforms) + ", which run on " +
             std::string(built_for.group_members) + " only; " + std::string(target->name) +
             " runs models built for " + std::string(target->group_members));
  }
  return *target;
}

sim::PerfReport estimate_npu_time(const sim::Program& program, const sim::Platform& platform) {
  try {
    return sim::estimate_perf(program, platform);
  } catch (const std::bad_alloc&) {
    throw;
  } catch (const std::exception& e) {
    fail(RKNN_ERR_MODEL_INVALID, std::string("invalid model: ") + e.what());
  }
}

std::string perf_detail_text(const sim::Program& program, const sim::PerfReport& estimate,
                             const std::vector<sim::NodeTiming>* measured) {
  std::vector<std::string> npu(program.nodes.size(), "fused");
  for (int n : estimate.host_nodes) npu.at(static_cast<std::size_t>(n)) = "host";
  for (const sim::PerfLayer& layer : estimate.layers) npu.at(static_cast<std::size_t>(layer.nodes.front())) = microseconds(layer.time_us);

  std::string text = "Simulator time of the last run, and the estimated NPU time of " + estimate.platform +
                     " (one core at " + std::to_string(estimate.clock_mhz) + " MHz) per layer\n";
  text += padded("ID", 6) + padded("OpType", 21) + padded("Name", 41) + padded("Time(us)", 12) + "NPU est.(us)\n";
  double total = 0;
  for (std::size_t i = 0; i < program.nodes.size(); ++i) {
    const sim::OpNode& node = program.nodes[i].node;
    std::string time = "-";
    if (measured && i < measured->size()) {
      time = microseconds((*measured)[i].microseconds);
      total += (*measured)[i].microseconds;
    }
    text += padded(std::to_string(i), 6) + padded(node.op, 21) + padded(node.name, 41) + padded(time, 12) + npu[i] +
            "\n";
  }
  text += "Total Time(us): " + microseconds(total) + (measured ? "" : " (no run yet)") + "\n";
  text += "Estimated NPU Time(us): " + microseconds(estimate.total_us) + "\n";
  char fps[64];
  std::snprintf(fps, sizeof fps, "Estimated FPS(%dMHz): %.2f\n", estimate.clock_mhz, estimate.fps);
  return text + fps;
}

}  // namespace rknn::runtime
