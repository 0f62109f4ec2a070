#include "quantize/import_prequantized.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <set>

#include "ir/error.h"
#include "passes/infer_shapes.h"
#include "passes/passes.h"
#include "passes/rewrite.h"
#include "quantize/integer_kernel.h"
#include "rknn/sim/error.h"
#include "rknn/sim/op.h"

namespace rknn::quantize {
namespace {

using passes::constant_of;

// int8 code q is carried as the uint8 code q + 128 with zero point z + 128:
// the same real value, and ONNX's saturation to -128..127 becomes the
// kernels' 0..255.
constexpr std::int32_t kInt8Shift = 128;

// Ops that commute with quantization, Q(op(v)) = op(Q(v)) for one set of
// parameters: they move, select or monotonically clamp values. A value read
// only by such an op may take the op's output parameters when the model
// quantizes that output but not the value (Conv -> Relu -> QuantizeLinear).
const std::set<std::string> kCommutesWithQuantize = {
    "Reshape",      "Flatten",  "Squeeze", "Unsqueeze",     "Transpose", "Slice", "DepthToSpace",
    "SpaceToDepth", "Identity", "MaxPool", "GlobalMaxPool", "Pad",       "Relu",  "Clip"};

const std::set<std::string> kWeighted = {"Conv", "ConvTranspose", "Gemm", "MatMul"};
const std::set<std::string> kBiased = {"Conv", "ConvTranspose", "Gemm"};

bool is_quantize(const ir::Node& n) { return n.op == "QuantizeLinear"; }
bool is_dequantize(const ir::Node& n) { return n.op == "DequantizeLinear"; }

std::string describe(const ir::Node& n) { return n.op + " node '" + n.name + "'"; }

// What a QuantizeLinear / DequantizeLinear node applies, when its scale and
// zero point are constants.
struct Linear {
  sim::QuantParams params;
  sim::DType type = sim::DType::kUInt8;  // the integer side's element type
};

std::optional<Linear> linear_of(const ir::Graph& g, const ir::Node& n) {
  const sim::Tensor* scale = constant_of(g, n.inputs.at(1));
  const std::string zp_name = n.inputs.size() > 2 ? n.inputs[2] : std::string();
  const sim::Tensor* zp = constant_of(g, zp_name);
  if (!scale || (!zp_name.empty() && !zp) || scale->dtype() != sim::DType::kFloat32) return std::nullopt;
  Linear l;
  l.type = is_quantize(n) ? (zp ? zp->dtype() : sim::DType::kUInt8) : g.value(n.inputs[0]).type.dtype;
  l.params.scale = scale->to_float_vector();
  for (std::int64_t z : zp ? zp->to_int64_vector() : std::vector<std::int64_t>(l.params.scale.size(), 0)) {
    l.params.zero_point.push_back(static_cast<std::int32_t>(z));
  }
  for (float s : l.params.scale) {
    if (!(s > 0.0f) || !std::isfinite(s)) {
      throw CompileError(describe(n) + ": scale " + std::to_string(s) +
                         " cannot be compiled; quantization scales must be positive and finite");
    }
  }
  if (l.params.scale.size() > 1) {
    const auto rank = static_cast<std::int64_t>(g.value(n.inputs[0]).type.shape.size());
    const std::int64_t axis = n.attrs.get_int("axis", 1);
    l.params.axis = static_cast<int>(axis < 0 ? axis + rank : axis);
  }
  return l;
}

// Built field by field (GCC bug 66139: aggregate init with throwing initializers).
ir::Node make_node(std::string op, std::string name, sim::Attributes attrs, std::vector<std::string> inputs,
                   std::vector<std::string> outputs) {
  ir::Node n;
  n.op = std::move(op);
  n.name = std::move(name);
  n.attrs = std::move(attrs);
  n.inputs = std::move(inputs);
  n.outputs = std::move(outputs);
  return n;
}

sim::QuantParams shifted(sim::QuantParams p) {
  for (auto& z : p.zero_point) z += kInt8Shift;
  return p;
}

// Zero points as a constant of `type` shaped like the node's scale.
sim::Tensor zero_point_tensor(const sim::QuantParams& p, sim::DType type, const sim::Shape& shape) {
  sim::Tensor t(type, shape);
  for (std::size_t i = 0; i < p.zero_point.size(); ++i) {
    if (type == sim::DType::kUInt8)
      t.data<std::uint8_t>()[i] = static_cast<std::uint8_t>(p.zero_point[i]);
    else
      t.data<std::int8_t>()[i] = static_cast<std::int8_t>(p.zero_point[i]);
  }
  return t;
}

// int8 codes as uint8 codes + 128; other types unchanged.
sim::Tensor uint8_codes(const sim::Tensor& t) {
  if (t.dtype() != sim::DType::kInt8) return t;
  sim::Tensor out(sim::DType::kUInt8, t.shape());
  const auto in = t.values<std::int8_t>();
  for (std::size_t i = 0; i < in.size(); ++i) {
    out.data<std::uint8_t>()[i] = static_cast<std::uint8_t>(in[i] + kInt8Shift);
  }
  return out;
}

// A node's float inputs and outputs after folding: which value each reads and writes.
struct Candidate {
  ir::Node node;
  std::vector<std::size_t> absorbed;                        // QuantizeLinear nodes whose outputs the node now writes
  std::vector<std::pair<std::string, std::string>> merged;  // other QuantizeLinear outputs -> the written one
  std::map<std::string, sim::QuantParams> new_integers;     // outputs that become quantized values
};

// The parameters a float value is wanted at: those of the QuantizeLinear
// nodes reading it (`quantizers`), or of the commuting op reading it.
struct Wanted {
  sim::QuantParams params;
  std::vector<std::size_t> quantizers;
};

class Folder {
 public:
  Folder(ir::Graph& graph, const PrequantizedOptions& options) : g_(graph), options_(options) {}

