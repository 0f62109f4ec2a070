#include "quantize/quantize_graph.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "ir/error.h"
#include "quantize/integer_kernel.h"
#include "rknn/sim/error.h"
#include "rknn/sim/op.h"

namespace rknn::quantize {
namespace {

// Ops whose output holds a subset of the input's values: they keep the
// input's parameters so that the integer kernel only moves codes.
const std::set<std::string> kKeepsInputParams = {
    "Reshape", "Flatten", "Squeeze", "Unsqueeze", "Transpose", "Slice", "Split", "Tile", "Expand", "Gather",
    "DepthToSpace", "SpaceToDepth", "Identity", "Dropout", "MaxPool", "GlobalMaxPool", "Pad", "Resize"};

// Ops whose float constant operands are data (quantized like activations).
const std::set<std::string> kDataOperands = {"Add", "Sub", "Mul", "Max", "Min", "Sum", "Mean", "Concat"};

std::int64_t levels_of(sim::DType type) {
  const sim::CodeRange r = sim::code_range(type);
  return r.max - r.min + 1;
}

// Weight output-channel axis for per-channel parameters, or -1 for per layer.
int weight_axis(const ir::Node& node, bool per_channel) {
  if (!per_channel) return -1;
  if (node.op == "Conv") return 0;
  if (node.op == "Gemm") return node.attrs.get_int("transB", 0) ? 0 : 1;
  return -1;
}

struct Quantized {
  sim::Tensor codes;
  sim::QuantParams params;
};

Quantized quantize_tensor(const sim::Tensor& t, sim::DType type, int axis) {
  const auto values = t.values<float>();
  const std::size_t channels = axis < 0 ? 1 : static_cast<std::size_t>(t.shape()[static_cast<std::size_t>(axis)]);
  const std::vector<std::int64_t> strides = sim::strides_of(t.shape());
  const std::size_t inner = axis < 0 ? values.size() : static_cast<std::size_t>(strides[static_cast<std::size_t>(axis)]);
  auto channel_of = [&](std::size_t i) { return axis < 0 ? 0 : (i / inner) % channels; };
  std::vector<calibration::Range> ranges(channels, {0.0f, 0.0f});
  for (std::size_t i = 0; i < values.size(); ++i) {
    auto& r = ranges[channel_of(i)];
    r.min = std::min(r.min, values[i]);
    r.max = std::max(r.max, values[i]);
  }
  Quantized q{sim::Tensor(type, t.shape()), {{}, {}, axis}};
  for (const auto& r : ranges) {
    const sim::QuantParams p = params_for_range(r, type);
    q.params.scale.push_back(p.scale[0]);
    q.params.zero_point.push_back(p.zero_point[0]);
  }
  for (std::size_t i = 0; i < values.size(); ++i) {
    const std::size_t c = channel_of(i);
    const std::int64_t code = sim::quantize_value(values[i], q.params.scale[c], q.params.zero_point[c], type);
    switch (type) {
      case sim::DType::kUInt8: q.codes.data<std::uint8_t>()[i] = static_cast<std::uint8_t>(code); break;
      case sim::DType::kInt8: q.codes.data<std::int8_t>()[i] = static_cast<std::int8_t>(code); break;
      default: q.codes.data<std::int16_t>()[i] = static_cast<std::int16_t>(code); break;
    }
  }
  return q;
}

// Bias codes: int32 at scale in_scale * w_scale[c], zero point 0.
Quantized quantize_bias(const sim::Tensor& bias, float in_scale, const sim::QuantParams& w) {
  Quantized q{sim::Tensor(sim::DType::kInt32, bias.shape()), {{}, {}, bias.shape().size() == 1 ? 0 : -1}};
  const auto values = bias.values<float>();
  for (std::size_t c = 0; c < values.size(); ++c) {
    const float scale = in_scale * w.scale_at(c);
    q.params.scale.push_back(scale);
    q.params.zero_point.push_back(0);
    q.codes.data<std::int32_t>()[c] =
        static_cast<std::int32_t>(sim::quantize_value(values[c], scale, 0, sim::DType::kInt32));
  }
  if (q.params.scale.size() == 1) q.params.axis = -1;
  return q;
}

class Rewriter {
 public:
  Rewriter(ir::Graph& graph, const QuantSpec& spec) : g_(graph), float_graph_(graph), spec_(spec) {}

