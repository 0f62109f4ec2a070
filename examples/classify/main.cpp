// classify [IMAGE.png ...]
//
// Classifies 32x32 RGB images with the shapes model (shapes.onnx, compiled
// into this executable at build time by rknn_add_model) and prints the three
// most likely classes with their softmax probabilities, one line per image:
//
//   images/circle_0.png: circle 0.97, square 0.02, cross 0.01
//
// Without arguments it classifies the images listed in dataset.txt of the
// example's source folder. The model's input is an image input: it takes the
// raw uint8 RGB pixels and the runtime applies the (pixel - 127.5) / 63.75
// normalization configured in CMakeLists.txt.
#define STB_IMAGE_IMPLEMENTATION
#define STBI_ONLY_PNG
#include <stb/stb_image.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstring>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iterator>
#include <iostream>
#include <memory>
#include <numeric>
#include <sstream>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "rknn/runtime.hpp"
#include "shapes.rknn.hpp"

namespace {

namespace fs = std::filesystem;

// Sizes come from the generated structs, so a retrained model with other
// dimensions is caught here rather than by a silent overrun.
using Image = decltype(shapes::Inputs::image);
constexpr int kHeight = std::extent_v<Image, 1>;
constexpr int kWidth = std::extent_v<Image, 2>;
constexpr int kChannels = std::extent_v<Image, 3>;
constexpr std::size_t kClasses = std::extent_v<decltype(shapes::Outputs::logits), 1>;
constexpr std::size_t kTop = std::min<std::size_t>(3, kClasses);
static_assert(std::extent_v<Image, 0> == 1 && kChannels == 3, "one RGB image per run");
static_assert(sizeof(Image) == std::size_t{kHeight} * kWidth * kChannels, "packed uint8 pixels");

// Non-empty lines of a text file (a trailing '\r' is dropped).
std::vector<std::string> read_lines(const fs::path& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open " + path.string());
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!line.empty()) lines.push_back(line);
  }
  return lines;
}

std::vector<std::string> read_labels(const fs::path& path) {
  auto labels = read_lines(path);
  if (labels.size() != kClasses) {
    throw std::runtime_error(path.string() + " has " + std::to_string(labels.size()) + " labels; the model has " +
                             std::to_string(kClasses) + " classes");
  }
  return labels;
}

// What to classify: (name to print, file to read). The dataset lists paths
// relative to its own folder, the RKNN convention; they are printed as listed.
std::vector<std::pair<std::string, fs::path>> images_to_classify(int argc, char** argv, const fs::path& data_dir) {
  std::vector<std::pair<std::string, fs::path>> images;
  if (argc > 1) {
    for (int i = 1; i < argc; ++i) images.emplace_back(argv[i], argv[i]);
  } else {
    for (auto& line : read_lines(data_dir / "dataset.txt")) images.emplace_back(line, data_dir / line);
  }
  return images;
}

// Decodes a PNG into the model's input as RGB; gray or RGBA files are
// converted by stb_image (alpha is dropped).
void load_image(const fs::path& path, shapes::Inputs& inputs) {
  int width = 0;
  int height = 0;
  int file_channels = 0;
  std::unique_ptr<stbi_uc, void (*)(void*)> pixels(
      stbi_load(path.string().c_str(), &width, &height, &file_channels, kChannels), stbi_image_free);
  if (!pixels) throw std::runtime_error(path.string() + ": cannot read the image: " + stbi_failure_reason());
  if (width != kWidth || height != kHeight) {
    throw std::runtime_error(path.string() + ": the image is " + std::to_string(width) + "x" +
                             std::to_string(height) + "; the model takes " + std::to_string(kWidth) + "x" +
                             std::to_string(kHeight) + " images");
  }
  std::memcpy(inputs.image, pixels.get(), sizeof inputs.image);
}

// Softmax in double, shifted by the largest logit so exp() cannot overflow.
std::array<double, kClasses> softmax(const float (&logits)[kClasses]) {
  std::array<double, kClasses> p{};
  const double top = *std::max_element(std::begin(logits), std::end(logits));
  for (std::size_t i = 0; i < kClasses; ++i) p[i] = std::exp(double{logits[i]} - top);
  const double sum = std::accumulate(p.begin(), p.end(), 0.0);
  for (auto& v : p) v /= sum;
  return p;
}

// "circle 0.97, square 0.02, cross 0.01"; equal probabilities keep label order.
std::string top_classes(const float (&logits)[kClasses], const std::vector<std::string>& labels) {
  const auto p = softmax(logits);
  std::array<std::size_t, kClasses> order{};
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return p[a] > p[b]; });
  std::ostringstream out;
  out << std::fixed << std::setprecision(2);
  for (std::size_t i = 0; i < kTop; ++i) out << (i ? ", " : "") << labels[order[i]] << ' ' << p[order[i]];
  return out.str();
}

int run(int argc, char** argv) {
  const fs::path data_dir = CLASSIFY_DATA_DIR;
  const auto labels = read_labels(data_dir / "labels.txt");
  const auto images = images_to_classify(argc, argv, data_dir);
  if (images.empty()) throw std::runtime_error("no images to classify");

  shapes::Model model;
  shapes::Inputs inputs{};
  shapes::Outputs outputs{};
  for (const auto& [name, path] : images) {
    load_image(path, inputs);
    model.run(inputs, outputs);
    std::cout << name << ": " << top_classes(outputs.logits[0], labels) << '\n';
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const rknn::Error& e) {
    std::cerr << "classify: model error (RKNN code " << e.code() << "): " << e.what() << '\n';
  } catch (const std::exception& e) {
    std::cerr << "classify: " << e.what() << '\n';
  }
  return 1;
}