  std::vector<std::string> run() {
    quantize_constants();
    annotate_quantize_outputs();
    annotate_integer_inputs();
    if (options_.quantize_io) quantize_graph_inputs();
    passes::erase_removed(g_);
    collect_views();
    collect_wanted();
    fold_nodes();
    passes::erase_removed(g_);
    if (options_.quantize_io) quantize_graph_outputs();
    passes::erase_removed(g_);
    g_.sort_topologically();  // conversion nodes were appended; dead-node removal walks in order
    passes::remove_dead_nodes(g_);
    passes::infer_shapes(g_);
    log_.insert(log_.begin(), "pre-quantized model: " + std::to_string(folded_) +
                                  " nodes run on integer kernels with the model's quantization parameters, " +
                                  std::to_string(islands_) + " in float32");
    return log_;
  }

 private:
  // ---- int8 -> uint8, and parameters on the integer values ----

  // A QuantizeLinear of a constant (weights written float -> QuantizeLinear ->
  // DequantizeLinear) is computed now: the weights' codes are constants.
  void quantize_constants() {
    std::map<std::string, sim::Tensor> known = passes::infer_shapes(g_);
    for (ir::Node& n : g_.nodes) {
      if (!is_quantize(n) || !g_.is_constant(n.inputs[0]) || g_.is_graph_output(n.outputs[0]) || !linear_of(g_, n)) {
        continue;
      }
      auto it = known.find(n.outputs[0]);
      if (it == known.end()) continue;
      g_.value(n.outputs[0]).constant = std::move(it->second);
      n.op.clear();
    }
    passes::erase_removed(g_);
  }

  bool read_only_by_dequantize(const std::string& value, const std::map<std::string, std::vector<std::size_t>>& uses) {
    auto it = uses.find(value);
    if (it == uses.end()) return g_.is_graph_output(value);
    return std::all_of(it->second.begin(), it->second.end(), [&](std::size_t i) {
      return is_dequantize(g_.nodes[i]) && g_.nodes[i].inputs[0] == value && linear_of(g_, g_.nodes[i]);
    });
  }

  // Gives a DequantizeLinear reading a value now carried as uint8 the zero
  // points shifted by 128.
  void shift_zero_points(ir::Node& node) {
    const Linear l = *linear_of(g_, node);
    const sim::Shape& shape = g_.value(node.inputs[1]).type.shape;
    node.inputs.resize(3);
    node.inputs[2] = g_.add_constant(node.name + "_zero_point_uint8",
                                     zero_point_tensor(shifted(l.params), sim::DType::kUInt8, shape));
  }

