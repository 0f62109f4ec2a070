#include "artifact/artifact_writer.h"

#include <bit>
#include <cstring>
#include <optional>
#include <string_view>

#include "ir/error.h"
#include "rknn/sim/half.h"
#include "rknn_model_generated.h"

namespace rknn::artifact {
namespace {

namespace fb = rknn::format::fb;
using flatbuffers::FlatBufferBuilder;
using flatbuffers::Offset;

// Constants appended to the data section, each on a 64-byte boundary.
class DataSection {
 public:
  fb::BufferRef add(std::string_view data) {
    const std::size_t offset = (bytes_.size() + format::kDataAlignment - 1) / format::kDataAlignment *
                               format::kDataAlignment;
    bytes_.resize(offset, '\0');
    bytes_.append(data);
    return fb::BufferRef(offset, data.size());
  }
  const std::string& bytes() const { return bytes_; }

 private:
  std::string bytes_;
};

// A float16 model's float32 constant as IEEE binary16 bits (little endian,
// like the float32 data). The compiler rounded every value to half
// (passes::round_to_float16), so this is exact; a value that is not a half
// means a pass made a constant after rounding, and would change the outputs.
std::string half_bits(const std::string& name, const sim::Tensor& t) {
  const std::span<const float> values = t.values<float>();
  std::string bits(values.size() * sizeof(std::uint16_t), '\0');
  for (std::size_t i = 0; i < values.size(); ++i) {
    const std::uint16_t half = sim::float_to_half(values[i]);
    if (std::bit_cast<std::uint32_t>(sim::half_to_float(half)) != std::bit_cast<std::uint32_t>(values[i])) {
      throw CompileError("float16 model: constant '" + name + "' holds " + std::to_string(values[i]) +
                         " at element " + std::to_string(i) +
                         ", which is not an IEEE half; every float constant of a float16 model must be "
                         "rounded to half before it is stored");
    }
    std::memcpy(bits.data() + i * sizeof half, &half, sizeof half);
  }
  return bits;
}

class Writer {
 public:
  std::string run(const format::ModelInfo& info, const sim::Program& program, const sim::PlannedProgram* precompiled) {
    half_weights_ = format::half_weights(info);
    const auto graph = write_graph(program);
    std::vector<Offset<fb::Program>> programs;
    if (precompiled) programs.push_back(write_planned(*precompiled));
    std::vector<Offset<fb::IoAttr>> inputs, outputs;
    for (const auto& io : info.inputs) inputs.push_back(write_io(io));
    for (const auto& io : info.outputs) outputs.push_back(write_io(io));
    std::vector<Offset<fb::Preprocess>> preprocess;
    for (std::size_t i = 0; i < info.preprocess.size(); ++i) {
      const auto& p = info.preprocess[i];
      if (p.empty()) continue;
      preprocess.push_back(fb::CreatePreprocess(b_, static_cast<int>(i), b_.CreateVector(p.mean),
                                                b_.CreateVector(p.std), b_.CreateVector(p.reorder)));
    }
    std::vector<Offset<flatbuffers::String>> platforms;
    for (const auto& p : info.platforms) platforms.push_back(b_.CreateString(p));
    const auto model = fb::CreateModel(
        b_, info.format_version, b_.CreateString(info.compiler_version), b_.CreateVector(platforms),
        b_.CreateString(info.quantization), info.optimization_level, b_.CreateVector(inputs), b_.CreateVector(outputs),
        b_.CreateVector(preprocess), graph, precompiled ? b_.CreateVector(programs) : 0, 0,
        info.custom_string.empty() ? 0 : b_.CreateString(info.custom_string),
        info.sync_after.empty() ? 0 : b_.CreateVector(info.sync_after));
    fb::FinishSizePrefixedModelBuffer(b_, model);

    std::string out(reinterpret_cast<const char*>(b_.GetBufferPointer()), b_.GetSize());
    out.resize((out.size() + format::kDataAlignment - 1) / format::kDataAlignment * format::kDataAlignment, '\0');
    return out + data_.bytes();
  }

 private:
  Offset<fb::QuantParams> write_quant(const format::QuantInfo& q) {
    if (q.type == format::QuantType::kNone) return 0;
    return fb::CreateQuantParams(b_, static_cast<fb::QuantType>(q.type), q.fl, b_.CreateVector(q.zero_point),
                                 b_.CreateVector(q.scale), q.axis);
  }

