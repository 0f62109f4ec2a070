#include <algorithm>
#include <cstring>
#include <new>

#include "precompiled_program.h"
#include "rknn/model_format.h"
#include "rknn/sim/half.h"
#include "rknn_model_generated.h"

namespace rknn::format {
namespace {

namespace fb = rknn::format::fb;

std::size_t align_up(std::size_t n) { return (n + kDataAlignment - 1) / kDataAlignment * kDataAlignment; }

std::string str(const flatbuffers::String* s) { return s ? s->str() : std::string(); }

// The flatbuffers verifier checks vectors only for 4-byte alignment; 8-byte
// elements of a corrupted file could be misaligned, so check before reading.
// Empty vectors hold nothing to read, and flatbuffers does not align them
// (the shape of a scalar tensor is one).
template <class T, class V>
std::vector<T> vec(const flatbuffers::Vector<V>* v) {
  std::vector<T> out;
  if (!v || v->size() == 0) return out;
  if (reinterpret_cast<std::uintptr_t>(v->Data()) % alignof(V) != 0) {
    throw FormatError("invalid model: a vector of the flatbuffer is misaligned");
  }
  out.assign(v->begin(), v->end());
  return out;
}

class Reader {
 public:
  Reader(std::span<const std::byte> bytes, const fb::Model* model, std::size_t data_start)
      : bytes_(bytes), model_(model), data_start_(data_start) {}

  LoadedModel run() {
    LoadedModel result;
    result.info = read_info();
    result.program = read_program(half_weights(result.info));
    result.weight_bytes = bytes_.size() - std::min(bytes_.size(), data_start_);
    check_io(result.info, result.program);
    result.info.sync_after = read_sync_points(result.program.nodes.size());
    result.precompiled = read_precompiled(*model_, result.info);  // precompiled_program.cpp
    result.info.precompiled = result.precompiled.has_value();
    return result;
  }

 private:
  [[noreturn]] static void fail(const std::string& what) { throw FormatError("invalid model: " + what); }

  QuantInfo read_quant(const fb::QuantParams* q) const {
    QuantInfo info;
    if (!q) return info;
    if (q->type() > fb::QuantType_MAX) fail("unknown quantization type");
    info.type = static_cast<QuantType>(q->type());
    info.fl = q->fl();
    info.zero_point = vec<std::int32_t>(q->zero_point());
    info.scale = vec<float>(q->scale());
    info.axis = q->axis();
    return info;
  }

  static sim::DType dtype(fb::DataType t) {
    if (t < fb::DataType_MIN || t > fb::DataType_MAX) fail("unknown element type " + std::to_string(t));
    return static_cast<sim::DType>(t);
  }

  IoInfo read_io(const fb::IoAttr* io) const {
    if (!io) fail("missing input/output attribute");
    IoInfo info;
    info.tensor = io->tensor();
    info.name = str(io->name());
    info.dims = vec<std::int64_t>(io->dims());
    if (io->fmt() > fb::Layout_MAX) fail("unknown layout of '" + info.name + "'");
    info.fmt = static_cast<Layout>(io->fmt());
    info.type = dtype(io->type());
    info.quant = read_quant(io->quant());
    return info;
  }

  ModelInfo read_info() const {
    ModelInfo info;
    info.format_version = model_->format_version();
    if (info.format_version < kOldestFormatVersion || info.format_version > kFormatVersion) {
      fail("format version " + std::to_string(info.format_version) + ", this runtime reads versions " +
           std::to_string(kOldestFormatVersion) + " to " + std::to_string(kFormatVersion) +
           (info.format_version > kFormatVersion ? ": the model needs a newer runtime" : ""));
    }
    info.compiler_version = str(model_->compiler_version());
    if (model_->platforms()) {
      for (const auto* p : *model_->platforms()) info.platforms.push_back(str(p));
    }
    info.quantization = str(model_->quantization());
    info.optimization_level = model_->optimization_level();
    if (model_->inputs()) {
      for (const auto* io : *model_->inputs()) info.inputs.push_back(read_io(io));
    }
    if (model_->outputs()) {
      for (const auto* io : *model_->outputs()) info.outputs.push_back(read_io(io));
    }
    info.preprocess.resize(info.inputs.size());
    if (model_->preprocess()) {
      for (const auto* p : *model_->preprocess()) {
        if (!p || p->input() < 0 || static_cast<std::size_t>(p->input()) >= info.inputs.size()) {
          fail("preprocessing refers to a missing input");
        }
        auto& pre = info.preprocess[static_cast<std::size_t>(p->input())];
        pre.mean = vec<float>(p->mean());
        pre.std = vec<float>(p->std());
        pre.reorder = vec<std::int32_t>(p->reorder());
      }
    }
    info.custom_string = str(model_->custom_string());
    return info;
  }

