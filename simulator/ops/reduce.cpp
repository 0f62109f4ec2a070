// Reductions over a set of axes: ReduceSum, ReduceMean, ReduceMax, ReduceMin,
// ReduceProd, ReduceSumSquare, ReduceL1, ReduceL2.
//
// Every output element is reduced by one task, visiting the reduced
// coordinates in row-major order, so results do not depend on the thread
// count. Float sums and products accumulate in double: still a fixed order,
// and far closer to the exact value on long axes.
//
// Two loops: reduce_each (the reference) finishes one output element at a
// time; reduce_rows, used when the innermost axis is kept, updates a row of
// contiguous outputs together so input reads stay sequential. Each output
// sees the same accumulation sequence in both.
//
// Quantized inputs: ReduceSum and ReduceMean sum the offset codes q - zp_in
// in int64 and requantize the sum by s_in / s_out (Sum) or s_in / (s_out *
// count) (Mean); ReduceMax and ReduceMin compare codes and requantize the
// winner by s_in / s_out. Other reductions of quantized inputs are
// UnsupportedError. The accumulators carry their multipliers, so the same
// two loops run them.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <type_traits>

#include "kernels/reference/quantized_elementwise.h"
#include "op_util.h"
#include "ops.h"

namespace rknn::sim::ops {
namespace {

// Input elements per task, roughly.
constexpr std::int64_t kGrain = 1 << 14;

// ---- Accumulators --------------------------------------------------------
// init() is the value for an empty set, step() folds in one element,
// finish() turns the accumulator into the output value given the count.

// Float sums use double; integer sums wrap in uint64 like two's complement.
template <class T>
using SumAcc = std::conditional_t<std::is_floating_point_v<T>, double, std::uint64_t>;

template <class T>
struct SumR {
  using Acc = SumAcc<T>;
  // -0.0 is the exact identity of float addition (-0 + x == x for every x).
  static Acc init() { return std::is_floating_point_v<T> ? Acc(-0.0) : Acc(0); }
  static Acc step(Acc acc, T x) { return acc + static_cast<Acc>(x); }
  static T finish(Acc acc, std::int64_t) { return static_cast<T>(acc); }
};
template <class T>
struct MeanR : SumR<T> {
  static T finish(double acc, std::int64_t n) { return static_cast<T>(acc / static_cast<double>(n)); }
};
template <class T>
struct SumSquareR : SumR<T> {
  static double step(double acc, T x) { return acc + static_cast<double>(x) * static_cast<double>(x); }
};
template <class T>
struct L1R : SumR<T> {
  static double step(double acc, T x) { return acc + std::fabs(static_cast<double>(x)); }
};
template <class T>
struct L2R : SumSquareR<T> {
  static T finish(double acc, std::int64_t) { return static_cast<T>(std::sqrt(acc)); }
};
template <class T>
struct ProdR {
  using Acc = double;
  static Acc init() { return 1.0; }
  static Acc step(Acc acc, T x) { return acc * static_cast<double>(x); }
  static T finish(Acc acc, std::int64_t) { return static_cast<T>(acc); }
};
// Max and Min keep a NaN once seen. The empty set gives -inf / +inf (lowest /
// highest for integers), as ONNX specifies.
template <class T>
struct MaxR {
  using Acc = T;
  static Acc init() {
    if constexpr (std::is_floating_point_v<T>) return -std::numeric_limits<T>::infinity();
    else return std::numeric_limits<T>::lowest();
  }
  static Acc step(Acc acc, T x) { return (acc < x || x != x) ? x : acc; }
  static T finish(Acc acc, std::int64_t) { return acc; }
};
template <class T>
struct MinR {
  using Acc = T;
  static Acc init() {
    if constexpr (std::is_floating_point_v<T>) return std::numeric_limits<T>::infinity();
    else return std::numeric_limits<T>::max();
  }
  static Acc step(Acc acc, T x) { return (x < acc || x != x) ? x : acc; }
  static T finish(Acc acc, std::int64_t) { return acc; }
};

// Quantized accumulators: instances hold the requantization.
template <class T>
struct QSumR {
  using Acc = std::int64_t;  // count * 65535 stays far below 2^63
  std::int32_t zp_in = 0;
  std::int32_t zp_out = 0;
  Multiplier multiplier;
  CodeRange range{0, 255};

