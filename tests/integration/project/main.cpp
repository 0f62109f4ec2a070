// Runs both embedded models: `plain` on the reference input, compared with
// the reference output; `shapes` on a synthetic uint8 image.
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>

#include "plain.rknn.hpp"
#include "shapes.rknn.hpp"

static_assert(plain::input_info::shape[1] == 3);
static_assert(it::shapes::input_info::is_image);
static_assert(sizeof(it::shapes::Inputs::input) == 32 * 32 * 3);
static_assert(sizeof(plain::Outputs::output) == 10 * sizeof(float));

namespace {

// The data of a little-endian float32 .npy file (format 1.0) into `out`.
bool load_npy(const char* path, void* out, std::size_t size) {
  std::ifstream in(path, std::ios::binary);
  const std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  if (bytes.size() < 10) return false;
  const std::size_t start = 10 + (static_cast<unsigned char>(bytes[8]) | (static_cast<unsigned char>(bytes[9]) << 8));
  if (bytes.size() - start != size) return false;
  std::memcpy(out, bytes.data() + start, size);
  return true;
}

template <class T, std::size_t N>
std::size_t argmax(const T (&row)[N]) {
  std::size_t best = 0;
  for (std::size_t i = 1; i < N; ++i) best = row[i] > row[best] ? i : best;
  return best;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: app INPUT.npy EXPECTED.npy\n");
    return 2;
  }
  plain::Inputs in{};
  plain::Outputs expected{};
  if (!load_npy(argv[1], &in.input, sizeof in.input) || !load_npy(argv[2], &expected.output, sizeof expected.output)) {
    std::fprintf(stderr, "cannot read the .npy files\n");
    return 2;
  }
  plain::Model model;
  plain::Outputs out{};
  model.run(in, out);
  float max_diff = 0;
  for (std::size_t i = 0; i < 10; ++i) max_diff = std::fmax(max_diff, std::fabs(out.output[0][i] - expected.output[0][i]));
  const bool ok = max_diff < 1e-3f;
  std::printf("plain: class %zu, max |diff| %g: %s\n", argmax(out.output[0]), static_cast<double>(max_diff),
              ok ? "ok" : "MISMATCH");

  it::shapes::Inputs image{};
  for (int y = 0; y < 32; ++y)
    for (int x = 0; x < 32; ++x)
      for (int c = 0; c < 3; ++c) image.input[0][y][x][c] = static_cast<std::uint8_t>((x * 8 + y * 4 + c * 50) % 256);
  it::shapes::Model shapes;
  it::shapes::Outputs scores{};
  shapes.run(image, scores);
  std::printf("shapes: class %zu, %zu embedded bytes, custom string '%s'\n", argmax(scores.output[0]),
              it::shapes::Model::bytes().size(), shapes.session().custom_string().c_str());
  return ok ? 0 : 1;
}