  std::vector<std::string> run(const std::map<std::string, calibration::TensorStatistics>& statistics) {
    assign_activation_params(statistics);
    quantize_constants();
    std::vector<std::size_t> islands;
    for (std::size_t i = 0; i < g_.nodes.size(); ++i) {
      std::string why;
      if (!runs_quantized(g_.nodes[i], why)) {
        islands.push_back(i);
        log_.push_back(g_.nodes[i].op + " node '" + g_.nodes[i].name + "' runs in float32 (" + why + ")");
      }
    }
    for (std::size_t i : islands) make_float_island(i);
    g_.sort_topologically();
    return log_;
  }

 private:
  bool is_activation(const std::string& name) const {
    const ir::Value& v = g_.value(name);
    return !v.constant && v.type.dtype == sim::DType::kFloat32;
  }

  void assign_activation_params(const std::map<std::string, calibration::TensorStatistics>& statistics) {
    std::map<std::string, sim::QuantParams> params;
    for (const auto& [name, value] : g_.values) {
      if (value.constant || value.type.dtype != sim::DType::kFloat32) continue;
      auto it = statistics.find(name);
      if (it == statistics.end()) continue;
      // Graph outputs keep their whole observed range whatever the algorithm:
      // what clipping trims there (the winning logit, the largest box score)
      // is exactly what the application reads.
      const bool output = std::find(g_.outputs.begin(), g_.outputs.end(), name) != g_.outputs.end();
      const calibration::Algorithm algorithm = output ? calibration::Algorithm::kNormal : spec_.algorithm;
      params[name] = params_for_range(it->second.clip_range(algorithm, levels_of(spec_.type)), spec_.type);
    }
    for (const ir::Node& node : g_.nodes) {  // topological order: parameters flow forward
      if (!kKeepsInputParams.count(node.op) || node.inputs.empty() || !params.count(node.inputs[0])) continue;
      for (const auto& out : node.outputs) {
        if (!out.empty() && params.count(out)) params[out] = params[node.inputs[0]];
      }
    }
    for (const auto& [name, p] : params) {
      ir::Value& v = g_.value(name);
      v.type.dtype = spec_.type;
      v.quant = p;
    }
  }

  std::string add_quantized_constant(const std::string& hint, Quantized q) {
    const std::string name = g_.add_constant(hint + "_quantized", std::move(q.codes));
    g_.value(name).quant = std::move(q.params);
    return name;
  }

  void quantize_constants() {
    for (ir::Node& node : g_.nodes) {
      if (node.inputs.empty() || !g_.value(node.inputs[0]).quant) continue;
      const bool weighted = node.op == "Conv" || node.op == "Gemm" || node.op == "ConvTranspose" || node.op == "MatMul";
      if (weighted && node.inputs.size() > 1 && g_.is_constant(node.inputs[1]) &&
          g_.value(node.inputs[1]).type.dtype == sim::DType::kFloat32) {
        Quantized w = quantize_tensor(*g_.value(node.inputs[1]).constant, spec_.type, weight_axis(node, spec_.per_channel));
        const sim::QuantParams w_params = w.params;
        node.inputs[1] = add_quantized_constant(node.inputs[1], std::move(w));
        if (node.inputs.size() > 2 && !node.inputs[2].empty() && g_.is_constant(node.inputs[2])) {
          const float in_scale = g_.value(node.inputs[0]).quant->scale_at(0);
          node.inputs[2] = add_quantized_constant(node.inputs[2], quantize_bias(*g_.value(node.inputs[2]).constant,
                                                                              in_scale, w_params));
        }
      }
      if (!kDataOperands.count(node.op)) continue;
      for (auto& in : node.inputs) {
        if (!in.empty() && g_.is_constant(in) && g_.value(in).type.dtype == sim::DType::kFloat32) {
          in = add_quantized_constant(in, quantize_tensor(*g_.value(in).constant, spec_.type, -1));
        }
      }
    }
  }

  // Whether the simulator has an integer kernel for the node as quantized.
  bool runs_quantized(const ir::Node& node, std::string& why) const {
    const bool touches_quantized =
        std::any_of(node.inputs.begin(), node.inputs.end(), [&](const std::string& n) { return !n.empty() && g_.value(n).quant; }) ||
        std::any_of(node.outputs.begin(), node.outputs.end(), [&](const std::string& n) { return !n.empty() && g_.value(n).quant; });
    if (!touches_quantized) return true;
    std::vector<std::optional<sim::QuantParams>> quant;
    std::vector<sim::TensorType> types;
    for (const auto& out : node.outputs) {
      quant.push_back(out.empty() ? std::nullopt : g_.value(out).quant);
      types.push_back(out.empty() ? sim::TensorType{} : g_.value(out).type);
    }
    why = integer_kernel_refusal(g_, node, quant, types);
    return why.empty();
  }

