// Helpers for simulator tests: run one op on given inputs through the real
// executor, with either the reference or the fast kernels.
#pragma once

#include <cstring>
#include <initializer_list>
#include <optional>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "rknn/sim/executor.h"

namespace rknn::sim::testing {

struct OpInput {
  Tensor value;
  bool constant = false;  // known at prepare time (weights, shapes)
  bool present = true;    // false: an absent optional input
};

inline OpInput runtime(Tensor t) { return {std::move(t), false, true}; }
inline OpInput constant(Tensor t) { return {std::move(t), true, true}; }
inline OpInput absent() { return {Tensor(), false, false}; }

// Quantization parameters of a node's inputs and outputs, by position
// (missing or nullopt: none), for the integer kernels.
struct QuantSpec {
  std::vector<std::optional<QuantParams>> inputs;
  std::vector<std::optional<QuantParams>> outputs;
};

inline std::optional<QuantParams> quant_at(const std::vector<std::optional<QuantParams>>& list, std::size_t i) {
  return i < list.size() ? list[i] : std::nullopt;
}

// Builds a one-node program whose tensors carry the given quantization
// parameters, runs it and returns its outputs.
inline std::vector<Tensor> run_quantized_op(const OpNode& node, const std::vector<OpInput>& inputs,
                                            const QuantSpec& quant, ExecutorOptions options = {}) {
  Program program;
  std::vector<Tensor> feeds;
  ProgramNode pn{node, {}, {}};
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    if (!inputs[i].present) {
      pn.inputs.push_back(-1);
      continue;
    }
    ProgramTensor t{"in" + std::to_string(i), inputs[i].value.type(), std::nullopt, quant_at(quant.inputs, i)};
    if (inputs[i].constant) {
      t.constant = inputs[i].value;
    } else {
      program.inputs.push_back(static_cast<int>(program.tensors.size()));
      feeds.push_back(inputs[i].value);
    }
    pn.inputs.push_back(static_cast<int>(program.tensors.size()));
    program.tensors.push_back(std::move(t));
  }
  // Output types come from prepare itself, given what the executor will give it.
  std::vector<InputInfo> infos;
  for (int index : pn.inputs) {
    InputInfo info;
    if (index >= 0) {
      const ProgramTensor& t = program.tensors[static_cast<std::size_t>(index)];
      info = {true, t.type, t.constant ? &*t.constant : nullptr, t.quant ? &*t.quant : nullptr};
    }
    infos.push_back(info);
  }
  OpNode probe = node;
  probe.output_quant = quant.outputs;
  Prepared prepared = prepare_node(probe, infos, {.reference = options.reference});
  for (std::size_t i = 0; i < prepared.outputs.size(); ++i) {
    pn.outputs.push_back(static_cast<int>(program.tensors.size()));
    program.outputs.push_back(static_cast<int>(program.tensors.size()));
    program.tensors.push_back(
        {"out" + std::to_string(i), prepared.outputs[i], std::nullopt, quant_at(quant.outputs, i)});
  }
  program.nodes.push_back(std::move(pn));
  Executor executor(std::move(program), options);
  return executor.run(feeds);
}

// Builds a one-node program, runs it and returns its outputs.
inline std::vector<Tensor> run_op(const OpNode& node, const std::vector<OpInput>& inputs,
                                  ExecutorOptions options = {}) {
  return run_quantized_op(node, inputs, QuantSpec{}, options);
}

inline Tensor random_tensor(Shape shape, std::uint32_t seed, float lo = -1.0f, float hi = 1.0f) {
  Tensor t(DType::kFloat32, std::move(shape));
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> dist(lo, hi);
  for (float& v : t.values<float>()) v = dist(rng);
  return t;
}

inline Tensor float_tensor(Shape shape, std::vector<float> values) {
  return make_float_tensor(values, std::move(shape));
}

inline Tensor int64_tensor(Shape shape, std::vector<std::int64_t> values) {
  return make_int64_tensor(values, std::move(shape));
}

// 0, 1, 2, ... (from `start`) in the given shape.
inline Tensor iota(Shape shape, float start = 0.0f) {
  Tensor t(DType::kFloat32, std::move(shape));
  float v = start;
  for (float& x : t.values<float>()) x = v++;
  return t;
}

inline Attributes attrs(std::initializer_list<std::pair<std::string, AttrValue>> list) {
  Attributes a;
  for (const auto& [name, value] : list) a.set(name, value);
  return a;
}

inline OpNode make_node(std::string op, Attributes attrs = {}, std::size_t output_count = 1) {
  return OpNode{op, "test_" + op, std::move(attrs), output_count, {}};
}

}  // namespace rknn::sim::testing
