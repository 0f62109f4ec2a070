#include "frontend/onnx_import.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <set>
#include <sstream>

#include <onnx/checker.h>
#include <onnx/defs/schema.h>
#include <onnx/shape_inference/implementation.h>
#include <onnx/version_converter/convert.h>

#include "frontend/onnx_tensor.h"
#include "ir/error.h"
#include "passes/infer_shapes.h"
#include "quantize/import_prequantized.h"
#include "rknn/sim/op.h"

namespace rknn::frontend {
namespace fs = std::filesystem;

namespace {

std::string read_file(const fs::path& path, const std::string& what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw CompileError("cannot open " + what + " '" + path.string() + "': " + std::strerror(errno));
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

onnx::ModelProto parse_model(const fs::path& path) {
  const std::string bytes = read_file(path, "model file");
  if (bytes.empty()) throw CompileError("model file '" + path.string() + "' is empty");
  onnx::ModelProto model;
  if (!model.ParseFromString(bytes)) {
    throw CompileError("'" + path.string() +
                       "' is not an ONNX model: its protobuf data is truncated or malformed");
  }
  if (!model.has_graph() || model.graph().node_size() == 0) {
    throw CompileError("'" + path.string() + "' is not an ONNX model: it has no graph nodes");
  }
  return model;
}

// Reads an initializer stored in a side file (ONNX external data) into raw_data.
// Returns the side file it read, or an empty path for inline data.
fs::path load_external_data(onnx::TensorProto& t, const fs::path& model_path) {
  if (t.data_location() != onnx::TensorProto::EXTERNAL) return {};
  std::string location;
  std::int64_t offset = 0;
  std::int64_t length = -1;
  for (const auto& entry : t.external_data()) {
    if (entry.key() == "location") location = entry.value();
    if (entry.key() == "offset") offset = std::stoll(entry.value());
    if (entry.key() == "length") length = std::stoll(entry.value());
  }
  const std::string what = "initializer '" + t.name() + "' of '" + model_path.string() + "'";
  const fs::path relative(location);
  if (location.empty() || relative.is_absolute() ||
      std::find(relative.begin(), relative.end(), "..") != relative.end()) {
    throw CompileError(what + ": external data location '" + location +
                       "' must be a relative path inside the model's folder");
  }
  const fs::path file = model_path.parent_path() / relative;
  std::error_code ec;
  const auto size = static_cast<std::int64_t>(fs::file_size(file, ec));
  if (ec) throw CompileError(what + ": cannot open external data file '" + file.string() + "': " + ec.message());
  if (offset < 0 || offset > size || (length >= 0 && offset + length > size)) {
    throw CompileError(what + ": external data range [" + std::to_string(offset) + ", +" +
                       std::to_string(length) + ") is outside '" + file.string() + "' (" +
                       std::to_string(size) + " bytes)");
  }
  // Read just this tensor's range: one side file usually holds every weight.
  std::string bytes(static_cast<std::size_t>(length < 0 ? size - offset : length), '\0');
  std::ifstream in(file, std::ios::binary);
  in.seekg(offset);
  in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!in) throw CompileError(what + ": cannot read external data from '" + file.string() + "'");
  t.set_raw_data(std::move(bytes));
  t.clear_external_data();
  t.set_data_location(onnx::TensorProto::DEFAULT);
  return file;
}

int default_opset(const onnx::ModelProto& model, const fs::path& path) {
  for (const auto& opset : model.opset_import()) {
    if (opset.domain().empty() || opset.domain() == "ai.onnx") return static_cast<int>(opset.version());
  }
  throw CompileError("'" + path.string() + "' does not import the default ONNX operator set");
}

void check_opset(int opset, const fs::path& path, bool allow_old) {
  if (opset > kMaxOpset || (opset < kMinOpset && !allow_old)) {
    throw CompileError("'" + path.string() + "' uses opset " + std::to_string(opset) +
                       "; supported opsets are " + std::to_string(kMinOpset) + " to " +
                       std::to_string(kMaxOpset));
  }
}

void run_checker(const onnx::ModelProto& model, const fs::path& path) {
  try {
    onnx::checker::check_model(model);
  } catch (const std::exception& e) {
    throw CompileError("'" + path.string() + "' fails the ONNX checker: " + e.what());
  }
}

onnx::ModelProto upgrade_opset(const onnx::ModelProto& model, int opset, const fs::path& path) {
  if (opset == kCanonicalOpset) return model;
  try {
    return onnx::version_conversion::ConvertVersion(model, kCanonicalOpset);
  } catch (const std::exception& e) {
    throw UnsupportedFeatureError("'" + path.string() + "': ONNX's version converter cannot upgrade opset " +
                                  std::to_string(opset) + " to " + std::to_string(kCanonicalOpset) +
                                  ": " + e.what());
  }
}

// Refuses unsupported ops before anything else, naming the op and the node.
void check_ops_supported(const onnx::ModelProto& model, const fs::path& path) {
  for (int i = 0; i < model.graph().node_size(); ++i) {
    const auto& node = model.graph().node(i);
    if (is_supported_op(node.domain(), node.op_type())) continue;
    const std::string name = node.name().empty() ? node.op_type() + "_" + std::to_string(i) : node.name();
    throw UnsupportedFeatureError("'" + path.string() + "': " + node.op_type() + " node '" + name + "': op '" +
                                  (node.domain().empty() ? "" : node.domain() + ".") + node.op_type() +
                                  "' is not supported");
  }
}

// Opset 6 PRelu took a per-channel slope of shape [C]; opset 7 broadcasts
// numpy-style, which ONNX's converter does not account for. Reshape such
// slopes to [C, 1, ...] so that the upgraded model keeps its meaning.
void fix_legacy_prelu(onnx::ModelProto& model, int opset) {
  if (opset >= 7) return;
  auto* graph = model.mutable_graph();
  std::map<std::string, int> ranks;
  for (const auto& in : graph->input()) ranks[in.name()] = in.type().tensor_type().shape().dim_size();
  for (const auto& node : graph->node()) {
    if (node.op_type() != "PRelu" || node.input_size() != 2 || ranks[node.input(0)] <= 2) continue;
    for (auto& init : *graph->mutable_initializer()) {
      if (init.name() != node.input(1) || init.dims_size() != 1 || init.dims(0) == 1) continue;
      for (int k = 2; k < ranks[node.input(0)]; ++k) init.add_dims(1);
      for (auto& in : *graph->mutable_input()) {  // IR < 4 lists initializers as inputs too
        if (in.name() != init.name()) continue;
        auto* shape = in.mutable_type()->mutable_tensor_type()->mutable_shape();
        for (int k = 2; k < ranks[node.input(0)]; ++k) shape->add_dim()->set_dim_value(1);
      }
    }
  }
}

void run_shape_inference(onnx::ModelProto& model, const fs::path& path) {
  try {
    onnx::shape_inference::InferShapes(model, onnx::OpSchemaRegistry::Instance(),
                                       onnx::ShapeInferenceOptions(true, 1, false));
  } catch (const std::exception& e) {
    throw CompileError("'" + path.string() + "' fails ONNX shape inference: " + e.what());
  }
}

std::string describe(const onnx::NodeProto& node) {
  return node.op_type() + " node '" + node.name() + "'";
}

sim::Shape shape_of(const onnx::ValueInfoProto& info, const std::map<std::string, sim::Shape>& overrides,
                    const fs::path& path) {
  if (auto it = overrides.find(info.name()); it != overrides.end()) return it->second;
  const auto& type = info.type().tensor_type();
  sim::Shape shape;
  std::string shown;
  bool dynamic = !type.has_shape();
  for (const auto& dim : type.shape().dim()) {
    shown += (shown.empty() ? "" : ",") +
             (dim.has_dim_value() ? std::to_string(dim.dim_value())
                                  : (dim.has_dim_param() ? dim.dim_param() : std::string("?")));
    dynamic = dynamic || !dim.has_dim_value();
    shape.push_back(dim.dim_value());
  }
  if (dynamic) {
    throw CompileError("'" + path.string() + "': input '" + info.name() + "' has a dynamic shape [" + shown +
                       "]; give a static one with --input-shape " + info.name() + "=1,3,224,224 (for example)");
  }
  return shape;
}

sim::AttrValue attribute_value(const onnx::AttributeProto& a, const std::string& where) {
  switch (a.type()) {
    case onnx::AttributeProto::INT: return a.i();
    case onnx::AttributeProto::FLOAT: return a.f();
    case onnx::AttributeProto::STRING: return a.s();
    case onnx::AttributeProto::INTS: return std::vector<std::int64_t>(a.ints().begin(), a.ints().end());
    case onnx::AttributeProto::FLOATS: return std::vector<float>(a.floats().begin(), a.floats().end());
    case onnx::AttributeProto::TENSOR: return tensor_from_onnx(a.t(), where + " attribute '" + a.name() + "'");
    default:
      throw UnsupportedFeatureError(where + ": attribute '" + a.name() + "' of kind " +
                                    onnx::AttributeProto::AttributeType_Name(a.type()) + " is not supported");
  }
}

// The value of a Constant node, from whichever of its attributes is set.
sim::Tensor constant_value(const onnx::NodeProto& node) {
  const std::string where = describe(node);
  if (node.attribute_size() != 1) throw CompileError(where + ": expected exactly one value attribute");
  const auto& a = node.attribute(0);
  if (a.name() == "value") return tensor_from_onnx(a.t(), where);
  if (a.name() == "value_float") return sim::make_float_tensor(std::vector<float>{a.f()}, {});
  if (a.name() == "value_floats") {
    std::vector<float> v(a.floats().begin(), a.floats().end());
    return sim::make_float_tensor(v, {static_cast<std::int64_t>(v.size())});
  }
  if (a.name() == "value_int") return sim::make_int64_tensor(std::vector<std::int64_t>{a.i()}, {});
  if (a.name() == "value_ints") {
    std::vector<std::int64_t> v(a.ints().begin(), a.ints().end());
    return sim::make_int64_tensor(v, {static_cast<std::int64_t>(v.size())});
  }
  throw UnsupportedFeatureError(where + ": constant attribute '" + a.name() + "' is not supported");
}

ir::Layout layout_for(const sim::Shape& shape) { return shape.size() == 4 ? ir::Layout::kNCHW : ir::Layout::kOther; }

class Importer {
 public:
  Importer(const onnx::GraphProto& g, const ImportOptions& options, const fs::path& path)
      : g_(g), options_(options), path_(path) {}

