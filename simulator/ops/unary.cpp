// Element-wise unary ops: activations (Relu, Sigmoid, Clip, ...) and math
// functions (Exp, Sqrt, Erf, ...). prepare picks one loop per op and element
// type; the loop calls an inlined functor, so run() has no per-element dispatch.
//
// Quantized inputs (uint8/int8/int16 with quantization parameters) take a
// lookup table built at prepare: entry(q) = quantize(f(dequantize(q))) with f
// evaluated in double (kernels/reference/quantized_tables.h); run() only looks
// codes up.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <type_traits>

#include "kernels/reference/quantized_tables.h"
#include "op_util.h"
#include "ops.h"

namespace rknn::sim::ops {
namespace {

// Elements per task: big enough that scheduling cost is negligible.
constexpr std::int64_t kGrain = 1 << 14;

// Attribute values decoded once at prepare.
struct UnaryParams {
  float alpha = 0.0f;
  float beta = 0.0f;
  float gamma = 0.0f;
};

// Two's-complement negation without signed-overflow UB: -INT_MIN wraps to
// INT_MIN, as numpy and ONNX Runtime do.
template <class T>
T negate(T x) {
  if constexpr (std::is_floating_point_v<T>) {
    return -x;
  } else {
    using U = std::make_unsigned_t<T>;
    return static_cast<T>(U{0} - static_cast<U>(x));
  }
}

// One functor per op. Comparisons are written so that NaN passes through.
struct Relu {
  template <class T>
  static T apply(T x, const UnaryParams&) { return x < T{0} ? T{0} : x; }
};
struct Abs {
  template <class T>
  static T apply(T x, const UnaryParams&) {
    if constexpr (std::is_unsigned_v<T>) return x;
    else return x < T{0} ? negate(x) : x;
  }
};
struct Neg {
  template <class T>
  static T apply(T x, const UnaryParams&) { return negate(x); }
};
struct LeakyRelu {
  static float apply(float x, const UnaryParams& p) { return x < 0.0f ? p.alpha * x : x; }
};
struct Sigmoid {
  static float apply(float x, const UnaryParams&) { return 1.0f / (1.0f + std::exp(-x)); }
};
struct Tanh {
  static float apply(float x, const UnaryParams&) { return std::tanh(x); }
};
// Clamps to [0, 1]; NaN passes through.
float clamp01(float v) { return v < 0.0f ? 0.0f : v > 1.0f ? 1.0f : v; }

struct HardSigmoid {
  static float apply(float x, const UnaryParams& p) { return clamp01(p.alpha * x + p.beta); }
};
struct HardSwish {
  // ONNX: x * max(0, min(1, alpha * x + beta)) with alpha = 1/6, beta = 0.5.
  static float apply(float x, const UnaryParams&) {
    return x * clamp01((1.0f / 6.0f) * x + 0.5f);
  }
};
struct Elu {
  static float apply(float x, const UnaryParams& p) { return x < 0.0f ? p.alpha * std::expm1(x) : x; }
};
struct Selu {
  static float apply(float x, const UnaryParams& p) {
    return x <= 0.0f ? p.gamma * (p.alpha * std::exp(x) - p.alpha) : p.gamma * x;
  }
};
struct Softplus {
  // log(1 + exp(x)) without overflowing exp for large x.
  static float apply(float x, const UnaryParams&) {
    return x > 0.0f ? x + std::log1p(std::exp(-x)) : std::log1p(std::exp(x));
  }
};
struct Softsign {
  static float apply(float x, const UnaryParams&) { return x / (1.0f + std::fabs(x)); }
};
struct Exp {
  static float apply(float x, const UnaryParams&) { return std::exp(x); }
};
struct Log {
  static float apply(float x, const UnaryParams&) { return std::log(x); }
};
struct Sqrt {
  static float apply(float x, const UnaryParams&) { return std::sqrt(x); }
};
struct Reciprocal {
  static float apply(float x, const UnaryParams&) { return 1.0f / x; }
};
struct Floor {
  static float apply(float x, const UnaryParams&) { return std::floor(x); }
};
struct Ceil {
  static float apply(float x, const UnaryParams&) { return std::ceil(x); }
};
struct Erf {
  static float apply(float x, const UnaryParams&) { return std::erf(x); }
};
struct Sin {
  static float apply(float x, const UnaryParams&) { return std::sin(x); }
};
struct Cos {
  static float apply(float x, const UnaryParams&) { return std::cos(x); }
};

template <class T, class F>
void map_range(const T* x, T* y, std::int64_t begin, std::int64_t end, const UnaryParams& p) {
  for (std::int64_t i = begin; i < end; ++i) y[i] = F::apply(x[i], p);
}

template <class T>
using MapFn = void (*)(const T*, T*, std::int64_t, std::int64_t, const UnaryParams&);

template <class T>
std::unique_ptr<Kernel> map_kernel(MapFn<T> fn, UnaryParams params) {
  return make_kernel([fn, params](std::span<const Tensor* const> in, std::span<Tensor* const> out,
                                  ThreadPool& pool) {
    const T* x = in[0]->data<T>();
    T* y = out[0]->data<T>();
    pool.parallel_for(out[0]->element_count(), kGrain,
                      [&](std::int64_t b, std::int64_t e) { fn(x, y, b, e, params); });
  });
}

// Relu, Abs and Neg also run on integers; pick the loop for the element type.
template <class F>
std::unique_ptr<Kernel> typed_map_kernel(DType dtype) {
  switch (dtype) {
    case DType::kUInt8: return map_kernel<std::uint8_t>(map_range<std::uint8_t, F>, {});
    case DType::kInt8: return map_kernel<std::int8_t>(map_range<std::int8_t, F>, {});
    case DType::kInt16: return map_kernel<std::int16_t>(map_range<std::int16_t, F>, {});
    case DType::kInt32: return map_kernel<std::int32_t>(map_range<std::int32_t, F>, {});
    case DType::kInt64: return map_kernel<std::int64_t>(map_range<std::int64_t, F>, {});
    default: return map_kernel<float>(map_range<float, F>, {});
  }
}

// Float-only ops: decode attributes and choose the loop.
std::unique_ptr<Kernel> float_kernel(const OpNode& node) {
  const Attributes& a = node.attrs;
  const std::string& op = node.op;
  if (op == "LeakyRelu") return map_kernel<float>(map_range<float, LeakyRelu>, {.alpha = a.get_float("alpha", 0.01f)});
  if (op == "HardSigmoid") {
    return map_kernel<float>(map_range<float, HardSigmoid>,
                             {.alpha = a.get_float("alpha", 0.2f), .beta = a.get_float("beta", 0.5f)});
  }
  if (op == "Elu") return map_kernel<float>(map_range<float, Elu>, {.alpha = a.get_float("alpha", 1.0f)});
  if (op == "Selu") {
    return map_kernel<float>(map_range<float, Selu>,
                             {.alpha = a.get_float("alpha", 1.67326319217681884765625f),
                              .gamma = a.get_float("gamma", 1.05070102214813232421875f)});
  }
  if (op == "Sigmoid") return map_kernel<float>(map_range<float, Sigmoid>, {});
  if (op == "Tanh") return map_kernel<float>(map_range<float, Tanh>, {});
  if (op == "HardSwish") return map_kernel<float>(map_range<float, HardSwish>, {});
  if (op == "Softplus") return map_kernel<float>(map_range<float, Softplus>, {});
  if (op == "Softsign") return map_kernel<float>(map_range<float, Softsign>, {});
  if (op == "Exp") return map_kernel<float>(map_range<float, Exp>, {});
  if (op == "Log") return map_kernel<float>(map_range<float, Log>, {});
  if (op == "Sqrt") return map_kernel<float>(map_range<float, Sqrt>, {});
  if (op == "Reciprocal") return map_kernel<float>(map_range<float, Reciprocal>, {});
  if (op == "Floor") return map_kernel<float>(map_range<float, Floor>, {});
  if (op == "Ceil") return map_kernel<float>(map_range<float, Ceil>, {});
  if (op == "Erf") return map_kernel<float>(map_range<float, Erf>, {});
  if (op == "Sin") return map_kernel<float>(map_range<float, Sin>, {});
  if (op == "Cos") return map_kernel<float>(map_range<float, Cos>, {});
  throw UnsupportedError("op '" + op + "' is not a unary op");
}

// Clip bounds: known at prepare when the min/max inputs are constants,
// otherwise read from the input tensors at the start of each run.
template <class T>
struct ClipParams {
  T lo = std::numeric_limits<T>::lowest();
  T hi = std::numeric_limits<T>::max();
  bool lo_at_run = false;
  bool hi_at_run = false;
};

// Checks an optional Clip bound and returns it when it is a constant.
template <class T>
void decode_clip_bound(std::span<const InputInfo> inputs, std::size_t index, T& value, bool& at_run) {
  const InputInfo* bound = optional_input(inputs, index);
  if (!bound) return;
  const char* name = index == 1 ? "min" : "max";
  if (bound->type.dtype != inputs[0].type.dtype) {
    throw Error(std::string("Clip ") + name + " is " + bound->type.to_string() +
                ", expected the input's element type " + std::string(dtype_name(inputs[0].type.dtype)));
  }
  if (bound->type.element_count() != 1) {
    throw Error(std::string("Clip ") + name + " must be a scalar, got " + bound->type.to_string());
  }
  if (bound->constant) {
    value = bound->constant->data<T>()[0];
  } else {
    at_run = true;
  }
}

template <class T>
void clip_range(const T* x, T* y, std::int64_t begin, std::int64_t end, T lo, T hi) {
  // max then min: NaN passes through and lo > hi gives hi, as ONNX specifies.
  for (std::int64_t i = begin; i < end; ++i) {
    const T v = x[i] < lo ? lo : x[i];
    y[i] = hi < v ? hi : v;
  }
}

template <class T>
std::unique_ptr<Kernel> clip_kernel(std::span<const InputInfo> inputs) {
  ClipParams<T> p;
  if constexpr (std::is_floating_point_v<T>) {
    p.lo = -std::numeric_limits<T>::infinity();
    p.hi = std::numeric_limits<T>::infinity();
  }
  decode_clip_bound<T>(inputs, 1, p.lo, p.lo_at_run);
  decode_clip_bound<T>(inputs, 2, p.hi, p.hi_at_run);
  return make_kernel([p](std::span<const Tensor* const> in, std::span<Tensor* const> out,
                         ThreadPool& pool) {
    const T lo = p.lo_at_run ? in[1]->data<T>()[0] : p.lo;
    const T hi = p.hi_at_run ? in[2]->data<T>()[0] : p.hi;
    const T* x = in[0]->data<T>();
    T* y = out[0]->data<T>();
    pool.parallel_for(out[0]->element_count(), kGrain,
                      [&](std::int64_t b, std::int64_t e) { clip_range(x, y, b, e, lo, hi); });
  });
}

std::unique_ptr<Kernel> prepare_clip(std::span<const InputInfo> inputs) {
  expect_dtype(inputs[0], {DType::kFloat32, DType::kUInt8, DType::kInt8, DType::kInt16,
                           DType::kInt32, DType::kInt64}, "input");
  switch (inputs[0].type.dtype) {
    case DType::kUInt8: return clip_kernel<std::uint8_t>(inputs);
    case DType::kInt8: return clip_kernel<std::int8_t>(inputs);
    case DType::kInt16: return clip_kernel<std::int16_t>(inputs);
    case DType::kInt32: return clip_kernel<std::int32_t>(inputs);
    case DType::kInt64: return clip_kernel<std::int64_t>(inputs);
    default: return clip_kernel<float>(inputs);
  }
}

std::unique_ptr<Kernel> prepare_kernel(const OpNode& node, std::span<const InputInfo> inputs) {
  const InputInfo& x = inputs[0];
  if (node.op == "Clip") return prepare_clip(inputs);
  // Signed integers where ONNX defines the op for them; Abs also takes uint8.
  if (node.op == "Relu" || node.op == "Neg") {
    expect_dtype(x, {DType::kFloat32, DType::kInt8, DType::kInt16, DType::kInt32, DType::kInt64}, "input");
    return node.op == "Relu" ? typed_map_kernel<Relu>(x.type.dtype) : typed_map_kernel<Neg>(x.type.dtype);
  }
  if (node.op == "Abs") {
    expect_dtype(x, {DType::kFloat32, DType::kUInt8, DType::kInt8, DType::kInt16, DType::kInt32,
                     DType::kInt64}, "input");
    return typed_map_kernel<Abs>(x.type.dtype);
  }
  expect_dtype(x, {DType::kFloat32}, "input");
  return float_kernel(node);
}

// ---- Quantized: lookup tables ----------------------------------------------

using RealFn = std::function<double(double)>;

double clamp01(double v) { return v < 0.0 ? 0.0 : v > 1.0 ? 1.0 : v; }

// A Clip bound as a real value: a float constant, a quantized constant, or
// (ONNX's own typing) a code of X's type read with X's parameters.
double clip_bound(std::span<const InputInfo> inputs, std::size_t index, double fallback,
                  const reference::QScale& x) {
  const InputInfo* bound = optional_input(inputs, index);
  if (!bound) return fallback;
  const std::string name = index == 1 ? "min" : "max";
  if (!bound->constant) throw UnsupportedError("Clip " + name + " of a quantized input must be a constant");
  if (bound->type.element_count() != 1) {
    throw Error("Clip " + name + " must be a scalar, got " + bound->type.to_string());
  }
  if (bound->type.dtype == DType::kFloat32) return bound->constant->data<float>()[0];
  const std::int64_t code = bound->constant->to_int64_vector()[0];
  if (reference::is_quantized(*bound)) return reference::input_scale(*bound, "Clip " + name).dequantize(code);
  if (bound->type.dtype != x.dtype) {
    throw Error("Clip " + name + " is " + bound->type.to_string() + ", expected float32 or the input's element type");
  }
  return x.dequantize(code);
}

RealFn clip_function(std::span<const InputInfo> inputs, const reference::QScale& x) {
  const double lo = clip_bound(inputs, 1, -std::numeric_limits<double>::infinity(), x);
  const double hi = clip_bound(inputs, 2, std::numeric_limits<double>::infinity(), x);
  return [lo, hi](double v) { return std::min(std::max(v, lo), hi); };
}

// Activations with attributes.
RealFn parametric_function(const OpNode& node) {
  const Attributes& a = node.attrs;
  if (node.op == "LeakyRelu") {
    const double alpha = a.get_float("alpha", 0.01f);
    return [alpha](double v) { return v < 0.0 ? alpha * v : v; };
  }
  if (node.op == "HardSigmoid") {
    const double alpha = a.get_float("alpha", 0.2f);
    const double beta = a.get_float("beta", 0.5f);
    return [alpha, beta](double v) { return clamp01(alpha * v + beta); };
  }
  if (node.op == "Elu") {
    const double alpha = a.get_float("alpha", 1.0f);
    return [alpha](double v) { return v < 0.0 ? alpha * std::expm1(v) : v; };
  }
  if (node.op == "Selu") {
    const double alpha = a.get_float("alpha", 1.67326319217681884765625f);
    const double gamma = a.get_float("gamma", 1.05070102214813232421875f);
    return [alpha, gamma](double v) { return v <= 0.0 ? gamma * (alpha * std::exp(v) - alpha) : gamma * v; };
  }
  return nullptr;
}

// Log of a non-positive value gives -inf, so the output's lowest code.
double safe_log(double v) { return v > 0.0 ? std::log(v) : -std::numeric_limits<double>::infinity(); }
double softplus(double v) { return v > 0.0 ? v + std::log1p(std::exp(-v)) : std::log1p(std::exp(v)); }

RealFn plain_function(const std::string& op) {
  if (op == "Relu") return [](double v) { return v < 0.0 ? 0.0 : v; };
  if (op == "Sigmoid") return [](double v) { return 1.0 / (1.0 + std::exp(-v)); };
  if (op == "Tanh") return [](double v) { return std::tanh(v); };
  if (op == "HardSwish") return [](double v) { return v * clamp01(v / 6.0 + 0.5); };
  if (op == "Softplus") return softplus;
  if (op == "Softsign") return [](double v) { return v / (1.0 + std::fabs(v)); };
  if (op == "Exp") return [](double v) { return std::exp(v); };
  if (op == "Log") return safe_log;
  if (op == "Sqrt") return [](double v) { return std::sqrt(v); };
  if (op == "Abs") return [](double v) { return std::fabs(v); };
  if (op == "Neg") return [](double v) { return -v; };
  if (op == "Reciprocal") return [](double v) { return 1.0 / v; };
  if (op == "Floor") return [](double v) { return std::floor(v); };
  if (op == "Ceil") return [](double v) { return std::ceil(v); };
  if (op == "Erf") return [](double v) { return std::erf(v); };
  if (op == "Sin") return [](double v) { return std::sin(v); };
  if (op == "Cos") return [](double v) { return std::cos(v); };
  return nullptr;
}

template <class T>
std::unique_ptr<Kernel> table_kernel(const std::vector<std::int32_t>& entries, std::int64_t lowest) {
  std::vector<T> table(entries.begin(), entries.end());
  return make_kernel([table = std::move(table), lowest](std::span<const Tensor* const> in,
                                                         std::span<Tensor* const> out, ThreadPool& pool) {
    const T* x = in[0]->data<T>();
    T* y = out[0]->data<T>();
    const T* t = table.data() - lowest;  // t[v] for every value v of T
    pool.parallel_for(out[0]->element_count(), kGrain, [&](std::int64_t b, std::int64_t e) {
      for (std::int64_t i = b; i < e; ++i) y[i] = t[x[i]];
    });
  });
}

std::unique_ptr<Kernel> quantized_kernel(const OpNode& node, std::span<const InputInfo> inputs) {
  const reference::QScale x = reference::input_scale(inputs[0], "input");
  const reference::QScale y = reference::output_scale(node, 0, x.dtype);
  RealFn f = node.op == "Clip" ? clip_function(inputs, x) : parametric_function(node);
  if (!f) f = plain_function(node.op);
  if (!f) throw UnsupportedError("op '" + node.op + "' has no quantized kernel");
  const std::vector<std::int32_t> entries = reference::build_unary_table(f, x, y);
  return reference::with_code_type(x.dtype, [&](auto zero) {
    using T = decltype(zero);
    return table_kernel<T>(entries, std::numeric_limits<T>::lowest());
  });
}

}  // namespace

Prepared prepare_unary(const OpNode& node, std::span<const InputInfo> inputs, const KernelOptions&) {
  expect_input_count(inputs, 1, node.op == "Clip" ? 3 : 1);
  Prepared prepared;
  prepared.kernel = reference::is_quantized(inputs[0]) ? quantized_kernel(node, inputs) : prepare_kernel(node, inputs);
  prepared.outputs = {inputs[0].type};
  return prepared;
}

}  // namespace rknn::sim::ops
