#include "rknn/sim/planned_executor.h"

#include <algorithm>
#include <chrono>
#include <cstring>

#include "rknn/sim/error.h"
#include "rknn/sim/half.h"

namespace rknn::sim {
namespace {

constexpr std::uint64_t kAlignment = Tensor::kAlignment;

void round_to_half(Tensor& t) {
  if (t.dtype() != DType::kFloat32) return;
  for (float& v : t.values<float>()) v = half_to_float(float_to_half(v));
}

bool is_full(const Range& r, std::int64_t dim) { return r.begin == 0 && r.end == dim; }

bool is_full(const Box& box, const Shape& shape) {
  for (std::size_t i = 0; i < box.size(); ++i) {
    if (!is_full(box[i], shape[i])) return false;
  }
  return true;
}

bool same_shape(const Box& a, const Box& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i].size() != b[i].size()) return false;
  }
  return true;
}

Shape box_shape(const Box& box) {
  Shape shape;
  for (const Range& r : box) shape.push_back(r.size());
  return shape;
}

std::string box_to_string(const Box& box) {
  std::string s = "[";
  for (std::size_t i = 0; i < box.size(); ++i) {
    s += (i ? "," : "") + std::to_string(box[i].begin) + ":" + std::to_string(box[i].end);
  }
  return s + "]";
}

// Calls run(tensor_offset, dense_offset, bytes) for each contiguous run of
// the box of a tensor (shape `shape`, elements of `elem` bytes) and where the
// run sits in a dense buffer of the box's shape (byte offsets). Trailing axes
// the box covers fully merge into one run.
template <class Run>
void for_each_run(const Shape& shape, const Box& box, std::size_t elem, Run run) {
  if (shape.empty()) {
    run(0, 0, elem);
    return;
  }
  const std::vector<std::int64_t> strides = strides_of(shape);
  std::size_t k = shape.size() - 1;
  std::size_t bytes = elem * static_cast<std::size_t>(box[k].size());
  while (k > 0 && is_full(box[k], shape[k])) {
    --k;
    bytes *= static_cast<std::size_t>(box[k].size());
  }
  std::vector<std::int64_t> index(k, 0);  // position inside the box along the outer axes
  for (std::size_t dense = 0;; dense += bytes) {
    std::int64_t offset = box[k].begin * strides[k];
    for (std::size_t j = 0; j < k; ++j) offset += (box[j].begin + index[j]) * strides[j];
    run(static_cast<std::size_t>(offset) * elem, dense, bytes);
    std::size_t j = k;
    while (j > 0 && ++index[j - 1] == box[j - 1].size()) index[--j] = 0;
    if (j == 0) return;
  }
}

// The box of `from` into the dense tensor `to` (of the box's shape).
void gather(const Tensor& from, const Box& box, Tensor& to) {
  const std::byte* src = from.raw();
  std::byte* dst = to.raw();
  for_each_run(from.shape(), box, dtype_size(from.dtype()), [&](std::size_t at, std::size_t dense, std::size_t bytes) {
    std::memcpy(dst + dense, src + at, bytes);
  });
}

// The dense tensor `from` into the box of `to`.
void scatter(const Tensor& from, Tensor& to, const Box& box) {
  const std::byte* src = from.raw();
  std::byte* dst = to.raw();
  for_each_run(to.shape(), box, dtype_size(to.dtype()), [&](std::size_t at, std::size_t dense, std::size_t bytes) {
    std::memcpy(dst + at, src + dense, bytes);
  });
}

// Whether a box restricts the channel axis of per-channel parameters.
bool slices_quant(const std::optional<QuantParams>& quant, const Box& box, const Shape& shape) {
  if (!quant || !quant->per_channel() || quant->axis < 0 || static_cast<std::size_t>(quant->axis) >= box.size()) {
    return false;
  }
  const auto axis = static_cast<std::size_t>(quant->axis);
  return !is_full(box[axis], shape[axis]);
}

// The parameters of the box's channels (slices_quant is true).
QuantParams slice_quant(const QuantParams& quant, const Box& box) {
  const Range r = box[static_cast<std::size_t>(quant.axis)];
  QuantParams sliced = quant;
  const auto& source = quant;
  sliced.scale.assign(source.scale.begin() + r.begin, source.scale.begin() + r.end);
  sliced.zero_point.assign(source.zero_point.begin() + r.begin, source.zero_point.begin() + r.end);
  return sliced;
}

