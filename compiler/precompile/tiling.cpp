#include "precompile/tiling.h"

#include <algorithm>
#include <map>
#include <numeric>
#include <set>
#include <string_view>

#include "ir/error.h"

namespace rknn::precompile {
namespace {

using sim::Box;
using sim::Range;

std::uint64_t align_up(std::uint64_t n) {
  return (n + sim::Tensor::kAlignment - 1) / sim::Tensor::kAlignment * sim::Tensor::kAlignment;
}

// Ops whose every output value depends on the input values at the same
// position only (inputs broadcast numpy-style): any box of the output is
// computed from the same box of each input.
const std::set<std::string_view> kPointwiseOps = {
    "Relu", "LeakyRelu", "Clip",  "Sigmoid", "Tanh", "HardSigmoid", "HardSwish", "Elu", "Selu", "Softplus",
    "Softsign", "Exp", "Log", "Sqrt", "Abs", "Neg", "Reciprocal", "Floor", "Ceil", "Erf", "Sin", "Cos",
    "Add", "Sub", "Mul", "Div", "Pow", "Max", "Min", "Sum", "Mean", "PRelu",
    "BatchNormalization"};  // per-channel parameters: 1-D inputs along the channel axis

// Ops a planes step may hold: the window or global op first, then the fused ones.
const std::set<std::string_view> kPlanesOps = {"Conv", "MaxPool", "AveragePool", "GlobalAveragePool",
                                               "GlobalMaxPool", "Relu"};

enum class Cut {
  kPlanes,     // NCHW: slices of output channels times bands of rows (Conv, pools, a fused group)
  kPointwise,  // element-wise: channel slices times row bands of the output, inputs broadcast into them
  kColumns,    // Gemm: slices of output columns with the matching weight columns
  kWhole,      // one tile, run in place
};

enum class Rows { kSame, kWindow, kAll };

// The rows (axis 2) a Conv or pool reads for a band of its output rows.
struct Window {
  std::int64_t kernel = 1;
  std::int64_t stride = 1;
  std::int64_t dilation = 1;
  std::int64_t pad_begin = 0;
  Range input_rows(Range out) const {
    const std::int64_t extent = (kernel - 1) * dilation + 1;
    return {out.begin * stride - pad_begin, (out.end - 1) * stride - pad_begin + extent};
  }
};

// A step: nodes each reading the previous one's output 0, and how it is cut.
struct Chain {
  explicit Chain(const sim::Program& p) : program(p) {}
  const sim::Program& program;
  std::vector<int> nodes;
  std::vector<int> inputs;                    // step inputs (tensor indices)
  std::vector<std::vector<int>> node_inputs;  // per node: step input index, kPreviousOutput or kAbsentInput
  std::vector<int> outputs;
  Cut cut = Cut::kWhole;
  // kPlanes
  std::vector<Rows> rows;  // per node
  std::vector<Window> windows;
  bool rows_tileable = false;
  std::vector<std::int64_t> pads;  // the first node's resolved pads: top, left, bottom, right
  bool auto_pad = false;           // the first node's pads came from auto_pad
  std::int64_t groups = 1;         // the first node's Conv groups
  bool slice_weights = false;      // its W (and B) are constants sliced with the output channels
  std::int64_t granule = 1;        // output channels come in slices of a multiple of this