  // QuantizeLinear outputs that only DequantizeLinear nodes read are the
  // model's quantized activations: they become integer values with parameters.
  void annotate_quantize_outputs() {
    const auto uses = g_.consumers();
    const std::size_t count = g_.nodes.size();
    for (std::size_t i = 0; i < count; ++i) {
      if (!is_quantize(g_.nodes[i])) continue;
      const auto l = linear_of(g_, g_.nodes[i]);
      const std::string q = g_.nodes[i].outputs[0];
      if (!l || (l->type != sim::DType::kUInt8 && l->type != sim::DType::kInt8) || !read_only_by_dequantize(q, uses)) {
        continue;
      }
      if (l->type == sim::DType::kInt8) {
        shift_zero_points(g_.nodes[i]);
        if (auto it = uses.find(q); it != uses.end()) {
          for (std::size_t c : it->second) shift_zero_points(g_.nodes[c]);
        }
      }
      ir::Value& v = g_.value(q);
      v.type.dtype = sim::DType::kUInt8;
      v.quant = l->type == sim::DType::kInt8 ? shifted(l->params) : l->params;
      if (l->type == sim::DType::kInt8 && g_.is_graph_output(q)) restore_int8_output(i, *l);
    }
  }

  // An int8 graph output keeps its type: the uint8 codes go back through an
  // exact DequantizeLinear -> QuantizeLinear pair.
  void restore_int8_output(std::size_t quantizer, const Linear& l) {
    const std::string q = g_.nodes[quantizer].outputs[0];
    const std::string scale = g_.nodes[quantizer].inputs[1];
    const std::string internal = g_.unique_name(q + "_uint8");
    ir::Value v = g_.value(q);
    v.name = internal;
    g_.values[internal] = v;
    for (ir::Node& n : g_.nodes) std::replace(n.inputs.begin(), n.inputs.end(), q, internal);
    g_.nodes[quantizer].outputs[0] = internal;
    const sim::Shape& shape = g_.value(scale).type.shape;
    const std::string real = add_float_value(q + "_real", v.type.shape);
    const std::string zp_uint8 =
        g_.add_constant(q + "_zero_point_uint8", zero_point_tensor(*v.quant, sim::DType::kUInt8, shape));
    const std::string zp_int8 =
        g_.add_constant(q + "_zero_point", zero_point_tensor(l.params, sim::DType::kInt8, shape));
    g_.nodes.push_back(
        make_node("DequantizeLinear", q + "_to_real", axis_attr(l.params), {internal, scale, zp_uint8}, {real}));
    g_.nodes.push_back(make_node("QuantizeLinear", q + "_to_int8", axis_attr(l.params), {real, scale, zp_int8}, {q}));
    ir::Value& out = g_.value(q);
    out.type.dtype = sim::DType::kInt8;
    out.quant = l.params;
  }

  sim::Attributes axis_attr(const sim::QuantParams& p) {
    sim::Attributes a;
    if (p.axis >= 0) a.set("axis", std::int64_t{p.axis});
    return a;
  }

  std::string add_float_value(const std::string& hint, const sim::Shape& shape) {
    ir::Value v;  // built field by field: GCC 12 misreports aggregate temporaries here
    v.name = g_.unique_name(hint);
    v.type.shape = shape;
    const std::string name = v.name;
    g_.values[name] = std::move(v);
    return name;
  }

  // Integer graph inputs that only DequantizeLinear nodes with one set of
  // parameters read carry those parameters (the runtime reports them); int8
  // inputs reach the kernels through an exact conversion to uint8.
  void annotate_integer_inputs() {
    const auto uses = g_.consumers();
    for (const std::string& x : g_.inputs) {
      const sim::DType type = g_.value(x).type.dtype;
      auto it = uses.find(x);
      if ((type != sim::DType::kUInt8 && type != sim::DType::kInt8) || it == uses.end() ||
          !read_only_by_dequantize(x, uses)) {
        continue;
      }
      const Linear first = *linear_of(g_, g_.nodes[it->second[0]]);
      const bool agree = std::all_of(it->second.begin(), it->second.end(),
                                     [&](std::size_t i) { return linear_of(g_, g_.nodes[i])->params == first.params; });
      if (!agree) continue;
      g_.value(x).quant = first.params;
      if (type == sim::DType::kInt8) convert_int8_input(x, first, it->second);
    }
  }