  Acc init() const { return 0; }
  Acc step(Acc acc, T x) const { return acc + (std::int64_t{x} - zp_in); }
  T finish(Acc acc, std::int64_t) const {
    return static_cast<T>(saturate(zp_out + apply_multiplier(acc, multiplier), range));
  }
};
template <class T, bool kMax>
struct QExtremeR {
  using Acc = T;
  reference::Requantizer requantize;

  Acc init() const { return kMax ? std::numeric_limits<T>::lowest() : std::numeric_limits<T>::max(); }
  Acc step(Acc acc, T x) const { return (kMax ? acc < x : x < acc) ? x : acc; }
  T finish(Acc acc, std::int64_t) const { return static_cast<T>(requantize.apply(acc)); }
};

// ---- Plan and loops ------------------------------------------------------

struct Axes {
  std::vector<std::int64_t> size;
  std::vector<std::int64_t> stride;
};

// The input split into kept and reduced axes, after dropping size-1 axes and
// merging neighbours of the same kind (the input is contiguous, so they merge).
struct ReducePlan {
  Axes kept;
  Axes reduced;
  std::int64_t count = 1;  // elements reduced into each output
};

ReducePlan make_plan(const Shape& shape, const std::vector<bool>& reduce) {
  const std::vector<std::int64_t> strides = strides_of(shape);
  ReducePlan p;
  int last_kind = -1;  // 0 kept, 1 reduced
  for (std::size_t d = 0; d < shape.size(); ++d) {
    if (shape[d] == 1) continue;
    const int kind = reduce[d] ? 1 : 0;
    Axes& axes = kind ? p.reduced : p.kept;
    if (kind == last_kind) {
      axes.size.back() *= shape[d];
      axes.stride.back() = strides[d];
    } else {
      axes.size.push_back(shape[d]);
      axes.stride.push_back(strides[d]);
    }
    if (kind) p.count *= shape[d];
    last_kind = kind;
  }
  return p;
}

// Walks the first `rank` axes in row-major order from flat position `start`,
// keeping the input offset.
class Odometer {
 public:
  Odometer(const Axes& axes, std::size_t rank, std::int64_t start) : axes_(axes), index_(rank, 0) {
    if (start == 0) return;  // also keeps size-0 axes away from the modulo
    for (std::size_t d = rank; d-- > 0;) {
      index_[d] = start % axes.size[d];
      start /= axes.size[d];
      offset += index_[d] * axes.stride[d];
    }
  }

  void next() {
    for (std::size_t d = index_.size(); d-- > 0;) {
      offset += axes_.stride[d];
      if (++index_[d] < axes_.size[d]) return;
      offset -= axes_.stride[d] * axes_.size[d];
      index_[d] = 0;
    }
  }

  std::int64_t offset = 0;

