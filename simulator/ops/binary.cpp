// Element-wise ops on two or more inputs with numpy broadcasting: Add, Sub,
// Mul, Div, Pow; Max, Min, Sum, Mean over N inputs; PRelu.
//
// Two loops compute the same values with the same float operations:
//   plain_range  walks the N-d output index and both input offsets per element
//                (the reference);
//   fast_range   first merges axes that both inputs walk alike, then runs a
//                tight inner loop per output row: vector-vector, vector-scalar
//                or scalar-vector.
//
// Quantized inputs (uint8/int8/int16 with quantization parameters) run the
// integer rules of kernels/reference/quantized_elementwise.h over the same
// two walks: Add, Sub, Mul, Max, Min and PRelu. Other ops on quantized inputs
// are UnsupportedError (the compiler keeps them in float).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <type_traits>

#include "kernels/reference/quantized_elementwise.h"
#include "op_util.h"
#include "ops.h"

namespace rknn::sim::ops {
namespace {

// Elements per task: big enough that scheduling cost is negligible.
constexpr std::int64_t kGrain = 1 << 14;

// ---- Element ops ---------------------------------------------------------

// Integer add/sub/mul wrap around like two's-complement hardware instead of
// being undefined: compute in an unsigned type at least as wide as int.
template <class T>
using Wrap = std::conditional_t<(sizeof(T) < sizeof(unsigned)), unsigned, std::make_unsigned_t<T>>;

template <class T>
T wrap_add(T a, T b) {
  if constexpr (std::is_integral_v<T>) return static_cast<T>(static_cast<Wrap<T>>(a) + static_cast<Wrap<T>>(b));
  else return a + b;
}
template <class T>
T wrap_sub(T a, T b) {
  if constexpr (std::is_integral_v<T>) return static_cast<T>(static_cast<Wrap<T>>(a) - static_cast<Wrap<T>>(b));
  else return a - b;
}
template <class T>
T wrap_mul(T a, T b) {
  if constexpr (std::is_integral_v<T>) return static_cast<T>(static_cast<Wrap<T>>(a) * static_cast<Wrap<T>>(b));
  else return a * b;
}

// C division, truncating toward zero. The two cases C++ leaves undefined (and
// x86 traps on) get fixed answers: x / 0 = 0 and MIN / -1 wraps to MIN.
template <class T>
T int_div(T a, T b) {
  if (b == 0) return T{0};
  if constexpr (std::is_signed_v<T>) {
    if (b == -1) return wrap_sub(T{0}, a);
  }
  return static_cast<T>(a / b);
}

// Integer power by squaring, wrapping on overflow. A negative exponent gives
// the truncated value of 1 / a^-e: 0 unless a is 1 or -1.
template <class T, class E>
T int_pow(T a, E e) {
  if (e < 0) return a == 1 ? T{1} : a == -1 ? ((e & 1) ? T{-1} : T{1}) : T{0};
  T result = 1;
  for (T base = a; e > 0; e >>= 1) {
    if (e & 1) result = wrap_mul(result, base);
    base = wrap_mul(base, base);
  }
  return result;
}

struct AddOp {
  template <class T> static T apply(T a, T b) { return wrap_add(a, b); }
};
struct SubOp {
  template <class T> static T apply(T a, T b) { return wrap_sub(a, b); }
};
struct MulOp {
  template <class T> static T apply(T a, T b) { return wrap_mul(a, b); }
};
struct DivOp {
  template <class T> static T apply(T a, T b) {
    if constexpr (std::is_integral_v<T>) return int_div(a, b);
    else return a / b;
  }
};
struct PowOp {
  template <class TA, class TB> static TA apply(TA a, TB b) {
    if constexpr (std::is_floating_point_v<TA>) return std::pow(a, static_cast<TA>(b));
    else return int_pow(a, b);
  }
};
// Max and Min propagate a NaN from either side, like numpy.maximum.
struct MaxOp {
  template <class T> static T apply(T a, T b) { return (a < b || b != b) ? b : a; }
};
struct MinOp {
  template <class T> static T apply(T a, T b) { return (b < a || b != b) ? b : a; }
};
// Copies the first operand: the one-input case of Max, Min, Sum and Mean.
struct LeftOp {
  template <class T> static T apply(T a, T) { return a; }
};
struct PReluOp {
  template <class T> static T apply(T x, T slope) { return x < T{0} ? wrap_mul(slope, x) : x; }
};

// ---- Broadcast plans and loops -------------------------------------------

// How two inputs map onto the output: element strides over the output axes,
// 0 on the axes an input is broadcast along.
struct BroadcastPlan {
  Shape out;
  std::vector<std::int64_t> sa;
  std::vector<std::int64_t> sb;
};

BroadcastPlan make_plan(const Shape& a, const Shape& b, const Shape& out) {
  return {out, broadcast_strides(a, out), broadcast_strides(b, out)};
}

// Drops size-1 axes and merges neighbouring axes that both inputs step
// through alike (both contiguous, or both broadcast), so the innermost axis
// is as long as possible. The result has at least one axis.
BroadcastPlan collapse(const BroadcastPlan& p) {
  BroadcastPlan c;
  for (std::size_t d = 0; d < p.out.size(); ++d) {
    if (p.out[d] == 1) continue;
    if (!c.out.empty() && c.sa.back() == p.sa[d] * p.out[d] && c.sb.back() == p.sb[d] * p.out[d]) {
      c.out.back() *= p.out[d];
      c.sa.back() = p.sa[d];
      c.sb.back() = p.sb[d];
    } else {
      c.out.push_back(p.out[d]);
      c.sa.push_back(p.sa[d]);
      c.sb.push_back(p.sb[d]);
    }
  }
  if (c.out.empty()) c = {{1}, {0}, {0}};
  return c;
}

// Walks the first `rank` output axes in row-major order from flat position
// `start`, keeping the matching offsets into both inputs.
class Walker {
 public:
  Walker(const BroadcastPlan& plan, std::size_t rank, std::int64_t start)
      : plan_(plan), index_(rank, 0) {
    for (std::size_t d = rank; d-- > 0;) {
      index_[d] = start % plan.out[d];
      start /= plan.out[d];
      a += index_[d] * plan.sa[d];
      b += index_[d] * plan.sb[d];
    }
  }

