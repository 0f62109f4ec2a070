// The compiler's error types: one clear message naming the file, node or
// value and what was expected. rknnc prints it and exits non-zero.
#pragma once

#include <stdexcept>

namespace rknn {

class CompileError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Valid ONNX that this toolchain does not implement (an op, an attribute
// value, an element type). Conformance selection tells it apart.
class UnsupportedFeatureError : public CompileError {
 public:
  using CompileError::CompileError;
};

}  // namespace rknn