  // A new float32 value shaped like the quantized value `like`; returns its name.
  std::string add_float_value(const std::string& like) {
    ir::Value v;  // built field by field: GCC 12 misreports aggregate temporaries here
    v.name = g_.unique_name(like + "_float");
    v.type.dtype = sim::DType::kFloat32;
    v.type.shape = g_.value(like).type.shape;
    v.layout = g_.value(like).layout;
    const std::string name = v.name;
    g_.values[name] = std::move(v);
    return name;
  }

  // A float copy of a quantized value, made once by a DequantizeLinear node.
  std::string dequantized(const std::string& name) {
    auto it = dequantized_.find(name);
    if (it != dequantized_.end()) return it->second;
    const sim::QuantParams& p = *g_.value(name).quant;
    const std::string out = add_float_value(name);
    g_.nodes.push_back({"DequantizeLinear", out + "_dequantize", {},
                        {name, scale_constant(name, p), zero_point_constant(name, p, g_.value(name).type.dtype)},
                        {out}});
    dequantized_[name] = out;
    return out;
  }

  std::string scale_constant(const std::string& name, const sim::QuantParams& p) {
    return g_.add_constant(name + "_scale", sim::make_float_tensor(std::vector<float>{p.scale_at(0)}, {}));
  }

  std::string zero_point_constant(const std::string& name, const sim::QuantParams& p, sim::DType type) {
    sim::Tensor zp(type, {});
    switch (type) {
      case sim::DType::kUInt8: zp.data<std::uint8_t>()[0] = static_cast<std::uint8_t>(p.zero_point_at(0)); break;
      case sim::DType::kInt8: zp.data<std::int8_t>()[0] = static_cast<std::int8_t>(p.zero_point_at(0)); break;
      default: zp.data<std::int16_t>()[0] = static_cast<std::int16_t>(p.zero_point_at(0)); break;
    }
    return g_.add_constant(name + "_zero_point", std::move(zp));
  }

  // The node computes in float32: quantized inputs are dequantized, its own
  // constants stay the float originals, and each quantized output is
  // produced by a QuantizeLinear from a float result.
  void make_float_island(std::size_t index) {
    ir::Node node = g_.nodes[index];
    const ir::Node& original = float_graph_.nodes[index];
    for (std::size_t k = 0; k < node.inputs.size(); ++k) {
      const std::string& in = node.inputs[k];
      if (in.empty()) continue;
      if (g_.is_constant(in)) {
        node.inputs[k] = original.inputs[k];
        if (!g_.has_value(original.inputs[k])) g_.values[original.inputs[k]] = float_graph_.value(original.inputs[k]);
      } else if (g_.value(in).quant) {
        node.inputs[k] = dequantized(in);
      }
    }
    for (auto& out : node.outputs) {
      if (out.empty() || !g_.value(out).quant) continue;
      const std::string quantized = out;
      const sim::QuantParams p = *g_.value(quantized).quant;
      const sim::DType type = g_.value(quantized).type.dtype;
      out = add_float_value(quantized);
      g_.nodes.push_back({"QuantizeLinear", quantized + "_quantize", {},
                          {out, scale_constant(quantized, p), zero_point_constant(quantized, p, type)}, {quantized}});
    }
    g_.nodes[index] = std::move(node);
  }

  ir::Graph& g_;
  const ir::Graph float_graph_;
  QuantSpec spec_;
  std::map<std::string, std::string> dequantized_;
  std::vector<std::string> log_;
};

}  // namespace

sim::QuantParams params_for_range(calibration::Range range, sim::DType type) {
  const double lo = std::min(0.0, double(range.min));
  const double hi = std::max(0.0, double(range.max));
  if (type == sim::DType::kUInt8) {
    const double scale = std::max((hi - lo) / 255.0, 1e-12);
    const auto zp = static_cast<std::int32_t>(std::clamp(std::nearbyint(-lo / scale), 0.0, 255.0));
    return {{static_cast<float>(scale)}, {zp}, -1};
  }
  const double qmax = static_cast<double>(sim::code_range(type).max);
  const double max_abs = std::max(-lo, hi);
  const int fl = max_abs > 0 ? std::clamp(static_cast<int>(std::floor(std::log2(qmax / max_abs))), -64, 64) : 0;
  return sim::fixed_point_params(fl);
}

std::vector<std::string> quantize_graph(ir::Graph& graph,
                                        const std::map<std::string, calibration::TensorStatistics>& statistics,
                                        const QuantSpec& spec) {
  return Rewriter(graph, spec).run(statistics);
}

}  // namespace rknn::quantize
