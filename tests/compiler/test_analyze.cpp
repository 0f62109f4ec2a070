// Accuracy analysis (compiler/analysis/, `rknnc analyze`): the metrics, the
// rows of a real model (one per layer output, named as in the ONNX graph),
// the per-layer runs, the files it writes and its errors.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <random>
#include <sstream>

#include "analysis/analyze.h"
#include "analysis/metrics.h"
#include "analysis/report.h"
#include "io/tensor_file.h"
#include "ir/error.h"
#include "onnx_builder.h"
#include "read_file.h"
#include "rknn/sim/executor.h"
#include "rknn/sim/quant.h"
#include "test_process.h"

namespace rknn {
namespace {

namespace fs = std::filesystem;
using testing::OnnxBuilder;
using testing::read_file;
using testing::TempDir;

const fs::path kClassify = fs::path(RKNN_SOURCE_DIR) / "examples/classify";

sim::Tensor random_tensor(sim::Shape shape, float lo, float hi, unsigned seed) {
  sim::Tensor t(sim::DType::kFloat32, std::move(shape));
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> dist(lo, hi);
  for (float& v : t.values<float>()) v = dist(rng);
  return t;
}

// x[1,3,8,8] -> Conv -> LRN (no integer kernel: a float island in integer
// models) -> Split into two -> Add -> Sigmoid -> out.
fs::path save_island_model(const TempDir& dir) {
  OnnxBuilder b;
  b.input("x", {1, 3, 8, 8}).output("out", {1, 2, 8, 8});
  b.initializer("w", random_tensor({4, 3, 3, 3}, -0.5f, 0.5f, 1));
  b.initializer("b", random_tensor({4}, -0.1f, 0.1f, 2));
  testing::set_ints(b.node("Conv", {"x", "w", "b"}, {"conv_out"}, "conv"), "pads", {1, 1, 1, 1});
  auto& lrn = b.node("LRN", {"conv_out"}, {"lrn_out"}, "lrn");
  testing::set_int(lrn, "size", 3);
  testing::set_float(lrn, "alpha", 0.5f);
  testing::set_int(b.node("Split", {"lrn_out"}, {"s0", "s1"}, "split"), "axis", 1);
  b.node("Add", {"s0", "s1"}, {"sum"}, "add");
  b.node("Sigmoid", {"sum"}, {"out"}, "sigmoid");
  b.save(dir / "island.onnx");
  return dir / "island.onnx";
}

// A data set of `count` NHWC .npy samples with values in [lo, hi).
fs::path save_dataset(const TempDir& dir, const std::string& name, int count, float lo, float hi) {
  std::ofstream list(dir / (name + ".txt"));
  for (int i = 0; i < count; ++i) {
    const std::string file = name + std::to_string(i) + ".npy";
    io::write_npy(dir / file, random_tensor({1, 8, 8, 3}, lo, hi, 100u + static_cast<unsigned>(i)));
    list << file << "\n";
  }
  return dir / (name + ".txt");
}

analysis::AnalysisOptions island_options(const TempDir& dir, const std::string& quant) {
  analysis::AnalysisOptions o;
  o.compile.quantization = quant;
  if (quant != "float16") o.compile.dataset = save_dataset(dir, "calib", 8, -1.0f, 1.0f);
  io::write_npy(dir / "sample.npy", random_tensor({1, 8, 8, 3}, -1.0f, 1.0f, 7));
  o.inputs = {dir / "sample.npy"};
  return o;
}

std::vector<std::string> row_names(const analysis::Analysis& a) {
  std::vector<std::string> names;
  for (const auto& l : a.layers) names.push_back(l.name);
  return names;
}

std::string analyze_error(const fs::path& model, const analysis::AnalysisOptions& options) {
  try {
    analysis::analyze(model, options);
  } catch (const CompileError& e) {
    return e.what();
  }
  return "";
}

TEST(AnalysisMetrics, CosineAndEuclideanOfKnownVectors) {
  const std::vector<float> a{3, 4}, b{6, 8}, orthogonal{-4, 3}, zero{0, 0};
  EXPECT_DOUBLE_EQ(analysis::compare(a, b).cosine, 1.0);
  EXPECT_DOUBLE_EQ(analysis::compare(a, b).euclidean, 5.0);
  EXPECT_DOUBLE_EQ(analysis::compare(a, orthogonal).cosine, 0.0);
  EXPECT_DOUBLE_EQ(analysis::compare(a, orthogonal).euclidean, std::sqrt(50.0));
  EXPECT_DOUBLE_EQ(analysis::compare(a, std::vector<float>{-3, -4}).cosine, -1.0);
  EXPECT_DOUBLE_EQ(analysis::compare(zero, zero).cosine, 1.0);
  EXPECT_DOUBLE_EQ(analysis::compare(zero, a).cosine, 0.0);
  EXPECT_THROW(analysis::compare(a, std::vector<float>{1}), std::invalid_argument);
}

TEST(Analysis, Float16RowsAreTheOnnxNodeOutputsAndClose) {
  TempDir dir;
  const analysis::Analysis a = analysis::analyze(save_island_model(dir), island_options(dir, "float16"));
  EXPECT_EQ(a.quantization, "float16");
  EXPECT_EQ(row_names(a), (std::vector<std::string>{"conv_out", "lrn_out", "s0", "s1", "sum", "out"}));
  const std::vector<std::string> ops{"Conv", "LRN", "Split", "Split", "Add", "Sigmoid"};
  const std::vector<std::size_t> layers{0, 1, 2, 2, 3, 4};
  for (std::size_t i = 0; i < a.layers.size(); ++i) {
    const auto& l = a.layers[i];
    EXPECT_EQ(l.op, ops[i]);
    EXPECT_EQ(l.layer, layers[i]);
    EXPECT_GT(l.entire.cosine, 0.999) << l.name;
    EXPECT_GT(l.per_layer.cosine, 0.999) << l.name;
    EXPECT_GT(l.entire.euclidean, 0.0) << l.name << ": float16 rounding must show";
    EXPECT_LT(l.entire.euclidean, 0.05) << l.name;
  }
}

TEST(Analysis, U8WithAFloatIslandGivesSensibleRowsAndGoldenValues) {
  TempDir dir;
  const fs::path model = save_island_model(dir);
  const analysis::AnalysisOptions options = island_options(dir, "asymmetric_u8");
  const analysis::Analysis a = analysis::analyze(model, options);
  EXPECT_EQ(row_names(a), (std::vector<std::string>{"conv_out", "lrn_out", "s0", "s1", "sum", "out"}));
  bool island_logged = false;
  for (const auto& line : a.log) island_logged |= line.find("LRN node 'lrn' runs in float32") != std::string::npos;
  EXPECT_TRUE(island_logged);
  for (const auto& l : a.layers) {
    EXPECT_GT(l.entire.cosine, 0.9) << l.name;
    EXPECT_LE(l.entire.cosine, 1.0) << l.name;
    EXPECT_GT(l.per_layer.cosine, 0.9) << l.name;
    EXPECT_LE(l.per_layer.cosine, 1.0) << l.name;
    EXPECT_GT(l.entire.euclidean, 0.0) << l.name;
  }
  // The first layer reads the model input, quantized the same way in both runs.
  EXPECT_EQ(a.layers[0].entire.cosine, a.layers[0].per_layer.cosine);
  EXPECT_EQ(a.layers[0].entire.euclidean, a.layers[0].per_layer.euclidean);

  // The golden output is the float32 program's output on the same input (NHWC file -> NCHW).
  driver::CompileOptions float_options;
  float_options.quantization = "float32";
  const driver::CompiledModel golden = driver::compile_model(model, float_options);
  sim::Executor executor(golden.program);
  sim::Tensor x(sim::DType::kFloat32, {1, 3, 8, 8});
  const sim::Tensor nhwc = io::read_npy(dir / "sample.npy");
  for (std::int64_t c = 0; c < 3; ++c) {
    for (std::int64_t p = 0; p < 64; ++p) {
      x.data<float>()[c * 64 + p] = nhwc.data<float>()[p * 3 + c];
    }
  }
  const std::vector<sim::Tensor> out = executor.run(std::span(&x, 1));
  EXPECT_TRUE(out[0].bytes_equal(a.layers.back().golden));
}

// Split keeps its input's parameters, so run alone it only moves the codes of
// its golden input quantized with those parameters: its per-layer error is
// exactly the quantization error of its golden output.
TEST(Analysis, PerLayerRunFeedsGoldenInputsQuantizedWithTheLayersParameters) {
  TempDir dir;
  const fs::path model = save_island_model(dir);
  const analysis::AnalysisOptions options = island_options(dir, "asymmetric_u8");
  const analysis::Analysis a = analysis::analyze(model, options);
  const driver::CompiledModel quantized = driver::compile_model(model, options.compile);
  for (const auto& t : quantized.program.tensors) {
    if (t.name != "s0") continue;
    ASSERT_TRUE(t.quant);
    const float scale = t.quant->scale_at(0);
    const std::int32_t zp = t.quant->zero_point_at(0);
    std::vector<float> expected;
    for (float v : a.layers[2].golden.values<float>()) {
      const auto code = sim::quantize_value(v, scale, zp, sim::DType::kUInt8);
      expected.push_back(scale * (static_cast<float>(code) - static_cast<float>(zp)));
    }
    const analysis::ErrorMetrics m = analysis::compare(a.layers[2].golden.values<float>(), expected);
    EXPECT_EQ(a.layers[2].name, "s0");
    EXPECT_DOUBLE_EQ(a.layers[2].per_layer.cosine, m.cosine);
    EXPECT_DOUBLE_EQ(a.layers[2].per_layer.euclidean, m.euclidean);
    // The whole run also carries the error of the layers before.
    EXPECT_NE(a.layers[2].entire.euclidean, m.euclidean);
    return;
  }
  FAIL() << "no tensor s0 in the quantized program";
}

// Calibrated on values within +-0.1 and analysed on values within +-10: the
// input and the convolution saturate, which the first row shows at once.
TEST(Analysis, SaturatedQuantizationShowsInTheFirstRow) {
  TempDir dir;
  OnnxBuilder b;
  b.input("x", {1, 3, 8, 8}).output("y", {1, 4, 8, 8});
  b.initializer("w", random_tensor({4, 3, 3, 3}, -0.5f, 0.5f, 1));
  testing::set_ints(b.node("Conv", {"x", "w"}, {"y"}, "conv"), "pads", {1, 1, 1, 1});
  b.save(dir / "conv.onnx");
  analysis::AnalysisOptions o;
  o.compile.quantization = "asymmetric_u8";
  o.compile.dataset = save_dataset(dir, "small", 4, -0.1f, 0.1f);
  io::write_npy(dir / "big.npy", random_tensor({1, 8, 8, 3}, -10.0f, 10.0f, 9));
  o.inputs = {dir / "big.npy"};
  const analysis::Analysis u8 = analysis::analyze(dir / "conv.onnx", o);
  ASSERT_EQ(u8.layers.size(), 1u);
  EXPECT_LT(u8.layers[0].entire.cosine, 0.95);
  o.compile.quantization = "float16";
  EXPECT_GT(analysis::analyze(dir / "conv.onnx", o).layers[0].entire.cosine, 0.999);
}

TEST(Analysis, BadInputsAreNamed) {
  TempDir dir;
  const fs::path model = save_island_model(dir);
  analysis::AnalysisOptions o = island_options(dir, "float16");
  o.inputs = {dir / "missing.npy"};
  std::string message = analyze_error(model, o);
  EXPECT_NE(message.find("input file '" + (dir / "missing.npy").string() + "' does not exist"), std::string::npos)
      << message;
  o.inputs.clear();
  message = analyze_error(model, o);
  EXPECT_NE(message.find("no sample given: name one file per model input ('x'), or an inputs file"),
            std::string::npos)
      << message;
  o.inputs = {dir / "sample.npy", dir / "sample.npy"};
  message = analyze_error(model, o);
  EXPECT_NE(message.find("the model has 1 input(s) ('x'), 2 input file(s) were given"), std::string::npos) << message;
  io::write_npy(dir / "nchw.npy", random_tensor({1, 3, 8, 8}, 0, 1, 3));
  o.inputs = {dir / "nchw.npy"};
  message = analyze_error(model, o);
  EXPECT_EQ(message.find(":0:"), std::string::npos) << message;
  EXPECT_NE(message.find("'" + (dir / "nchw.npy").string() + "' has shape [1,3,8,8]; input 'x' needs [1,8,8,3] (NHWC)"),
            std::string::npos)
      << message;
  std::ofstream(dir / "two.txt") << "sample.npy\nsample.npy\n";
  o.inputs.clear();
  o.inputs_file = dir / "two.txt";
  message = analyze_error(model, o);
  EXPECT_NE(message.find("two.txt' lists 2 samples; accuracy analysis takes one line"), std::string::npos) << message;
  o.compile.quantization = "asymmetric_u8";  // no data set
  std::ofstream(dir / "one.txt") << "sample.npy\n";
  o.inputs_file = dir / "one.txt";
  message = analyze_error(model, o);
  EXPECT_NE(message.find("needs a calibration data set (--dataset)"), std::string::npos) << message;
}

TEST(AnalysisReport, FileNamesAreSanitizedAndUnique) {
  analysis::Analysis a;
  const std::vector<std::string> names{"/conv1/Conv_output_0", "_conv1_Conv_output_0", "_CONV1_conv_output_0", "..",
                                       "", "a:b\\c d", std::string(300, 'x')};
  for (const auto& name : names) {
    analysis::LayerResult row;
    row.name = name;
    a.layers.push_back(std::move(row));
  }
  const std::vector<std::string> files = analysis::tensor_file_names(a);
  EXPECT_EQ(files[0], "_conv1_Conv_output_0.npy");
  EXPECT_EQ(files[1], "_conv1_Conv_output_0_2.npy");
  EXPECT_EQ(files[2], "_CONV1_conv_output_0_3.npy");  // differs only in case: unique on any file system
  EXPECT_EQ(files[3], "_...npy");
  EXPECT_EQ(files[4], "_.npy");
  EXPECT_EQ(files[5], "a_b_c_d.npy");
  EXPECT_EQ(files[6], std::string(200, 'x') + ".npy");
}

TEST(AnalysisReport, NhwcDumpOfNchwTensors) {
  sim::Tensor t(sim::DType::kFloat32, {1, 2, 1, 3});
  for (int i = 0; i < 6; ++i) t.data<float>()[i] = float(i);  // c0: 0 1 2, c1: 3 4 5
  const sim::Tensor nhwc = analysis::to_nhwc(t);
  EXPECT_EQ(nhwc.shape(), (sim::Shape{1, 1, 3, 2}));
  EXPECT_EQ(nhwc.to_float_vector(), (std::vector<float>{0, 3, 1, 4, 2, 5}));
}

// --- rknnc analyze, as a process, on the example classifier ---

using Result = testing::CommandResult;

Result rknnc(const std::string& args) { return testing::run_command(std::string(RKNNC_PATH) + " " + args); }

const std::string kShapesU8 = "analyze " + (kClassify / "shapes.onnx").string() +
                              " --quant asymmetric_u8 --quant-method channel --dataset " +
                              (kClassify / "dataset.txt").string() +
                              " --mean 127.5,127.5,127.5 --std 63.75,63.75,63.75";
const fs::path kCircle = kClassify / "images/circle_0.png";

analysis::Analysis analyze_shapes_u8() {
  analysis::AnalysisOptions o;
  o.compile.quantization = "asymmetric_u8";
  o.compile.dataset = kClassify / "dataset.txt";
  o.compile.mean = {{127.5f, 127.5f, 127.5f}};
  o.compile.std = {{63.75f, 63.75f, 63.75f}};
  o.inputs = {kCircle};
  return analysis::analyze(kClassify / "shapes.onnx", o);
}

TEST(Analysis, ShapesFloat16IsCloseAtEveryLayer) {
  analysis::AnalysisOptions o;
  o.compile.mean = {{127.5f, 127.5f, 127.5f}};
  o.compile.std = {{63.75f, 63.75f, 63.75f}};
  o.inputs = {kClassify / "images/triangle_1.png"};
  const analysis::Analysis a = analysis::analyze(kClassify / "shapes.onnx", o);
  ASSERT_EQ(a.quantization, "float16");
  ASSERT_GE(a.layers.size(), 5u);
  for (const auto& l : a.layers) {
    EXPECT_GT(l.entire.cosine, 0.999) << l.name;
    EXPECT_GT(l.per_layer.cosine, 0.999) << l.name;
  }
}

std::vector<std::string> files_under(const fs::path& dir) {
  std::vector<std::string> files;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file()) files.push_back(fs::relative(entry.path(), dir).string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

TEST(RknncAnalyze, ShapesU8WritesTableJsonAndTensors) {
  TempDir dir;
  const Result r = rknnc(kShapesU8 + " " + kCircle.string() + " --dump-tensors --output-dir " + (dir / "out").string());
  ASSERT_EQ(r.status, 0) << r.output;
  const analysis::Analysis a = analyze_shapes_u8();
  ASSERT_FALSE(a.layers.empty());
  EXPECT_EQ(a.layers.back().name, "logits");

  // The table: four comment lines, a header, one row per layer output, in order.
  const std::string table = read_file(dir / "out/error_analysis.txt");
  EXPECT_EQ(table, analysis::format_table(a));
  std::istringstream lines(table);
  std::vector<std::string> rows;
  for (std::string line; std::getline(lines, line);) {
    if (!line.starts_with("#") && !line.starts_with("index")) rows.push_back(line);
  }
  ASSERT_EQ(rows.size(), a.layers.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    EXPECT_NE(rows[i].find("  " + a.layers[i].name + "  "), std::string::npos) << rows[i];
    EXPECT_GT(a.layers[i].entire.cosine, 0.9) << a.layers[i].name;
    EXPECT_LE(a.layers[i].entire.cosine, 1.0) << a.layers[i].name;
  }

  // The JSON parses and lists the same layers.
  const Result json = testing::run_command(
      "python3 -c \"import json, sys; d = json.load(open(sys.argv[1])); "
      "print(len(d['layers'])); print(' '.join(l['name'] for l in d['layers']))\" " +
      (dir / "out/error_analysis.json").string());
  ASSERT_EQ(json.status, 0) << json.output;
  std::string names;
  for (const auto& l : a.layers) names += (names.empty() ? "" : " ") + l.name;
  EXPECT_EQ(json.output, std::to_string(a.layers.size()) + "\n" + names + "\n");

  // Every layer output as float32 .npy, NHWC for 4-D, equal to the golden values.
  const std::vector<std::string> files = analysis::tensor_file_names(a);
  for (std::size_t i = 0; i < a.layers.size(); ++i) {
    const sim::Tensor golden = io::read_npy(dir / "out/golden" / files[i]);
    const sim::Tensor quantized = io::read_npy(dir / "out/quantized" / files[i]);
    const sim::Shape& nchw = a.layers[i].golden.shape();
    const sim::Shape expected = nchw.size() == 4 ? sim::Shape{nchw[0], nchw[2], nchw[3], nchw[1]} : nchw;
    EXPECT_EQ(golden.type(), (sim::TensorType{sim::DType::kFloat32, expected})) << files[i];
    EXPECT_EQ(quantized.type(), golden.type()) << files[i];
    EXPECT_TRUE(golden.bytes_equal(analysis::to_nhwc(a.layers[i].golden))) << files[i];
    EXPECT_TRUE(quantized.bytes_equal(analysis::to_nhwc(a.layers[i].quantized))) << files[i];
  }
  EXPECT_EQ(a.layers.front().golden.shape().size(), 4u);  // the NHWC path is exercised
}

TEST(RknncAnalyze, SameBytesAcrossRunsThreadsAndInputForms) {
  TempDir dir;
  std::ofstream(dir / "one.txt") << kCircle.string() << "\n";
  const std::vector<std::string> runs{
      kShapesU8 + " " + kCircle.string() + " --dump-tensors --threads 1 --output-dir " + (dir / "a").string(),
      kShapesU8 + " " + kCircle.string() + " --dump-tensors --threads 2 --output-dir " + (dir / "b").string(),
      kShapesU8 + " --inputs-file " + (dir / "one.txt").string() + " --dump-tensors --output-dir " +
          (dir / "c").string()};
  for (const auto& args : runs) {
    const Result r = rknnc(args);
    ASSERT_EQ(r.status, 0) << r.output;
  }
  const std::vector<std::string> files = files_under(dir / "a");
  EXPECT_GT(files.size(), 2u);
  for (const char* other : {"b", "c"}) {
    EXPECT_EQ(files_under(dir / other), files);
    for (const auto& f : files) EXPECT_EQ(read_file(dir / other / f), read_file(dir / "a" / f)) << other << "/" << f;
  }
}

TEST(RknncAnalyze, ErrorsNameTheFileAndExitNonZero) {
  TempDir dir;
  Result r = rknnc(kShapesU8 + " " + (dir / "nope.png").string() + " --output-dir " + (dir / "o").string());
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.output.find("input file '" + (dir / "nope.png").string() + "' does not exist"), std::string::npos)
      << r.output;
  r = rknnc(kShapesU8 + " " + kCircle.string() + " " + kCircle.string() + " --output-dir " + (dir / "o").string());
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.output.find("the model has 1 input(s)"), std::string::npos) << r.output;
  io::write_npy(dir / "small.npy", sim::Tensor(sim::DType::kFloat32, {1, 8, 8, 3}));
  r = rknnc(kShapesU8 + " " + (dir / "small.npy").string() + " --output-dir " + (dir / "o").string());
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.output.find("small.npy' has shape [1,8,8,3]"), std::string::npos) << r.output;
  EXPECT_FALSE(fs::exists(dir / "o"));  // nothing written on error
}

TEST(RknncAnalyze, HelpListsTheSharedCompileOptions) {
  const Result analyze = rknnc("analyze --help");
  const Result compile = rknnc("compile --help");
  ASSERT_EQ(analyze.status, 0);
  ASSERT_EQ(compile.status, 0);
  for (const char* flag : {"--quant", "--quant-method", "--quant-algorithm", "--dataset", "--mean", "--std",
                           "--reorder", "--input-shape", "--optimization-level", "--threads", "--epochs"}) {
    EXPECT_NE(analyze.output.find(flag), std::string::npos) << flag;
    EXPECT_NE(compile.output.find(flag), std::string::npos) << flag;
  }
  EXPECT_NE(analyze.output.find("--dump-tensors"), std::string::npos);
  EXPECT_NE(analyze.output.find("--inputs-file"), std::string::npos);
  EXPECT_NE(compile.output.find("--encrypt-level"), std::string::npos);
  EXPECT_EQ(analyze.output.find("--encrypt-level"), std::string::npos);
}

}  // namespace
}  // namespace rknn
