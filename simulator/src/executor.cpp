#include "rknn/sim/executor.h"

#include <chrono>
#include <cstring>

#include "rknn/sim/error.h"
#include "rknn/sim/evaluate.h"
#include "rknn/sim/graph_work.h"
#include "rknn/sim/half.h"

namespace rknn::sim {
namespace {

void round_to_half(Tensor& t) {
  if (t.dtype() != DType::kFloat32) return;
  for (float& v : t.values<float>()) v = half_to_float(float_to_half(v));
}

// Every value a node reads must be a constant, a program input or the output
// of an earlier node, and every program output must be defined: a program
// from a damaged file must be refused before anything runs.
void check_data_flow(const Program& p) {
  const std::size_t n = p.tensors.size();
  std::vector<bool> defined(n, false);
  auto check_index = [&](int index, const std::string& what) {
    if (index < -1 || index >= static_cast<int>(n)) {
      throw Error(what + " refers to tensor " + std::to_string(index) + " of " + std::to_string(n));
    }
  };
  for (std::size_t i = 0; i < n; ++i) defined[i] = p.tensors[i].constant.has_value();
  for (int index : p.inputs) {
    check_index(index, "a program input");
    if (index >= 0) defined[static_cast<std::size_t>(index)] = true;
  }
  for (const ProgramNode& pn : p.nodes) {
    for (int index : pn.inputs) {
      check_index(index, pn.node.describe());
      if (index >= 0 && !defined[static_cast<std::size_t>(index)]) {
        throw Error(pn.node.describe() + " reads '" + p.tensors[static_cast<std::size_t>(index)].name +
                    "', which no earlier node, input or constant defines");
      }
    }
    for (int index : pn.outputs) {
      check_index(index, pn.node.describe());
      if (index < 0) continue;
      if (defined[static_cast<std::size_t>(index)]) {
        throw Error(pn.node.describe() + " writes '" + p.tensors[static_cast<std::size_t>(index)].name +
                    "', which already has a value");
      }
      defined[static_cast<std::size_t>(index)] = true;
    }
  }
  for (int index : p.outputs) {
    check_index(index, "a program output");
    if (index < 0 || !defined[static_cast<std::size_t>(index)]) {
      throw Error("program output " + std::to_string(index) + " is never computed");
    }
  }
}

}  // namespace

Executor::Executor(Program program, ExecutorOptions options)
    : program_(std::move(program)), options_(options),
      pool_(std::make_unique<ThreadPool>(options.threads)) {
  count_executor();  // graph work (graph_work.h)
  check_data_flow(program_);
  const KernelOptions kernel_options{.reference = options_.reference};
  values_.resize(program_.tensors.size());
  // Values computable from constants alone, known while preparing so that
  // shape-consuming nodes (Reshape after Shape/Gather/Concat) can be planned.
  // Kernels may keep pointers to the constants they were prepared with, so
  // both program constants and folded values live as long as the executor.
  folded_.resize(program_.tensors.size());
  auto known = [this](std::size_t slot) -> const Tensor* {
    const auto& constant = program_.tensors[slot].constant;
    if (constant) return &*constant;
    return folded_[slot] ? &*folded_[slot] : nullptr;
  };
  for (ProgramNode& pn : program_.nodes) {
    std::vector<InputInfo> infos;
    for (int index : pn.inputs) {
      InputInfo info;
      if (index >= 0) {
        const auto slot = static_cast<std::size_t>(index);
        const ProgramTensor& t = program_.tensors.at(slot);
        info = {true, t.type, known(slot), t.quant ? &*t.quant : nullptr};
      }
      infos.push_back(std::move(info));
    }
    pn.node.output_quant.clear();
    for (int index : pn.outputs) {
      pn.node.output_quant.push_back(index >= 0 ? program_.tensors.at(static_cast<std::size_t>(index)).quant
                                                : std::nullopt);
    }
    Evaluated evaluated = prepare_and_evaluate(pn.node, infos, kernel_options, *pool_);
    const std::vector<TensorType>& types = evaluated.prepared.outputs;
    if (types.size() < pn.outputs.size()) {
      throw Error(pn.node.describe() + ": produces " + std::to_string(types.size()) +
                  " outputs, the program expects " + std::to_string(pn.outputs.size()));
    }
    for (std::size_t i = 0; i < pn.outputs.size(); ++i) {
      if (pn.outputs[i] < 0) continue;
      const auto slot = static_cast<std::size_t>(pn.outputs[i]);
      const ProgramTensor& out = program_.tensors.at(slot);
      if (!(out.type == types[i])) {
        throw Error(pn.node.describe() + ": output '" + out.name + "' is " + types[i].to_string() +
                    " but the program records " + out.type.to_string());
      }
      if (!options_.planned_memory) values_[slot] = Tensor(out.type);
      if (evaluated.known) folded_[slot] = std::move(evaluated.values[i]);
    }
    kernels_.push_back(std::move(evaluated.prepared.kernel));
  }
  if (options_.planned_memory) place_in_arena();
  timings_.resize(program_.nodes.size());
  segments_ = Segments(options_.sync_after, program_.nodes.size(), "node");
}

void Executor::place_in_arena() {
  const MemoryPlan plan = plan_memory(program_);
  arena_ = Tensor(DType::kUInt8, {static_cast<std::int64_t>(plan.arena_bytes)});
  for (std::size_t i = 0; i < program_.tensors.size(); ++i) {
    const TensorPlacement& p = plan.tensors[i];
    if (p.constant || p.first < 0) continue;
    values_[i] = Tensor::view(program_.tensors[i].type, arena_.raw() + p.offset);
  }
}

std::uint64_t Executor::activation_bytes() const {
  if (options_.planned_memory) return arena_.byte_size();
  std::uint64_t total = 0;
  for (std::size_t i = 0; i < values_.size(); ++i) {
    if (!program_.tensors[i].constant && values_[i].raw()) total += values_[i].byte_size();
  }
  return total;
}

Executor::~Executor() = default;

const Tensor& Executor::value(std::size_t tensor) const {
  const ProgramTensor& t = program_.tensors.at(tensor);
  return t.constant ? *t.constant : values_.at(tensor);
}

const ProgramTensor& Executor::input(std::size_t i) const {
  return program_.tensors.at(static_cast<std::size_t>(program_.inputs.at(i)));
}

const ProgramTensor& Executor::output(std::size_t i) const {
  return program_.tensors.at(static_cast<std::size_t>(program_.outputs.at(i)));
}

std::vector<Tensor> Executor::run(std::span<const Tensor> inputs) {
  start(inputs);
  for (std::size_t k = 0; k < segment_count(); ++k) run_segment(k);
  return results();
}

void Executor::start(std::span<const Tensor> inputs) {
  check_run_inputs(program_, inputs);
  std::vector<const Tensor*> slot(program_.tensors.size(), nullptr);
  for (std::size_t i = 0; i < program_.tensors.size(); ++i) {
    const ProgramTensor& t = program_.tensors[i];
    slot[i] = t.constant ? &*t.constant : &values_[i];
  }
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    const auto index = static_cast<std::size_t>(program_.inputs[i]);
    if (options_.planned_memory) {  // the input's place in the arena, as on the board
      if (inputs[i].byte_size()) std::memcpy(values_[index].raw(), inputs[i].raw(), inputs[i].byte_size());
      continue;
    }
    slot[index] = &inputs[i];
  }
  slots_ = std::move(slot);
  segments_.start();
}