// A box is one contiguous run of the tensor when every axis outside the
// innermost one it restricts has a single index.
bool is_contiguous(const Box& box, const Shape& shape) {
  std::size_t k = box.size();
  while (k > 0 && is_full(box[k - 1], shape[k - 1])) --k;
  for (std::size_t j = 0; j + 1 < k; ++j) {
    if (box[j].size() != 1) return false;
  }
  return true;
}

// The box of a constant: a view of its bytes when they are contiguous, else a copy.
Tensor slice_of(const Tensor& constant, const Box& box) {
  const TensorType type{constant.dtype(), box_shape(box)};
  if (!is_contiguous(box, constant.shape())) {
    Tensor copy(type);
    gather(constant, box, copy);
    return copy;
  }
  const std::vector<std::int64_t> strides = strides_of(constant.shape());
  std::int64_t offset = 0;
  for (std::size_t a = 0; a < box.size(); ++a) offset += box[a].begin * strides[a];
  return Tensor::borrow(type, constant.raw() + static_cast<std::size_t>(offset) * dtype_size(type.dtype));
}

}  // namespace

// What a step input is on the tiles of one kernel: a staged scratch view, a
// weight slice, a constant used whole, or (direct steps) the tensor in place.
struct PlannedExecutor::Source {
  const Tensor* value = nullptr;
  const std::optional<QuantParams>* quant = nullptr;
  bool constant = false;
};

struct PlannedExecutor::PreparedKernel {
  std::vector<Tensor> staged;     // scratch views, one per activation step input (tiled steps)
  std::vector<Tensor> slices;     // weight slices (borrowed when contiguous, else copied)
  std::vector<std::optional<QuantParams>> quant;  // of the staged inputs, then of the slices
  std::vector<Tensor> scratch;    // scratch views of node outputs
  std::vector<std::unique_ptr<Kernel>> kernels;  // one per node
  std::vector<std::vector<const Tensor*>> in;    // per node
  std::vector<std::vector<Tensor*>> out;         // per node
};

struct PlannedExecutor::PreparedStep {
  std::vector<int> activations;  // indices of the step inputs that are activations
  std::vector<PreparedKernel> kernels;
};

PlannedExecutor::PlannedExecutor(Program program, PlannedProgram plan, ExecutorOptions options)
    : program_(std::move(program)), plan_(std::move(plan)), options_(options),
      pool_(std::make_unique<ThreadPool>(options.threads)) {
  if (plan_.version != kPlannedProgramVersion) {
    throw Error("pre-compiled program version " + std::to_string(plan_.version) + ", this simulator runs version " +
                std::to_string(kPlannedProgramVersion));
  }
  check_region_sizes();
  arena_ = Tensor(DType::kUInt8, {static_cast<std::int64_t>(plan_.arena_bytes())});
  place_tensors();
  steps_.resize(plan_.steps.size());
  for (std::size_t s = 0; s < plan_.steps.size(); ++s) {
    try {
      prepare_step(s);
    } catch (const Error& e) {
      throw Error("pre-compiled step " + std::to_string(s) + ": " + e.what());
    }
  }
  timings_.resize(program_.nodes.size());  // named at the first run
  set_segments();
}

// A sync point must end a step: the compiler never fuses across one.
void PlannedExecutor::set_segments() {
  std::vector<std::size_t> last_steps;
  for (std::size_t node : options_.sync_after) {
    const auto step = std::find_if(plan_.steps.begin(), plan_.steps.end(), [node](const PlannedStep& st) {
      return !st.nodes.empty() && static_cast<std::size_t>(st.nodes.back()) == node;
    });
    if (step == plan_.steps.end()) {
      throw Error("sync point after node " + std::to_string(node) + ": no pre-compiled step ends with that node");
    }
    last_steps.push_back(static_cast<std::size_t>(step - plan_.steps.begin()));
  }
  segments_ = Segments(last_steps, plan_.steps.size(), "step");
}

PlannedExecutor::~PlannedExecutor() = default;

const ProgramTensor& PlannedExecutor::input(std::size_t i) const {
  return program_.tensors.at(static_cast<std::size_t>(program_.inputs.at(i)));
}

const ProgramTensor& PlannedExecutor::output(std::size_t i) const {
  return program_.tensors.at(static_cast<std::size_t>(program_.outputs.at(i)));
}