  ir::Graph run() {
    import_initializers();
    import_inputs();
    import_nodes();
    for (const auto& out : g_.output()) graph_.outputs.push_back(out.name());
    quantize::expand_qlinear_ops(graph_);  // QLinearConv/QLinearMatMul as DequantizeLinear -> op -> QuantizeLinear
    graph_.sort_topologically();
    passes::infer_shapes(graph_);
    check_against_onnx_types();
    return std::move(graph_);
  }

 private:
  void import_initializers() {
    for (const auto& init : g_.initializer()) {
      sim::Tensor t = tensor_from_onnx(init, "'" + path_.string() + "': initializer '" + init.name() + "'");
      graph_.values[init.name()] = ir::Value{init.name(), t.type(), std::move(t), ir::Layout::kOther, std::nullopt};
    }
  }

  void import_inputs() {
    std::set<std::string> seen;
    for (const auto& in : g_.input()) {
      if (graph_.has_value(in.name())) continue;  // IR < 4 lists initializers as inputs too
      seen.insert(in.name());
      if (auto bound = options_.constant_inputs.find(in.name()); bound != options_.constant_inputs.end()) {
        graph_.values[in.name()] = ir::Value{in.name(), bound->second.type(), bound->second, ir::Layout::kOther, std::nullopt};
        continue;
      }
      const auto& tt = in.type().tensor_type();
      const auto dtype = dtype_from_onnx(tt.elem_type());
      if (!in.type().has_tensor_type() || !dtype) {
        throw UnsupportedFeatureError("'" + path_.string() + "': input '" + in.name() + "' has element type " +
                                      onnx_type_name(tt.elem_type()) + ", which is not supported");
      }
      sim::Shape shape = shape_of(in, options_.input_shapes, path_);
      graph_.values[in.name()] = ir::Value{in.name(), {*dtype, shape}, std::nullopt, layout_for(shape), std::nullopt};
      graph_.inputs.push_back(in.name());
    }
    for (const auto& [name, shape] : options_.input_shapes) {
      if (!seen.count(name)) {
        throw CompileError("'" + path_.string() + "': --input-shape names '" + name + "', which is not a model input");
      }
    }
  }