void Executor::run_segment(std::size_t k) {
  segments_.enter(k);
  std::vector<const Tensor*> in;
  std::vector<Tensor*> out;
  for (std::size_t n = segments_.begin(k); n < segments_.end(k); ++n) {
    const ProgramNode& pn = program_.nodes[n];
    in.clear();
    out.clear();
    for (int index : pn.inputs) in.push_back(index >= 0 ? slots_[static_cast<std::size_t>(index)] : nullptr);
    for (int index : pn.outputs) out.push_back(index >= 0 ? &values_[static_cast<std::size_t>(index)] : nullptr);
    const auto start = std::chrono::steady_clock::now();
    kernels_[n]->run(in, out, *pool_);
    if (options_.float16) {
      for (Tensor* t : out) {
        if (t) round_to_half(*t);
      }
    }
    const auto stop = std::chrono::steady_clock::now();
    timings_[n] = {pn.node.name, pn.node.op,
                   std::chrono::duration<double, std::micro>(stop - start).count()};
  }
  segments_.leave();
}

std::vector<Tensor> Executor::results() const {
  if (!segments_.finished() || slots_.size() != program_.tensors.size()) {
    throw Error("results before the last segment has run");
  }
  std::vector<Tensor> results;
  for (int index : program_.outputs) results.push_back(*slots_[static_cast<std::size_t>(index)]);
  return results;
}

}  // namespace rknn::sim
