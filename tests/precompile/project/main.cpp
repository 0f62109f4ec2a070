// Runs the pre-compiled and the plain model on the same image and compares
// their raw (quantized) outputs byte for byte.
#include <cstdio>
#include <cstring>

#include "plain.rknn.hpp"
#include "pre.rknn.hpp"

static_assert(pre::precompiled && !plain::precompiled, "the generated metadata says which model is pre-compiled");

int main() {
  pre::Inputs pre_in{};
  plain::Inputs plain_in{};
  auto* pixels = reinterpret_cast<unsigned char*>(pre_in.image);
  for (std::size_t i = 0; i < sizeof pre_in.image; ++i) pixels[i] = static_cast<unsigned char>(i * 7 % 251);
  std::memcpy(plain_in.image, pre_in.image, sizeof pre_in.image);
  pre::RawOutputs pre_out{};
  plain::RawOutputs plain_out{};
  pre::Model().run_raw(pre_in, pre_out);
  plain::Model().run_raw(plain_in, plain_out);
  if (std::memcmp(&pre_out, &plain_out, sizeof pre_out) != 0) {
    std::puts("pre-compiled and plain outputs differ");
    return 1;
  }
  std::puts("pre-compiled and plain outputs are the same");
  return 0;
}
