// Small helpers shared by the op files: argument checks with clear messages
// and a kernel built from a lambda. Messages are prefixed with the node by
// prepare_node, so they only say what is wrong.
#pragma once

#include <initializer_list>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>

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

}  // namespace rknn::sim::ops
