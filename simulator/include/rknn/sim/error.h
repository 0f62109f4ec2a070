// Errors raised while preparing or running a program. Messages name the node
// and say what was expected; callers turn them into exit codes or RKNN codes.
#pragma once

#include <stdexcept>
#include <string>

namespace rknn::sim {

class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The op, an attribute value or an element type is valid ONNX but not
// implemented. Conformance selection relies on telling this apart from Error.
class UnsupportedError : public Error {
 public:
  using Error::Error;
};

}  // namespace rknn::sim