  const sim::ProgramNode& node(std::size_t k) const { return program.nodes[static_cast<std::size_t>(nodes[k])]; }
  const sim::ProgramTensor& tensor(int t) const { return program.tensors[static_cast<std::size_t>(t)]; }
  const sim::Shape& output_shape() const { return tensor(outputs.at(0)).type.shape; }
  // The step input node 0 reads at `slot`, or -1.
  int first_node_input(std::size_t slot) const {
    const std::vector<int>& from = node_inputs[0];
    return slot < from.size() && from[slot] >= 0 ? from[slot] : -1;
  }
};

// What one tile needs before kernels are shared.
struct TileSpec {
  std::vector<sim::Attributes> overrides;    // per node
  std::vector<sim::ConstantSlice> constants;
  std::vector<Box> boxes;                    // per activation step input
  Box output;
  std::vector<sim::Shape> node_outputs;      // the tile's value of each node's output 0
};

Box full_box(const sim::Shape& shape) {
  Box box;
  for (std::int64_t d : shape) box.push_back({0, d});
  return box;
}

sim::Shape box_shape(const Box& box) {
  sim::Shape shape;
  for (const Range& r : box) shape.push_back(r.size());
  return shape;
}

std::uint64_t elements(const sim::Shape& shape) { return static_cast<std::uint64_t>(sim::element_count(shape)); }

bool wires_one_output(const sim::ProgramNode& pn) {
  for (std::size_t o = 1; o < pn.outputs.size(); ++o) {
    if (pn.outputs[o] >= 0) return false;
  }
  return !pn.outputs.empty() && pn.outputs[0] >= 0;
}

Chain make_chain(const sim::Program& program, const std::vector<int>& group) {
  Chain c(program);
  c.nodes = group;
  for (std::size_t k = 0; k < group.size(); ++k) {
    const sim::ProgramNode& pn = c.node(k);
    if (k + 1 < group.size() && !wires_one_output(pn)) {
      throw CompileError(pn.node.describe() + ": a fused node must write one value");
    }
    std::vector<int> from;
    for (std::size_t i = 0; i < pn.inputs.size(); ++i) {
      const int t = pn.inputs[i];
      if (t < 0) {
        from.push_back(sim::kAbsentInput);
      } else if (k > 0 && i == 0) {
        if (t != c.node(k - 1).outputs[0]) {
          throw CompileError(pn.node.describe() + ": a fused node must read the node before it");
        }
        from.push_back(sim::kPreviousOutput);
      } else {
        const auto it = std::find(c.inputs.begin(), c.inputs.end(), t);
        from.push_back(static_cast<int>(it - c.inputs.begin()));
        if (it == c.inputs.end()) c.inputs.push_back(t);
      }
    }
    c.node_inputs.push_back(std::move(from));
  }
  for (int t : c.node(group.size() - 1).outputs) {
    if (t >= 0) c.outputs.push_back(t);
  }
  return c;
}

// Pads [top, left, bottom, right] after auto_pad, from the recorded sizes.
std::vector<std::int64_t> resolve_pads(const sim::OpNode& node, const sim::Shape& in, const sim::Shape& out,
                                       const std::vector<std::int64_t>& kernel) {
  const std::string auto_pad = node.attrs.get_string("auto_pad", "NOTSET");
  if (auto_pad == "VALID") return {0, 0, 0, 0};
  if (auto_pad == "NOTSET") return node.attrs.get_ints("pads", {0, 0, 0, 0});
  const std::vector<std::int64_t> strides = node.attrs.get_ints("strides", {1, 1});
  const std::vector<std::int64_t> dilations = node.attrs.get_ints("dilations", {1, 1});
  std::vector<std::int64_t> pads(4, 0);
  for (std::size_t a = 0; a < 2; ++a) {
    const std::int64_t extent = (kernel[a] - 1) * dilations[a] + 1;
    const std::int64_t total = std::max<std::int64_t>(0, (out[2 + a] - 1) * strides[a] + extent - in[2 + a]);
    pads[a] = auto_pad == "SAME_UPPER" ? total / 2 : total - total / 2;
    pads[2 + a] = total - pads[a];
  }
  return pads;
}

std::vector<std::int64_t> kernel_of(const Chain& c, std::size_t k) {
  const sim::ProgramNode& pn = c.node(k);
  if (pn.node.op != "Conv") return pn.node.attrs.get_ints("kernel_shape");
  const sim::Shape& w = c.program.tensors[static_cast<std::size_t>(pn.inputs.at(1))].type.shape;
  return pn.node.attrs.get_ints("kernel_shape", {w.at(2), w.at(3)});
}

// Whether every node is a 2-D NCHW op a planes step can cut.
bool is_planes_chain(const Chain& c) {
  for (std::size_t k = 0; k < c.nodes.size(); ++k) {
    const sim::ProgramNode& pn = c.node(k);
    if (!kPlanesOps.contains(pn.node.op) || !wires_one_output(pn) || pn.inputs.empty() || pn.inputs[0] < 0) {
      return false;
    }
    if (c.tensor(pn.inputs[0]).type.shape.size() != 4 || c.tensor(pn.outputs[0]).type.shape.size() != 4) return false;
    if (k == 0 && c.tensor(pn.inputs[0]).constant) return false;  // the planes cut stages X as an activation
    if (k > 0 && pn.node.op == "Conv") return false;
    const bool conv = pn.node.op == "Conv";
    if (conv && (pn.inputs.size() < 2 || pn.inputs[1] < 0 || c.tensor(pn.inputs[1]).type.shape.size() != 4)) {
      return false;
    }
  }
  return true;
}

void set_up_planes(Chain& c, const TilingTarget& target) {
  c.cut = Cut::kPlanes;
  c.rows_tileable = true;
  for (std::size_t k = 0; k < c.nodes.size(); ++k) {
    const sim::OpNode& node = c.node(k).node;
    Window window;
    Rows rows = Rows::kSame;
    if (node.op == "GlobalAveragePool" || node.op == "GlobalMaxPool") {
      rows = Rows::kAll;
      c.rows_tileable = false;
    } else if (node.op != "Relu") {
      rows = Rows::kWindow;
      const sim::Shape& in = c.tensor(c.node(k).inputs[0]).type.shape;
      const sim::Shape& out = c.tensor(c.node(k).outputs[0]).type.shape;
      const std::vector<std::int64_t> kernel = kernel_of(c, k);
      const std::vector<std::int64_t> pads = resolve_pads(node, in, out, kernel);
      window = {kernel[0], node.attrs.get_ints("strides", {1, 1})[0], node.attrs.get_ints("dilations", {1, 1})[0],
                pads[0]};
      if (k == 0) {
        c.pads = pads;
        c.auto_pad = node.attrs.get_string("auto_pad", "NOTSET") != "NOTSET";
        // Pools in ceil mode count their last window against the declared end pad: cut channels only.
        if (node.op != "Conv" && node.attrs.get_int("ceil_mode", 0) != 0) c.rows_tileable = false;
      }
    }
    c.rows.push_back(rows);
    c.windows.push_back(window);
  }
  const sim::ProgramNode& first = c.node(0);
  const std::int64_t out_channels = c.output_shape()[1];
  c.granule = std::min(out_channels, std::max<std::int64_t>(1, target.channel_granule));
  if (first.node.op != "Conv") return;
  c.groups = first.node.attrs.get_int("group", 1);
  const int w = c.first_node_input(1);
  const int b = c.first_node_input(2);
  c.slice_weights = w >= 0 && c.tensor(c.inputs[static_cast<std::size_t>(w)]).constant &&
                    (b < 0 || c.tensor(c.inputs[static_cast<std::size_t>(b)]).constant);
  if (c.groups > 1) c.granule = std::lcm(c.granule, out_channels / c.groups);
  if (!c.slice_weights) c.granule = out_channels;  // runtime weights are read whole: no channel slices
}

bool distinct_inputs(const sim::ProgramNode& pn) {
  std::set<int> seen;
  for (int t : pn.inputs) {
    if (t >= 0 && !seen.insert(t).second) return false;
  }
  return true;
}

void choose_cut(Chain& c, const TilingTarget& target) {
  const sim::ProgramNode& first = c.node(0);
  if (is_planes_chain(c)) return set_up_planes(c, target);
  if (c.nodes.size() > 1) throw CompileError(first.node.describe() + ": a fused group must be a Conv chain");
  if (!wires_one_output(first)) return;
  if (kPointwiseOps.contains(first.node.op)) {
    c.cut = Cut::kPointwise;
  } else if (first.node.op == "Gemm" && c.output_shape().size() == 2 && distinct_inputs(first)) {
    c.cut = Cut::kColumns;
    c.granule = std::min(c.output_shape()[1], std::max<std::int64_t>(1, target.channel_granule));
  }
}

// The rows of node k's input that a band of its output rows reads (unclipped).
Range input_rows(const Chain& c, std::size_t k, Range out) {
  switch (c.rows[k]) {
    case Rows::kSame: return out;
    case Rows::kWindow: return c.windows[k].input_rows(out);
    case Rows::kAll: return {0, c.tensor(c.node(k).inputs[0]).type.shape[2]};
  }
  return out;
}

// A constant step input's slice, when it is not read whole.
void add_constant(const Chain& c, std::size_t input, const Box& box, TileSpec& spec) {
  if (box == full_box(c.tensor(c.inputs[input]).type.shape)) return;
  sim::ConstantSlice slice;
  slice.input = static_cast<int>(input);
  slice.box = box;
  spec.constants.push_back(std::move(slice));
}

TileSpec planes_tile(const Chain& c, Range channels, Range rows) {
  const std::size_t n = c.nodes.size();
  TileSpec spec;
  spec.overrides.resize(n);
  std::vector<Range> out_rows(n);
  out_rows[n - 1] = rows;
  for (std::size_t k = n - 1; k > 0; --k) {
    out_rows[k - 1] = input_rows(c, k, out_rows[k]);
    const std::int64_t height = c.tensor(c.node(k).inputs[0]).type.shape[2];
    if (out_rows[k - 1].begin < 0 || out_rows[k - 1].end > height) {
      throw CompileError(c.node(k).node.describe() + ": a fused node reads rows outside its input");
    }
  }
  const sim::Shape& x = c.tensor(c.inputs[0]).type.shape;
  const Range wanted = input_rows(c, 0, out_rows[0]);
  const Range read{std::max<std::int64_t>(0, wanted.begin), std::min(x[2], wanted.end)};
  const std::int64_t out_height = c.tensor(c.node(0).outputs[0]).type.shape[2];
  if (c.rows[0] == Rows::kWindow && out_rows[0] != Range{0, out_height}) {
    std::vector<std::int64_t> pads = c.pads;
    pads[0] = read.begin - wanted.begin;
    pads[2] = wanted.end - read.end;
    spec.overrides[0].set("pads", pads);
    if (c.auto_pad) spec.overrides[0].set("auto_pad", std::string("NOTSET"));
  }
  const std::int64_t out_channels = c.output_shape()[1];
  Range in_channels = channels;
  if (c.node(0).node.op == "Conv") {
    const std::int64_t out_per_group = out_channels / c.groups;
    const std::int64_t in_per_group = x[1] / c.groups;
    in_channels = Range{0, x[1]};
    if (c.groups > 1) {  // whole groups: their input channels, and fewer groups on a slice
      in_channels = {channels.begin / out_per_group * in_per_group, channels.end / out_per_group * in_per_group};
      if (channels.size() != out_channels) spec.overrides[0].set("group", channels.size() / out_per_group);
    }
  }
  for (std::size_t i = 0; i < c.inputs.size(); ++i) {
    const sim::ProgramTensor& t = c.tensor(c.inputs[i]);
    if (i == 0) {
      spec.boxes.push_back({{0, x[0]}, in_channels, read, {0, x[3]}});
    } else if (!t.constant) {
      spec.boxes.push_back(full_box(t.type.shape));
    } else if (c.slice_weights && (c.first_node_input(1) == static_cast<int>(i) ||
                                   c.first_node_input(2) == static_cast<int>(i))) {
      Box box = full_box(t.type.shape);
      box[0] = channels;
      add_constant(c, i, box, spec);
    }
  }
  for (std::size_t k = 0; k < n; ++k) {
    sim::Shape shape = c.tensor(c.node(k).outputs[0]).type.shape;
    shape[1] = channels.size();
    shape[2] = out_rows[k].size();
    spec.node_outputs.push_back(std::move(shape));
  }
  const sim::Shape& out = c.output_shape();
  spec.output = {{0, out[0]}, channels, rows, {0, out[3]}};
  return spec;
}

// Output box: channels on axis 1, rows on axis 2 when the rank has them.
Box cut_box(const sim::Shape& out, Range channels, Range rows) {
  Box box = full_box(out);
  if (out.size() >= 2) box[1] = channels;
  if (out.size() >= 3) box[2] = rows;
  return box;
}

TileSpec pointwise_tile(const Chain& c, Range channels, Range rows) {
  TileSpec spec;
  spec.overrides.resize(1);
  const sim::Shape& out = c.output_shape();
  spec.output = cut_box(out, channels, rows);
  for (std::size_t i = 0; i < c.inputs.size(); ++i) {
    const sim::ProgramTensor& t = c.tensor(c.inputs[i]);
    const sim::Shape& in = t.type.shape;
    Box box = full_box(in);
    if (c.node(0).node.op == "BatchNormalization" && i > 0) {
      if (in.size() == 1 && out.size() >= 2 && in[0] == out[1]) box[0] = spec.output[1];  // scale, B, mean, var
    } else {
      for (std::size_t j = 0; j < in.size(); ++j) {
        const std::size_t a = j + out.size() - in.size();
        if (in[j] == out[a]) box[j] = spec.output[a];  // broadcast axes (size 1) are read whole
      }
    }
    if (t.constant) {
      add_constant(c, i, box, spec);
    } else {
      spec.boxes.push_back(std::move(box));
    }
  }
  spec.node_outputs.push_back(box_shape(spec.output));
  return spec;
}

TileSpec columns_tile(const Chain& c, Range columns, Range) {
  TileSpec spec;
  spec.overrides.resize(1);
  const sim::Shape& out = c.output_shape();
  const std::int64_t n = out[1];
  const bool trans_b = c.node(0).node.attrs.get_int("transB", 0) != 0;
  spec.output = {{0, out[0]}, columns};
  for (std::size_t i = 0; i < c.inputs.size(); ++i) {
    const sim::ProgramTensor& t = c.tensor(c.inputs[i]);
    Box box = full_box(t.type.shape);
    if (c.first_node_input(1) == static_cast<int>(i)) {
      box[trans_b ? 0 : 1] = columns;
    } else if (c.first_node_input(2) == static_cast<int>(i) && !box.empty() && box.back().end == n) {
      box.back() = columns;  // C broadcast over rows: [N] or [M|1, N]
    }
    if (t.constant) {
      add_constant(c, i, box, spec);
    } else {
      spec.boxes.push_back(std::move(box));
    }
  }
  spec.node_outputs.push_back(box_shape(spec.output));
  return spec;
}

TileSpec whole_tile(const Chain& c) {
  TileSpec spec;
  spec.overrides.resize(c.nodes.size());
  for (int t : c.inputs) {
    if (!c.tensor(t).constant) spec.boxes.push_back(full_box(c.tensor(t).type.shape));
  }
  spec.output = full_box(c.output_shape());
  for (std::size_t k = 0; k < c.nodes.size(); ++k) {
    spec.node_outputs.push_back(c.tensor(c.node(k).outputs[0]).type.shape);
  }
  return spec;
}

TileSpec make_tile(const Chain& c, Range channels, Range rows) {
  switch (c.cut) {
    case Cut::kPlanes: return planes_tile(c, channels, rows);
    case Cut::kPointwise: return pointwise_tile(c, channels, rows);
    case Cut::kColumns: return columns_tile(c, channels, rows);
    case Cut::kWhole: return whole_tile(c);
  }
  return whole_tile(c);
}

// The extents the cut slices: channels (or columns) and rows.
struct Extents {
  std::int64_t channels = 1;
  std::int64_t rows = 1;
  bool rows_tileable = false;
};

Extents extents_of(const Chain& c) {
  const sim::Shape& out = c.output_shape();
  switch (c.cut) {
    case Cut::kPlanes: return {out[1], out[2], c.rows_tileable};
    case Cut::kPointwise: return {out.size() >= 2 ? out[1] : 1, out.size() >= 3 ? out[2] : 1, out.size() >= 3};
    case Cut::kColumns: return {out[1], 1, false};
    case Cut::kWhole: return {};
  }
  return {};
}

std::uint64_t footprint(const Chain& c, const TileSpec& spec) {
  std::uint64_t bytes = 0;
  std::size_t box = 0;
  for (std::size_t i = 0; i < c.inputs.size(); ++i) {
    const sim::ProgramTensor& t = c.tensor(c.inputs[i]);
    sim::Shape shape = t.type.shape;
    if (!t.constant) shape = box_shape(spec.boxes[box++]);
    for (const sim::ConstantSlice& s : spec.constants) {
      if (s.input == static_cast<int>(i)) shape = box_shape(s.box);
    }
    bytes += elements(shape) * npu_element_bytes(t.type.dtype);
  }
  for (std::size_t k = 0; k < spec.node_outputs.size(); ++k) {
    bytes += elements(spec.node_outputs[k]) * npu_element_bytes(c.tensor(c.node(k).outputs[0]).type.dtype);
  }
  for (std::size_t o = 1; o < c.outputs.size(); ++o) {  // a whole multi-output op
    bytes += elements(c.tensor(c.outputs[o]).type.shape) * npu_element_bytes(c.tensor(c.outputs[o]).type.dtype);
  }
  return bytes;
}

std::vector<TileSpec> cut(const Chain& c, std::int64_t slice, std::int64_t band) {
  const Extents e = extents_of(c);
  std::vector<TileSpec> specs;
  for (std::int64_t c0 = 0; c0 < e.channels; c0 += slice) {
    for (std::int64_t r0 = 0; r0 < e.rows; r0 += band) {
      specs.push_back(make_tile(c, {c0, std::min(e.channels, c0 + slice)}, {r0, std::min(e.rows, r0 + band)}));
    }
  }
  return specs;
}

std::uint64_t largest_footprint(const Chain& c, const std::vector<TileSpec>& specs) {
  std::uint64_t largest = 0;
  for (const TileSpec& s : specs) largest = std::max(largest, footprint(c, s));
  return largest;
}

// Channel slice sizes to try: everything, then halving, in multiples of the granule.
std::vector<std::int64_t> slice_sizes(std::int64_t channels, std::int64_t granule) {
  std::vector<std::int64_t> sizes{channels};
  while (sizes.back() > granule) {
    const std::int64_t half = (sizes.back() + 1) / 2;
    const std::int64_t next = std::max(granule, (half + granule - 1) / granule * granule);
    if (next >= sizes.back()) break;
    sizes.push_back(next);
  }
  return sizes;
}

struct Choice {
  std::int64_t slice = 1;
  std::int64_t band = 1;
  bool fits = false;
};

// The cut with the fewest tiles that fits the buffer (ties: wider channel
// slices); when nothing fits, the smallest tiles.
Choice choose_tiles(const Chain& c, std::uint64_t buffer) {
  const Extents e = extents_of(c);
  const std::vector<std::int64_t> sizes = slice_sizes(e.channels, c.granule);
  Choice best{sizes.back(), e.rows_tileable ? 1 : e.rows, false};
  std::int64_t best_count = 0;
  for (std::int64_t slice : sizes) {
    auto fits = [&](std::int64_t band) { return largest_footprint(c, cut(c, slice, band)) <= buffer; };
    std::int64_t band = e.rows;
    if (!fits(band)) {
      if (!e.rows_tileable || !fits(1)) continue;
      std::int64_t lo = 1, hi = e.rows;  // fits(lo), !fits(hi)
      while (hi - lo > 1) {
        const std::int64_t mid = lo + (hi - lo) / 2;
        (fits(mid) ? lo : hi) = mid;
      }
      band = lo;
    }
    const std::int64_t count = (e.channels + slice - 1) / slice * ((e.rows + band - 1) / band);
    if (!best.fits || count < best_count) {
      best = {slice, band, true};
      best_count = count;
    }
  }
  return best;
}

void append_value(std::string& key, const sim::AttrValue& value) {
  if (const auto* i = std::get_if<std::int64_t>(&value)) key += std::to_string(*i);
  if (const auto* s = std::get_if<std::string>(&value)) key += *s;
  if (const auto* v = std::get_if<std::vector<std::int64_t>>(&value)) {
    for (std::int64_t x : *v) key += std::to_string(x) + ",";
  }
}

void append_box(std::string& key, const Box& box) {
  for (const Range& r : box) key += std::to_string(r.begin) + ":" + std::to_string(r.end) + ",";
  key += ";";
}

// Tiles needing the same kernel: same overrides, weight slices and shapes.
std::string kernel_key(const TileSpec& spec) {
  std::string key;
  for (const sim::Attributes& attrs : spec.overrides) {
    for (const auto& [name, value] : attrs.all()) {
      key += name + "=";
      append_value(key, value);
    }
    key += "|";
  }
  for (const sim::ConstantSlice& s : spec.constants) {
    key += std::to_string(s.input) + "@";
    append_box(key, s.box);
  }
  for (const Box& box : spec.boxes) key += sim::shape_to_string(box_shape(box));
  return key + "->" + sim::shape_to_string(box_shape(spec.output));
}

// Scratch offsets: the staged inputs of a tiled step, then the node outputs
// that stay in scratch. Returns the bytes the kernel uses.
std::uint64_t lay_out_scratch(const Chain& c, const TileSpec& spec, bool direct, sim::TileKernel& kernel) {
  std::uint64_t end = 0;
  auto take = [&](std::uint64_t bytes) {
    kernel.scratch.push_back(end);
    end = align_up(end + bytes);
  };
  if (!direct) {
    std::size_t box = 0;
    for (int t : c.inputs) {
      if (!c.tensor(t).constant) take(elements(box_shape(spec.boxes[box++])) * sim::dtype_size(c.tensor(t).type.dtype));
    }
  }
  for (std::size_t k = 0; k < c.nodes.size(); ++k) {
    if (direct && k + 1 == c.nodes.size()) break;
    take(elements(spec.node_outputs[k]) * sim::dtype_size(c.tensor(c.node(k).outputs[0]).type.dtype));
  }
  return end;
}

bool is_direct(const Chain& c, const std::vector<TileSpec>& specs) {
  if (specs.size() != 1 || !specs[0].constants.empty()) return false;
  std::size_t box = 0;
  for (int t : c.inputs) {
    if (!c.tensor(t).constant && specs[0].boxes[box++] != full_box(c.tensor(t).type.shape)) return false;
  }
  return specs[0].output == full_box(c.output_shape());
}

}  // namespace

std::uint64_t npu_element_bytes(sim::DType type) {
  return type == sim::DType::kFloat32 ? 2 : sim::dtype_size(type);
}

TiledStep tile_step(const sim::Program& program, const std::vector<int>& group, const TilingTarget& target) {
  Chain c = make_chain(program, group);
  if (c.outputs.empty()) throw CompileError(c.node(0).node.describe() + " writes nothing");
  choose_cut(c, target);
  const Choice choice = c.cut == Cut::kWhole ? Choice{1, 1, false} : choose_tiles(c, target.buffer_bytes);
  const std::vector<TileSpec> specs = cut(c, choice.slice, choice.band);
  TiledStep tiled;
  sim::PlannedStep& step = tiled.step;
  step.nodes = c.nodes;
  step.inputs = c.inputs;
  step.outputs = c.outputs;
  step.direct = is_direct(c, specs);
  std::map<std::string, int> kernels;
  for (const TileSpec& spec : specs) {
    const auto [it, added] = kernels.emplace(kernel_key(spec), static_cast<int>(step.kernels.size()));
    if (added) {
      sim::TileKernel kernel;
      for (std::size_t k = 0; k < c.nodes.size(); ++k) {
        sim::TileNode node;  // member by member: GCC bug 66139 with throwing aggregate initializers
        node.node = c.nodes[k];
        node.overrides = spec.overrides[k];
        node.inputs = c.node_inputs[k];
        kernel.nodes.push_back(std::move(node));
      }
      kernel.constants = spec.constants;
      tiled.scratch_bytes = std::max(tiled.scratch_bytes, lay_out_scratch(c, spec, step.direct, kernel));
      step.kernels.push_back(std::move(kernel));
    }
    sim::Tile tile;
    tile.kernel = it->second;
    tile.inputs = spec.boxes;
    tile.output = spec.output;
    step.tiles.push_back(std::move(tile));
    step.footprint = std::max(step.footprint, footprint(c, spec));
  }
  step.fits = step.footprint <= target.buffer_bytes;
  return tiled;
}

}  // namespace rknn::precompile
