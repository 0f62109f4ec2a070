#include "convert.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <stdexcept>

#include "rknn/sim/half.h"

namespace rknn::runtime {
namespace {

template <class T>
T load(const std::byte* p) {
  T value;
  std::memcpy(&value, p, sizeof value);
  return value;
}

template <class T>
void store(std::byte* p, T value) {
  std::memcpy(p, &value, sizeof value);
}

template <class T>
void read_as(const std::byte* data, std::span<float> out) {
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = static_cast<float>(load<T>(data + i * sizeof(T)));
}

// Round half to even, then saturate; done in float so no out-of-range cast happens.
template <class T>
void write_integers(std::span<const float> values, std::byte* out) {
  constexpr auto lo = static_cast<float>(std::numeric_limits<T>::min());
  constexpr auto hi = static_cast<float>(std::numeric_limits<T>::max());
  for (std::size_t i = 0; i < values.size(); ++i) {
    float r = std::nearbyint(values[i]);
    if (std::isnan(r)) r = 0.0f;
    store(out + i * sizeof(T), static_cast<T>(std::clamp(r, lo, hi)));
  }
}

std::size_t product(std::span<const std::int64_t> dims, std::size_t from, std::size_t to) {
  std::size_t n = 1;
  for (std::size_t i = from; i < to; ++i) n *= static_cast<std::size_t>(dims[i]);
  return n;
}

// out[n][b][a] = in[n][a][b] for every outer index n: swaps two adjacent
// blocks of axes, which is all NHWC <-> NCHW needs.
std::vector<float> swap_blocks(std::span<const float> in, std::size_t outer, std::size_t a, std::size_t b) {
  std::vector<float> out(in.size());
  for (std::size_t n = 0; n < outer; ++n) {
    const std::size_t base = n * a * b;
    for (std::size_t i = 0; i < a; ++i) {
      for (std::size_t j = 0; j < b; ++j) out[base + j * a + i] = in[base + i * b + j];
    }
  }
  return out;
}

std::string channels_text(std::size_t n) { return std::to_string(n) + (n == 1 ? " channel" : " channels"); }

}  // namespace

std::optional<sim::DType> dtype_of(rknn_tensor_type type) {
  switch (type) {
    case RKNN_TENSOR_FLOAT32: return sim::DType::kFloat32;
    case RKNN_TENSOR_FLOAT16: return sim::DType::kFloat16;
    case RKNN_TENSOR_INT8: return sim::DType::kInt8;
    case RKNN_TENSOR_UINT8: return sim::DType::kUInt8;
    case RKNN_TENSOR_INT16: return sim::DType::kInt16;
    default: return std::nullopt;
  }
}

std::optional<rknn_tensor_type> rknn_type_of(sim::DType type) {
  switch (type) {
    case sim::DType::kFloat32: return RKNN_TENSOR_FLOAT32;
    case sim::DType::kFloat16: return RKNN_TENSOR_FLOAT16;
    case sim::DType::kInt8: return RKNN_TENSOR_INT8;
    case sim::DType::kUInt8: return RKNN_TENSOR_UINT8;
    case sim::DType::kInt16: return RKNN_TENSOR_INT16;
    default: return std::nullopt;
  }
}

bool is_integer(sim::DType type) { return type != sim::DType::kFloat32 && type != sim::DType::kFloat16; }

std::vector<float> read_numbers(const std::byte* data, std::size_t count, sim::DType type) {
  std::vector<float> out(count);
  switch (type) {
    case sim::DType::kFloat32: read_as<float>(data, out); break;
    case sim::DType::kFloat16:
      for (std::size_t i = 0; i < count; ++i) out[i] = sim::half_to_float(load<std::uint16_t>(data + 2 * i));
      break;
    case sim::DType::kUInt8: read_as<std::uint8_t>(data, out); break;
    case sim::DType::kInt8: read_as<std::int8_t>(data, out); break;
    case sim::DType::kInt16: read_as<std::int16_t>(data, out); break;
    default: throw std::logic_error("read_numbers: element type not supported by the C API");
  }
  return out;
}

void write_numbers(std::span<const float> values, sim::DType type, std::byte* out) {
  switch (type) {
    case sim::DType::kFloat32:
      if (!values.empty()) std::memcpy(out, values.data(), values.size() * sizeof(float));
      break;
    case sim::DType::kFloat16:
      for (std::size_t i = 0; i < values.size(); ++i) store(out + 2 * i, sim::float_to_half(values[i]));
      break;
    case sim::DType::kUInt8: write_integers<std::uint8_t>(values, out); break;
    case sim::DType::kInt8: write_integers<std::int8_t>(values, out); break;
    case sim::DType::kInt16: write_integers<std::int16_t>(values, out); break;
    default: throw std::logic_error("write_numbers: element type not supported by the C API");
  }
}

std::string check_quant(const format::IoInfo& io) {
  const format::QuantInfo& q = io.quant;
  if (!is_integer(io.type) || q.type != format::QuantType::kAffineAsymmetric) return "";
  if (q.scale.empty() || q.scale.size() != q.zero_point.size()) {
    return "affine quantization needs as many zero points as scales (at least one)";
  }
  for (float s : q.scale) {
    if (!(s > 0.0f) || !std::isfinite(s)) return "quantization scale " + std::to_string(s) + " is not positive";
  }
  if (q.scale.size() == 1) return "";
  if (q.axis < 0 || static_cast<std::size_t>(q.axis) >= io.dims.size() ||
      static_cast<std::size_t>(io.dims[static_cast<std::size_t>(q.axis)]) != q.scale.size()) {
    return std::to_string(q.scale.size()) + " per-channel scales do not match axis " + std::to_string(q.axis);
  }
  return "";
}

Quantizer::Quantizer(const format::IoInfo& io) {
  const format::QuantInfo& q = io.quant;
  if (!is_integer(io.type) || q.type == format::QuantType::kNone) return;  // codes are the values
  active_ = true;
  if (q.type == format::QuantType::kDynamicFixedPoint) {
    // real = q / 2^fl: an affine mapping with a power-of-two scale and no zero point.
    scale_ = {std::ldexp(1.0f, -q.fl)};
    zero_point_ = {0.0f};
    return;
  }
  scale_ = q.scale;
  for (auto zp : q.zero_point) zero_point_.push_back(static_cast<float>(zp));
  if (scale_.size() > 1) inner_ = product(io.dims, static_cast<std::size_t>(q.axis) + 1, io.dims.size());
}

void Quantizer::quantize(std::span<float> values) const {
  if (!active_) return;
  for (std::size_t i = 0; i < values.size(); ++i) {
    const std::size_t c = channel_of(i);
    values[i] = std::nearbyint(values[i] / scale_[c]) + zero_point_[c];
  }
}

void Quantizer::dequantize(std::span<float> values) const {
  if (!active_) return;
  for (std::size_t i = 0; i < values.size(); ++i) {
    const std::size_t c = channel_of(i);
    values[i] = scale_[c] * (values[i] - zero_point_[c]);
  }
}

std::vector<std::byte> encode(std::vector<float> values, const format::IoInfo& io) {
  Quantizer(io).quantize(values);
  std::vector<std::byte> out(values.size() * sim::dtype_size(io.type));
  write_numbers(values, io.type, out.data());
  return out;
}

std::vector<float> decode(const std::byte* data, std::size_t count, const format::IoInfo& io) {
  std::vector<float> values = read_numbers(data, count, io.type);
  Quantizer(io).dequantize(values);
  return values;
}

std::vector<float> nhwc_to_nchw(std::span<const float> values, std::span<const std::int64_t> dims) {
  // [N, H*W, C] -> [N, C, H*W]
  return swap_blocks(values, product(dims, 0, 1), product(dims, 1, 3), product(dims, 3, 4));
}

std::vector<float> nchw_to_nhwc(std::span<const float> values, std::span<const std::int64_t> dims) {
  // [N, C, H*W] -> [N, H*W, C]
  return swap_blocks(values, product(dims, 0, 1), product(dims, 1, 2), product(dims, 2, 4));
}

std::size_t channel_axis(const format::IoInfo& io) {
  if (io.dims.size() == 4 && io.fmt == format::Layout::kNHWC) return 3;
  return io.dims.size() >= 2 ? 1 : 0;
}

std::string check_preprocessing(const format::Preprocessing& p, const format::IoInfo& io) {
  if (p.empty()) return "";
  if (io.dims.empty()) return "mean/std/reorder given for a scalar input";
  const auto channels = static_cast<std::size_t>(io.dims[channel_axis(io)]);
  auto fits = [channels](std::size_t n) { return n == 0 || n == 1 || n == channels; };
  if (!fits(p.mean.size()) || !fits(p.std.size())) {
    return "mean/std have " + std::to_string(p.mean.size()) + "/" + std::to_string(p.std.size()) +
           " values for " + channels_text(channels);
  }
  for (float s : p.std) {
    if (s == 0.0f || !std::isfinite(s)) return "std contains " + std::to_string(s);
  }
  if (p.reorder.empty()) return "";
  std::vector<bool> seen(channels, false);
  for (auto c : p.reorder) {
    if (p.reorder.size() != channels || c < 0 || static_cast<std::size_t>(c) >= channels ||
        seen[static_cast<std::size_t>(c)]) {
      return "reorder is not a permutation of " + channels_text(channels);
    }
    seen[static_cast<std::size_t>(c)] = true;
  }
  return "";
}

void preprocess(std::vector<float>& values, const format::Preprocessing& p, const format::IoInfo& io) {
  if (p.empty()) return;
  const std::size_t axis = channel_axis(io);
  const std::size_t channels = product(io.dims, axis, axis + 1);
  const std::size_t inner = product(io.dims, axis + 1, io.dims.size());
  const std::size_t outer = product(io.dims, 0, axis);
  if (!p.reorder.empty()) {
    std::vector<float> in = values;
    for (std::size_t n = 0; n < outer; ++n) {
      for (std::size_t c = 0; c < channels; ++c) {
        const auto from = static_cast<std::size_t>(p.reorder[c]);
        std::copy_n(in.begin() + static_cast<std::ptrdiff_t>((n * channels + from) * inner), inner,
                    values.begin() + static_cast<std::ptrdiff_t>((n * channels + c) * inner));
      }
    }
  }
  auto pick = [](const std::vector<float>& v, std::size_t c, float none) {
    return v.empty() ? none : v[v.size() == 1 ? 0 : c];
  };
  for (std::size_t n = 0; n < outer; ++n) {
    for (std::size_t c = 0; c < channels; ++c) {
      const float mean = pick(p.mean, c, 0.0f);
      const float std = pick(p.std, c, 1.0f);
      float* x = values.data() + (n * channels + c) * inner;
      for (std::size_t i = 0; i < inner; ++i) x[i] = (x[i] - mean) / std;
    }
  }
}

}  // namespace rknn::runtime
