#include "analysis/runner.h"

#include <algorithm>
#include <set>

#include "ir/error.h"
#include "rknn/sim/half.h"
#include "rknn/sim/quant.h"

namespace rknn::analysis {
namespace {

// Elements per step of the channel axis, and the channel count, of
// per-channel parameters (one channel for per-tensor parameters).
struct ChannelLayout {
  std::size_t inner = 1;
  std::size_t channels = 1;
  std::size_t channel_of(std::size_t element) const { return (element / inner) % channels; }
};

ChannelLayout channel_layout(const sim::Shape& shape, const sim::QuantParams& quant) {
  ChannelLayout layout;
  if (!quant.per_channel()) return layout;
  const auto axis = static_cast<std::size_t>(quant.axis);
  layout.channels = quant.scale.size();
  for (std::size_t d = axis + 1; d < shape.size(); ++d) layout.inner *= static_cast<std::size_t>(shape[d]);
  return layout;
}

template <class T>
void store_codes(const std::vector<float>& real, const sim::QuantParams& quant, const ChannelLayout& layout,
                 sim::Tensor& out) {
  T* codes = out.data<T>();
  for (std::size_t i = 0; i < real.size(); ++i) {
    const std::size_t c = layout.channel_of(i);
    codes[i] = static_cast<T>(sim::quantize_value(real[i], quant.scale_at(c), quant.zero_point_at(c), out.dtype()));
  }
}

// A program made of some nodes of another. Constants are borrowed: the
// layer's weights are used in place, not copied per layer.
class ProgramSlice {
 public:
  explicit ProgramSlice(const sim::Program& source) : source_(source), slot_(source.tensors.size(), -1) {}

  sim::Program program;

  // The slice's index of the source's tensor `t`, added on first use.
  int tensor(std::size_t t) {
    if (slot_.at(t) >= 0) return slot_[t];
    const sim::ProgramTensor& from = source_.tensors[t];
    sim::ProgramTensor copy;
    copy.name = from.name;
    copy.type = from.type;
    copy.quant = from.quant;
    if (from.constant) copy.constant = sim::Tensor::borrow(from.type, from.constant->raw());
    slot_[t] = static_cast<int>(program.tensors.size());
    program.tensors.push_back(std::move(copy));
    return slot_[t];
  }

  void add_node(const sim::ProgramNode& from) {
    sim::ProgramNode node;  // member by member: GCC 12 mishandles throwing aggregate initializers
    node.node = from.node;
    for (int t : from.inputs) node.inputs.push_back(t >= 0 ? tensor(static_cast<std::size_t>(t)) : -1);
    for (int t : from.outputs) node.outputs.push_back(t >= 0 ? tensor(static_cast<std::size_t>(t)) : -1);
    program.nodes.push_back(std::move(node));
  }

