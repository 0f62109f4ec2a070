// .npy and .pb tensor files: round trips, and clear errors for bad files.
#include <gtest/gtest.h>

#include <fstream>

#include "io/tensor_file.h"
#include "ir/error.h"
#include "onnx_builder.h"

namespace rknn {
namespace {

using testing::TempDir;

std::string error_of(const std::filesystem::path& path) {
  try {
    io::read_tensor_file(path);
  } catch (const CompileError& e) {
    return e.what();
  }
  return "";
}

TEST(TensorFile, NpyRoundTripsEveryType) {
  TempDir dir;
  for (sim::DType type : {sim::DType::kFloat32, sim::DType::kFloat16, sim::DType::kUInt8, sim::DType::kInt8,
                          sim::DType::kInt16, sim::DType::kInt32, sim::DType::kInt64, sim::DType::kBool}) {
    for (const sim::Shape& shape : {sim::Shape{}, sim::Shape{3}, sim::Shape{2, 3, 4}}) {
      sim::Tensor t(type, shape);
      for (std::size_t i = 0; i < t.byte_size(); ++i) t.raw()[i] = std::byte(i % 2);  // valid for every type
      io::write_npy(dir / "t.npy", t);
      EXPECT_TRUE(io::read_tensor_file(dir / "t.npy").bytes_equal(t)) << t.type().to_string();
    }
  }
}

TEST(TensorFile, NpyHeaderIsAlignedAndReadableByNumpyConventions) {
  sim::Tensor t(sim::DType::kFloat32, {1, 3});
  const std::string bytes = io::encode_npy(t);
  const std::size_t header_len = static_cast<unsigned char>(bytes[8]) | (static_cast<unsigned char>(bytes[9]) << 8);
  EXPECT_EQ((10 + header_len) % 64, 0u);
  EXPECT_NE(bytes.find("'shape': (1, 3)"), std::string::npos);
  EXPECT_NE(io::encode_npy(sim::Tensor(sim::DType::kInt64, {5})).find("'shape': (5,)"), std::string::npos);
}

TEST(TensorFile, PbRoundTrip) {
  TempDir dir;
  const sim::Tensor t = sim::make_float_tensor(std::vector<float>{1, 2, 3, 4}, {2, 2});
  std::ofstream(dir / "t.pb", std::ios::binary) << frontend::tensor_to_onnx(t, "t").SerializeAsString();
  EXPECT_TRUE(io::read_tensor_file(dir / "t.pb").bytes_equal(t));
}

TEST(TensorFile, BadFilesGiveClearErrors) {
  TempDir dir;
  std::ofstream(dir / "garbage.npy", std::ios::binary) << "nope";
  EXPECT_NE(error_of(dir / "garbage.npy").find("is not a .npy file"), std::string::npos);

  std::string npy = io::encode_npy(sim::Tensor(sim::DType::kFloat32, {4}));
  std::ofstream(dir / "short.npy", std::ios::binary) << npy.substr(0, npy.size() - 3);
  EXPECT_NE(error_of(dir / "short.npy").find("needs 16"), std::string::npos) << error_of(dir / "short.npy");

  std::string f64 = npy;
  f64.replace(f64.find("<f4"), 3, "<f8");
  std::ofstream(dir / "f64.npy", std::ios::binary) << f64;
  EXPECT_NE(error_of(dir / "f64.npy").find("dtype '<f8' is not supported"), std::string::npos);

  std::string fortran = npy;
  fortran.replace(fortran.find("False"), 5, "True ");
  std::ofstream(dir / "fortran.npy", std::ios::binary) << fortran;
  EXPECT_NE(error_of(dir / "fortran.npy").find("Fortran-order"), std::string::npos);

  EXPECT_NE(error_of(dir / "missing.npy").find("cannot open tensor file"), std::string::npos);
  std::ofstream(dir / "t.txt") << "1 2 3";
  EXPECT_NE(error_of(dir / "t.txt").find("expected .npy or .pb"), std::string::npos);
}

}  // namespace
}  // namespace rknn