  Offset<fb::IoAttr> write_io(const format::IoInfo& io) {
    std::vector<std::uint32_t> dims(io.dims.begin(), io.dims.end());
    return fb::CreateIoAttr(b_, io.tensor, b_.CreateString(io.name), b_.CreateVector(dims),
                            static_cast<fb::Layout>(io.fmt), static_cast<fb::DataType>(io.type), write_quant(io.quant));
  }

  // Tensor quantization is stored in the affine form (dynamic fixed point is
  // scale 2^-fl, zero point 0); IoAttr carries the form the C API reports.
  Offset<fb::QuantParams> write_tensor_quant(const std::optional<sim::QuantParams>& q) {
    if (!q) return 0;
    return fb::CreateQuantParams(b_, fb::QuantType_AffineAsymmetric, 0, b_.CreateVector(q->zero_point),
                                 b_.CreateVector(q->scale), q->axis);
  }

  // A tensor; `data` (constants only) goes to the data section, holding
  // `dtype` elements.
  Offset<fb::Tensor> write_tensor(const std::string& name, fb::DataType dtype, const sim::Shape& shape,
                                  std::optional<std::string_view> data,
                                  const std::optional<sim::QuantParams>& quant = std::nullopt) {
    const auto n = b_.CreateString(name);
    const auto s = b_.CreateVector(shape);
    const auto q = write_tensor_quant(quant);
    fb::TensorBuilder t(b_);
    t.add_name(n);
    t.add_dtype(dtype);
    t.add_shape(s);
    if (!q.IsNull()) t.add_quant(q);
    if (data) {
      const fb::BufferRef ref = data_.add(*data);
      t.add_data(&ref);
    }
    return t.Finish();
  }

  Offset<fb::Tensor> write_constant(const std::string& name, const sim::TensorType& type, const sim::Tensor& value,
                                    const std::optional<sim::QuantParams>& quant = std::nullopt) {
    const std::string_view bytes(reinterpret_cast<const char*>(value.raw()), value.byte_size());
    return write_tensor(name, static_cast<fb::DataType>(type.dtype), type.shape, bytes, quant);
  }

  // A graph tensor. With half weights (format::half_weights: float16 models)
  // a float32 constant is stored as Float16, which the reader widens back.
  Offset<fb::Tensor> write_graph_tensor(const sim::ProgramTensor& t) {
    const auto dtype = static_cast<fb::DataType>(t.type.dtype);
    if (!t.constant) return write_tensor(t.name, dtype, t.type.shape, std::nullopt, t.quant);
    if (!half_weights_) return write_constant(t.name, t.type, *t.constant, t.quant);
    if (t.constant->dtype() == sim::DType::kFloat16) {
      // The reader widens every Float16 graph constant of such a model: a
      // genuine float16 one cannot be told apart from a stored float32 one.
      throw CompileError("float16 model: constant '" + t.name + "' is float16 in the ONNX model; a float16 "
                         "artifact stores float32 weights as half and cannot keep it apart; compile with "
                         "--quant float32, or make the constant float32 in the model");
    }
    if (t.constant->dtype() != sim::DType::kFloat32) return write_constant(t.name, t.type, *t.constant, t.quant);
    return write_tensor(t.name, fb::DataType_Float16, t.type.shape, half_bits(t.name, *t.constant), t.quant);
  }

  Offset<fb::Attribute> write_attribute(const std::string& name, const sim::AttrValue& value) {
    const auto n = b_.CreateString(name);
    if (const auto* v = std::get_if<std::int64_t>(&value)) return fb::CreateAttribute(b_, n, fb::AttrKind_Int, *v);
    if (const auto* v = std::get_if<float>(&value)) return fb::CreateAttribute(b_, n, fb::AttrKind_Float, 0, *v);
    if (const auto* v = std::get_if<std::string>(&value)) {
      return fb::CreateAttribute(b_, n, fb::AttrKind_String, 0, 0, b_.CreateString(*v));
    }
    if (const auto* v = std::get_if<std::vector<std::int64_t>>(&value)) {
      return fb::CreateAttribute(b_, n, fb::AttrKind_Ints, 0, 0, 0, b_.CreateVector(*v));
    }
    if (const auto* v = std::get_if<std::vector<float>>(&value)) {
      return fb::CreateAttribute(b_, n, fb::AttrKind_Floats, 0, 0, 0, 0, b_.CreateVector(*v));
    }
    const auto& t = std::get<sim::Tensor>(value);
    return fb::CreateAttribute(b_, n, fb::AttrKind_Tensor, 0, 0, 0, 0, 0, write_constant(name, t.type(), t));
  }

