// Running an .rknn artifact through the linked runtime (rknn::Session), as
// an application would: `rknnc run NAME.rknn` and `rknnc bench NAME.rknn`.
#pragma once

#include <string>
#include <vector>

#include "encryption/key_file.h"
#include "rknn/runtime.hpp"
#include "rknn/sim/tensor.h"

namespace rknn::cli {

struct ArtifactRunOptions {
  std::string model;
  std::vector<std::string> inputs;
  std::string output_dir;
  std::string format = "nchw";  // layout of 4-D input files
  bool raw = false;             // outputs in the model's own type instead of float32
  int threads = 1;
  int top = 0;
  encryption::KeySpec key;      // for an encrypted artifact
  std::string device;           // a board (rknn::Options::device); empty: RKNN_DEVICE or the simulator
};

void run_artifact(const ArtifactRunOptions& options);

// Shape of a tensor attribute, outermost first (the C API lists dims innermost first).
sim::Shape shape_of(const rknn_tensor_attr& attr);

}  // namespace rknn::cli
