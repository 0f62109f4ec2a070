// Calibration data: every kind of bad data set line gives an error naming the
// data set file and line; images of another size are resized with a warning.
#include <gtest/gtest.h>

#include <fstream>

#include "calibration/calibrate.h"
#include "calibration/statistics.h"
#include "driver/compile.h"
#include "io/tensor_file.h"
#include "ir/error.h"
#include "onnx_builder.h"

namespace rknn {
namespace {

using testing::OnnxBuilder;
using testing::TempDir;

// image [1,3,4,4] -> Relu -> y
std::filesystem::path save_model(const TempDir& dir) {
  OnnxBuilder b;
  b.input("image", {1, 3, 4, 4}).output("y", {1, 3, 4, 4});
  b.node("Relu", {"image"}, {"y"}, "relu");
  b.save(dir / "m.onnx");
  return dir / "m.onnx";
}

std::string calibration_error(const std::filesystem::path& model, const std::filesystem::path& dataset) {
  driver::CompileOptions o;
  o.quantization = "asymmetric_u8";
  o.dataset = dataset;
  try {
    driver::compile_model(model, o);
  } catch (const CompileError& e) {
    return e.what();
  }
  return "";
}

TEST(CalibrationErrors, UndecodableImageNamesLineAndFile) {
  TempDir dir;
  const auto model = save_model(dir);
  std::ofstream(dir / "broken.png") << "not a png at all";
  std::ofstream(dir / "ds.txt") << "broken.png\n";
  const std::string message = calibration_error(model, dir / "ds.txt");
  EXPECT_NE(message.find("ds.txt:1: cannot decode image"), std::string::npos) << message;
  EXPECT_NE(message.find("broken.png"), std::string::npos) << message;
}

TEST(CalibrationErrors, NpyOfTheWrongShapeOrType) {
  TempDir dir;
  const auto model = save_model(dir);
  io::write_npy(dir / "shape.npy", sim::Tensor(sim::DType::kFloat32, {1, 3, 4, 4}));  // NCHW, NHWC expected
  io::write_npy(dir / "type.npy", sim::Tensor(sim::DType::kInt64, {1, 4, 4, 3}));
  std::ofstream(dir / "shape.txt") << "shape.npy\n";
  std::ofstream(dir / "type.txt") << "\n# first sample\ntype.npy\n";
  std::string message = calibration_error(model, dir / "shape.txt");
  EXPECT_NE(message.find("shape.txt:1: "), std::string::npos) << message;
  EXPECT_NE(message.find("needs [1,4,4,3] (NHWC)"), std::string::npos) << message;
  message = calibration_error(model, dir / "type.txt");
  EXPECT_NE(message.find("type.txt:3: "), std::string::npos) << message;
  EXPECT_NE(message.find("holds int64"), std::string::npos) << message;
}

TEST(CalibrationErrors, QuantizationNeedsADataSet) {
  TempDir dir;
  driver::CompileOptions o;
  o.quantization = "dynamic_fixed_point-16";
  try {
    driver::compile_model(save_model(dir), o);
    FAIL();
  } catch (const CompileError& e) {
    EXPECT_NE(std::string(e.what()).find("needs a calibration data set"), std::string::npos) << e.what();
  }
}

TEST(Calibration, ResizesImagesWithAWarningAndAppliesPreprocessing) {
  TempDir dir;
  const std::filesystem::path png = std::filesystem::path(RKNN_SOURCE_DIR) / "examples/classify/images/circle_0.png";
  calibration::Sample sample{1, {png}};
  format::IoInfo input;
  input.name = "image";
  input.dims = {1, 3, 4, 4};
  format::Preprocessing pre;
  pre.mean = {1, 2, 3};
  pre.std = {2, 2, 2};
  std::vector<std::string> warnings;
  const auto tensors = calibration::load_sample(sample, dir / "ds.txt", {input}, {pre}, {}, &warnings);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("is 32x32; resized to 4x4 (bilinear)"), std::string::npos) << warnings[0];
  ASSERT_EQ(tensors.at(0).shape(), (sim::Shape{1, 3, 4, 4}));
  for (float v : tensors[0].values<float>()) {  // (pixel - mean) / std stays within the pixel range
    EXPECT_GE(v, (0.0f - 3) / 2);
    EXPECT_LE(v, (255.0f - 1) / 2);
  }
}

TEST(Calibration, EpochsAndBatchSizeChooseHowManySamples) {
  TempDir dir;
  for (int i = 0; i < 5; ++i) io::write_npy(dir / ("s" + std::to_string(i) + ".npy"), sim::Tensor(sim::DType::kFloat32, {1, 4, 4, 3}));
  std::ofstream(dir / "ds.txt") << "s0.npy\ns1.npy\ns2.npy\ns3.npy\ns4.npy\n";
  format::IoInfo input;
  input.name = "image";
  input.dims = {1, 3, 4, 4};
  sim::Program p;
  p.tensors.push_back({"image", {sim::DType::kFloat32, {1, 3, 4, 4}}, std::nullopt});
  p.inputs = {0};
  p.outputs = {0};
  calibration::CalibrationOptions c;
  c.dataset = dir / "ds.txt";
  c.batch_size = 2;
  c.epochs = 2;
  EXPECT_EQ(calibration::calibrate(p, {input}, {format::Preprocessing{}}, c).samples, 4u);
  c.epochs = -1;
  EXPECT_EQ(calibration::calibrate(p, {input}, {format::Preprocessing{}}, c).samples, 5u);
}

TEST(CalibrationStatistics, AlgorithmsClipOutliers) {
  calibration::TensorStatistics s;
  std::vector<float> values(10000);
  for (std::size_t i = 0; i < values.size(); ++i) values[i] = static_cast<float>(int(i % 200) - 100) / 100.0f;
  values[0] = 50.0f;  // one outlier
  s.observe_range(values);
  s.observe_histogram(values);
  EXPECT_EQ(s.clip_range(calibration::Algorithm::kNormal, 256).max, 50.0f);
  EXPECT_LT(s.clip_range(calibration::Algorithm::kKlDivergence, 256).max, 50.0f);
  EXPECT_LT(s.clip_range(calibration::Algorithm::kMmse, 256).max, 50.0f);
  EXPECT_THROW(calibration::parse_algorithm("median"), CompileError);
}

}  // namespace
}  // namespace rknn