  Offset<fb::Graph> write_graph(const sim::Program& p) {
    std::vector<Offset<fb::Tensor>> tensors;
    for (const auto& t : p.tensors) {
      tensors.push_back(write_graph_tensor(t));
    }
    std::vector<Offset<fb::Node>> nodes;
    for (const auto& pn : p.nodes) {
      std::vector<Offset<fb::Attribute>> attrs;
      for (const auto& [name, value] : pn.node.attrs.all()) attrs.push_back(write_attribute(name, value));
      nodes.push_back(fb::CreateNode(b_, b_.CreateString(pn.node.op), b_.CreateString(pn.node.name),
                                     b_.CreateVectorOfSortedTables(&attrs), b_.CreateVector(pn.inputs),
                                     b_.CreateVector(pn.outputs)));
    }
    return fb::CreateGraph(b_, b_.CreateVector(tensors), b_.CreateVector(nodes), b_.CreateVector(p.inputs),
                           b_.CreateVector(p.outputs));
  }

  // The pre-compiled program (schema: table Program and the tables after it).
  Offset<flatbuffers::Vector<const fb::Range*>> write_boxes(const std::vector<const sim::Box*>& boxes) {
    std::vector<fb::Range> ranges;
    for (const sim::Box* box : boxes) {
      for (const sim::Range& r : *box) ranges.emplace_back(r.begin, r.end);
    }
    return b_.CreateVectorOfStructs(ranges);
  }

  Offset<fb::TileKernel> write_kernel(const sim::TileKernel& kernel) {
    std::vector<Offset<fb::TileNode>> nodes;
    for (const sim::TileNode& node : kernel.nodes) {
      std::vector<Offset<fb::Attribute>> overrides;
      for (const auto& [name, value] : node.overrides.all()) overrides.push_back(write_attribute(name, value));
      nodes.push_back(fb::CreateTileNode(b_, node.node, b_.CreateVectorOfSortedTables(&overrides), b_.CreateVector(node.inputs)));
    }
    std::vector<Offset<fb::ConstantSlice>> constants;
    for (const sim::ConstantSlice& slice : kernel.constants) {
      constants.push_back(fb::CreateConstantSlice(b_, slice.input, write_boxes({&slice.box})));
    }
    return fb::CreateTileKernel(b_, b_.CreateVector(nodes), b_.CreateVector(constants), b_.CreateVector(kernel.scratch));
  }

  Offset<fb::Step> write_step(const sim::PlannedStep& step) {
    std::vector<Offset<fb::TileKernel>> kernels;
    for (const sim::TileKernel& kernel : step.kernels) kernels.push_back(write_kernel(kernel));
    std::vector<Offset<fb::Tile>> tiles;
    for (const sim::Tile& tile : step.tiles) {
      std::vector<const sim::Box*> boxes;
      for (const sim::Box& box : tile.inputs) boxes.push_back(&box);
      boxes.push_back(&tile.output);
      tiles.push_back(fb::CreateTile(b_, tile.kernel, write_boxes(boxes)));
    }
    return fb::CreateStep(b_, b_.CreateVector(step.nodes), b_.CreateVector(step.inputs), b_.CreateVector(step.outputs),
                          step.direct, b_.CreateVector(kernels), b_.CreateVector(tiles), step.footprint, step.fits);
  }

  Offset<fb::Program> write_planned(const sim::PlannedProgram& plan) {
    std::vector<Offset<fb::Step>> steps;
    for (const sim::PlannedStep& step : plan.steps) steps.push_back(write_step(step));
    std::vector<fb::Placement> placements;
    for (const sim::Placement& p : plan.placements) placements.emplace_back(p.tensor, p.offset, p.size);
    return fb::CreateProgram(b_, b_.CreateString(plan.platform), plan.version, nullptr, b_.CreateVector(steps),
                             b_.CreateVectorOfStructs(placements), plan.activation_bytes, plan.scratch_bytes,
                             plan.buffer_bytes);
  }

  FlatBufferBuilder b_{1 << 16};
  DataSection data_;
  bool half_weights_ = false;
};

}  // namespace

std::string write_artifact(const format::ModelInfo& info, const sim::Program& program,
                           const sim::PlannedProgram* precompiled) {
  return Writer().run(info, program, precompiled);
}

}  // namespace rknn::artifact