const ProgramTensor& PlannedExecutor::tensor(int index) const {
  if (index < 0 || static_cast<std::size_t>(index) >= program_.tensors.size()) {
    throw Error("refers to tensor " + std::to_string(index) + " of " + std::to_string(program_.tensors.size()));
  }
  return program_.tensors[static_cast<std::size_t>(index)];
}

// The arena is allocated before anything else is checked: a damaged plan
// must not ask for more than its tensors could ever need. Activations laid
// end to end bound the activation region; a step's activation inputs and
// every value its nodes write bound its scratch.
void PlannedExecutor::check_region_sizes() const {
  if (plan_.activation_bytes % kAlignment != 0 || plan_.scratch_bytes % kAlignment != 0) {
    throw Error("pre-compiled program: arena regions are not 64-byte multiples");
  }
  auto aligned_size = [this](int index) -> std::uint64_t {
    if (index < 0 || static_cast<std::size_t>(index) >= program_.tensors.size()) return 0;
    const std::uint64_t bytes = program_.tensors[static_cast<std::size_t>(index)].type.byte_size();
    return (bytes + kAlignment - 1) / kAlignment * kAlignment;
  };
  std::uint64_t activations = 0;
  for (const Placement& p : plan_.placements) activations += aligned_size(p.tensor);
  std::uint64_t scratch = 0;
  for (const PlannedStep& step : plan_.steps) {
    std::uint64_t need = 0;
    for (int t : step.inputs) need += aligned_size(t);
    for (int node : step.nodes) {
      if (node < 0 || static_cast<std::size_t>(node) >= program_.nodes.size()) continue;
      for (int t : program_.nodes[static_cast<std::size_t>(node)].outputs) need += aligned_size(t);
    }
    scratch = std::max(scratch, need);
  }
  if (plan_.activation_bytes > activations || plan_.scratch_bytes > scratch) {
    throw Error("pre-compiled program: the arena (" + std::to_string(plan_.activation_bytes) + " + " +
                std::to_string(plan_.scratch_bytes) + " bytes) exceeds what its tensors need (" +
                std::to_string(activations) + " + " + std::to_string(scratch) + ")");
  }
}

bool PlannedExecutor::placed(int index) const {
  return index >= 0 && static_cast<std::size_t>(index) < placed_.size() && placed_[static_cast<std::size_t>(index)];
}

// Arena views of the placed tensors, each checked to lie inside the activation region.
void PlannedExecutor::place_tensors() {
  views_.resize(program_.tensors.size());
  placed_.assign(program_.tensors.size(), false);
  for (const Placement& p : plan_.placements) {
    const ProgramTensor& t = tensor(p.tensor);
    auto fail = [&t](const std::string& why) { throw Error("pre-compiled program: tensor '" + t.name + "' " + why); };
    if (t.constant || placed(p.tensor)) fail("is a constant or placed twice");
    if (p.size != t.type.byte_size()) {
      fail("is placed with " + std::to_string(p.size) + " bytes, its type " + t.type.to_string() + " needs " +
           std::to_string(t.type.byte_size()));
    }
    if (p.offset % kAlignment != 0 || p.offset > plan_.activation_bytes || p.size > plan_.activation_bytes - p.offset) {
      fail("lies outside the activation region or is not 64-byte aligned");
    }
    views_[static_cast<std::size_t>(p.tensor)] = Tensor::view(t.type, arena_.raw() + p.offset);
    placed_[static_cast<std::size_t>(p.tensor)] = true;
  }
  auto require_placed = [this](const std::vector<int>& indices, const char* what) {
    for (int index : indices) {
      if (!placed(index)) {
        throw Error("pre-compiled program: " + std::string(what) + " " + std::to_string(index) + " has no arena place");
      }
    }
  };
  require_placed(program_.inputs, "program input");
  require_placed(program_.outputs, "program output");
}

void PlannedExecutor::check_box(const Box& box, int index, bool direct) const {
  const ProgramTensor& t = tensor(index);
  const Shape& shape = t.type.shape;
  bool inside = box.size() == shape.size();
  for (std::size_t a = 0; inside && a < box.size(); ++a) {
    inside = box[a].begin >= 0 && box[a].begin < box[a].end && box[a].end <= shape[a];
  }
  if (!inside) throw Error("box " + box_to_string(box) + " lies outside '" + t.name + "' " + shape_to_string(shape));
  if (direct && !is_full(box, shape)) {
    throw Error("is direct but box " + box_to_string(box) + " does not cover '" + t.name + "'");
  }
}