  void convert_int8_input(const std::string& x, const Linear& l, const std::vector<std::size_t>& readers) {
    const ir::Node reader = g_.nodes[readers[0]];  // a copy: the readers change below
    const std::string scale = reader.inputs[1];
    const sim::Shape& shape = g_.value(scale).type.shape;
    const sim::Shape& x_shape = g_.value(x).type.shape;
    const std::string real = add_float_value(x + "_real", x_shape);
    const std::string internal = g_.unique_name(x + "_uint8");
    ir::Value v = g_.value(x);
    v.name = internal;
    v.type.dtype = sim::DType::kUInt8;
    v.quant = shifted(l.params);
    g_.values[internal] = v;
    for (std::size_t i : readers) {
      g_.nodes[i].inputs[0] = internal;
      shift_zero_points(g_.nodes[i]);
    }
    std::vector<std::string> dq_inputs = reader.inputs;
    dq_inputs[0] = x;
    const std::string zp_uint8 =
        g_.add_constant(x + "_zero_point_uint8", zero_point_tensor(*v.quant, sim::DType::kUInt8, shape));
    g_.nodes.push_back(make_node("DequantizeLinear", x + "_to_real", axis_attr(l.params), dq_inputs, {real}));
    g_.nodes.push_back(
        make_node("QuantizeLinear", x + "_to_uint8", axis_attr(l.params), {real, scale, zp_uint8}, {internal}));
  }

  // ---- inputs and outputs of compiled artifacts ----

  // A float input that only QuantizeLinear nodes with one per-tensor set of
  // parameters read becomes a quantized input.
  void quantize_graph_inputs() {
    const auto uses = g_.consumers();
    for (const std::string& x : g_.inputs) {
      auto it = uses.find(x);
      if (g_.value(x).type.dtype != sim::DType::kFloat32 || it == uses.end() || g_.is_graph_output(x)) continue;
      const std::vector<std::size_t>& readers = it->second;
      const bool quantized = std::all_of(readers.begin(), readers.end(), [&](std::size_t i) {
        const ir::Node& n = g_.nodes[i];
        const ir::Value& q = g_.value(n.outputs[0]);
        return is_quantize(n) && n.inputs[0] == x && q.quant && !q.quant->per_channel() &&
               !g_.is_graph_output(n.outputs[0]) && *q.quant == *g_.value(g_.nodes[readers[0]].outputs[0]).quant;
      });
      if (!quantized) continue;
      ir::Value& v = g_.value(x);
      v.type.dtype = sim::DType::kUInt8;
      v.quant = g_.value(g_.nodes[readers[0]].outputs[0]).quant;
      for (std::size_t i : readers) {
        g_.replace_uses(g_.nodes[i].outputs[0], x);
        g_.nodes[i].op.clear();
      }
    }
  }

  // A float output written by a DequantizeLinear of a quantized value becomes
  // that quantized value under the output's name.
  void quantize_graph_outputs() {
    const auto producers = g_.producers();
    const auto uses = g_.consumers();
    for (const std::string& y : g_.outputs) {
      auto p = producers.find(y);
      if (p == producers.end() || uses.count(y)) continue;
      ir::Node& dq = g_.nodes[p->second];
      if (!is_dequantize(dq)) continue;
      const std::string q = dq.inputs[0];
      const ir::Value& qv = g_.value(q);
      const auto l = linear_of(g_, dq);
      if (!l || !qv.quant || *qv.quant != l->params || qv.quant->per_channel() || qv.constant || g_.is_graph_input(q) ||
          g_.is_graph_output(q) || !producers.count(q)) {
        continue;
      }
      ir::Value v = qv;
      v.name = y;
      v.layout = g_.value(y).layout;
      g_.values.erase(q);
      g_.values[y] = std::move(v);
      for (ir::Node& n : g_.nodes) {
        std::replace(n.inputs.begin(), n.inputs.end(), q, y);
        std::replace(n.outputs.begin(), n.outputs.end(), q, y);
      }
      dq.op.clear();
    }
  }

  // ---- folding ----