  // The bytes of a constant, checked to lie inside the data section and aligned.
  const std::byte* data_of(const fb::BufferRef* ref, const sim::TensorType& type, const std::string& name) const {
    const std::uint64_t offset = ref->offset();
    const std::uint64_t size = ref->size();
    if (offset % kDataAlignment != 0) fail("constant '" + name + "' is not 64-byte aligned");
    if (size != type.byte_size()) {
      fail("constant '" + name + "' holds " + std::to_string(size) + " bytes, its type " + type.to_string() +
           " needs " + std::to_string(type.byte_size()));
    }
    if (data_start_ > bytes_.size() || offset > bytes_.size() - data_start_ ||
        size > bytes_.size() - data_start_ - offset) {
      fail("constant '" + name + "' lies outside the file");
    }
    return bytes_.data() + data_start_ + offset;
  }

  sim::Tensor read_constant_tensor(const fb::Tensor* t, const sim::TensorType& type) const {
    return sim::Tensor::borrow(type, data_of(t->data(), type, str(t->name())));
  }

  // A graph constant. With half weights (model_format.h) a Float16 one holds
  // the binary16 bits of a float32 tensor: widened once here (an owned copy,
  // exact), and `type` becomes float32, what the kernels read.
  sim::Tensor read_graph_constant(const fb::Tensor* t, sim::TensorType& type, bool half_weights) const {
    if (!half_weights || type.dtype != sim::DType::kFloat16) return read_constant_tensor(t, type);
    const std::byte* bits = data_of(t->data(), type, str(t->name()));
    type.dtype = sim::DType::kFloat32;
    sim::Tensor wide(type);
    float* out = wide.data<float>();
    for (std::size_t i = 0, n = static_cast<std::size_t>(type.element_count()); i < n; ++i) {
      std::uint16_t half = 0;
      std::memcpy(&half, bits + 2 * i, sizeof half);  // the data section is little endian, like the host
      out[i] = sim::half_to_float(half);
    }
    return wide;
  }

  sim::TensorType read_type(const fb::Tensor* t) const {
    sim::TensorType type{dtype(t->dtype()), vec<std::int64_t>(t->shape())};
    // Each dimension and the element count stay below 2^40, so sizes never overflow.
    constexpr std::int64_t kLimit = std::int64_t{1} << 40;
    std::int64_t count = 1;
    for (auto d : type.shape) {
      if (d < 0 || d > kLimit || (d > 0 && count > kLimit / d)) {
        fail("tensor '" + str(t->name()) + "' has an invalid shape");
      }
      count *= d;
    }
    return type;
  }

  std::optional<sim::QuantParams> read_tensor_quant(const fb::QuantParams* q) const {
    if (!q || q->type() == fb::QuantType_None) return std::nullopt;
    const QuantInfo info = read_quant(q);
    if (info.scale.empty() || info.scale.size() != info.zero_point.size()) fail("quantization parameters are incomplete");
    return sim::QuantParams{info.scale, info.zero_point, info.axis};
  }

  sim::Attributes read_attributes(const fb::Node* node) const {
    sim::Attributes attrs;
    if (!node->attributes()) return attrs;
    for (const auto* a : *node->attributes()) {
      const std::string name = str(a->name());
      switch (a->kind()) {
        case fb::AttrKind_Int: attrs.set(name, a->i()); break;
        case fb::AttrKind_Float: attrs.set(name, a->f()); break;
        case fb::AttrKind_String: attrs.set(name, str(a->s())); break;
        case fb::AttrKind_Ints: attrs.set(name, vec<std::int64_t>(a->ints())); break;
        case fb::AttrKind_Floats: attrs.set(name, vec<float>(a->floats())); break;
        case fb::AttrKind_Tensor: {
          if (!a->tensor() || !a->tensor()->data()) fail("attribute '" + name + "' has no tensor");
          const sim::TensorType type = read_type(a->tensor());
          attrs.set(name, sim::Tensor(read_constant_tensor(a->tensor(), type)));  // small: own a copy
          break;
        }
        default: fail("attribute '" + name + "' has an unknown kind");
      }
    }
    return attrs;
  }

  std::vector<int> indices(const flatbuffers::Vector<std::int32_t>* v, std::size_t tensors, bool allow_absent,
                           const std::string& where) const {
    std::vector<int> out = vec<int>(v);
    for (int i : out) {
      if ((i < 0 && !(allow_absent && i == -1)) || (i >= 0 && static_cast<std::size_t>(i) >= tensors)) {
        fail(where + " refers to tensor " + std::to_string(i) + " of " + std::to_string(tensors));
      }
    }
    return out;
  }