  void next() {
    for (std::size_t d = index_.size(); d-- > 0;) {
      a += plan_.sa[d];
      b += plan_.sb[d];
      if (++index_[d] < plan_.out[d]) return;
      a -= plan_.sa[d] * plan_.out[d];
      b -= plan_.sb[d] * plan_.out[d];
      index_[d] = 0;
    }
  }

  std::int64_t a = 0;
  std::int64_t b = 0;

 private:
  const BroadcastPlan& plan_;
  std::vector<std::int64_t> index_;
};

template <class TA, class TB, class TY>
using RangeFn = void (*)(const BroadcastPlan&, const TA*, const TB*, TY*, std::int64_t, std::int64_t);

// The reference: one output element at a time over the full N-d index.
template <class Op, class TA, class TB, class TY>
void plain_range(const BroadcastPlan& p, const TA* a, const TB* b, TY* y, std::int64_t begin,
                 std::int64_t end) {
  Walker w(p, p.out.size(), begin);
  for (std::int64_t i = begin; i < end; ++i, w.next()) y[i] = Op::apply(a[w.a], b[w.b]);
}

// Row loops of the fast path; each input is contiguous or a repeated scalar.
template <class Op, class TA, class TB, class TY>
void row(const TA* a, std::int64_t ia, const TB* b, std::int64_t ib, TY* y, std::int64_t n) {
  if (ia && ib) {
    for (std::int64_t k = 0; k < n; ++k) y[k] = Op::apply(a[k], b[k]);
  } else if (ia) {
    const TB s = *b;
    for (std::int64_t k = 0; k < n; ++k) y[k] = Op::apply(a[k], s);
  } else if (ib) {
    const TA s = *a;
    for (std::int64_t k = 0; k < n; ++k) y[k] = Op::apply(s, b[k]);
  } else {
    for (std::int64_t k = 0; k < n; ++k) y[k] = Op::apply(*a, *b);
  }
}

// Visits elements [begin, end) of a collapsed plan as runs along its innermost
// axis (whole rows, partial at task edges): run(a_offset, b_offset, first, count).
template <class Run>
void for_each_run(const BroadcastPlan& p, std::int64_t begin, std::int64_t end, Run run) {
  const std::size_t outer = p.out.size() - 1;
  const std::int64_t inner = p.out[outer];
  Walker w(p, outer, begin / inner);
  std::int64_t col = begin % inner;
  for (std::int64_t i = begin; i < end; w.next()) {
    const std::int64_t n = std::min(inner - col, end - i);
    run(w.a + col * p.sa[outer], w.b + col * p.sb[outer], i, n);
    i += n;
    col = 0;
  }
}

// The fast path on a collapsed plan: a row kernel per run.
template <class Op, class TA, class TB, class TY>
void fast_range(const BroadcastPlan& p, const TA* a, const TB* b, TY* y, std::int64_t begin,
                std::int64_t end) {
  const std::int64_t ia = p.sa.back();
  const std::int64_t ib = p.sb.back();
  for_each_run(p, begin, end, [&](std::int64_t oa, std::int64_t ob, std::int64_t i, std::int64_t n) {
    row<Op>(a + oa, ia, b + ob, ib, y + i, n);
  });
}

// One broadcast pass y = op(a, b); a_input < 0 means "the output itself"
// (the running result of Max/Min/Sum/Mean).
template <class TA, class TB, class TY>
struct Pass {
  BroadcastPlan plan;
  RangeFn<TA, TB, TY> fn;
  int a_input;
  int b_input;
};

template <class Op, class TA, class TB, class TY>
Pass<TA, TB, TY> make_pass(const Shape& a, const Shape& b, const Shape& out, int a_input,
                           int b_input, bool reference) {
  BroadcastPlan plan = make_plan(a, b, out);
  if (reference) return {std::move(plan), plain_range<Op, TA, TB, TY>, a_input, b_input};
  return {collapse(plan), fast_range<Op, TA, TB, TY>, a_input, b_input};
}

template <class TA, class TB, class TY>
void run_pass(const Pass<TA, TB, TY>& pass, std::span<const Tensor* const> in, TY* y, ThreadPool& pool) {
  const TA* a = pass.a_input < 0 ? y : in[static_cast<std::size_t>(pass.a_input)]->data<TA>();
  const TB* b = in[static_cast<std::size_t>(pass.b_input)]->data<TB>();
  pool.parallel_for(element_count(pass.plan.out), kGrain,
                    [&](std::int64_t begin, std::int64_t end) { pass.fn(pass.plan, a, b, y, begin, end); });
}

// ---- Kernels -------------------------------------------------------------

template <class Op, class TA, class TB = TA>
std::unique_ptr<Kernel> binary_kernel(const Shape& a, const Shape& b, const Shape& out, bool reference) {
  auto pass = make_pass<Op, TA, TB, TA>(a, b, out, 0, 1, reference);
  return make_kernel([pass = std::move(pass)](std::span<const Tensor* const> in,
                                              std::span<Tensor* const> outs, ThreadPool& pool) {
    run_pass(pass, in, outs[0]->data<TA>(), pool);
  });
}

// The element types Add, Sub, Mul, Div, Max, Min and PRelu share.
template <template <class> class Make, class... Args>
std::unique_ptr<Kernel> by_dtype(DType dtype, Args&&... args) {
  switch (dtype) {
    case DType::kUInt8: return Make<std::uint8_t>::make(args...);
    case DType::kInt8: return Make<std::int8_t>::make(args...);
    case DType::kInt16: return Make<std::int16_t>::make(args...);
    case DType::kInt32: return Make<std::int32_t>::make(args...);
    case DType::kInt64: return Make<std::int64_t>::make(args...);
    default: return Make<float>::make(args...);
  }
}

template <class Op>
struct MakeBinary {
  template <class T>
  struct For {
    static std::unique_ptr<Kernel> make(const Shape& a, const Shape& b, const Shape& out, bool reference) {
      return binary_kernel<Op, T>(a, b, out, reference);
    }
  };
};

// Pow: float base with float or integer exponent; integer base with integer exponent.
std::unique_ptr<Kernel> pow_kernel(const TensorType& a, const TensorType& b, const Shape& out,
                                   bool reference) {
  const DType ea = a.dtype;
  const DType eb = b.dtype;
  if (ea == DType::kFloat32) {
    if (eb == DType::kFloat32) return binary_kernel<PowOp, float, float>(a.shape, b.shape, out, reference);
    if (eb == DType::kInt32) return binary_kernel<PowOp, float, std::int32_t>(a.shape, b.shape, out, reference);
    if (eb == DType::kInt64) return binary_kernel<PowOp, float, std::int64_t>(a.shape, b.shape, out, reference);
  }
  if (ea == DType::kInt32 && eb == DType::kInt32) return binary_kernel<PowOp, std::int32_t, std::int32_t>(a.shape, b.shape, out, reference);
  if (ea == DType::kInt32 && eb == DType::kInt64) return binary_kernel<PowOp, std::int32_t, std::int64_t>(a.shape, b.shape, out, reference);
  if (ea == DType::kInt64 && eb == DType::kInt32) return binary_kernel<PowOp, std::int64_t, std::int32_t>(a.shape, b.shape, out, reference);
  if (ea == DType::kInt64 && eb == DType::kInt64) return binary_kernel<PowOp, std::int64_t, std::int64_t>(a.shape, b.shape, out, reference);
  throw UnsupportedError("Pow of " + std::string(dtype_name(ea)) + " by " + std::string(dtype_name(eb)) +
                         " is not implemented; supported: float32 by float32/int32/int64, "
                         "int32/int64 by int32/int64");
}

void expect_same_dtype(std::span<const InputInfo> inputs) {
  for (std::size_t i = 1; i < inputs.size(); ++i) {
    if (inputs[i].type.dtype != inputs[0].type.dtype) {
      throw Error("input " + std::to_string(i) + " is " + inputs[i].type.to_string() +
                  ", expected the same element type as input 0 (" + inputs[0].type.to_string() + ")");
    }
  }
}

constexpr std::initializer_list<DType> kArithmeticTypes = {
    DType::kFloat32, DType::kUInt8, DType::kInt8, DType::kInt16, DType::kInt32, DType::kInt64};

// Max/Min/Sum/Mean: a first pass combines inputs 0 and 1 (or copies input 0),
// then each further input is folded into the output in order, so every
// element sees the same operation sequence ((x0 op x1) op x2) ...
template <class Op, class T>
std::vector<Pass<T, T, T>> fold_passes(std::span<const InputInfo> inputs, const Shape& out, bool reference) {
  std::vector<Pass<T, T, T>> passes;
  if (inputs.size() == 1) {
    passes.push_back(make_pass<LeftOp, T, T, T>(inputs[0].type.shape, inputs[0].type.shape, out, 0, 0, reference));
    return passes;
  }
  passes.push_back(make_pass<Op, T, T, T>(inputs[0].type.shape, inputs[1].type.shape, out, 0, 1, reference));
  for (std::size_t i = 2; i < inputs.size(); ++i) {
    passes.push_back(make_pass<Op, T, T, T>(out, inputs[i].type.shape, out, -1, static_cast<int>(i), reference));
  }
  return passes;
}

template <class Op>
struct MakeFold {
  template <class T>
  struct For {
    // divide_by > 0: Mean, the sum divided by the input count at the end.
    static std::unique_ptr<Kernel> make(std::span<const InputInfo> inputs, const Shape& out,
                                        bool reference, std::int64_t divide_by) {
      auto passes = fold_passes<Op, T>(inputs, out, reference);
      return make_kernel([passes = std::move(passes), divide_by](
                             std::span<const Tensor* const> in, std::span<Tensor* const> outs, ThreadPool& pool) {
        T* y = outs[0]->data<T>();
        for (const auto& pass : passes) run_pass(pass, in, y, pool);
        if constexpr (std::is_floating_point_v<T>) {
          if (divide_by > 0) {
            const T n = static_cast<T>(divide_by);
            pool.parallel_for(outs[0]->element_count(), kGrain, [&](std::int64_t b, std::int64_t e) {
              for (std::int64_t i = b; i < e; ++i) y[i] = y[i] / n;
            });
          }
        } else {
          (void)divide_by;  // integer Max/Min never divide (Clang warns about the capture)
        }
      });
    }
  };
};

// ---- Quantized -----------------------------------------------------------

// The two walks with a rule object instead of a static functor. b may point
// at another element type (PRelu: the slope multipliers).
template <class Rule, class T, class TB>
void q_plain_range(const Rule& rule, const BroadcastPlan& p, const T* a, const TB* b, T* y, std::int64_t begin,
                   std::int64_t end) {
  Walker w(p, p.out.size(), begin);
  for (std::int64_t i = begin; i < end; ++i, w.next()) y[i] = static_cast<T>(rule.apply(a[w.a], b[w.b]));
}

template <class Rule, class T, class TB>
void q_fast_range(const Rule& rule, const BroadcastPlan& p, const T* a, const TB* b, T* y, std::int64_t begin,
                  std::int64_t end) {
  const std::int64_t ia = p.sa.back();
  const std::int64_t ib = p.sb.back();
  for_each_run(p, begin, end, [&](std::int64_t oa, std::int64_t ob, std::int64_t i, std::int64_t n) {
    for (std::int64_t k = 0; k < n; ++k) y[i + k] = static_cast<T>(rule.apply(a[oa + k * ia], b[ob + k * ib]));
  });
}

// One broadcast pass of a rule; a_input < 0 reads the output itself (folds).
template <class Rule>
struct QPass {
  Rule rule;
  BroadcastPlan plan;
  bool reference = false;
  int a_input = 0;
  int b_input = 1;
};

template <class Rule>
QPass<Rule> make_q_pass(Rule rule, const Shape& a, const Shape& b, const Shape& out, int a_input, int b_input,
                        bool reference) {
  BroadcastPlan plan = make_plan(a, b, out);
  return {std::move(rule), reference ? std::move(plan) : collapse(plan), reference, a_input, b_input};
}

template <class T, class Rule, class TB>
void run_q_pass(const QPass<Rule>& pass, const T* a, const TB* b, T* y, ThreadPool& pool) {
  pool.parallel_for(element_count(pass.plan.out), kGrain, [&](std::int64_t begin, std::int64_t end) {
    if (pass.reference) q_plain_range(pass.rule, pass.plan, a, b, y, begin, end);
    else q_fast_range(pass.rule, pass.plan, a, b, y, begin, end);
  });
}

template <class T, class Rule>
void run_q_passes(const std::vector<QPass<Rule>>& passes, std::span<const Tensor* const> in, T* y,
                  ThreadPool& pool) {
  for (const QPass<Rule>& pass : passes) {
    const T* a = pass.a_input < 0 ? y : in[static_cast<std::size_t>(pass.a_input)]->data<T>();
    run_q_pass(pass, a, in[static_cast<std::size_t>(pass.b_input)]->data<T>(), y, pool);
  }
}

template <class Rule>
std::unique_ptr<Kernel> q_passes_kernel(DType dtype, std::vector<QPass<Rule>> passes) {
  return reference::with_code_type(dtype, [&](auto zero) -> std::unique_ptr<Kernel> {
    using T = decltype(zero);
    return make_kernel([passes = std::move(passes)](std::span<const Tensor* const> in,
                                                    std::span<Tensor* const> out, ThreadPool& pool) {
      run_q_passes(passes, in, out[0]->data<T>(), pool);
    });
  });
}

// Either every input is quantized or none is: a plain integer tensor next to
// a quantized one has no meaning.
bool quantized_inputs(std::span<const InputInfo> inputs) {
  const bool any =
      std::any_of(inputs.begin(), inputs.end(), [](const InputInfo& i) { return reference::is_quantized(i); });
  for (std::size_t i = 0; any && i < inputs.size(); ++i) {
    if (!reference::is_quantized(inputs[i])) {
      throw Error("input " + std::to_string(i) + " (" + inputs[i].type.to_string() +
                  ") has no quantization parameters while another input is quantized");
    }
  }
  return any;
}

std::unique_ptr<Kernel> quantized_binary(const OpNode& node, std::span<const InputInfo> inputs, const Shape& out,
                                         bool reference) {
  if (node.op != "Add" && node.op != "Sub" && node.op != "Mul") {
    throw UnsupportedError(node.op + " of quantized inputs has no integer kernel; the compiler keeps it in float");
  }
  expect_same_dtype(inputs);
  const reference::QScale a = reference::input_scale(inputs[0], "input 0");
  const reference::QScale b = reference::input_scale(inputs[1], "input 1");
  const reference::QScale y = reference::output_scale(node, 0, a.dtype);
  const Shape& sa = inputs[0].type.shape;
  const Shape& sb = inputs[1].type.shape;
  if (node.op == "Mul") {
    const reference::MulRule rule = reference::make_mul_rule(a, b, y);
    std::vector<QPass<reference::MulRule>> passes{make_q_pass(rule, sa, sb, out, 0, 1, reference)};
    return q_passes_kernel(a.dtype, std::move(passes));
  }
  const reference::AddRule rule = reference::make_add_rule(a, b, y, node.op == "Sub");
  std::vector<QPass<reference::AddRule>> passes{make_q_pass(rule, sa, sb, out, 0, 1, reference)};
  return q_passes_kernel(a.dtype, std::move(passes));
}

// Max/Min: input 0 and 1 (or 0 twice), each requantized to the output, then
// every further input folded into the output, as the float path folds.
std::unique_ptr<Kernel> quantized_min_max(const OpNode& node, std::span<const InputInfo> inputs, const Shape& out,
                                          bool reference) {
  if (node.op != "Max" && node.op != "Min") {
    throw UnsupportedError(node.op + " of quantized inputs has no integer kernel; the compiler keeps it in float");
  }
  const bool max = node.op == "Max";
  const reference::QScale y = reference::output_scale(node, 0, inputs[0].type.dtype);
  std::vector<reference::Requantizer> r;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    r.push_back(reference::make_requantizer(reference::input_scale(inputs[i], "input " + std::to_string(i)), y));
  }
  std::vector<QPass<reference::MinMaxRule>> passes;
  const int second = inputs.size() > 1 ? 1 : 0;
  passes.push_back(make_q_pass(reference::MinMaxRule{r[0], r[static_cast<std::size_t>(second)], max},
                               inputs[0].type.shape, inputs[static_cast<std::size_t>(second)].type.shape, out, 0,
                               second, reference));
  reference::Requantizer same;  // the running output is already in output codes
  same.identity = true;
  for (std::size_t i = 2; i < inputs.size(); ++i) {
    passes.push_back(make_q_pass(reference::MinMaxRule{same, r[i], max}, out, inputs[i].type.shape, out, -1,
                                 static_cast<int>(i), reference));
  }
  return q_passes_kernel(y.dtype, std::move(passes));
}

// PRelu: the slope is a constant, decoded at prepare into one multiplier per
// slope element; the walk reads those instead of a second tensor.
std::unique_ptr<Kernel> quantized_prelu(const OpNode& node, std::span<const InputInfo> inputs, bool reference) {
  const InputInfo& slope = inputs[1];
  if (!slope.constant) throw UnsupportedError("the slope of a quantized PRelu must be a constant");
  const reference::QScale x = reference::input_scale(inputs[0], "X");
  const reference::QScale y = reference::output_scale(node, 0, x.dtype);
  std::vector<reference::SlopeMultiplier> slopes;
  for (double v : reference::constant_values(*slope.constant, slope.quant, "slope")) {
    slopes.push_back(reference::make_slope_multiplier(v, x, y));
  }
  auto pass = make_q_pass(reference::make_prelu_rule(x, y), inputs[0].type.shape, slope.type.shape,
                          inputs[0].type.shape, 0, 1, reference);
  return reference::with_code_type(x.dtype, [&](auto zero) -> std::unique_ptr<Kernel> {
    using T = decltype(zero);
    return make_kernel([pass = std::move(pass), slopes = std::move(slopes)](
                           std::span<const Tensor* const> in, std::span<Tensor* const> out, ThreadPool& pool) {
      run_q_pass(pass, in[0]->data<T>(), slopes.data(), out[0]->data<T>(), pool);
    });
  });
}

}  // namespace