  void import_nodes() {
    for (int i = 0; i < g_.node_size(); ++i) {
      onnx::NodeProto node = g_.node(i);
      if (node.name().empty()) node.set_name(node.op_type() + "_" + std::to_string(i));
      if (node.op_type() == "Constant") {
        sim::Tensor t = constant_value(node);
        graph_.values[node.output(0)] = ir::Value{node.output(0), t.type(), std::move(t), ir::Layout::kOther, std::nullopt};
        continue;
      }
      ir::Node n{node.op_type(), node.name(), {}, {node.input().begin(), node.input().end()},
                 {node.output().begin(), node.output().end()}};
      for (const auto& a : node.attribute()) n.attrs.set(a.name(), attribute_value(a, describe(node)));
      for (const auto& out : n.outputs) {
        if (!out.empty()) graph_.values[out] = ir::Value{out, {}, std::nullopt, ir::Layout::kOther, std::nullopt};
      }
      graph_.nodes.push_back(std::move(n));
    }
  }

  // ONNX's shape inference and the simulator's must agree wherever ONNX knows a static shape.
  void check_against_onnx_types() {
    auto check = [&](const onnx::ValueInfoProto& info) {
      if (!graph_.has_value(info.name()) || !info.type().has_tensor_type()) return;
      const auto& tt = info.type().tensor_type();
      if (!tt.has_shape()) return;
      sim::Shape onnx_shape;
      for (const auto& dim : tt.shape().dim()) {
        if (!dim.has_dim_value()) return;
        onnx_shape.push_back(dim.dim_value());
      }
      const auto& ours = graph_.value(info.name()).type;
      if (ours.shape != onnx_shape) {
        throw CompileError("'" + path_.string() + "': value '" + info.name() + "' has shape " +
                           sim::shape_to_string(onnx_shape) + " by ONNX shape inference but " +
                           sim::shape_to_string(ours.shape) + " by the simulator");
      }
    };
    for (const auto& info : g_.value_info()) check(info);
    for (const auto& info : g_.output()) check(info);
  }

