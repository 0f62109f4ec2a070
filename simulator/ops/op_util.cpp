#include "op_util.h"

#include <algorithm>
#include <array>
#include <cstring>

namespace rknn::sim::ops {

void expect_input_count(std::span<const InputInfo> inputs, std::size_t min, std::size_t max) {
  if (inputs.size() < min || inputs.size() > max) {
    throw Error("expects " + (min == max ? std::to_string(min)
                                         : std::to_string(min) + " to " + std::to_string(max)) +
                " inputs, got " + std::to_string(inputs.size()));
  }
  for (std::size_t i = 0; i < min; ++i) {
    if (!inputs[i].present) throw Error("required input " + std::to_string(i) + " is missing");
  }
}

const InputInfo* optional_input(std::span<const InputInfo> inputs, std::size_t index) {
  return index < inputs.size() && inputs[index].present ? &inputs[index] : nullptr;
}

const Tensor& require_constant(std::span<const InputInfo> inputs, std::size_t index,
                               std::string_view what) {
  if (index >= inputs.size() || !inputs[index].present) {
    throw Error("input " + std::to_string(index) + " (" + std::string(what) + ") is missing");
  }
  if (!inputs[index].constant) {
    throw UnsupportedError("input " + std::to_string(index) + " (" + std::string(what) +
                           ") must be a constant: NPU programs have static shapes");
  }
  return *inputs[index].constant;
}

void expect_dtype(const InputInfo& input, std::initializer_list<DType> allowed, std::string_view what) {
  if (std::find(allowed.begin(), allowed.end(), input.type.dtype) != allowed.end()) return;
  std::string names;
  for (DType d : allowed) names += (names.empty() ? "" : ", ") + std::string(dtype_name(d));
  throw UnsupportedError(std::string(what) + " has element type " +
                         std::string(dtype_name(input.type.dtype)) + "; supported: " + names);
}

void expect_rank(const InputInfo& input, std::size_t rank, std::string_view what) {
  if (input.type.shape.size() != rank) {
    throw Error(std::string(what) + " must have rank " + std::to_string(rank) + ", got " +
                input.type.to_string());
  }
}

std::vector<std::int64_t> require_constant_ints(std::span<const InputInfo> inputs,
                                                std::size_t index, std::string_view what) {
  const Tensor& t = require_constant(inputs, index, what);
  if (t.shape().size() != 1)
    throw Error(std::string(what) + " must be 1-D, got " + t.type().to_string());
  return t.to_int64_vector();
}

void expect_per_channel(const InputInfo& input, std::int64_t length, std::string_view what,
                        std::string_view per) {
  expect_dtype(input, {DType::kFloat32}, what);
  if (input.type.shape != Shape{length}) {
    throw Error(std::string(what) + " " + input.type.to_string() + " must have shape [" +
                std::to_string(length) + "], one value per " + std::string(per));
  }
}

std::size_t window_spatial_rank(const InputInfo& x, std::string_view op) {
  const std::size_t rank = x.type.shape.size();
  if (rank == 5) {
    throw UnsupportedError("3-D " + std::string(op) + " (X " + x.type.to_string() +
                           ") is not supported");
  }
  if (rank != 3 && rank != 4) {
    throw Error("X must have rank 3 (1-D) or 4 (2-D), got " + x.type.to_string());
  }
  return rank - 2;
}

const Tensor* optional_tensor(std::span<const Tensor* const> in, std::size_t index) {
  return index < in.size() ? in[index] : nullptr;
}

namespace {

// Bytes per parallel task: below this, splitting costs more than it saves.
constexpr std::int64_t kCopyGrainBytes = 64 * 1024;

// One row whose source elements are `stride` apart (0 repeats one element).
// N is the element size, so the element copy compiles to a plain load/store.
template <std::size_t N>
void gather_row(const std::byte* src, std::int64_t offset, std::int64_t stride, std::int64_t count,
                std::byte* dst) {
  constexpr auto n = static_cast<std::int64_t>(N);
  for (std::int64_t j = 0; j < count; ++j) std::memcpy(dst + j * n, src + (offset + j * stride) * n, N);
}

void gather_row_any(const std::byte* src, std::int64_t offset, std::int64_t stride,
                    std::int64_t count, std::size_t size, std::byte* dst) {
  const auto n = static_cast<std::int64_t>(size);
  for (std::int64_t j = 0; j < count; ++j) std::memcpy(dst + j * n, src + (offset + j * stride) * n, size);
}

}  // namespace

StridedCopy::StridedCopy(std::span<const std::int64_t> shape, std::span<const std::int64_t> strides,
                         std::int64_t offset, std::size_t element_size)
    : offset_(offset), element_size_(element_size) {
  empty_ = element_count(shape) == 0;
  for (std::size_t k = 0; k < shape.size(); ++k) {
    if (shape[k] == 1) continue;  // contributes nothing to the address
    // Axis k continues the previous one in the source: one longer axis.
    if (!dims_.empty() && strides_.back() == strides[k] * shape[k]) {
      dims_.back() *= shape[k];
      strides_.back() = strides[k];
      continue;
    }
    dims_.push_back(shape[k]);
    strides_.push_back(strides[k]);
  }
  if (dims_.empty()) {
    dims_.push_back(1);
    strides_.push_back(1);
  }
  if (dims_.size() > kMaxRank) {
    throw UnsupportedError("copy view of rank " + std::to_string(dims_.size()) +
                           " exceeds the supported " + std::to_string(kMaxRank));
  }
}

void StridedCopy::run(const std::byte* src, std::byte* dst, ThreadPool& pool) const {
  if (empty_) return;
  const std::int64_t inner = dims_.back();
  const std::int64_t rows = element_count(dims_) / inner;
  const auto row_bytes = inner * static_cast<std::int64_t>(element_size_);
  if (rows == 1 && strides_.back() == 1) {
    parallel_copy(dst, src + offset_ * static_cast<std::int64_t>(element_size_),
                  static_cast<std::size_t>(row_bytes), pool);
    return;
  }
  const std::int64_t grain =
      std::max<std::int64_t>(1, kCopyGrainBytes / std::max<std::int64_t>(row_bytes, 1));
  pool.parallel_for(rows, grain, [&](std::int64_t begin, std::int64_t end) {
    copy_rows(src, dst, begin, end);
  });
}

void StridedCopy::copy_rows(const std::byte* src, std::byte* dst, std::int64_t begin,
                            std::int64_t end) const {
  const std::size_t outer = dims_.size() - 1;
  const std::int64_t inner = dims_.back();
  const std::int64_t stride = strides_.back();
  const auto size = static_cast<std::int64_t>(element_size_);
  // Source offset of row `begin`, then an odometer over the outer axes that
  // keeps the offset in step (next_row without the offset).
  RowIndex index = row_index(std::span(dims_).first(outer), begin);
  std::int64_t offset = offset_;
  for (std::size_t k = 0; k < outer; ++k) offset += index[k] * strides_[k];
  std::byte* out = dst + begin * inner * size;
  for (std::int64_t row = begin; row < end; ++row, out += inner * size) {
    if (stride == 1) {
      std::memcpy(out, src + offset * size, static_cast<std::size_t>(inner * size));
    } else {
      switch (element_size_) {
        case 1: gather_row<1>(src, offset, stride, inner, out); break;
        case 2: gather_row<2>(src, offset, stride, inner, out); break;
        case 4: gather_row<4>(src, offset, stride, inner, out); break;
        case 8: gather_row<8>(src, offset, stride, inner, out); break;
        default: gather_row_any(src, offset, stride, inner, element_size_, out); break;
      }
    }
    for (std::size_t k = outer; k-- > 0;) {
      offset += strides_[k];
      if (++index[k] < dims_[k]) break;
      offset -= strides_[k] * dims_[k];
      index[k] = 0;
    }
  }
}

RowIndex row_index(std::span<const std::int64_t> dims, std::int64_t row) {
  RowIndex index{};
  for (std::size_t k = dims.size(); k-- > 0;) {
    index[k] = row % dims[k];
    row /= dims[k];
  }
  return index;
}

void next_row(RowIndex& index, std::span<const std::int64_t> dims) {
  for (std::size_t k = dims.size(); k-- > 0;) {
    if (++index[k] < dims[k]) return;
    index[k] = 0;
  }
}

void parallel_copy(std::byte* dst, const std::byte* src, std::size_t bytes, ThreadPool& pool) {
  constexpr std::int64_t kChunk = 256 * 1024;
  const auto total = static_cast<std::int64_t>(bytes);
  if (total <= kChunk) {
    if (bytes) std::memcpy(dst, src, bytes);
    return;
  }
  const std::int64_t chunks = (total + kChunk - 1) / kChunk;
  pool.parallel_for(chunks, 1, [&](std::int64_t begin, std::int64_t end) {
    const std::int64_t from = begin * kChunk;
    const std::int64_t to = std::min(end * kChunk, total);
    std::memcpy(dst + from, src + from, static_cast<std::size_t>(to - from));
  });
}

Prepared prepare_strided_copy(DType dtype, Shape out_shape, StridedCopy copy) {
  Prepared p;
  p.outputs.push_back({dtype, std::move(out_shape)});
  p.kernel = make_kernel([copy = std::move(copy)](std::span<const Tensor* const> in,
                                                  std::span<Tensor* const> out, ThreadPool& pool) {
    copy.run(in[0]->raw(), out[0]->raw(), pool);
  });
  return p;
}

}  // namespace rknn::sim::ops
