// Element conversions between application buffers and model tensors: RKNN
// type codes, NHWC/NCHW, mean/std/reorder preprocessing and quantization.
// Everything works on float vectors; tensors here are inputs and outputs, so
// clarity wins over speed.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "rknn/model_format.h"
#include "rknn_api.h"

namespace rknn::runtime {

// The element type behind an RKNN type code; nullopt for codes outside the enum.
std::optional<sim::DType> dtype_of(rknn_tensor_type type);
// The RKNN type code of an element type, if the C API can express it.
std::optional<rknn_tensor_type> rknn_type_of(sim::DType type);
bool is_integer(sim::DType type);

// Numbers stored as `type`, read as they are (no dequantization) from memory
// of any alignment.
std::vector<float> read_numbers(const std::byte* data, std::size_t count, sim::DType type);
// Stores numbers as `type`. Integers round half to even and saturate (NaN
// becomes 0); float16 rounds to the nearest half.
void write_numbers(std::span<const float> values, sim::DType type, std::byte* out);

// Why the quantization parameters of an integer input/output cannot be used,
// or "" when they can.
std::string check_quant(const format::IoInfo& io);

// Maps real values to the integer codes of an input/output and back. Float
// types pass through unchanged. Per-channel parameters follow quant.axis.
class Quantizer {
 public:
  explicit Quantizer(const format::IoInfo& io);  // io passed check_quant()
  // real -> code, rounded half to even but not yet saturated (write_numbers does that)
  void quantize(std::span<float> values) const;
  // code -> real
  void dequantize(std::span<float> values) const;

 private:
  std::size_t channel_of(std::size_t element) const { return (element / inner_) % scale_.size(); }

  bool active_ = false;
  std::vector<float> scale_;
  std::vector<float> zero_point_;
  std::size_t inner_ = 1;  // elements per step of the channel axis
};

// Values in `io.type` bytes from real values, and back.
std::vector<std::byte> encode(std::vector<float> values, const format::IoInfo& io);
std::vector<float> decode(const std::byte* data, std::size_t count, const format::IoInfo& io);

// 4-D layout changes; `dims` are the source tensor's dims in its own layout.
std::vector<float> nhwc_to_nchw(std::span<const float> values, std::span<const std::int64_t> dims);
std::vector<float> nchw_to_nhwc(std::span<const float> values, std::span<const std::int64_t> dims);

// The axis preprocessing treats as channels: 1 for NCHW and other ranked
// tensors, 3 for 4-D NHWC, 0 for vectors.
std::size_t channel_axis(const format::IoInfo& io);
// Why the preprocessing cannot apply to the input, or "" when it can.
std::string check_preprocessing(const format::Preprocessing& p, const format::IoInfo& io);
// Reorders channels (output channel c takes input channel reorder[c]), then
// computes (x - mean[c]) / std[c]. `values` are in the model's layout.
void preprocess(std::vector<float>& values, const format::Preprocessing& p, const format::IoInfo& io);

}  // namespace rknn::runtime
