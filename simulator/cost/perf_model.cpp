// The cost model of perf_model.h. Constants marked "estimate" have no
// published source; docs/perf-model.md lists them with the calibration.
#include "rknn/sim/perf_model.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>
#include <string_view>

#include "rknn/sim/error.h"
#include "rknn/sim/json_text.h"

namespace rknn::sim {
namespace {

// Sustained fraction of the DRAM peak one DMA client gets on a shared bus (estimate).
constexpr double kDramEfficiency = 0.8;
// MAC-array utilization by kernel shape, relative to 3x3, the shape the NN engine is built
// for (Trouble Shooting 5.1: "3x3 ... highest MAC utilization", "non-square kernels ... some
// computation overhead"). The values are estimates.
constexpr double kKernel1x1 = 0.85;
constexpr double kKernelOtherSquare = 0.9;
constexpr double kKernelNonSquare = 0.8;

bool is_view(std::string_view op) {
  return op == "Reshape" || op == "Flatten" || op == "Squeeze" || op == "Unsqueeze" || op == "Identity" ||
         op == "Dropout";
}
bool is_mac_op(std::string_view op) { return op == "Conv" || op == "ConvTranspose" || op == "Gemm" || op == "MatMul"; }
bool is_activation(std::string_view op) { return op == "Relu" || op == "Clip" || op == "LeakyRelu"; }
// Element-wise ops run on the same output unit that applies a convolution's
// activation, so an activation after them rides along too (estimate: the NPU
// documents this for convolutions only).
bool is_eltwise(std::string_view op) { return op == "Add" || op == "Sub" || op == "Mul"; }
bool is_shape_op(std::string_view op) { return op == "Shape" || op == "Size"; }

std::uint64_t ceil_div(std::uint64_t a, std::uint64_t b) { return (a + b - 1) / b; }

// How much of a granule-wide dimension `n` values fill: n / (granules * granule).
double fill(std::int64_t n, int granule) {
  if (n <= 0 || granule <= 1) return 1.0;
  const auto g = static_cast<std::uint64_t>(granule);
  const auto count = static_cast<std::uint64_t>(n);
  return static_cast<double>(count) / static_cast<double>(ceil_div(count, g) * g);
}

// Bytes of one element as the NPU stores it: float tensors are float16 there.
std::uint64_t npu_bytes(const TensorType& type) {
  const std::uint64_t size = type.dtype == DType::kFloat32 ? 2 : dtype_size(type.dtype);
  return static_cast<std::uint64_t>(std::max<std::int64_t>(type.element_count(), 0)) * size;
}

Precision precision_of(DType dtype) {
  if (dtype == DType::kUInt8 || dtype == DType::kInt8) return Precision::kInt8;
  if (dtype == DType::kInt16) return Precision::kInt16;
  return Precision::kFloat16;
}

class Model {
 public:
  Model(const Program& program, const Platform& platform) : p_(program), hw_(platform) {
    find_host_nodes();
    count_consumers();
  }

  PerfReport run() {
    PerfReport report;
    report.platform = std::string(hw_.name);
    report.clock_mhz = hw_.clock_mhz;
    std::vector<bool> taken(p_.nodes.size(), false);
    for (std::size_t n = 0; n < p_.nodes.size(); ++n) {
      if (host_[n]) {
        report.host_nodes.push_back(static_cast<int>(n));
        continue;
      }
      if (taken[n]) continue;
      PerfLayer layer = cost(group_from(n, taken));
      layer.id = static_cast<int>(report.layers.size());
      report.total_macs += layer.macs;
      report.total_bytes += layer.bytes;
      report.total_us += layer.time_us;
      report.layers.push_back(std::move(layer));
    }
    report.fps = report.total_us > 0 ? 1e6 / report.total_us : 0;
    return report;
  }

 private:
  const ProgramTensor& tensor(int index) const { return p_.tensors.at(static_cast<std::size_t>(index)); }
  bool is_constant(int index) const { return tensor(index).constant.has_value(); }
  const TensorType& type_of(int index) const { return tensor(index).type; }