Prepared prepare_binary(const OpNode& node, std::span<const InputInfo> inputs, const KernelOptions& options) {
  expect_input_count(inputs, 2, 2);
  const TensorType& a = inputs[0].type;
  const TensorType& b = inputs[1].type;
  const Shape out = broadcast_shapes(a.shape, b.shape, "inputs");
  Prepared prepared;
  prepared.outputs = {TensorType{a.dtype, out}};
  if (quantized_inputs(inputs)) {
    prepared.kernel = quantized_binary(node, inputs, out, options.reference);
    return prepared;
  }
  if (node.op == "Pow") {
    prepared.kernel = pow_kernel(a, b, out, options.reference);
    return prepared;
  }
  expect_same_dtype(inputs);
  expect_dtype(inputs[0], kArithmeticTypes, "input");
  const bool ref = options.reference;
  if (node.op == "Add") prepared.kernel = by_dtype<MakeBinary<AddOp>::For>(a.dtype, a.shape, b.shape, out, ref);
  else if (node.op == "Sub") prepared.kernel = by_dtype<MakeBinary<SubOp>::For>(a.dtype, a.shape, b.shape, out, ref);
  else if (node.op == "Mul") prepared.kernel = by_dtype<MakeBinary<MulOp>::For>(a.dtype, a.shape, b.shape, out, ref);
  else if (node.op == "Div") prepared.kernel = by_dtype<MakeBinary<DivOp>::For>(a.dtype, a.shape, b.shape, out, ref);
  else throw UnsupportedError("op '" + node.op + "' is not a binary op");
  return prepared;
}