// Checks the step's indices and tiles; returns the first tile of each kernel
// (all tiles of a kernel stage and write the same shapes).
std::vector<const Tile*> PlannedExecutor::check_step(const PlannedStep& step, PreparedStep& prepared) const {
  if (step.nodes.empty() || step.kernels.empty() || step.tiles.empty() || step.outputs.empty()) {
    throw Error("has no nodes, kernels, tiles or outputs");
  }
  for (int node : step.nodes) {
    if (node < 0 || static_cast<std::size_t>(node) >= program_.nodes.size()) throw Error("refers to a missing node");
  }
  for (std::size_t i = 0; i < step.inputs.size(); ++i) {
    const ProgramTensor& t = tensor(step.inputs[i]);
    if (t.constant) continue;
    if (!placed(step.inputs[i])) throw Error("reads '" + t.name + "', which has no arena place");
    prepared.activations.push_back(static_cast<int>(i));
  }
  for (int index : step.outputs) {
    if (!placed(index)) throw Error("writes '" + tensor(index).name + "', which has no arena place");
  }
  if (!step.direct && step.outputs.size() != 1) throw Error("is tiled but writes several tensors");
  if (step.direct && step.tiles.size() != 1) {
    throw Error("is direct but has " + std::to_string(step.tiles.size()) + " tiles");
  }
  std::vector<const Tile*> first(step.kernels.size(), nullptr);
  for (const Tile& tile : step.tiles) {
    if (tile.kernel < 0 || static_cast<std::size_t>(tile.kernel) >= step.kernels.size()) {
      throw Error("a tile names a missing kernel");
    }
    if (tile.inputs.size() != prepared.activations.size()) throw Error("a tile has the wrong number of input boxes");
    for (std::size_t a = 0; a < tile.inputs.size(); ++a) {
      check_box(tile.inputs[a], step.inputs[static_cast<std::size_t>(prepared.activations[a])], step.direct);
    }
    check_box(tile.output, step.outputs[0], step.direct);
    const Tile*& seen = first[static_cast<std::size_t>(tile.kernel)];
    if (!seen) {
      seen = &tile;
      continue;
    }
    bool same = same_shape(tile.output, seen->output);
    for (std::size_t a = 0; same && a < tile.inputs.size(); ++a) same = same_shape(tile.inputs[a], seen->inputs[a]);
    if (!same) throw Error("tiles of kernel " + std::to_string(tile.kernel) + " have different box shapes");
  }
  for (std::size_t k = 0; k < first.size(); ++k) {
    if (!first[k]) throw Error("kernel " + std::to_string(k) + " has no tile");
  }
  return first;
}

void PlannedExecutor::prepare_step(std::size_t index) {
  const PlannedStep& step = plan_.steps[index];
  PreparedStep& prepared = steps_[index];
  const std::vector<const Tile*> first = check_step(step, prepared);
  prepared.kernels.resize(step.kernels.size());
  for (std::size_t k = 0; k < step.kernels.size(); ++k) {
    try {
      prepare_kernel(step, prepared, step.kernels[k], *first[k], prepared.kernels[k]);
    } catch (const Error& e) {
      throw Error("kernel " + std::to_string(k) + ": " + e.what());
    }
  }
}

Tensor PlannedExecutor::scratch_view(const TileKernel& kernel, std::size_t slot, TensorType type) {
  const std::uint64_t offset = kernel.scratch.at(slot);
  if (offset % kAlignment != 0 || offset > plan_.scratch_bytes || type.byte_size() > plan_.scratch_bytes - offset) {
    throw Error("a scratch buffer of " + type.to_string() + " lies outside the scratch region");
  }
  return Tensor::view(std::move(type), arena_.raw() + plan_.activation_bytes + offset);
}