  // DequantizeLinear outputs that stand for a quantized value (an annotated
  // activation, or a constant quantized with the node's parameters).
  void collect_views() {
    for (const ir::Node& n : g_.nodes) {
      if (!is_dequantize(n) || n.op.empty()) continue;
      const auto l = linear_of(g_, n);
      if (!l) continue;
      const ir::Value& x = g_.value(n.inputs[0]);
      if (x.constant) {
        if (x.type.dtype != sim::DType::kUInt8 && x.type.dtype != sim::DType::kInt8 &&
            x.type.dtype != sim::DType::kInt32)
          continue;
        const std::string name = g_.add_constant(n.inputs[0] + "_quantized", uint8_codes(*x.constant));
        g_.value(name).quant = x.type.dtype == sim::DType::kInt8 ? shifted(l->params) : l->params;
        views_[n.outputs[0]] = name;
      } else if (x.quant && *x.quant == l->params && x.type.dtype == l->type) {
        views_[n.outputs[0]] = n.inputs[0];
      }
    }
  }

  // Float values the model quantizes: read only by QuantizeLinear nodes of
  // one set of parameters, or (backwards) only by an op that commutes with
  // quantization whose output is wanted.
  void collect_wanted() {
    const auto uses = g_.consumers();
    const auto producers = g_.producers();
    auto intermediate = [&](const std::string& v) {
      auto p = producers.find(v);
      return p != producers.end() && !is_dequantize(g_.nodes[p->second]) && !is_quantize(g_.nodes[p->second]) &&
             !g_.is_graph_output(v);
    };
    for (const auto& [value, readers] : uses) {
      if (!intermediate(value)) continue;
      const sim::QuantParams* first = nullptr;
      int graph_outputs = 0;
      bool ok = true;
      for (std::size_t i : readers) {
        const ir::Node& n = g_.nodes[i];
        const ir::Value* q = n.outputs.empty() ? nullptr : &g_.value(n.outputs[0]);
        ok = ok && is_quantize(n) && n.inputs[0] == value && q->quant && (!first || *first == *q->quant);
        if (!ok) break;
        first = &*q->quant;
        graph_outputs += g_.is_graph_output(n.outputs[0]) ? 1 : 0;
      }
      if (!ok || graph_outputs > 1) continue;
      Wanted& w = wanted_[value];
      w.params = *first;
      w.quantizers = readers;
    }
    for (std::size_t i = g_.nodes.size(); i-- > 0;) {
      const ir::Node& n = g_.nodes[i];
      if (!kCommutesWithQuantize.count(n.op) || n.outputs.size() != 1 || !wanted_.count(n.outputs[0])) continue;
      if ((n.op == "Clip" && !constant_bounds(n)) || wanted_.at(n.outputs[0]).params.per_channel()) continue;
      const std::string& v = n.inputs[0];
      auto it = uses.find(v);
      if (wanted_.count(v) || !intermediate(v) || it->second.size() != 1 ||
          std::count(n.inputs.begin(), n.inputs.end(), v) != 1 || g_.value(v).type.dtype != sim::DType::kFloat32) {
        continue;
      }
      const sim::QuantParams params = wanted_.at(n.outputs[0]).params;
      wanted_[v].params = params;
    }
  }

  bool constant_bounds(const ir::Node& clip) const {
    return std::all_of(clip.inputs.begin() + 1, clip.inputs.end(),
                       [&](const std::string& b) { return b.empty() || g_.is_constant(b); });
  }

  void fold_nodes() {
    const std::size_t count = g_.nodes.size();
    for (std::size_t i = 0; i < count; ++i) {
      const ir::Node& node = g_.nodes[i];
      if (node.op.empty() || is_quantize(node) || is_dequantize(node)) continue;
      std::string why;
      std::optional<Candidate> c = candidate(node, why);
      if (c && prepares(*c, why)) {
        commit(i, std::move(*c));
        ++folded_;
      } else if (touches_quantization(node)) {
        log_.push_back(describe(node) + " runs in float32 (" + why + ")");
        ++islands_;
        dequantize_integer_inputs(g_.nodes[i]);
      }
    }
  }

  // Float ops next to quantized values (not Shape and the like, whose
  // integer outputs compile-time folding computes).
  bool touches_quantization(const ir::Node& node) const {
    const bool float_output = std::any_of(node.outputs.begin(), node.outputs.end(), [&](const std::string& v) {
      return !v.empty() && g_.value(v).type.dtype == sim::DType::kFloat32;
    });
    const bool in = std::any_of(node.inputs.begin(), node.inputs.end(),
                                [&](const std::string& v) { return views_.count(v) || integers_.count(v); });
    const bool out =
        std::any_of(node.outputs.begin(), node.outputs.end(), [&](const std::string& v) { return wanted_.count(v); });
    return float_output && (in || out);
  }