  // Nodes the compiler could evaluate: shapes of static tensors and anything
  // computed from constants and such values only. They cost no NPU time.
  void find_host_nodes() {
    host_.assign(p_.nodes.size(), false);
    std::vector<bool> host_value(p_.tensors.size(), false);
    for (std::size_t i = 0; i < p_.tensors.size(); ++i) host_value[i] = p_.tensors[i].constant.has_value();
    for (std::size_t n = 0; n < p_.nodes.size(); ++n) {
      const ProgramNode& pn = p_.nodes[n];
      bool known = is_shape_op(pn.node.op);
      if (!known) {
        known = std::all_of(pn.inputs.begin(), pn.inputs.end(),
                            [&](int i) { return i < 0 || host_value.at(static_cast<std::size_t>(i)); });
      }
      host_[n] = known;
      for (int out : pn.outputs) {
        if (known && out >= 0) host_value.at(static_cast<std::size_t>(out)) = true;
      }
    }
  }

  void count_consumers() {
    consumers_.assign(p_.tensors.size(), {});
    for (std::size_t n = 0; n < p_.nodes.size(); ++n) {
      if (host_[n]) continue;
      for (int i : p_.nodes[n].inputs) {
        if (i >= 0) consumers_.at(static_cast<std::size_t>(i)).push_back(static_cast<int>(n));
      }
    }
    is_output_.assign(p_.tensors.size(), false);
    for (int i : p_.outputs) {
      if (i >= 0) is_output_.at(static_cast<std::size_t>(i)) = true;
    }
  }

  // The node reading `n`'s only output, when it is the sole reader and every
  // other input of it is a constant; -1 otherwise.
  int sole_follower(int n) const {
    const ProgramNode& pn = p_.nodes.at(static_cast<std::size_t>(n));
    if (pn.outputs.size() != 1 || pn.outputs[0] < 0) return -1;
    const auto out = static_cast<std::size_t>(pn.outputs[0]);
    if (is_output_[out] || consumers_[out].size() != 1) return -1;
    const int next = consumers_[out][0];
    const ProgramNode& follower = p_.nodes.at(static_cast<std::size_t>(next));
    for (std::size_t k = 0; k < follower.inputs.size(); ++k) {
      const int i = follower.inputs[k];
      if (i >= 0 && i != pn.outputs[0] && !is_constant(i)) return -1;
    }
    return next;
  }

  // Trouble Shooting 5.1: max pooling fuses into the convolution when it is 2x2 or 3x3 with
  // stride 2 and no padding; 2x2 needs an even input, 3x3 an odd one (not 1) narrower than
  // 64 (8-bit) or 32 (16-bit).
  bool pool_fuses(const ProgramNode& pool, Precision precision) const {
    const Attributes& a = pool.node.attrs;
    const std::vector<std::int64_t> k = a.get_ints("kernel_shape");
    const Shape& in = type_of(pool.inputs.at(0)).shape;
    if (k.size() != 2 || k[0] != k[1] || (k[0] != 2 && k[0] != 3) || in.size() != 4) return false;
    const std::vector<std::int64_t> strides = a.get_ints("strides", {1, 1});
    const std::vector<std::int64_t> pads = a.get_ints("pads", {0, 0, 0, 0});
    const std::vector<std::int64_t> dilations = a.get_ints("dilations", {1, 1});
    const bool plain = strides == std::vector<std::int64_t>{2, 2} &&
                       std::all_of(pads.begin(), pads.end(), [](std::int64_t v) { return v == 0; }) &&
                       std::all_of(dilations.begin(), dilations.end(), [](std::int64_t v) { return v == 1; }) &&
                       a.get_int("ceil_mode", 0) == 0 && a.get_string("auto_pad", "NOTSET") == "NOTSET";
    if (!plain) return false;
    const std::int64_t h = in[2];
    const std::int64_t w = in[3];
    if (k[0] == 2) return h % 2 == 0 && w % 2 == 0;
    const std::int64_t max_width = precision == Precision::kInt8 ? 64 : 32;
    return h % 2 == 1 && w % 2 == 1 && h > 1 && w > 1 && w < max_width;
  }

  bool absorbs(const std::vector<int>& group, const ProgramNode& next) const {
    const std::string& op = next.node.op;
    if (is_view(op)) return true;
    const ProgramNode& first = p_.nodes.at(static_cast<std::size_t>(group.front()));
    if (first.node.op != "Conv" && first.node.op != "Gemm" && !is_eltwise(first.node.op)) return false;
    bool has_activation = first.node.attrs.has("activation");
    bool has_pool = false;
    for (std::size_t k = 1; k < group.size(); ++k) {
      const std::string& member = p_.nodes.at(static_cast<std::size_t>(group[k])).node.op;
      has_activation = has_activation || is_activation(member);
      has_pool = has_pool || member == "MaxPool";
    }
    if (is_activation(op)) return !has_activation && !has_pool;  // "A ReLU ... will always be fused"
    if (op == "MaxPool" && first.node.op == "Conv" && !has_pool) {
      return pool_fuses(next, precision_of(type_of(first.outputs.at(0)).dtype));
    }
    return false;
  }