Prepared prepare_variadic(const OpNode& node, std::span<const InputInfo> inputs, const KernelOptions& options) {
  if (inputs.empty()) throw Error("expects at least 1 input, got 0");
  expect_input_count(inputs, inputs.size(), inputs.size());
  expect_same_dtype(inputs);
  Shape out = inputs[0].type.shape;
  for (std::size_t i = 1; i < inputs.size(); ++i) out = broadcast_shapes(out, inputs[i].type.shape, "inputs");
  const DType dtype = inputs[0].type.dtype;
  const bool ref = options.reference;
  Prepared prepared;
  prepared.outputs = {TensorType{dtype, out}};
  if (quantized_inputs(inputs)) {
    prepared.kernel = quantized_min_max(node, inputs, out, ref);
    return prepared;
  }
  if (node.op == "Max" || node.op == "Min") {
    expect_dtype(inputs[0], kArithmeticTypes, "input");
    prepared.kernel = node.op == "Max" ? by_dtype<MakeFold<MaxOp>::For>(dtype, inputs, out, ref, 0)
                                       : by_dtype<MakeFold<MinOp>::For>(dtype, inputs, out, ref, 0);
  } else if (node.op == "Sum" || node.op == "Mean") {
    expect_dtype(inputs[0], {DType::kFloat32}, "input");
    const auto divide_by = node.op == "Mean" ? static_cast<std::int64_t>(inputs.size()) : 0;
    prepared.kernel = MakeFold<AddOp>::For<float>::make(inputs, out, ref, divide_by);
  } else {
    throw UnsupportedError("op '" + node.op + "' is not a variadic op");
  }
  return prepared;
}

Prepared prepare_prelu(const OpNode& node, std::span<const InputInfo> inputs, const KernelOptions& options) {
  expect_input_count(inputs, 2, 2);
  const TensorType& x = inputs[0].type;
  const TensorType& slope = inputs[1].type;
  // Unidirectional: the slope broadcasts to X, never the other way.
  if (broadcast_shapes(x.shape, slope.shape, "X and slope") != x.shape) {
    throw Error("slope shape " + shape_to_string(slope.shape) + " does not broadcast to X shape " +
                shape_to_string(x.shape));
  }
  Prepared prepared;
  prepared.outputs = {x};
  // A quantized X takes a float or quantized constant slope.
  if (reference::is_quantized(inputs[0])) {
    prepared.kernel = quantized_prelu(node, inputs, options.reference);
    return prepared;
  }
  expect_same_dtype(inputs);
  expect_dtype(inputs[0], {DType::kFloat32, DType::kInt32, DType::kInt64}, "X");
  prepared.kernel = by_dtype<MakeBinary<PReluOp>::For>(x.dtype, x.shape, slope.shape, x.shape, options.reference);
  return prepared;
}

}  // namespace rknn::sim::ops
