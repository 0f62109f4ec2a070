// make_test_artifact MODEL.onnx OUT.rknn [--float16] [--mean a,b,c] [--std a,b,c]
//                    [--reorder a,b,c] [--custom-string TEXT]
// Converts an ONNX model into an .rknn artifact at build time, for tests that
// run outside GoogleTest (the C application). Preprocessing applies to input 0.
#include <cstdint>
#include <exception>
#include <fstream>
#include <iostream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "artifact_maker.h"

namespace {

template <class T>
std::vector<T> parse_list(const std::string& text) {
  std::vector<T> values;
  std::stringstream items(text);
  for (std::string item; std::getline(items, item, ',');) values.push_back(static_cast<T>(std::stod(item)));
  return values;
}

rknn::testing::ArtifactOptions parse_options(int argc, char** argv) {
  rknn::testing::ArtifactOptions options;
  options.preprocess.resize(1);
  auto& pre = options.preprocess[0];
  for (int i = 3; i < argc; ++i) {
    const std::string flag = argv[i];
    if (flag == "--float16") {
      options.quantization = "float16";
      continue;
    }
    if (i + 1 >= argc) throw std::runtime_error(flag + " needs a value");
    const std::string value = argv[++i];
    if (flag == "--mean") pre.mean = parse_list<float>(value);
    else if (flag == "--std") pre.std = parse_list<float>(value);
    else if (flag == "--reorder") pre.reorder = parse_list<std::int32_t>(value);
    else if (flag == "--custom-string") options.custom_string = value;
    else throw std::runtime_error("unknown option " + flag);
  }
  return options;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: make_test_artifact MODEL.onnx OUT.rknn [--float16] [--mean ..] [--std ..] [--reorder ..]\n";
    return 2;
  }
  try {
    const std::string bytes = rknn::testing::make_artifact(argv[1], parse_options(argc, argv));
    std::ofstream out(argv[2], std::ios::binary);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out) throw std::runtime_error(std::string("cannot write ") + argv[2]);
  } catch (const std::exception& e) {
    std::cerr << "make_test_artifact: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
