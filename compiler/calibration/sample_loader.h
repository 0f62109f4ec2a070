// Turns one dataset line into the model's input tensors, preprocessed exactly
// as rknn_inputs_set does for an application: images decoded (stb), resized
// bilinearly when their size differs (with a warning), channels reordered
// (and RGB->BGR when asked), then (x - mean) / std, in the model's NCHW layout.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "calibration/dataset.h"
#include "rknn/model_format.h"
#include "rknn/sim/tensor.h"

namespace rknn::calibration {

struct SampleOptions {
  bool rgb_to_bgr = false;  // RKNN quant_img_RGB2BGR: applied to images before reorder
};

// `inputs` are the model's inputs (type and NCHW dims); `preprocess` one per input.
// Throws CompileError naming the dataset file, line and file.
std::vector<sim::Tensor> load_sample(const Sample& sample, const std::filesystem::path& dataset,
                                     const std::vector<format::IoInfo>& inputs,
                                     const std::vector<format::Preprocessing>& preprocess,
                                     const SampleOptions& options, std::vector<std::string>* warnings);

}  // namespace rknn::calibration