 private:
  const Axes& axes_;
  std::vector<std::int64_t> index_;
};

template <class T, class R>
using ReduceFn = void (*)(const R&, const ReducePlan&, const T*, T*, std::int64_t, std::int64_t);

// The reference: outputs one at a time; the innermost reduced axis is the
// tight loop, the outer reduced axes step through an odometer.
template <class T, class R>
void reduce_each(const R& r, const ReducePlan& p, const T* x, T* y, std::int64_t begin, std::int64_t end) {
  const std::size_t outer = p.reduced.size.empty() ? 0 : p.reduced.size.size() - 1;
  const std::int64_t inner = p.reduced.size.empty() ? 1 : p.reduced.size.back();
  const std::int64_t inner_stride = p.reduced.size.empty() ? 0 : p.reduced.stride.back();
  const std::int64_t rows = inner == 0 ? 0 : p.count / inner;
  Odometer out(p.kept, p.kept.size.size(), begin);
  for (std::int64_t o = begin; o < end; ++o, out.next()) {
    typename R::Acc acc = r.init();
    Odometer red(p.reduced, outer, 0);
    for (std::int64_t row = 0; row < rows; ++row, red.next()) {
      const T* px = x + out.offset + red.offset;
      for (std::int64_t k = 0; k < inner; ++k) acc = r.step(acc, px[k * inner_stride]);
    }
    y[o] = r.finish(acc, p.count);
  }
}

// The fast path when the innermost input axis is kept: a row of outputs is
// contiguous in the input, so it is accumulated side by side.
template <class T, class R>
void reduce_rows(const R& r, const ReducePlan& p, const T* x, T* y, std::int64_t begin, std::int64_t end) {
  const std::size_t outer = p.kept.size.size() - 1;
  const std::int64_t width = p.kept.size.back();
  std::vector<typename R::Acc> acc(static_cast<std::size_t>(std::min(width, end - begin)));
  Odometer out(p.kept, outer, begin / width);
  std::int64_t col = begin % width;
  for (std::int64_t o = begin; o < end; out.next()) {
    const auto n = static_cast<std::size_t>(std::min(width - col, end - o));
    std::fill_n(acc.begin(), n, r.init());
    Odometer red(p.reduced, p.reduced.size.size(), 0);
    for (std::int64_t row = 0; row < p.count; ++row, red.next()) {
      const T* px = x + out.offset + red.offset + col;
      for (std::size_t k = 0; k < n; ++k) acc[k] = r.step(acc[k], px[k]);
    }
    for (std::size_t k = 0; k < n; ++k) y[o + static_cast<std::int64_t>(k)] = r.finish(acc[k], p.count);
    o += static_cast<std::int64_t>(n);
    col = 0;
  }
}

template <class T, class R>
std::unique_ptr<Kernel> reduce_kernel(ReducePlan plan, bool reference, R r = {}) {
  const bool rows = !reference && !plan.kept.size.empty() && plan.kept.stride.back() == 1;
  const ReduceFn<T, R> fn = rows ? reduce_rows<T, R> : reduce_each<T, R>;
  const std::int64_t grain = std::max<std::int64_t>(1, kGrain / std::max<std::int64_t>(plan.count, 1));
  return make_kernel([plan = std::move(plan), fn, grain, r](std::span<const Tensor* const> in,
                                                            std::span<Tensor* const> out, ThreadPool& pool) {
    const T* x = in[0]->data<T>();
    T* y = out[0]->data<T>();
    pool.parallel_for(out[0]->element_count(), grain,
                      [&](std::int64_t b, std::int64_t e) { fn(r, plan, x, y, b, e); });
  });
}

template <class T>
std::unique_ptr<Kernel> quantized_kernel(const std::string& op, ReducePlan plan, bool reference,
                                         const reference::QScale& in, const reference::QScale& out) {
  if (op == "ReduceSum" || op == "ReduceMean") {
    const double count = op == "ReduceMean" ? static_cast<double>(plan.count) : 1.0;
    QSumR<T> r{in.zero_point, out.zero_point, {}, out.range};
    // An empty Mean has no value; its multiplier stays 0 and gives the zero point.
    if (count > 0.0) r.multiplier = reference::ratio_multiplier(in.scale / (out.scale * count), "input");
    return reduce_kernel<T>(std::move(plan), reference, r);
  }
  const reference::Requantizer requantize = reference::make_requantizer(in, out);
  if (op == "ReduceMax") return reduce_kernel<T>(std::move(plan), reference, QExtremeR<T, true>{requantize});
  if (op == "ReduceMin") return reduce_kernel<T>(std::move(plan), reference, QExtremeR<T, false>{requantize});
  throw UnsupportedError(op + " of a quantized input has no integer kernel; the compiler keeps it in float");
}

template <class T>
std::unique_ptr<Kernel> int_kernel(const std::string& op, ReducePlan plan, bool reference) {
  if (op == "ReduceSum") return reduce_kernel<T, SumR<T>>(std::move(plan), reference);
  if (op == "ReduceMax") return reduce_kernel<T, MaxR<T>>(std::move(plan), reference);
  if (op == "ReduceMin") return reduce_kernel<T, MinR<T>>(std::move(plan), reference);
  throw UnsupportedError(op + " on integers is not implemented; supported: float32");
}

std::unique_ptr<Kernel> float_kernel(const std::string& op, ReducePlan plan, bool reference) {
  if (op == "ReduceSum") return reduce_kernel<float, SumR<float>>(std::move(plan), reference);
  if (op == "ReduceMean") return reduce_kernel<float, MeanR<float>>(std::move(plan), reference);
  if (op == "ReduceMax") return reduce_kernel<float, MaxR<float>>(std::move(plan), reference);
  if (op == "ReduceMin") return reduce_kernel<float, MinR<float>>(std::move(plan), reference);
  if (op == "ReduceProd") return reduce_kernel<float, ProdR<float>>(std::move(plan), reference);
  if (op == "ReduceSumSquare") return reduce_kernel<float, SumSquareR<float>>(std::move(plan), reference);
  if (op == "ReduceL1") return reduce_kernel<float, L1R<float>>(std::move(plan), reference);
  if (op == "ReduceL2") return reduce_kernel<float, L2R<float>>(std::move(plan), reference);
  throw UnsupportedError("op '" + op + "' is not a reduction");
}

// The axes to reduce: the `axes` input when present (ReduceSum since opset 13,
// every reduction since opset 18), otherwise the `axes` attribute.
std::vector<std::int64_t> read_axes(const OpNode& node, std::span<const InputInfo> inputs) {
  if (optional_input(inputs, 1)) {
    if (node.attrs.has("axes")) throw Error("axes given both as attribute and as input");
    const Tensor& axes = require_constant(inputs, 1, "axes");
    if (axes.shape().size() > 1) throw Error("axes must be 1-D, got " + axes.type().to_string());
    return axes.to_int64_vector();
  }
  return node.attrs.get_ints("axes");
}

// Which input axes are reduced; all of them for empty axes unless
// noop_with_empty_axes, then none.
std::vector<bool> reduced_axes(const OpNode& node, std::span<const InputInfo> inputs) {
  const std::size_t rank = inputs[0].type.shape.size();
  const std::vector<std::int64_t> axes = read_axes(node, inputs);
  if (axes.empty()) return std::vector<bool>(rank, node.attrs.get_int("noop_with_empty_axes", 0) == 0);
  std::vector<bool> reduce(rank, false);
  for (std::int64_t a : axes) {
    const auto d = static_cast<std::size_t>(normalize_axis(a, rank, "axes"));
    if (reduce[d]) throw Error("axes lists axis " + std::to_string(d) + " twice");
    reduce[d] = true;
  }
  return reduce;
}

}  // namespace

Prepared prepare_reduce(const OpNode& node, std::span<const InputInfo> inputs, const KernelOptions& options) {
  expect_input_count(inputs, 1, 2);
  const InputInfo& x = inputs[0];
  const std::vector<bool> reduce = reduced_axes(node, inputs);
  const bool keepdims = node.attrs.get_int("keepdims", 1) != 0;
  Shape out;
  for (std::size_t d = 0; d < reduce.size(); ++d) {
    if (!reduce[d]) out.push_back(x.type.shape[d]);
    else if (keepdims) out.push_back(1);
  }
  ReducePlan plan = make_plan(x.type.shape, reduce);
  Prepared prepared;
  prepared.outputs = {TensorType{x.type.dtype, out}};
  if (reference::is_quantized(x)) {
    const reference::QScale in = reference::input_scale(x, "input");
    const reference::QScale y = reference::output_scale(node, 0, in.dtype);
    prepared.kernel = reference::with_code_type(in.dtype, [&](auto zero) {
      return quantized_kernel<decltype(zero)>(node.op, std::move(plan), options.reference, in, y);
    });
    return prepared;
  }
  switch (x.type.dtype) {
    case DType::kFloat32: prepared.kernel = float_kernel(node.op, std::move(plan), options.reference); break;
    case DType::kInt32: prepared.kernel = int_kernel<std::int32_t>(node.op, std::move(plan), options.reference); break;
    case DType::kInt64: prepared.kernel = int_kernel<std::int64_t>(node.op, std::move(plan), options.reference); break;
    default: expect_dtype(x, {DType::kFloat32, DType::kInt32, DType::kInt64}, "input");
  }
  return prepared;
}

}  // namespace rknn::sim::ops