 private:
  const sim::Program& source_;
  std::vector<int> slot_;
};

}  // namespace

std::vector<float> to_real(const sim::Tensor& value, const std::optional<sim::QuantParams>& quant) {
  std::vector<float> values = value.to_float_vector();
  if (!quant || value.dtype() == sim::DType::kFloat32) return values;
  const ChannelLayout layout = channel_layout(value.shape(), *quant);
  for (std::size_t i = 0; i < values.size(); ++i) {
    const std::size_t c = layout.channel_of(i);
    values[i] = quant->scale_at(c) * (values[i] - static_cast<float>(quant->zero_point_at(c)));
  }
  return values;
}

sim::Tensor to_domain(const sim::Tensor& real, const sim::ProgramTensor& target, bool float16) {
  if (real.shape() != target.type.shape) {
    throw CompileError("accuracy analysis: tensor '" + target.name + "' is " + target.type.to_string() +
                       " in the quantized program but " + real.type().to_string() + " in the float program");
  }
  if (!target.quant || real.dtype() != sim::DType::kFloat32) {
    sim::Tensor copy = real;
    if (float16 && copy.dtype() == sim::DType::kFloat32) {
      for (float& v : copy.values<float>()) v = sim::half_to_float(sim::float_to_half(v));
    }
    return copy;
  }
  sim::Tensor codes(target.type);
  const std::vector<float> values = real.to_float_vector();
  const ChannelLayout layout = channel_layout(target.type.shape, *target.quant);
  switch (target.type.dtype) {
    case sim::DType::kUInt8: store_codes<std::uint8_t>(values, *target.quant, layout, codes); break;
    case sim::DType::kInt8: store_codes<std::int8_t>(values, *target.quant, layout, codes); break;
    case sim::DType::kInt16: store_codes<std::int16_t>(values, *target.quant, layout, codes); break;
    case sim::DType::kInt32: store_codes<std::int32_t>(values, *target.quant, layout, codes); break;
    default:
      throw CompileError("accuracy analysis: tensor '" + target.name + "' has quantization parameters but is " +
                         target.type.to_string());
  }
  return codes;
}

RecordedRun::RecordedRun(const sim::Program& program, std::vector<sim::Tensor> inputs,
                         const sim::ExecutorOptions& options)
    : program_(program), inputs_(std::move(inputs)), input_slot_(program.tensors.size()), executor_(program, options) {
  for (std::size_t i = 0; i < program.tensors.size(); ++i) index_.emplace(program.tensors[i].name, i);
  for (std::size_t i = 0; i < program.inputs.size(); ++i) {
    input_slot_.at(static_cast<std::size_t>(program.inputs[i])) = i;
  }
  executor_.run(inputs_);
}

std::optional<std::size_t> RecordedRun::find(const std::string& name) const {
  const auto it = index_.find(name);
  if (it == index_.end()) return std::nullopt;
  return it->second;
}

const sim::Tensor& RecordedRun::value(std::size_t tensor) const {
  if (input_slot_.at(tensor)) return inputs_.at(*input_slot_[tensor]);
  return executor_.value(tensor);
}

LayerRunner::LayerRunner(const sim::Program& quantized, const RecordedRun& golden, const sim::ExecutorOptions& options)
    : quantized_(quantized), golden_(golden), options_(options), producer_(quantized.tensors.size()) {
  for (std::size_t n = 0; n < quantized.nodes.size(); ++n) {
    for (int t : quantized.nodes[n].outputs) {
      if (t >= 0) producer_.at(static_cast<std::size_t>(t)) = n;
    }
  }
}

LayerRunner::Segment LayerRunner::segment(std::span<const int> outputs) const {
  const std::set<int> wanted(outputs.begin(), outputs.end());
  std::set<std::size_t> nodes, boundary, seen;
  std::vector<std::size_t> pending;
  for (int t : outputs) pending.push_back(static_cast<std::size_t>(t));
  while (!pending.empty()) {
    const std::size_t t = pending.back();
    pending.pop_back();
    if (!seen.insert(t).second) continue;
    const sim::ProgramTensor& tensor = quantized_.tensors.at(t);
    if (tensor.constant) continue;
    if (!wanted.count(static_cast<int>(t)) && golden_.find(tensor.name)) {
      boundary.insert(t);
      continue;
    }
    if (!producer_[t]) {
      throw CompileError("accuracy analysis: tensor '" + tensor.name +
                         "' of the quantized program is neither computed by a node nor in the float program");
    }
    nodes.insert(*producer_[t]);
    for (int in : quantized_.nodes[*producer_[t]].inputs) {
      if (in >= 0) pending.push_back(static_cast<std::size_t>(in));
    }
  }
  return {{nodes.begin(), nodes.end()}, {boundary.begin(), boundary.end()}};
}

std::vector<std::vector<float>> LayerRunner::run(std::span<const int> outputs) const {
  const Segment part = segment(outputs);
  ProgramSlice slice(quantized_);
  std::vector<sim::Tensor> feeds;
  for (std::size_t t : part.boundary) {
    const sim::ProgramTensor& target = quantized_.tensors[t];
    const sim::Tensor& golden = golden_.value(*golden_.find(target.name));
    sim::Tensor fed = to_domain(golden, target, options_.float16);
    if (!(fed.type() == target.type)) {
      throw CompileError("accuracy analysis: tensor '" + target.name + "' is " + target.type.to_string() +
                         " in the quantized program but " + golden.type().to_string() + " in the float program");
    }
    const int slot = slice.tensor(t);
    if (target.quant || target.type.dtype == sim::DType::kFloat32) {  // an activation
      slice.program.inputs.push_back(slot);
      feeds.push_back(std::move(fed));
    } else {
      slice.program.tensors[static_cast<std::size_t>(slot)].constant = std::move(fed);
    }
  }
  for (std::size_t n : part.nodes) slice.add_node(quantized_.nodes[n]);
  for (int t : outputs) slice.program.outputs.push_back(slice.tensor(static_cast<std::size_t>(t)));

  sim::Executor executor(std::move(slice.program), options_);
  const std::vector<sim::Tensor> results = executor.run(feeds);
  std::vector<std::vector<float>> real;
  for (std::size_t i = 0; i < results.size(); ++i) {
    real.push_back(to_real(results[i], quantized_.tensors[static_cast<std::size_t>(outputs[i])].quant));
  }
  return real;
}

}  // namespace rknn::analysis