  std::optional<Candidate> candidate(const ir::Node& node, std::string& why) {
    Candidate c;
    c.node = node;
    bool any_quantized = false;
    for (std::size_t k = 0; k < node.inputs.size(); ++k) {
      const std::string& in = node.inputs[k];
      if (in.empty()) continue;
      if (auto v = views_.find(in); v != views_.end()) {
        c.node.inputs[k] = v->second;
        any_quantized = true;
        continue;
      }
      const ir::Value& value = g_.value(in);
      if (value.quant) {
        any_quantized = true;
      } else if (value.type.dtype == sim::DType::kFloat32 && !value.constant) {
        why = "input '" + in + "' is not quantized in the model";
        return std::nullopt;
      }
    }
    if (!any_quantized) {
      why = "its inputs are not quantized in the model";
      return std::nullopt;
    }
    if (kWeighted.count(node.op) && node.inputs.size() > 1 && !g_.value(c.node.inputs[1]).quant) {
      why = "its weights are not quantized in the model";
      return std::nullopt;
    }
    if (kBiased.count(node.op) && node.inputs.size() > 2 && !node.inputs[2].empty() && !quantize_bias(c.node, why)) {
      return std::nullopt;
    }
    for (std::size_t k = 0; k < node.outputs.size(); ++k) {
      const std::string& out = node.outputs[k];
      if (out.empty()) continue;
      auto w = wanted_.find(out);
      if (w == wanted_.end()) {
        why = "output '" + out + "' is not quantized in the model";
        return std::nullopt;
      }
      if (w->second.quantizers.empty()) {
        c.new_integers[out] = w->second.params;
        continue;
      }
      c.node.outputs[k] = written_output(w->second.quantizers, c);
    }
    return c;
  }

  // Of several QuantizeLinear readers with equal parameters, the node writes
  // the output of the one that is a graph output (if any); the others' outputs
  // are merged into it.
  std::string written_output(const std::vector<std::size_t>& quantizers, Candidate& c) {
    std::size_t primary = quantizers[0];
    for (std::size_t q : quantizers) {
      if (g_.is_graph_output(g_.nodes[q].outputs[0])) primary = q;
    }
    for (std::size_t q : quantizers) {
      c.absorbed.push_back(q);
      if (q != primary) c.merged.emplace_back(g_.nodes[q].outputs[0], g_.nodes[primary].outputs[0]);
    }
    return g_.nodes[primary].outputs[0];
  }

  // The bias input as int32 at scale x_scale * w_scale[c]: the model's codes
  // when it quantized the bias so (onnxruntime does), else its real values
  // requantized (rule 1 of docs/quantization.md).
  bool quantize_bias(ir::Node& node, std::string& why) {
    const ir::Value& x = g_.value(node.inputs[0]);
    const ir::Value& w = g_.value(node.inputs[1]);
    const ir::Value& b = g_.value(node.inputs[2]);
    if (!x.quant || !w.quant || !b.constant) {
      why = "its bias is not a constant";
      return false;
    }
    const auto channels = static_cast<std::size_t>(b.type.element_count());
    const float ratio =
        node.op == "Gemm" ? node.attrs.get_float("alpha", 1.0f) / node.attrs.get_float("beta", 1.0f) : 1.0f;
    sim::QuantParams want;
    want.axis = channels > 1 ? static_cast<int>(b.type.shape.size()) - 1 : -1;
    for (std::size_t c = 0; c < channels; ++c) {
      want.scale.push_back(ratio * x.quant->scale_at(0) * w.quant->scale_at(c % w.quant->scale.size()));
      want.zero_point.push_back(0);
    }
    if (b.type.dtype == sim::DType::kInt32 && b.quant && matches(*b.quant, want)) return true;
    std::vector<float> real = b.constant->to_float_vector();
    if (b.quant) {
      for (std::size_t i = 0; i < real.size(); ++i) {
        real[i] = b.quant->scale_at(i) * (real[i] - static_cast<float>(b.quant->zero_point_at(i)));
      }
      log_.push_back("the bias of " + describe(node) + " is requantized to x_scale * w_scale");
    }
    sim::Tensor codes(sim::DType::kInt32, b.type.shape);
    for (std::size_t c = 0; c < channels; ++c) {
      codes.data<std::int32_t>()[c] =
          static_cast<std::int32_t>(sim::quantize_value(real[c], want.scale_at(c), 0, sim::DType::kInt32));
    }
    node.inputs[2] = g_.add_constant(node.inputs[2] + "_requantized", std::move(codes));
    g_.value(node.inputs[2]).quant = std::move(want);
    return true;
  }