  sim::Program read_program(bool half_weights) const {
    const fb::Graph* g = model_->graph();
    if (!g || !g->tensors() || !g->nodes()) fail("missing graph");
    sim::Program p;
    for (const auto* t : *g->tensors()) {
      sim::TensorType type = read_type(t);
      std::optional<sim::Tensor> constant;
      if (t->data()) constant = read_graph_constant(t, type, half_weights);
      // Everything that can throw runs before the aggregate is built: GCC 12
      // destroys members twice when an initializer throws (GCC bug 66139).
      std::optional<sim::QuantParams> quant = read_tensor_quant(t->quant());
      p.tensors.push_back({str(t->name()), std::move(type), std::move(constant), std::move(quant)});
    }
    const std::size_t n = p.tensors.size();
    for (const auto* node : *g->nodes()) {
      const std::string where = str(node->op()) + " node '" + str(node->name()) + "'";
      sim::ProgramNode pn;  // filled member by member: see the note on GCC bug 66139 above
      pn.node.op = str(node->op());
      pn.node.name = str(node->name());
      pn.node.attrs = read_attributes(node);
      pn.node.output_count = node->outputs() ? node->outputs()->size() : 0;
      pn.inputs = indices(node->inputs(), n, true, where);
      pn.outputs = indices(node->outputs(), n, true, where);
      p.nodes.push_back(std::move(pn));
    }
    p.inputs = indices(g->inputs(), n, false, "graph inputs");
    p.outputs = indices(g->outputs(), n, false, "graph outputs");
    return p;
  }

  // Ascending node indices, each before the last node: a sync point splits the
  // run into segments that each run at least one node.
  std::vector<std::int32_t> read_sync_points(std::size_t nodes) const {
    std::vector<std::int32_t> points = vec<std::int32_t>(model_->sync_after());
    for (std::size_t i = 0; i < points.size(); ++i) {
      const std::int32_t p = points[i];
      if (p < 0 || static_cast<std::size_t>(p) + 1 >= nodes || (i > 0 && p <= points[i - 1])) {
        fail("sync point " + std::to_string(p) + ": expected ascending node indices below " +
             std::to_string(nodes > 0 ? nodes - 1 : 0));
      }
    }
    return points;
  }

  static void check_io(const ModelInfo& info, const sim::Program& p) {
    if (info.inputs.size() != p.inputs.size() || info.outputs.size() != p.outputs.size()) {
      fail("input/output attributes do not match the graph");
    }
    for (std::size_t i = 0; i < info.inputs.size(); ++i) {
      if (info.inputs[i].tensor != p.inputs[i]) fail("input " + std::to_string(i) + " does not match the graph");
    }
    for (std::size_t i = 0; i < info.outputs.size(); ++i) {
      if (info.outputs[i].tensor != p.outputs[i]) fail("output " + std::to_string(i) + " does not match the graph");
    }
  }

  std::span<const std::byte> bytes_;
  const fb::Model* model_;
  std::size_t data_start_;
};

}  // namespace

bool looks_like_model(std::span<const std::byte> bytes) {
  // size prefix + root offset + file identifier
  return bytes.size() >= 3 * sizeof(flatbuffers::uoffset_t) &&
         flatbuffers::BufferHasIdentifier(bytes.data(), fb::ModelIdentifier(), /*size_prefixed=*/true);
}

LoadedModel load_model(std::span<const std::byte> bytes) {
  if (!looks_like_model(bytes)) throw FormatError("invalid model: not an rknn-build artifact (identifier RKNB)");
  std::shared_ptr<const std::byte> storage;
  if (reinterpret_cast<std::uintptr_t>(bytes.data()) % kDataAlignment != 0) {
    // Constants are used in place only from an aligned buffer; copy otherwise.
    auto* copy = static_cast<std::byte*>(::operator new[](bytes.size(), std::align_val_t{kDataAlignment}));
    std::memcpy(copy, bytes.data(), bytes.size());
    storage.reset(copy, [](const std::byte* p) {
      ::operator delete[](const_cast<std::byte*>(p), std::align_val_t{kDataAlignment});
    });
    bytes = {storage.get(), bytes.size()};
  }
  const auto* base = reinterpret_cast<const std::uint8_t*>(bytes.data());
  // The size prefix tells where the flatbuffer ends and the data section begins.
  const std::size_t fb_size = std::size_t{flatbuffers::GetPrefixedSize(base)} + sizeof(flatbuffers::uoffset_t);
  if (fb_size > bytes.size()) throw FormatError("invalid model: truncated (the header says " + std::to_string(fb_size) + " bytes)");
  flatbuffers::Verifier verifier(base, fb_size);
  if (!fb::VerifySizePrefixedModelBuffer(verifier)) {
    throw FormatError("invalid model: the flatbuffer fails verification (corrupted)");
  }
  const std::size_t data_start = align_up(fb_size);
  if (const fb::Encryption* e = fb::GetSizePrefixedModel(base)->encryption()) {
    // An encrypted envelope (docs/encryption.md): decrypting needs the key.
    throw FormatError("invalid model: the model is encrypted (level " + std::to_string(e->level()) + ", key id " +
                      str(e->key_id()) + "): a key is needed (rknn_init_encrypted, rknn::Options::key, "
                      "rknnc --key-file)");
  }
  LoadedModel model = Reader(bytes, fb::GetSizePrefixedModel(base), data_start).run();
  model.storage = std::move(storage);
  return model;
}

}  // namespace rknn::format
