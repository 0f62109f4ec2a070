#include "conv_util.h"

#include <string>
#include <utility>
#include <vector>

#include "op_util.h"

namespace rknn::sim::ops {

void read_group(const OpNode& node, const InputInfo& x, const InputInfo& w,
                reference::ConvParams& p) {
  const Shape& xs = x.type.shape;
  if (w.type.shape.size() != xs.size()) {
    throw Error("W " + w.type.to_string() + " must have the rank of X " + x.type.to_string());
  }
  p.group = node.attrs.get_int("group", 1);
  if (p.group < 1) throw Error("group must be >= 1, got " + std::to_string(p.group));
  p.batch = xs[0];
  p.in_channels = xs[1];
}

reference::WindowAttrs read_conv_window(const OpNode& node, const InputInfo& w,
                                        std::size_t spatial_rank) {
  const std::vector<std::int64_t> w_kernel(w.type.shape.begin() + 2, w.type.shape.end());
  reference::WindowAttrs wa = reference::read_window_attrs(node.attrs, spatial_rank, w_kernel);
  if (wa.kernel != w_kernel) {
    throw Error("kernel_shape does not match the spatial shape of W " + w.type.to_string());
  }
  return wa;
}

void check_bias(std::span<const InputInfo> inputs, std::int64_t out_channels) {
  if (const InputInfo* b = optional_input(inputs, 2)) {
    expect_per_channel(*b, out_channels, "B", "output channel");
  }
}

const float* bias_of(std::span<const Tensor* const> in) {
  const Tensor* b = optional_tensor(in, 2);
  return b ? b->data<float>() : nullptr;
}

std::unique_ptr<Kernel> make_conv_kernel(const reference::ConvParams& p, ConvFn run) {
  return make_kernel([p, run](std::span<const Tensor* const> in, std::span<Tensor* const> out,
                              ThreadPool& pool) {
    run(p, in[0]->data<float>(), in[1]->data<float>(), bias_of(in), out[0]->data<float>(), pool);
  });
}

std::unique_ptr<Kernel> make_packed_conv_kernel(const reference::ConvParams& p, const InputInfo& w,
                                                PackWeightsFn pack, PackedConvFn run) {
  std::vector<float> packed;
  if (w.constant) packed = pack(p, w.constant->data<float>());
  return make_kernel([p, run, packed = std::move(packed)](std::span<const Tensor* const> in,
                                                          std::span<Tensor* const> out,
                                                          ThreadPool& pool) {
    run(p, in[0]->data<float>(), in[1]->data<float>(), packed.empty() ? nullptr : packed.data(),
        bias_of(in), out[0]->data<float>(), pool);
  });
}

}  // namespace rknn::sim::ops