  std::vector<int> group_from(std::size_t start, std::vector<bool>& taken) const {
    std::vector<int> group{static_cast<int>(start)};
    taken[start] = true;
    for (int next = sole_follower(group.back()); next >= 0; next = sole_follower(group.back())) {
      const auto n = static_cast<std::size_t>(next);
      if (taken[n] || !absorbs(group, p_.nodes[n])) break;
      group.push_back(next);
      taken[n] = true;
    }
    return group;
  }

  struct Traffic {
    std::uint64_t inputs = 0, weights = 0, outputs = 0;
  };

  Traffic traffic_of(const std::vector<int>& group) const {
    std::set<int> inside_values, seen_inputs, seen_weights;
    for (int n : group) {
      for (int o : p_.nodes.at(static_cast<std::size_t>(n)).outputs) inside_values.insert(o);
    }
    Traffic t;
    for (int n : group) {
      for (int i : p_.nodes.at(static_cast<std::size_t>(n)).inputs) {
        if (i < 0 || inside_values.count(i)) continue;
        if (is_constant(i)) {
          if (seen_weights.insert(i).second) t.weights += npu_bytes(type_of(i));
        } else if (seen_inputs.insert(i).second) {
          t.inputs += npu_bytes(type_of(i));
        }
      }
    }
    for (int o : inside_values) {
      if (o < 0) continue;
      const auto slot = static_cast<std::size_t>(o);
      const bool read_outside = std::any_of(consumers_[slot].begin(), consumers_[slot].end(), [&](int c) {
        return std::find(group.begin(), group.end(), c) == group.end();
      });
      if (read_outside || is_output_[slot]) t.outputs += npu_bytes(type_of(o));
    }
    return t;
  }

  // DRAM bytes: when inputs and weights do not fit the on-chip buffer together, one of them
  // is kept in half-buffer slices and the other streamed once per slice; the cheaper wins.
  std::uint64_t dram_bytes(const Traffic& t) const {
    const std::uint64_t buffer = static_cast<std::uint64_t>(hw_.onchip_kib) * 1024;
    if (t.inputs + t.weights <= buffer) return t.inputs + t.weights + t.outputs;
    const std::uint64_t half = std::max<std::uint64_t>(buffer / 2, 1);
    const std::uint64_t stream_inputs = t.inputs * ceil_div(std::max<std::uint64_t>(t.weights, 1), half) + t.weights;
    const std::uint64_t stream_weights = t.inputs + t.weights * ceil_div(std::max<std::uint64_t>(t.inputs, 1), half);
    return std::min(stream_inputs, stream_weights) + t.outputs;
  }

  static double kernel_factor(const Shape& weight) {
    if (weight.size() < 4) return kKernel1x1;
    const std::int64_t kh = weight[2];
    const std::int64_t kw = weight[3];
    if (kh == 3 && kw == 3) return 1.0;
    if (kh == 1 && kw == 1) return kKernel1x1;
    return kh == kw ? kKernelOtherSquare : kKernelNonSquare;
  }

  struct MacWork {
    std::uint64_t macs = 0;
    double utilization = 1;
  };

