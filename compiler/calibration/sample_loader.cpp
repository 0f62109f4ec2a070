#include "calibration/sample_loader.h"

#include <algorithm>
#include <cmath>

#include "io/tensor_file.h"
#include "ir/error.h"

#define STB_IMAGE_IMPLEMENTATION
#define STBI_FAILURE_USERMSG
#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmissing-declarations"
#pragma GCC diagnostic ignored "-Wshadow"
#pragma GCC diagnostic ignored "-Wcast-align"
#pragma GCC diagnostic ignored "-Wimplicit-fallthrough"
#endif
#include <stb/stb_image.h>
#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif

namespace rknn::calibration {
namespace {

namespace fs = std::filesystem;

// HWC float pixels.
struct Image {
  std::int64_t height = 0, width = 0, channels = 0;
  std::vector<float> pixels;
};

Image decode_image(const fs::path& file, std::int64_t channels, const std::string& where) {
  int w = 0, h = 0, n = 0;
  unsigned char* data = stbi_load(file.c_str(), &w, &h, &n, static_cast<int>(channels));
  if (!data) {
    throw CompileError(where + "cannot decode image '" + file.string() + "': " + stbi_failure_reason());
  }
  Image img{h, w, channels, std::vector<float>(static_cast<std::size_t>(h) * w * channels)};
  std::transform(data, data + img.pixels.size(), img.pixels.begin(), [](unsigned char v) { return float(v); });
  stbi_image_free(data);
  return img;
}

// Bilinear resize with half-pixel centers (as Resize linear/half_pixel does).
Image resize_bilinear(const Image& in, std::int64_t height, std::int64_t width) {
  Image out{height, width, in.channels, std::vector<float>(static_cast<std::size_t>(height * width * in.channels))};
  auto coord = [](std::int64_t o, std::int64_t in_size, std::int64_t out_size) {
    const double x = (o + 0.5) * double(in_size) / double(out_size) - 0.5;
    return std::clamp(x, 0.0, double(in_size - 1));
  };
  for (std::int64_t y = 0; y < height; ++y) {
    const double fy = coord(y, in.height, height);
    const auto y0 = static_cast<std::int64_t>(fy);
    const std::int64_t y1 = std::min(y0 + 1, in.height - 1);
    const double dy = fy - double(y0);
    for (std::int64_t x = 0; x < width; ++x) {
      const double fx = coord(x, in.width, width);
      const auto x0 = static_cast<std::int64_t>(fx);
      const std::int64_t x1 = std::min(x0 + 1, in.width - 1);
      const double dx = fx - double(x0);
      for (std::int64_t c = 0; c < in.channels; ++c) {
        auto at = [&](std::int64_t yy, std::int64_t xx) {
          return double(in.pixels[static_cast<std::size_t>((yy * in.width + xx) * in.channels + c)]);
        };
        const double v = (at(y0, x0) * (1 - dx) + at(y0, x1) * dx) * (1 - dy) + (at(y1, x0) * (1 - dx) + at(y1, x1) * dx) * dy;
        out.pixels[static_cast<std::size_t>((y * width + x) * out.channels + c)] = static_cast<float>(v);
      }
    }
  }
  return out;
}

// A .npy sample: NHWC for 4-D inputs (as the RKNN tools take them), [H,W,C]
// accepted for batch 1; other ranks must match the input's shape exactly.
Image npy_as_image(const fs::path& file, const format::IoInfo& input, const std::string& where) {
  const sim::Tensor t = io::read_npy(file);
  if (t.dtype() != sim::DType::kFloat32 && t.dtype() != sim::DType::kUInt8) {
    throw CompileError(where + "'" + file.string() + "' holds " + std::string(sim::dtype_name(t.dtype())) +
                       "; calibration .npy files are float32 or uint8");
  }
  const std::vector<float> values = t.to_float_vector();
  const auto& d = input.dims;
  sim::Shape expected = d.size() == 4 ? sim::Shape{d[0], d[2], d[3], d[1]} : sim::Shape(d.begin(), d.end());
  sim::Shape shape = t.shape();
  if (d.size() == 4 && shape.size() == 3) shape.insert(shape.begin(), 1);
  if (d.size() == 4 && shape[0] == 1) shape[0] = d[0];  // one frame, repeated over the batch by to_input
  if (shape != expected) {
    throw CompileError(where + "'" + file.string() + "' has shape " + sim::shape_to_string(t.shape()) + "; input '" +
                       input.name + "' needs " + sim::shape_to_string(expected) + (d.size() == 4 ? " (NHWC)" : ""));
  }
  if (d.size() != 4) return {1, 1, static_cast<std::int64_t>(values.size()), values};
  return {d[2], d[3], d[1], values};
}

// HWC frames -> NCHW tensor with reorder, then (x - mean) / std. A single
// frame fills every slot of a batched input (rknn_batch_size N): the model
// then sees each sample N times, which leaves min/max, histogram shapes and
// so every calibration algorithm's choice exactly as for batch 1.
sim::Tensor to_input(const Image& img, const format::IoInfo& input, const format::Preprocessing& p, bool rgb_to_bgr) {
  sim::Tensor t(sim::DType::kFloat32, input.dims);
  auto out = t.values<float>();
  if (input.dims.size() != 4) {
    std::copy(img.pixels.begin(), img.pixels.end(), out.begin());
    return t;
  }
  const std::int64_t batch = input.dims[0], channels = input.dims[1], plane = input.dims[2] * input.dims[3];
  const auto frames = static_cast<std::int64_t>(img.pixels.size()) / (plane * channels);
  for (std::int64_t n = 0; n < batch; ++n) {
    const float* frame = img.pixels.data() + (frames == 1 ? 0 : n) * plane * channels;
    for (std::int64_t c = 0; c < channels; ++c) {
      std::int64_t src = p.reorder.empty() ? c : p.reorder[static_cast<std::size_t>(c)];
      if (rgb_to_bgr && channels == 3) src = 2 - src;
      const float mean = p.mean.empty() ? 0.0f : p.mean[static_cast<std::size_t>(c)];
      const float std = p.std.empty() ? 1.0f : p.std[static_cast<std::size_t>(c)];
      float* dst = out.data() + (n * channels + c) * plane;
      for (std::int64_t i = 0; i < plane; ++i) dst[i] = (frame[i * channels + src] - mean) / std;
    }
  }
  return t;
}

bool is_image(const fs::path& file) {
  std::string ext = file.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return char(std::tolower(c)); });
  return ext == ".jpg" || ext == ".jpeg" || ext == ".png" || ext == ".bmp";
}

}  // namespace

