// Builds small real ONNX models in C++ for compiler tests and writes them to
// files, so tests exercise the same frontend path as users' models.
#pragma once

#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <onnx/onnx_pb.h>
#include <unistd.h>

#include "frontend/onnx_tensor.h"
#include "temp_dir.h"
#include "rknn/sim/tensor.h"

namespace rknn::testing {

class OnnxBuilder {
 public:
  explicit OnnxBuilder(int opset = 17) {
    model_.set_ir_version(8);
    model_.set_producer_name("rknn-build-tests");
    auto* op = model_.add_opset_import();
    op->set_domain("");
    op->set_version(opset);
    model_.mutable_graph()->set_name("test");
  }

  // dims: -1 makes a dynamic dimension named "batch".
  OnnxBuilder& input(const std::string& name, std::vector<std::int64_t> dims, int type = onnx::TensorProto::FLOAT) {
    add_value(model_.mutable_graph()->add_input(), name, dims, type);
    return *this;
  }
  OnnxBuilder& output(const std::string& name, std::vector<std::int64_t> dims, int type = onnx::TensorProto::FLOAT) {
    add_value(model_.mutable_graph()->add_output(), name, dims, type);
    return *this;
  }
  OnnxBuilder& initializer(const std::string& name, const sim::Tensor& t) {
    *model_.mutable_graph()->add_initializer() = frontend::tensor_to_onnx(t, name);
    return *this;
  }
  onnx::NodeProto& node(const std::string& op, std::vector<std::string> inputs, std::vector<std::string> outputs,
                        const std::string& name = "") {
    auto* n = model_.mutable_graph()->add_node();
    n->set_op_type(op);
    n->set_name(name.empty() ? op + "_" + std::to_string(model_.graph().node_size()) : name);
    for (const auto& i : inputs) n->add_input(i);
    for (const auto& o : outputs) n->add_output(o);
    return *n;
  }

  onnx::ModelProto& model() { return model_; }

  void save(const std::filesystem::path& path) const {
    std::ofstream out(path, std::ios::binary);
    model_.SerializeToOstream(&out);
  }

 private:
  static void add_value(onnx::ValueInfoProto* v, const std::string& name, const std::vector<std::int64_t>& dims,
                        int type) {
    v->set_name(name);
    auto* tt = v->mutable_type()->mutable_tensor_type();
    tt->set_elem_type(type);
    auto* shape = tt->mutable_shape();
    for (auto d : dims) {
      if (d < 0) shape->add_dim()->set_dim_param("batch");
      else shape->add_dim()->set_dim_value(d);
    }
  }

  onnx::ModelProto model_;
};

inline void set_ints(onnx::NodeProto& node, const std::string& name, std::vector<std::int64_t> values) {
  auto* a = node.add_attribute();
  a->set_name(name);
  a->set_type(onnx::AttributeProto::INTS);
  for (auto v : values) a->add_ints(v);
}

inline void set_int(onnx::NodeProto& node, const std::string& name, std::int64_t value) {
  auto* a = node.add_attribute();
  a->set_name(name);
  a->set_type(onnx::AttributeProto::INT);
  a->set_i(value);
}

inline void set_float(onnx::NodeProto& node, const std::string& name, float value) {
  auto* a = node.add_attribute();
  a->set_name(name);
  a->set_type(onnx::AttributeProto::FLOAT);
  a->set_f(value);
}

}  // namespace rknn::testing
