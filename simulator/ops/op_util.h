// Small helpers shared by the op files: argument checks with clear messages
// and a kernel built from a lambda. Messages are prefixed with the node by
// prepare_node, so they only say what is wrong.
#pragma once

#include <array>
#include <initializer_list>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "rknn/sim/error.h"
#include "rknn/sim/op.h"

namespace rknn::sim::ops {

template <class F>
class FnKernel final : public Kernel {
 public:
  explicit FnKernel(F f) : f_(std::move(f)) {}
  void run(std::span<const Tensor* const> in, std::span<Tensor* const> out,
           ThreadPool& pool) const override {
    f_(in, out, pool);
  }

 private:
  F f_;
};

// f(std::span<const Tensor* const> in, std::span<Tensor* const> out, ThreadPool& pool)
template <class F>
std::unique_ptr<Kernel> make_kernel(F f) {
  return std::make_unique<FnKernel<F>>(std::move(f));
}

// Throws Error unless min <= inputs.size() <= max and the first `min` are present.
void expect_input_count(std::span<const InputInfo> inputs, std::size_t min, std::size_t max);

// The input if it is present, otherwise null.
const InputInfo* optional_input(std::span<const InputInfo> inputs, std::size_t index);

// The constant value of input `index`; throws UnsupportedError naming `what`
// when it is only known at run time (NPU programs have static shapes).
const Tensor& require_constant(std::span<const InputInfo> inputs, std::size_t index,
                               std::string_view what);

// Throws UnsupportedError naming `what` unless the input's type is one of `allowed`.
void expect_dtype(const InputInfo& input, std::initializer_list<DType> allowed, std::string_view what);

// Throws Error unless the input has the given rank.
void expect_rank(const InputInfo& input, std::size_t rank, std::string_view what);

// The values of constant input `index`, which must be 1-D (a shape, axes,
// starts...); throws like require_constant, and Error for another rank.
std::vector<std::int64_t> require_constant_ints(std::span<const InputInfo> inputs,
                                                std::size_t index, std::string_view what);

// Throws unless the input is a float32 vector of `length` values; the message
// reads "<what> <type> must have shape [length], one value per <per>".
void expect_per_channel(const InputInfo& input, std::int64_t length, std::string_view what,
                        std::string_view per);

// The number of spatial axes (1 or 2) of the NCHW input X of a sliding-window
// op: UnsupportedError naming `op` (e.g. "pooling") for 3-D, Error otherwise.
std::size_t window_spatial_rank(const InputInfo& x, std::string_view op);

// Run-time tensor `index`, or null when that optional input is absent.
const Tensor* optional_tensor(std::span<const Tensor* const> in, std::size_t index);

// Copies a strided view of a source buffer into a contiguous destination:
// for every index i of `shape`, dst[i] = src[offset + sum_k i_k * strides[k]]
// (element units; a stride may be 0 to broadcast or negative to walk
// backwards). Transpose, Slice, Expand, Tile and DepthToSpace are all such a
// view. The constructor simplifies the view once at prepare (drops size-1
// axes, merges axes that are contiguous in the source) so run() copies whole
// rows with memcpy whenever the source rows are contiguous.
class StridedCopy {
 public:
  static constexpr std::size_t kMaxRank = 32;

  StridedCopy() = default;
  // Throws UnsupportedError if the simplified view has more than kMaxRank axes.
  StridedCopy(std::span<const std::int64_t> shape, std::span<const std::int64_t> strides,
              std::int64_t offset, std::size_t element_size);

  // Splits the output rows over the pool; never throws.
  void run(const std::byte* src, std::byte* dst, ThreadPool& pool) const;

 private:
  void copy_rows(const std::byte* src, std::byte* dst, std::int64_t begin, std::int64_t end) const;

  std::vector<std::int64_t> dims_;
  std::vector<std::int64_t> strides_;
  std::int64_t offset_ = 0;
  std::size_t element_size_ = 1;
  bool empty_ = true;
};

// A row-major position over the outer axes of a loop over rows, which a
// parallel task starts at row_index(dims, begin) and advances with next_row.
using RowIndex = std::array<std::int64_t, StridedCopy::kMaxRank>;
RowIndex row_index(std::span<const std::int64_t> dims, std::int64_t row);
void next_row(RowIndex& index, std::span<const std::int64_t> dims);

// memcpy, split over the pool when the copy is large enough to be worth it.
void parallel_copy(std::byte* dst, const std::byte* src, std::size_t bytes, ThreadPool& pool);

// An op whose one output, of the given type, is `copy` applied to its first input.
Prepared prepare_strided_copy(DType dtype, Shape out_shape, StridedCopy copy);

}  // namespace rknn::sim::ops