  // Equal up to the float rounding of x_scale * w_scale (the kernels' tolerance).
  static bool matches(const sim::QuantParams& got, const sim::QuantParams& want) {
    for (std::size_t c = 0; c < want.scale.size(); ++c) {
      const double g = got.scale_at(c);
      if (got.zero_point_at(c) != 0 || !(std::fabs(g - want.scale[c]) <= 1e-5 * want.scale[c])) return false;
    }
    return true;
  }

  // Whether the integer kernel accepts the node as folded, producing the
  // quantized output types.
  bool prepares(const Candidate& c, std::string& why) const {
    std::vector<std::optional<sim::QuantParams>> quant;
    std::vector<sim::TensorType> types;
    for (const auto& out : c.node.outputs) {
      auto pending = c.new_integers.find(out);
      quant.push_back(pending != c.new_integers.end() ? std::optional(pending->second)
                                                      : (out.empty() ? std::nullopt : g_.value(out).quant));
      sim::TensorType want = out.empty() ? sim::TensorType{} : g_.value(out).type;
      want.dtype = sim::DType::kUInt8;
      types.push_back(std::move(want));
    }
    why = integer_kernel_refusal(g_, c.node, quant, types);
    return why.empty();
  }

  void commit(std::size_t index, Candidate c) {
    for (std::size_t q : c.absorbed) g_.nodes[q].op.clear();
    for (const auto& [from, to] : c.merged) g_.replace_uses(from, to);
    for (const auto& [name, params] : c.new_integers) {
      ir::Value& v = g_.value(name);
      v.type.dtype = sim::DType::kUInt8;
      v.quant = params;
      integers_.insert(name);
    }
    g_.nodes[index] = std::move(c.node);
  }

  // A node kept in float reading a value that an earlier fold made integer
  // (through a commuting op's parameters) reads its dequantized copy.
  void dequantize_integer_inputs(ir::Node& node) {
    for (auto& in : node.inputs) {
      if (!integers_.count(in)) continue;
      auto it = dequantized_.find(in);
      if (it == dequantized_.end()) {
        const sim::QuantParams& p = *g_.value(in).quant;
        const std::string real = add_float_value(in + "_real", g_.value(in).type.shape);
        const std::string scale = g_.add_constant(in + "_scale", sim::make_float_tensor(p.scale, {}));
        const std::string zp = g_.add_constant(in + "_zero_point", zero_point_tensor(p, sim::DType::kUInt8, {}));
        pending_.push_back(make_node("DequantizeLinear", in + "_dequantize", {}, {in, scale, zp}, {real}));
        it = dequantized_.emplace(in, real).first;
      }
      in = it->second;
    }
    for (auto& n : pending_) g_.nodes.push_back(std::move(n));
    pending_.clear();
  }

  ir::Graph& g_;
  PrequantizedOptions options_;
  std::map<std::string, std::string> views_;  // DequantizeLinear output -> the quantized value it stands for
  std::map<std::string, Wanted> wanted_;      // float value -> the parameters the model quantizes it with
  std::set<std::string> integers_;            // values made integer through a commuting op's parameters
  std::map<std::string, std::string> dequantized_;
  std::vector<ir::Node> pending_;
  std::vector<std::string> log_;
  int folded_ = 0;
  int islands_ = 0;
};

}  // namespace

const ir::Node* find_quantization_node(const ir::Graph& graph) {
  for (const ir::Node& n : graph.nodes) {
    if (is_quantize(n) || is_dequantize(n)) return &n;
  }
  return nullptr;
}

std::vector<std::string> import_prequantized(ir::Graph& graph, const PrequantizedOptions& options) {
  if (!find_quantization_node(graph)) return {};
  return Folder(graph, options).run();
}

}  // namespace rknn::quantize