  // MACs and MAC-array fill of a Conv/ConvTranspose/Gemm/MatMul.
  MacWork mac_work(const ProgramNode& pn) const {
    const std::string& op = pn.node.op;
    const Shape& out = type_of(pn.outputs.at(0)).shape;
    const auto out_elements = static_cast<std::uint64_t>(element_count(out));
    const Shape& b = type_of(pn.inputs.at(1)).shape;
    MacWork w;
    if (op == "Conv" || op == "ConvTranspose") {
      if (b.size() < 3) throw Error(pn.node.describe() + ": weight " + shape_to_string(b) + " is not [M, C, k...]");
      const std::int64_t group = std::max<std::int64_t>(pn.node.attrs.get_int("group", 1), 1);
      std::uint64_t taps = 1;
      for (std::size_t k = 2; k < b.size(); ++k) taps *= static_cast<std::uint64_t>(b[k]);
      // Conv W: [M, C/g, k...]; ConvTranspose W: [C, M/g, k...] and every input value meets M/g * taps weights.
      const std::int64_t in_per_group = op == "Conv" ? b[1] : b[0] / group;
      const std::int64_t out_channels = op == "Conv" ? b[0] : b[1] * group;
      const auto in_elements = static_cast<std::uint64_t>(element_count(type_of(pn.inputs.at(0)).shape));
      w.macs = op == "Conv" ? out_elements * static_cast<std::uint64_t>(in_per_group) * taps
                            : in_elements * static_cast<std::uint64_t>(b[1]) * taps;
      // Depthwise: one input channel per output channel, the groups side by side on the
      // output side of the array; other grouped convs run group by group.
      const bool depthwise = in_per_group == 1 && group > 1;
      const std::int64_t out_fill_channels = depthwise ? out_channels : out_channels / group;
      // A first layer with fewer channels than a granule (an RGB image) packs the kernel's
      // columns into the channel dimension, as image-input modes do (estimate).
      const std::int64_t kernel_width = b.size() >= 4 ? b[3] : 1;
      const std::int64_t in_fill_channels =
          !depthwise && in_per_group < hw_.channel_granule_in ? in_per_group * kernel_width : in_per_group;
      w.utilization = fill(in_fill_channels, hw_.channel_granule_in) *
                      fill(out_fill_channels, hw_.channel_granule_out) * kernel_factor(b);
      // The platform's efficiency describes feeding a full array; a depthwise layer keeps
      // 1/granule of it busy and is already bounded by that (calibration, docs/perf-model.md).
      if (depthwise) return w;
    } else {
      // Gemm / MatMul: K from the first input's inner dimension (Gemm transA: outer), N from the output.
      const Shape& a = type_of(pn.inputs.at(0)).shape;
      if (a.empty() || out.empty()) throw Error(pn.node.describe() + ": needs at least 1-D operands");
      const bool trans_a = op == "Gemm" && pn.node.attrs.get_int("transA", 0) != 0;
      const std::int64_t k = trans_a ? a.front() : a.back();
      w.macs = out_elements * static_cast<std::uint64_t>(std::max<std::int64_t>(k, 0));
      w.utilization = fill(k, hw_.channel_granule_in) * fill(out.back(), hw_.channel_granule_out) * kKernel1x1;
    }
    w.utilization *= hw_.mac_efficiency;
    return w;
  }

  // Elements the vector unit touches for a non-MAC layer: outputs, times the window for pools.
  std::uint64_t vector_elements(const ProgramNode& pn) const {
    const std::string& op = pn.node.op;
    const auto out_elements = static_cast<std::uint64_t>(element_count(type_of(pn.outputs.at(0)).shape));
    if (op == "GlobalAveragePool" || op == "GlobalMaxPool" || op.rfind("Reduce", 0) == 0) {
      return static_cast<std::uint64_t>(element_count(type_of(pn.inputs.at(0)).shape));
    }
    if (op == "MaxPool" || op == "AveragePool") {
      std::uint64_t window = 1;
      for (std::int64_t k : pn.node.attrs.get_ints("kernel_shape")) window *= static_cast<std::uint64_t>(std::max<std::int64_t>(k, 1));
      return out_elements * window;
    }
    return out_elements;
  }

  static double channel_count(const Shape& shape) {
    if (shape.size() >= 2) return static_cast<double>(shape[1]);
    return shape.empty() ? 1.0 : static_cast<double>(shape[0]);
  }

  PerfLayer cost(const std::vector<int>& group) const {
    PerfLayer layer;
    layer.nodes = group;
    const ProgramNode& first = p_.nodes.at(static_cast<std::size_t>(group.front()));
    layer.name = first.node.name;
    for (int n : group) {
      const OpNode& node = p_.nodes.at(static_cast<std::size_t>(n)).node;
      layer.op += (layer.op.empty() ? "" : "+") + node.op;
      // An activation the compiler already fused into the node (docs/passes.md).
      if (node.attrs.has("activation")) layer.op += "+" + node.attrs.get_string("activation", "");
    }
    const int out = first.outputs.empty() ? -1 : first.outputs[0];
    layer.precision = out >= 0 ? precision_of(type_of(out).dtype) : Precision::kFloat16;
    const double hz = hw_.clock_mhz * 1e6;
    if (is_view(first.node.op)) return layer;  // metadata only: no NPU work

    if (is_mac_op(first.node.op)) {
      const MacWork w = mac_work(first);
      layer.macs = w.macs;
      layer.utilization = w.utilization;
      const double rate = hw_.macs_per_cycle(layer.precision) * w.utilization * hz;
      layer.compute_us = rate > 0 ? static_cast<double>(w.macs) / rate * 1e6 : 0;
    } else if (out >= 0) {
      layer.utilization = fill(static_cast<std::int64_t>(channel_count(type_of(out).shape)), hw_.vector_lanes);
      const double rate = hw_.vector_lanes * layer.utilization * hz;
      layer.compute_us = static_cast<double>(vector_elements(first)) / rate * 1e6;
    }
    layer.bytes = dram_bytes(traffic_of(group));
    layer.memory_us = static_cast<double>(layer.bytes) / (hw_.dram_gb_per_s * 1e9 * kDramEfficiency) * 1e6;
    layer.overhead_us = hw_.op_overhead_us;
    layer.time_us = std::max(layer.compute_us, layer.memory_us) + layer.overhead_us;
    return layer;
  }