std::vector<sim::Tensor> load_sample(const Sample& sample, const fs::path& dataset,
                                     const std::vector<format::IoInfo>& inputs,
                                     const std::vector<format::Preprocessing>& preprocess,
                                     const SampleOptions& options, std::vector<std::string>* warnings) {
  const std::string where = dataset.string() + ":" + std::to_string(sample.line) + ": ";
  std::vector<sim::Tensor> tensors;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    const fs::path& file = sample.files[i];
    const format::IoInfo& input = inputs[i];
    Image img;
    if (is_image(file)) {
      if (input.dims.size() != 4) {
        throw CompileError(where + "'" + file.string() + "' is an image, but input '" + input.name +
                           "' is not an NCHW image input " + sim::shape_to_string(input.dims));
      }
      img = decode_image(file, input.dims[1], where);
      if (img.height != input.dims[2] || img.width != input.dims[3]) {
        if (warnings) {
          warnings->push_back(where + "'" + file.string() + "' is " + std::to_string(img.width) + "x" +
                              std::to_string(img.height) + "; resized to " + std::to_string(input.dims[3]) + "x" +
                              std::to_string(input.dims[2]) + " (bilinear)");
        }
        img = resize_bilinear(img, input.dims[2], input.dims[3]);
      }
    } else if (file.extension() == ".npy") {
      img = npy_as_image(file, input, where);
    } else {
      throw CompileError(where + "'" + file.string() + "': expected an image (jpg, png, bmp) or a .npy file");
    }
    tensors.push_back(to_input(img, input, preprocess[i], options.rgb_to_bgr && is_image(file)));
  }
  return tensors;
}

}  // namespace rknn::calibration