// What every step input is on this kernel's tiles.
std::vector<PlannedExecutor::Source> PlannedExecutor::bind_inputs(const PlannedStep& step, const PreparedStep& prepared,
                                                 const TileKernel& tk, const Tile& tile, PreparedKernel& pk) {
  std::vector<Source> sources(step.inputs.size());
  const std::size_t staged = step.direct ? 0 : prepared.activations.size();
  pk.staged.reserve(staged);
  pk.slices.reserve(tk.constants.size());
  pk.quant.reserve(staged + tk.constants.size());
  for (std::size_t a = 0; a < prepared.activations.size(); ++a) {
    const auto i = static_cast<std::size_t>(prepared.activations[a]);
    const ProgramTensor& t = tensor(step.inputs[i]);
    if (step.direct) {
      sources[i] = {&views_[static_cast<std::size_t>(step.inputs[i])], &t.quant, false};
      continue;
    }
    pk.staged.push_back(scratch_view(tk, a, {t.type.dtype, box_shape(tile.inputs[a])}));
    sources[i] = {&pk.staged.back(), quant_of(t, tile.inputs[a], pk), false};
  }
  for (const ConstantSlice& slice : tk.constants) {
    if (slice.input < 0 || static_cast<std::size_t>(slice.input) >= step.inputs.size()) {
      throw Error("a weight slice names input " + std::to_string(slice.input));
    }
    const ProgramTensor& t = tensor(step.inputs[static_cast<std::size_t>(slice.input)]);
    if (!t.constant) throw Error("a weight slice names '" + t.name + "', which is not a constant");
    check_box(slice.box, step.inputs[static_cast<std::size_t>(slice.input)], false);
    pk.slices.push_back(slice_of(*t.constant, slice.box));
    sources[static_cast<std::size_t>(slice.input)] = {&pk.slices.back(), quant_of(t, slice.box, pk), true};
  }
  for (std::size_t i = 0; i < step.inputs.size(); ++i) {
    const ProgramTensor& t = tensor(step.inputs[i]);
    if (!sources[i].value) sources[i] = {&*t.constant, &t.quant, true};  // a constant used whole
  }
  return sources;
}

// A tensor's parameters on a box of it: its own unless the box slices its channels.
const std::optional<QuantParams>* PlannedExecutor::quant_of(const ProgramTensor& t, const Box& box,
                                                            PreparedKernel& pk) {
  if (!slices_quant(t.quant, box, t.type.shape)) return &t.quant;
  pk.quant.push_back(slice_quant(*t.quant, box));
  return &pk.quant.back();
}

// Prepares the kernel's nodes in order. A tiled step's nodes all write
// scratch; a direct step's last node writes the placed step outputs.
void PlannedExecutor::prepare_kernel(const PlannedStep& step, const PreparedStep& prepared, const TileKernel& tk,
                                     const Tile& tile, PreparedKernel& pk) {
  if (tk.nodes.empty()) throw Error("has no nodes");
  const std::size_t staged = step.direct ? 0 : prepared.activations.size();
  if (tk.scratch.size() != staged + tk.nodes.size() - (step.direct ? 1 : 0)) {
    throw Error("has " + std::to_string(tk.scratch.size()) + " scratch offsets");
  }
  const std::vector<Source> sources = bind_inputs(step, prepared, tk, tile, pk);
  pk.scratch.reserve(tk.nodes.size());
  Source previous;
  for (std::size_t j = 0; j < tk.nodes.size(); ++j) {
    const TileNode& tn = tk.nodes[j];
    if (tn.node < 0 || static_cast<std::size_t>(tn.node) >= program_.nodes.size()) throw Error("names a missing node");
    ProgramNode& pn = program_.nodes[static_cast<std::size_t>(tn.node)];
    if (pn.node.output_quant.size() != pn.outputs.size()) {  // the graph's node, as the Executor prepares it
      pn.node.output_quant.clear();
      for (int o : pn.outputs) pn.node.output_quant.push_back(o >= 0 ? tensor(o).quant : std::nullopt);
    }
    std::optional<OpNode> changed;  // a copy only when the tile overrides attributes
    if (!tn.overrides.all().empty()) {
      changed = pn.node;
      for (const auto& [name, value] : tn.overrides.all()) changed->attrs.set(name, value);
    }
    const OpNode& node = changed ? *changed : pn.node;
    std::vector<InputInfo> infos;
    std::vector<const Tensor*> in;
    for (int from : tn.inputs) {
      Source source;
      if (from == kPreviousOutput) {
        if (!previous.value) throw Error(node.describe() + " reads a previous output but is first");
        source = previous;
      } else if (from >= 0 && static_cast<std::size_t>(from) < sources.size()) {
        source = sources[static_cast<std::size_t>(from)];
      } else if (from != kAbsentInput) {
        throw Error(node.describe() + " reads step input " + std::to_string(from));
      }
      InputInfo info;
      if (source.value) {
        info = {true, source.value->type(), source.constant ? source.value : nullptr,
                *source.quant ? &**source.quant : nullptr};
      }
      infos.push_back(std::move(info));
      in.push_back(source.value);
    }
    Prepared p = prepare_node(node, infos, {.reference = options_.reference});
    if (p.outputs.size() < pn.outputs.size()) {
      throw Error(node.describe() + " prepares fewer outputs than the graph wires");
    }
    const bool last = j + 1 == tk.nodes.size();
    std::vector<Tensor*> out(pn.outputs.size(), nullptr);
    if (last && step.direct) {
      for (std::size_t o = 0; o < pn.outputs.size(); ++o) {
        if (pn.outputs[o] < 0) continue;
        Tensor& view = views_[static_cast<std::size_t>(pn.outputs[o])];
        if (!placed(pn.outputs[o]) || !(view.type() == p.outputs[o])) {
          throw Error(node.describe() + " output " + std::to_string(o) + " is " + p.outputs[o].to_string() +
                      ", not its placed tensor");
        }
        out[o] = &view;
      }
    } else {
      if (pn.outputs.empty() || pn.outputs[0] < 0) throw Error(node.describe() + " has no output to pass on");
      for (std::size_t o = 1; o < pn.outputs.size(); ++o) {
        if (pn.outputs[o] >= 0) throw Error(node.describe() + " is tiled but wires more than one output");
      }
      const TensorType written{tensor(step.outputs[0]).type.dtype, box_shape(tile.output)};
      if (last && !(p.outputs[0] == written)) {
        throw Error(node.describe() + " computes " + p.outputs[0].to_string() + " per tile, its tiles write " +
                    written.to_string());
      }
      pk.scratch.push_back(scratch_view(tk, staged + j, p.outputs[0]));
      out[0] = &pk.scratch.back();
      previous = {&pk.scratch.back(), &tensor(pn.outputs[0]).quant, false};
    }
    pk.kernels.push_back(std::move(p.kernel));
    pk.in.push_back(std::move(in));
    pk.out.push_back(std::move(out));
  }
}

