// rknnc inspect MODEL.onnx: inputs, outputs, op histogram, unsupported ops.
#include <iostream>
#include <map>
#include <memory>
#include <set>

#include <filesystem>

#include "commands.h"
#include "tools/rknnc/artifact_inspect.h"
#include "driver/load_model.h"
#include "frontend/onnx_tensor.h"
#include "ir/error.h"

namespace rknn::cli {
namespace {

struct InspectOptions {
  std::string model;
  bool json = false;
  ModelOptions model_options;
  encryption::KeySpec key;
};

std::string describe_value(const onnx::ValueInfoProto& info) {
  const auto& tt = info.type().tensor_type();
  std::string dims;
  for (const auto& d : tt.shape().dim()) {
    dims += (dims.empty() ? "" : ",") + (d.has_dim_value() ? std::to_string(d.dim_value()) : d.dim_param());
  }
  return info.name() + ": " + frontend::onnx_type_name(tt.elem_type()) + "[" + dims + "]";
}

void inspect(const InspectOptions& options) {
  if (std::filesystem::path(options.model).extension() == ".rknn") {
    inspect_artifact(options.model, options.json, options.key);
    return;
  }
  const onnx::ModelProto model = frontend::read_onnx_model(options.model);
  std::set<std::string> initializers;
  for (const auto& init : model.graph().initializer()) initializers.insert(init.name());

  std::cout << "model: " << options.model << "\n";
  for (const auto& opset : model.opset_import()) {
    std::cout << "opset: " << (opset.domain().empty() ? "ai.onnx" : opset.domain()) << " " << opset.version() << "\n";
  }
  std::cout << "producer: " << model.producer_name() << " " << model.producer_version() << "\n\ninputs:\n";
  for (const auto& in : model.graph().input()) {
    if (!initializers.count(in.name())) std::cout << "  " << describe_value(in) << "\n";
  }
  std::cout << "outputs:\n";
  for (const auto& out : model.graph().output()) std::cout << "  " << describe_value(out) << "\n";

  std::map<std::string, int> histogram;
  std::set<std::string> foreign;  // ops outside the default domain
  for (const auto& node : model.graph().node()) {
    ++histogram[node.op_type()];
    if (!frontend::is_supported_op(node.domain(), node.op_type())) foreign.insert(node.op_type());
  }
  std::cout << "\nops (" << model.graph().node_size() << " nodes):\n";
  std::vector<std::string> unsupported;
  for (const auto& [op, count] : histogram) {
    const bool supported = !foreign.count(op);
    std::cout << "  " << op << " " << count << (supported ? "" : "  (unsupported)") << "\n";
    if (!supported) unsupported.push_back(op);
  }
  std::cout << "\nunsupported ops: " << (unsupported.empty() ? "none" : "");
  for (const auto& op : unsupported) std::cout << op << " ";
  std::cout << "\n";

  driver::LoadOptions load;
  load.optimization_level = options.model_options.optimization_level;
  for (const auto& text : options.model_options.input_shapes) {
    load.import.input_shapes.insert(frontend::parse_input_shape(text));
  }
  const driver::LoadedModel loaded = driver::load_model(options.model, load);
  std::cout << "\noptimization (level " << load.optimization_level << "):\n";
  for (const auto& pass : loaded.passes) {
    std::cout << "  " << pass.name << ": " << pass.nodes_before << " -> " << pass.nodes_after << " nodes\n";
  }
}

}  // namespace

void add_inspect_command(CLI::App& app) {
  auto options = std::make_shared<InspectOptions>();
  CLI::App* cmd = app.add_subcommand(
      "inspect", "Print an ONNX model's inputs, outputs, op histogram and unsupported ops, or an artifact's attributes");
  cmd->add_option("model", options->model, "ONNX model (.onnx) or artifact (.rknn)")->required()->check(CLI::ExistingFile);
  cmd->add_flag("--json", options->json, "For an artifact: print its attributes as JSON");
  add_model_options(*cmd, options->model_options);
  add_key_options(*cmd, options->key);
  cmd->callback([options] { inspect(*options); });
}

}  // namespace rknn::cli