  const Program& p_;
  const Platform& hw_;
  std::vector<bool> host_;
  std::vector<std::vector<int>> consumers_;  // non-host readers of each tensor
  std::vector<bool> is_output_;
};

std::string fixed(double value, int decimals) {
  char text[64];
  std::snprintf(text, sizeof text, "%.*f", decimals, value);
  return text;
}

std::string padded(std::string text, std::size_t width) {
  text.resize(std::max(width, text.size() + 1), ' ');
  return text;
}

}  // namespace

PerfReport estimate_perf(const Program& program, const Platform& platform) { return Model(program, platform).run(); }

std::string perf_table(const PerfReport& r) {
  std::string text = "Performance estimate: " + r.platform + ", one NPU core at " + std::to_string(r.clock_mhz) + " MHz\n";
  text += padded("Layer ID", 10) + padded("Name", 44) + padded("Operation", 28) + padded("Precision", 10) +
          padded("Time(us)", 11) + padded("MACs", 14) + "Utilization\n";
  for (const PerfLayer& l : r.layers) {
    text += padded(std::to_string(l.id), 10) + padded(l.name, 44) + padded(l.op, 28) +
            padded(std::string(precision_name(l.precision)), 10) + padded(fixed(l.time_us, 1), 11) +
            padded(std::to_string(l.macs), 14) + fixed(l.utilization, 3) + "\n";
  }
  text += "Total Time(us): " + fixed(r.total_us, 1) + "\n";
  text += "FPS(" + std::to_string(r.clock_mhz) + "MHz): " + fixed(r.fps, 2) + "\n";
  if (!r.host_nodes.empty()) {
    text += std::to_string(r.host_nodes.size()) + " node(s) computed at compile time (static shapes), no NPU time\n";
  }
  return text;
}

std::string perf_json(const PerfReport& r) {
  std::string out = "{\"platform\":" + json_string(r.platform) + ",\"clock_mhz\":" + std::to_string(r.clock_mhz) +
                    ",\"cores_used\":" + std::to_string(r.cores_used) + ",\"total_time_us\":" + fixed(r.total_us, 3) +
                    ",\"fps\":" + fixed(r.fps, 3) + ",\"total_macs\":" + std::to_string(r.total_macs) +
                    ",\"total_dram_bytes\":" + std::to_string(r.total_bytes) + ",\"host_nodes\":" +
                    std::to_string(r.host_nodes.size()) + ",\"layers\":[";
  for (std::size_t i = 0; i < r.layers.size(); ++i) {
    const PerfLayer& l = r.layers[i];
    out += std::string(i ? "," : "") + "{\"id\":" + std::to_string(l.id) + ",\"name\":" + json_string(l.name) +
           ",\"op\":" + json_string(l.op) + ",\"nodes\":" + std::to_string(l.nodes.size()) +
           ",\"precision\":" + json_string(precision_name(l.precision)) + ",\"time_us\":" + fixed(l.time_us, 3) +
           ",\"compute_us\":" + fixed(l.compute_us, 3) + ",\"memory_us\":" + fixed(l.memory_us, 3) +
           ",\"overhead_us\":" + fixed(l.overhead_us, 3) + ",\"macs\":" + std::to_string(l.macs) +
           ",\"dram_bytes\":" + std::to_string(l.bytes) + ",\"utilization\":" + fixed(l.utilization, 6) + "}";
  }
  return out + "]}\n";
}

}  // namespace rknn::sim