void PlannedExecutor::run_step(std::size_t index) {
  const PlannedStep& step = plan_.steps[index];
  PreparedStep& prepared = steps_[index];
  for (const Tile& tile : step.tiles) {
    PreparedKernel& pk = prepared.kernels[static_cast<std::size_t>(tile.kernel)];
    if (!step.direct) {
      for (std::size_t a = 0; a < prepared.activations.size(); ++a) {
        const auto input = static_cast<std::size_t>(step.inputs[static_cast<std::size_t>(prepared.activations[a])]);
        gather(views_[input], tile.inputs[a], pk.staged[a]);
      }
    }
    for (std::size_t j = 0; j < pk.kernels.size(); ++j) {
      pk.kernels[j]->run(pk.in[j], pk.out[j], *pool_);
      if (!options_.float16) continue;
      for (Tensor* t : pk.out[j]) {
        if (t) round_to_half(*t);
      }
    }
    if (!step.direct) scatter(pk.scratch.back(), views_[static_cast<std::size_t>(step.outputs[0])], tile.output);
  }
}

std::vector<Tensor> PlannedExecutor::run(std::span<const Tensor> inputs) {
  start(inputs);
  for (std::size_t k = 0; k < segment_count(); ++k) run_segment(k);
  return results();
}

void PlannedExecutor::start(std::span<const Tensor> inputs) {
  check_run_inputs(program_, inputs);
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    Tensor& view = views_[static_cast<std::size_t>(program_.inputs[i])];
    if (view.byte_size() != 0) std::memcpy(view.raw(), inputs[i].raw(), view.byte_size());
  }
  if (!program_.nodes.empty() && timings_.front().name.empty()) {
    for (std::size_t n = 0; n < program_.nodes.size(); ++n) {
      timings_[n].name = program_.nodes[n].node.name;
      timings_[n].op = program_.nodes[n].node.op;
    }
  }
  segments_.start();
}

void PlannedExecutor::run_segment(std::size_t k) {
  segments_.enter(k);
  for (std::size_t s = segments_.begin(k); s < segments_.end(k); ++s) {
    const auto start = std::chrono::steady_clock::now();
    run_step(s);
    const auto stop = std::chrono::steady_clock::now();
    timings_[static_cast<std::size_t>(plan_.steps[s].nodes.front())].microseconds =
        std::chrono::duration<double, std::micro>(stop - start).count();
  }
  segments_.leave();
}

std::vector<Tensor> PlannedExecutor::results() const {
  if (!segments_.finished()) throw Error("results before the last segment has run");
  std::vector<Tensor> results;
  for (int index : program_.outputs) results.emplace_back(views_[static_cast<std::size_t>(index)]);
  return results;
}

}  // namespace rknn::sim