  const onnx::GraphProto& g_;
  const ImportOptions& options_;
  const fs::path& path_;
  ir::Graph graph_;
};

}  // namespace

onnx::ModelProto read_onnx_model(const fs::path& path, std::vector<fs::path>* external_files) {
  onnx::ModelProto model = parse_model(path);
  for (auto& init : *model.mutable_graph()->mutable_initializer()) {
    const fs::path file = load_external_data(init, path);
    if (external_files && !file.empty() &&
        std::find(external_files->begin(), external_files->end(), file) == external_files->end()) {
      external_files->push_back(file);
    }
  }
  return model;
}

namespace {

// rknn_batch_size: the first dimension of every input becomes the batch.
void apply_batch_size(onnx::ModelProto& model, std::int64_t batch, ImportOptions& options, const fs::path& path) {
  if (batch == 1) return;
  if (batch < 1) throw CompileError("batch size " + std::to_string(batch) + " must be at least 1");
  std::set<std::string> initializers;
  for (const auto& init : model.graph().initializer()) initializers.insert(init.name());
  for (const auto& in : model.graph().input()) {
    if (initializers.count(in.name()) || options.input_shapes.count(in.name())) continue;
    const auto& dims = in.type().tensor_type().shape().dim();
    if (dims.empty() || (dims[0].has_dim_value() && dims[0].dim_value() != 1)) {
      throw CompileError("'" + path.string() + "': --batch-size needs input '" + in.name() +
                         "' to have a first dimension of 1");
    }
    sim::Shape shape{batch};
    for (int i = 1; i < dims.size(); ++i) {
      if (!dims[i].has_dim_value()) {
        throw CompileError("'" + path.string() + "': input '" + in.name() +
                           "' has a dynamic dimension; give its shape with --input-shape");
      }
      shape.push_back(dims[i].dim_value());
    }
    options.input_shapes[in.name()] = shape;
  }
}

}  // namespace

ir::Graph import_onnx(const fs::path& path, const ImportOptions& given, std::vector<fs::path>* external_files) {
  onnx::ModelProto model = read_onnx_model(path, external_files);
  ImportOptions options = given;
  apply_batch_size(model, options.batch_size, options, path);
  const int opset = default_opset(model, path);
  check_opset(opset, path, options.allow_old_opsets);
  run_checker(model, path);
  check_ops_supported(model, path);
  fix_legacy_prelu(model, opset);
  model = upgrade_opset(model, opset, path);
  // Static shapes given by the user go in before ONNX's inference runs; shapes
  // the file recorded for the old input shapes are inferred anew.
  if (!options.input_shapes.empty()) {
    model.mutable_graph()->clear_value_info();
    for (auto& out : *model.mutable_graph()->mutable_output()) {
      out.mutable_type()->mutable_tensor_type()->clear_shape();
    }
  }
  for (auto& in : *model.mutable_graph()->mutable_input()) {
    auto it = options.input_shapes.find(in.name());
    if (it == options.input_shapes.end()) continue;
    auto* shape = in.mutable_type()->mutable_tensor_type()->mutable_shape();
    shape->clear_dim();
    for (auto d : it->second) shape->add_dim()->set_dim_value(d);
  }
  run_shape_inference(model, path);
  return Importer(model.graph(), options, path).run();
}

bool is_supported_op(const std::string& domain, const std::string& op) {
  if (!domain.empty() && domain != "ai.onnx") return false;
  return op == "Constant" || op == "Upsample" || quantize::is_qlinear_op(op) || sim::find_op(op) != nullptr;
}

std::pair<std::string, sim::Shape> parse_input_shape(const std::string& text) {
  const auto eq = text.find('=');
  if (eq == std::string::npos || eq == 0 || eq + 1 == text.size()) {
    throw CompileError("--input-shape '" + text + "': expected name=d0,d1,... (e.g. input=1,3,224,224)");
  }
  sim::Shape shape;
  std::stringstream dims(text.substr(eq + 1));
  for (std::string item; std::getline(dims, item, ',');) {
    std::size_t used = 0;
    long long d = -1;
    try {
      d = std::stoll(item, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used != item.size() || d <= 0) {
      throw CompileError("--input-shape '" + text + "': dimension '" + item + "' is not a positive integer");
    }
    shape.push_back(d);
  }
  return {text.substr(0, eq), shape};
}

}  // namespace rknn::frontend
