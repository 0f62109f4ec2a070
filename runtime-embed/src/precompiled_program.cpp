#include "precompiled_program.h"

#include <algorithm>

#include "rknn_model_generated.h"

namespace rknn::format {
namespace {

[[noreturn]] void fail(const std::string& what) { throw FormatError("invalid model: pre-compiled program: " + what); }

template <class V>
std::vector<V> scalars(const flatbuffers::Vector<V>* v) {
  if (!v || v->size() == 0) return {};
  if (reinterpret_cast<std::uintptr_t>(v->Data()) % alignof(V) != 0) fail("a vector is misaligned");
  return {v->begin(), v->end()};
}

// Struct vectors hold 8-byte fields: a corrupted file could misalign them.
template <class S>
const flatbuffers::Vector<const S*>* structs(const flatbuffers::Vector<const S*>* v) {
  if (v && v->size() != 0 && reinterpret_cast<std::uintptr_t>(v->Data()) % alignof(S) != 0) {
    fail("a vector is misaligned");
  }
  return v;
}

// Overrides hold pads, group and auto_pad: numbers and strings, never tensors.
sim::Attributes read_overrides(const flatbuffers::Vector<flatbuffers::Offset<fb::Attribute>>* attributes) {
  sim::Attributes attrs;
  if (!attributes) return attrs;
  for (const fb::Attribute* a : *attributes) {
    const std::string name = a->name() ? a->name()->str() : "";
    switch (a->kind()) {
      case fb::AttrKind_Int: attrs.set(name, a->i()); break;
      case fb::AttrKind_Float: attrs.set(name, a->f()); break;
      case fb::AttrKind_String: attrs.set(name, a->s() ? a->s()->str() : std::string()); break;
      case fb::AttrKind_Ints: attrs.set(name, scalars(a->ints())); break;
      case fb::AttrKind_Floats: attrs.set(name, scalars(a->floats())); break;
      default: fail("tile attribute '" + name + "' has an unsupported kind");
    }
  }
  return attrs;
}

// Consumes rank ranges from `ranges` at `next`.
sim::Box take_box(const flatbuffers::Vector<const fb::Range*>* ranges, std::size_t& next, std::size_t rank) {
  const std::size_t available = ranges ? ranges->size() : 0;
  if (rank > available - std::min(available, next)) fail("a tile holds too few ranges");
  sim::Box box;
  for (std::size_t a = 0; a < rank; ++a) {
    const fb::Range* r = ranges->Get(static_cast<flatbuffers::uoffset_t>(next++));
    box.push_back({r->begin(), r->end()});
  }
  return box;
}

class ProgramReader {
 public:
  explicit ProgramReader(const fb::Graph& graph) : tensors_(graph.tensors()) {}

  sim::PlannedStep read_step(const fb::Step& s) const {
    sim::PlannedStep step;
    step.nodes = scalars(s.nodes());
    step.inputs = scalars(s.inputs());
    step.outputs = scalars(s.outputs());
    step.direct = s.direct();
    step.footprint = s.footprint();
    step.fits = s.fits();
    if (s.kernels()) {
      for (const fb::TileKernel* k : *s.kernels()) step.kernels.push_back(read_kernel(*k));
    }
    std::vector<std::size_t> activation_ranks;
    for (int t : step.inputs) {
      const fb::Tensor* tensor = tensor_at(t);
      if (!tensor->data()) activation_ranks.push_back(rank_of(tensor));
    }
    if (step.outputs.empty()) fail("a step writes nothing");
    const std::size_t output_rank = rank_of(tensor_at(step.outputs[0]));
    if (s.tiles()) {
      for (const fb::Tile* t : *s.tiles()) step.tiles.push_back(read_tile(*t, activation_ranks, output_rank));
    }
    return step;
  }

 private:
  const fb::Tensor* tensor_at(int index) const {
    if (!tensors_ || index < 0 || static_cast<flatbuffers::uoffset_t>(index) >= tensors_->size()) {
      fail("a step refers to tensor " + std::to_string(index));
    }
    return tensors_->Get(static_cast<flatbuffers::uoffset_t>(index));
  }

  static std::size_t rank_of(const fb::Tensor* t) { return t->shape() ? t->shape()->size() : 0; }

  sim::TileKernel read_kernel(const fb::TileKernel& k) const {
    sim::TileKernel kernel;
    if (k.nodes()) {
      for (const fb::TileNode* n : *k.nodes()) {
        sim::TileNode node;  // member by member: GCC bug 66139 (see model_reader.cpp)
        node.node = n->node();
        node.overrides = read_overrides(n->overrides());
        node.inputs = scalars(n->inputs());
        kernel.nodes.push_back(std::move(node));
      }
    }
    if (k.constants()) {
      for (const fb::ConstantSlice* c : *k.constants()) {
        const auto* ranges = structs(c->box());
        std::size_t next = 0;
        sim::ConstantSlice slice;
        slice.input = c->input();
        slice.box = take_box(ranges, next, ranges ? ranges->size() : 0);
        kernel.constants.push_back(std::move(slice));
      }
    }
    kernel.scratch = scalars(k.scratch());
    return kernel;
  }

  static sim::Tile read_tile(const fb::Tile& t, const std::vector<std::size_t>& input_ranks, std::size_t output_rank) {
    const auto* ranges = structs(t.boxes());
    std::size_t next = 0;
    sim::Tile tile;
    tile.kernel = t.kernel();
    for (std::size_t rank : input_ranks) tile.inputs.push_back(take_box(ranges, next, rank));
    tile.output = take_box(ranges, next, output_rank);
    if (next != (ranges ? ranges->size() : 0)) fail("a tile holds more ranges than its tensors have axes");
    return tile;
  }

  const flatbuffers::Vector<flatbuffers::Offset<fb::Tensor>>* tensors_;
};

}  // namespace

std::optional<sim::PlannedProgram> read_precompiled(const fb::Model& model, const ModelInfo& info) {
  const auto* programs = model.programs();
  if (!programs || programs->size() == 0) return std::nullopt;
  if (programs->size() != 1) {
    fail("the model holds " + std::to_string(programs->size()) + " programs, this runtime reads one");
  }
  const fb::Program& p = *programs->Get(0);
  const std::string platform = p.platform() ? p.platform()->str() : "";
  if (p.version() != sim::kPlannedProgramVersion) {
    throw IncompatibleProgramError(
        "the model was pre-compiled for " + platform + " by " + info.compiler_version + " in program format " +
        std::to_string(p.version()) + "; this runtime runs format " + std::to_string(sim::kPlannedProgramVersion) +
        ": compile the model again with --precompile (or without it)");
  }
  if (std::find(info.platforms.begin(), info.platforms.end(), platform) == info.platforms.end()) {
    fail("it was made for platform '" + platform + "', which the model does not target");
  }
  if (!model.graph()) fail("the model has no graph");
  sim::PlannedProgram plan;
  plan.platform = platform;
  plan.version = p.version();
  plan.activation_bytes = p.activation_bytes();
  plan.scratch_bytes = p.scratch_bytes();
  plan.buffer_bytes = p.buffer_bytes();
  const ProgramReader reader(*model.graph());
  if (p.steps()) {
    for (const fb::Step* s : *p.steps()) plan.steps.push_back(reader.read_step(*s));
  }
  if (const auto* placements = structs(p.placements())) {
    for (const fb::Placement* placement : *placements) {
      plan.placements.push_back({placement->tensor(), placement->offset(), placement->size()});
    }
  }
  return plan;
}

}  // namespace rknn::format
