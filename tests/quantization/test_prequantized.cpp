// Pre-quantized ONNX models keep their own quantization parameters
// (compiler/quantize/import_prequantized.h, docs/quantization.md).
//
// The models are real ONNX files written by scripts/models/make_prequantized.py
// in the QDQ and QLinear formats, with the expected output codes computed by
// the repository's independent float64 numpy evaluator of ONNX graphs. They
// are compiled with the default options (no data set), run through the
// runtime, and the output codes compared:
//   * exact for every case: each op's real result is rounded once (ONNX:
//     half to even; our requantization: half up), so the codes can only
//     differ at an exact tie, which the seeded data do not contain, except
//   * <= 1 code where our integer kernel rounds twice where ONNX rounds once
//     (AveragePool: the mean of the codes, then the requantization; see
//     docs/quantization-nn.md) — qdq_net_*, whose one-code difference after
//     the global average pool can move the final Gemm by one code.
#include <gtest/gtest.h>
#include <stb/stb_image.h>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <sstream>

#include "artifact/artifact_writer.h"
#include "compiler/onnx_builder.h"
#include "driver/compile.h"
#include "driver/load_model.h"
#include "frontend/onnx_tensor.h"
#include "io/tensor_file.h"
#include "ir/error.h"
#include "lower/to_program.h"
#include "rknn/runtime.hpp"
#include "rknn/sim/executor.h"
#include "test_process.h"

namespace rknn {
namespace {

namespace fs = std::filesystem;
using testing::OnnxBuilder;
using testing::TempDir;

const fs::path kSource = RKNN_SOURCE_DIR;
const fs::path kScripts = kSource / "scripts/models";
const fs::path kConformance = "/usr/share/libonnx-testdata/data/node";

void run_python(const std::string& arguments) {
  const auto r = testing::run_command(std::string(RKNN_PYTHON) + " " + arguments);
  ASSERT_EQ(r.status, 0) << arguments << "\n" << r.output;
}

// Writes CASE's model, inputs and expected codes into `dir`.
void make_case(const TempDir& dir, const std::string& name) {
  run_python((kScripts / "make_prequantized.py").string() + " --out " + dir.path().string() + " --case " + name);
}

// An artifact in 64-byte aligned memory, as the runtime loads it from flash.
struct Artifact {
  explicit Artifact(const driver::CompiledModel& m) {
    const std::string bytes = artifact::write_artifact(m.info, m.program);
    storage = sim::Tensor(sim::DType::kUInt8, {static_cast<std::int64_t>(bytes.size())});
    std::memcpy(storage.raw(), bytes.data(), bytes.size());
  }
  std::span<const std::byte> span() const { return {storage.raw(), storage.byte_size()}; }
  sim::Tensor storage;
};

rknn_tensor_type api_type(sim::DType t) {
  switch (t) {
    case sim::DType::kUInt8:
      return RKNN_TENSOR_UINT8;
    case sim::DType::kInt8:
      return RKNN_TENSOR_INT8;
    default:
      return RKNN_TENSOR_FLOAT32;
  }
}

// Feeds every NAME.input_K.npy (float inputs are quantized by the runtime,
// integer inputs are the model's own codes) and returns output 0's raw codes.
std::vector<std::int64_t> run_codes(Session& session, const fs::path& dir, const std::string& name) {
  for (std::size_t k = 0; k < session.input_count(); ++k) {
    const sim::Tensor in = io::read_tensor_file(dir / (name + ".input_" + std::to_string(k) + ".npy"));
    const bool codes = in.dtype() != sim::DType::kFloat32;
    session.set_input(k, {in.raw(), in.byte_size()}, api_type(in.dtype()), RKNN_TENSOR_NCHW, codes);
  }
  session.run();
  const rknn_tensor_attr attr = session.output_attr(0);
  std::vector<std::byte> raw(attr.size);
  session.get_output(0, raw, /*want_float=*/false);
  std::vector<std::int64_t> out;
  for (std::size_t i = 0; i < attr.n_elems; ++i) {
    out.push_back(attr.type == RKNN_TENSOR_INT8 ? static_cast<std::int64_t>(static_cast<std::int8_t>(raw[i]))
                                                : static_cast<std::int64_t>(static_cast<std::uint8_t>(raw[i])));
  }
  return out;
}

std::vector<std::int64_t> expected_codes(const fs::path& dir, const std::string& name) {
  const sim::Tensor t = io::read_tensor_file(dir / (name + ".expected.npy"));
  std::vector<std::int64_t> out;
  for (float v : t.to_float_vector()) out.push_back(static_cast<std::int64_t>(v));
  return out;
}

struct Case {
  const char* name;
  int tolerance;  // in output codes
};

void PrintTo(const Case& c, std::ostream* os) { *os << c.name; }

class PrequantizedCase : public ::testing::TestWithParam<Case> {};

// The model's own parameters, no data set: every output code matches the
// ONNX reference, and the runtime reports the output's parameters.
TEST_P(PrequantizedCase, MatchesOnnxReference) {
  const Case c = GetParam();
  TempDir dir;
  make_case(dir, c.name);
  const driver::CompileOptions defaults;  // float16: RKNN's do_quantization=False
  const driver::CompiledModel m = driver::compile_model(dir / (std::string(c.name) + ".onnx"), defaults);
  EXPECT_EQ(m.info.quantization, "asymmetric_u8");
  const Artifact artifact(m);
  Session session(artifact.span());

  const std::vector<std::int64_t> want = expected_codes(dir.path(), c.name);
  std::vector<std::int64_t> got = run_codes(session, dir.path(), c.name);
  // int8 model values are carried as uint8 codes + 128 when the model's
  // output is float (its DequantizeLinear becomes the runtime's dequantization).
  const sim::Tensor ref = io::read_tensor_file(dir / (std::string(c.name) + ".expected.npy"));
  const rknn_tensor_attr attr = session.output_attr(0);
  const int shift = ref.dtype() == sim::DType::kInt8 && attr.type == RKNN_TENSOR_UINT8 ? 128 : 0;
  const sim::Tensor quant = io::read_tensor_file(dir / (std::string(c.name) + ".output_quant.npy"));
  const auto params = quant.to_float_vector();
  EXPECT_EQ(attr.qnt_type, RKNN_TENSOR_QNT_AFFINE_ASYMMETRIC);
  EXPECT_FLOAT_EQ(attr.scale, params[0]);
  EXPECT_EQ(attr.zp, static_cast<std::int32_t>(params[1]) + shift);

  ASSERT_EQ(got.size(), want.size());
  std::int64_t worst = 0;
  std::size_t differ = 0;
  for (std::size_t i = 0; i < got.size(); ++i) {
    const std::int64_t d = std::llabs(got[i] - shift - want[i]);
    worst = std::max(worst, d);
    differ += d != 0;
  }
  EXPECT_LE(worst, c.tolerance) << differ << " of " << got.size() << " codes differ";
  RecordProperty("codes_differing", static_cast<int>(differ));
  std::cout << "[ figures  ] " << c.name << ": " << differ << " of " << got.size()
            << " codes differ from the ONNX reference, at most by " << worst << "\n";
}

INSTANTIATE_TEST_SUITE_P(Models, PrequantizedCase,
                         ::testing::Values(Case{"qdq_conv_u8", 0}, Case{"qdq_conv_s8", 0},
                                           Case{"qdq_conv_u8_weights", 0}, Case{"qdq_float_weights", 0},
                                           Case{"qdq_depthwise", 0}, Case{"qdq_gemm_matmul", 0},
                                           Case{"qdq_add_concat", 0}, Case{"qdq_net_u8", 1}, Case{"qdq_net_s8", 1},
                                           Case{"qdq_float_island", 0}, Case{"qlinear_conv_u8", 0},
                                           Case{"qlinear_conv_s8", 0}, Case{"qlinear_matmul_u8", 0},
                                           Case{"qlinear_matmul_s8", 0}, Case{"qoperator_net", 0}),
                         [](const ::testing::TestParamInfo<Case>& param) { return std::string(param.param.name); });

driver::CompiledModel compile_case(const TempDir& dir, const std::string& name, const std::string& quant = "float16") {
  driver::CompileOptions options;
  options.quantization = quant;
  return driver::compile_model(dir / (name + ".onnx"), options);
}

bool has_op(const sim::Program& program, const std::string& op) {
  return std::any_of(program.nodes.begin(), program.nodes.end(),
                     [&](const sim::ProgramNode& n) { return n.node.op == op; });
}

bool log_mentions(const driver::CompiledModel& m, const std::string& text) {
  return std::any_of(m.log.begin(), m.log.end(),
                     [&](const std::string& line) { return line.find(text) != std::string::npos; });
}

// QDQ pairs fold into the integer op: no QuantizeLinear / DequantizeLinear
// is left, the convolution reads uint8 codes, and the float input and output
// became the program's quantized input and output.
TEST(Prequantized, QdqFoldsIntoIntegerOps) {
  TempDir dir;
  make_case(dir, "qdq_conv_u8");
  const driver::CompiledModel m = compile_case(dir, "qdq_conv_u8");
  EXPECT_FALSE(has_op(m.program, "QuantizeLinear"));
  EXPECT_FALSE(has_op(m.program, "DequantizeLinear"));
  ASSERT_TRUE(has_op(m.program, "Conv"));
  for (const auto& n : m.program.nodes) {
    if (n.node.op != "Conv") continue;
    for (int t : {n.inputs[0], n.inputs[1]})
      EXPECT_EQ(m.program.tensors[static_cast<std::size_t>(t)].type.dtype, sim::DType::kUInt8);
    EXPECT_EQ(m.program.tensors[static_cast<std::size_t>(n.inputs[2])].type.dtype, sim::DType::kInt32);
  }
  ASSERT_EQ(m.info.inputs.size(), 1u);
  EXPECT_EQ(m.info.inputs[0].type, sim::DType::kUInt8);
  EXPECT_EQ(m.info.inputs[0].quant.type, format::QuantType::kAffineAsymmetric);
  EXPECT_TRUE(log_mentions(m, "2 nodes run on integer kernels"));
  // Same inputs, same bytes.
  EXPECT_EQ(artifact::write_artifact(m.info, m.program),
            artifact::write_artifact(compile_case(dir, "qdq_conv_u8").info, compile_case(dir, "qdq_conv_u8").program));
}

// int8 activations are carried as uint8 + 128 inside; an int8 model input or
// output keeps its type and reports the model's own parameters.
TEST(Prequantized, Int8InputsAndOutputsKeepTheirParameters) {
  TempDir dir;
  make_case(dir, "qlinear_conv_s8");
  make_case(dir, "qdq_conv_s8");
  const Artifact qlinear(compile_case(dir, "qlinear_conv_s8"));
  Session session(qlinear.span());
  const rknn_tensor_attr in = session.input_attr(0);
  EXPECT_EQ(in.type, RKNN_TENSOR_INT8);
  EXPECT_EQ(in.qnt_type, RKNN_TENSOR_QNT_AFFINE_ASYMMETRIC);
  EXPECT_FLOAT_EQ(in.scale, 0.0091f);
  EXPECT_EQ(in.zp, -7);
  EXPECT_EQ(session.output_attr(0).type, RKNN_TENSOR_INT8);

  // A float input that the model quantizes to int8: the runtime quantizes
  // floats to the uint8 codes + 128, the same real values.
  const onnx::ModelProto proto = frontend::read_onnx_model(dir / "qdq_conv_s8.onnx");
  const onnx::NodeProto& q = proto.graph().node(0);
  ASSERT_EQ(q.op_type(), "QuantizeLinear");
  std::map<std::string, sim::Tensor> initializers;
  for (const auto& t : proto.graph().initializer())
    initializers.emplace(t.name(), frontend::tensor_from_onnx(t, t.name()));
  const sim::Tensor& model_zp = initializers.at(q.input(2));
  ASSERT_EQ(model_zp.dtype(), sim::DType::kInt8);
  const driver::CompiledModel qdq = compile_case(dir, "qdq_conv_s8");
  EXPECT_EQ(qdq.info.inputs[0].type, sim::DType::kUInt8);
  EXPECT_EQ(qdq.info.inputs[0].quant.zero_point, std::vector<std::int32_t>{model_zp.data<std::int8_t>()[0] + 128});
  EXPECT_EQ(qdq.info.inputs[0].quant.scale, initializers.at(q.input(1)).to_float_vector());
}

// The integer ops read the model's uint8 input codes directly; the last op
// writes the model's uint8 output (QLinearConv with uint8 weights with a zero point).
TEST(Prequantized, Uint8ModelInputIsUsedAsCodes) {
  TempDir dir;
  make_case(dir, "qlinear_conv_u8");
  const driver::CompiledModel m = compile_case(dir, "qlinear_conv_u8");
  EXPECT_EQ(m.program.nodes.size(), 1u);
  EXPECT_EQ(m.info.inputs[0].quant.zero_point, std::vector<std::int32_t>{121});
  EXPECT_EQ(m.info.inputs[0].quant.scale, std::vector<float>{0.0173f});
}

// An op without an integer kernel stays float between its DequantizeLinear
// and QuantizeLinear, and the compile log names it.
TEST(Prequantized, OpsWithoutIntegerKernelRunInFloat) {
  TempDir dir;
  make_case(dir, "qdq_float_island");
  const driver::CompiledModel m = compile_case(dir, "qdq_float_island");
  EXPECT_TRUE(has_op(m.program, "Div"));
  EXPECT_TRUE(has_op(m.program, "DequantizeLinear"));
  EXPECT_TRUE(has_op(m.program, "QuantizeLinear"));
  EXPECT_TRUE(log_mentions(m, "Div node 'div_")) << ::testing::PrintToString(m.log);
  EXPECT_TRUE(log_mentions(m, "runs in float32"));
  EXPECT_TRUE(log_mentions(m, "1 nodes run on integer kernels"));
}

// asymmetric_u8 is the type the model already has: the same artifact, no
// data set needed, and a data set given is not used.
TEST(Prequantized, AsymmetricU8GivesTheSameArtifactWithoutCalibration) {
  TempDir dir;
  make_case(dir, "qdq_net_u8");
  const driver::CompiledModel by_default = compile_case(dir, "qdq_net_u8");
  driver::CompileOptions options;
  options.quantization = "asymmetric_quantized-u8";
  options.dataset = dir / "dataset.txt";
  std::ofstream(dir / "dataset.txt") << "qdq_net_u8.input_0.npy\n";
  const driver::CompiledModel u8 = driver::compile_model(dir / "qdq_net_u8.onnx", options);
  EXPECT_TRUE(log_mentions(u8, "data set is not used"));
  EXPECT_EQ(artifact::write_artifact(by_default.info, by_default.program),
            artifact::write_artifact(u8.info, u8.program));
}

// Dynamic fixed point would need the float model: refused, naming the model,
// the node that makes it pre-quantized, and what works.
TEST(Prequantized, DynamicFixedPointIsRefused) {
  TempDir dir;
  make_case(dir, "qdq_conv_u8");
  try {
    compile_case(dir, "qdq_conv_u8", "dynamic_fixed_point-8");
    FAIL() << "a pre-quantized model was re-quantized to dynamic fixed point";
  } catch (const CompileError& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("qdq_conv_u8.onnx' is pre-quantized (QuantizeLinear node"), std::string::npos) << message;
    EXPECT_NE(message.find("asymmetric_u8 or float16"), std::string::npos) << message;
  }
}

// float32 runs the model as written: QuantizeLinear / DequantizeLinear as
// float ops (ONNX's definition in float32 arithmetic), within one code of the
// float64 reference.
TEST(Prequantized, Float32RunsTheModelAsWritten) {
  TempDir dir;
  make_case(dir, "qdq_conv_s8");
  const driver::CompiledModel m = compile_case(dir, "qdq_conv_s8", "float32");
  EXPECT_EQ(m.info.quantization, "float32");
  EXPECT_TRUE(has_op(m.program, "QuantizeLinear"));
  EXPECT_TRUE(log_mentions(m, "runs its QuantizeLinear/DequantizeLinear nodes in float"));
  const Artifact artifact(m);
  Session session(artifact.span());
  const sim::Tensor x = io::read_tensor_file(dir / "qdq_conv_s8.input_0.npy");
  session.set_input(0, {x.raw(), x.byte_size()}, RKNN_TENSOR_FLOAT32, RKNN_TENSOR_NCHW);
  session.run();
  std::vector<float> y(session.output_attr(0).n_elems);
  session.get_output(0, std::as_writable_bytes(std::span(y)));
  const auto params = io::read_tensor_file(dir / "qdq_conv_s8.output_quant.npy").to_float_vector();
  const auto want = expected_codes(dir.path(), "qdq_conv_s8");
  ASSERT_EQ(y.size(), want.size());
  for (std::size_t i = 0; i < y.size(); ++i) {
    EXPECT_NEAR(y[i] / params[0] + params[1], static_cast<double>(want[i]), 1.001) << i;
  }
}

// Parameters no kernel can represent are a compile error naming the node.
TEST(Prequantized, ZeroScaleIsACompileErrorNamingTheNode) {
  TempDir dir;
  OnnxBuilder b(13);
  b.input("x", {1, 4}).output("y", {1, 4});
  b.initializer("s", sim::make_float_tensor(std::vector<float>{0.0f}, {}));
  b.initializer("z", sim::Tensor(sim::DType::kUInt8, {}));
  b.node("QuantizeLinear", {"x", "s", "z"}, {"q"}, "bad_quantize");
  b.node("DequantizeLinear", {"q", "s", "z"}, {"y"}, "dequantize");
  b.save(dir / "zero_scale.onnx");
  driver::CompileOptions options;
  try {
    driver::compile_model(dir / "zero_scale.onnx", options);
    FAIL() << "a zero scale was accepted";
  } catch (const CompileError& e) {
    EXPECT_NE(std::string(e.what()).find("QuantizeLinear node 'bad_quantize': scale 0"), std::string::npos) << e.what();
  }
}

// Per-channel activation parameters: the integer activation kernels are per
// tensor, so the op runs in float, and the result is still the model's.
TEST(Prequantized, PerChannelActivationsRunInFloat) {
  TempDir dir;
  OnnxBuilder b(13);
  b.input("x", {1, 2, 3, 3}).output("y", {1, 2, 3, 3});
  b.initializer("s", sim::make_float_tensor(std::vector<float>{0.01f, 0.02f}, {2}));
  b.initializer("z", sim::Tensor(sim::DType::kUInt8, {2}));
  b.initializer("s_out", sim::make_float_tensor(std::vector<float>{0.015f}, {}));
  b.initializer("z_out", sim::Tensor(sim::DType::kUInt8, {}));
  b.node("QuantizeLinear", {"x", "s", "z"}, {"xq"});
  b.node("DequantizeLinear", {"xq", "s", "z"}, {"xf"});
  b.node("Relu", {"xf"}, {"r"}, "relu");
  b.node("QuantizeLinear", {"r", "s_out", "z_out"}, {"rq"});
  b.node("DequantizeLinear", {"rq", "s_out", "z_out"}, {"y"});
  b.save(dir / "per_channel.onnx");
  driver::CompileOptions options;
  const driver::CompiledModel m = driver::compile_model(dir / "per_channel.onnx", options);
  EXPECT_TRUE(log_mentions(m, "Relu node 'relu' runs in float32")) << ::testing::PrintToString(m.log);
  sim::Executor executor(m.program);
  std::vector<float> x(18);
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = 0.37f * static_cast<float>(i) - 1.0f;
  const std::vector<sim::Tensor> feeds{sim::make_float_tensor(x, {1, 2, 3, 3})};
  const std::vector<sim::Tensor> out = executor.run(feeds);
  ASSERT_EQ(out[0].dtype(), sim::DType::kUInt8);  // the model's output codes
  for (std::size_t i = 0; i < x.size(); ++i) {
    const float s = i < 9 ? 0.01f : 0.02f;
    const double xq = std::clamp(std::nearbyint(x[i] / s), 0.0f, 255.0f) * s;  // the first QuantizeLinear
    const double want = std::clamp(std::nearbyint(std::max(xq, 0.0) / 0.015), 0.0, 255.0);
    EXPECT_EQ(out[0].data<std::uint8_t>()[i], want) << i;
  }
}

// ONNX's own QLinearConv / QLinearMatMul test data on the integer kernels:
// the conformance suite feeds the scales as run-time inputs (the float path
// of the expansion); bound as constants, as a compiled model has them, the
// ops fold into integer Conv / MatMul and must give ONNX's bytes.
class ConformanceData : public ::testing::TestWithParam<const char*> {};

TEST_P(ConformanceData, IntegerKernelsGiveOnnxBytes) {
  const fs::path dir = kConformance / GetParam();
  if (!fs::exists(dir / "model.onnx")) GTEST_SKIP() << "libonnx-testdata is not installed";
  const onnx::ModelProto proto = frontend::read_onnx_model(dir / "model.onnx");
  std::vector<sim::Tensor> inputs;
  for (int k = 0; fs::exists(dir / "test_data_set_0" / ("input_" + std::to_string(k) + ".pb")); ++k) {
    inputs.push_back(io::read_tensor_pb(dir / "test_data_set_0" / ("input_" + std::to_string(k) + ".pb")));
  }
  const sim::Tensor want = io::read_tensor_pb(dir / "test_data_set_0" / "output_0.pb");
  for (int level : {0, 3}) {
    driver::LoadOptions options;
    options.optimization_level = level;
    for (std::size_t k = 1; k < inputs.size(); ++k) {
      options.import.constant_inputs.emplace(proto.graph().input(static_cast<int>(k)).name(), inputs[k]);
    }
    const driver::LoadedModel loaded = driver::load_model(dir / "model.onnx", options);
    ASSERT_EQ(loaded.graph.nodes.size(), 1u) << "level " << level;
    const ir::Node& node = loaded.graph.nodes[0];
    EXPECT_TRUE(node.op == "Conv" || node.op == "MatMul") << node.op;
    EXPECT_EQ(loaded.graph.value(node.inputs[0]).type.dtype, sim::DType::kUInt8);
    sim::Executor executor(lower::to_program(loaded.graph));
    const std::vector<sim::Tensor> feeds{inputs[0]};
    const std::vector<sim::Tensor> got = executor.run(feeds);
    ASSERT_EQ(got.size(), 1u);
    EXPECT_TRUE(got[0].bytes_equal(want)) << "level " << level;
  }
}

INSTANTIATE_TEST_SUITE_P(Onnx, ConformanceData,
                         ::testing::Values("test_qlinearconv", "test_qlinearmatmul_2D", "test_qlinearmatmul_3D"));

// ---- round trip: our own quantization, written back as a QDQ model ----

const fs::path kExample = kSource / "examples/classify";

// Every quantized tensor of the program with its parameters, as
// scripts/models/make_qdq_model.py reads them.
void write_params(const sim::Program& program, const fs::path& path) {
  std::ofstream out(path);
  out << std::setprecision(9) << "{\"tensors\": [";
  const char* separator = "";
  for (const sim::ProgramTensor& t : program.tensors) {
    if (!t.quant) continue;
    out << separator << "\n{\"name\": \"" << t.name << "\", \"dtype\": \"" << sim::dtype_name(t.type.dtype)
        << "\", \"axis\": " << t.quant->axis << ", \"scale\": [";
    for (std::size_t i = 0; i < t.quant->scale.size(); ++i) out << (i ? ", " : "") << t.quant->scale[i];
    out << "], \"zero_point\": [";
    for (std::size_t i = 0; i < t.quant->zero_point.size(); ++i) out << (i ? ", " : "") << t.quant->zero_point[i];
    out << "]}";
    separator = ",";
  }
  out << "\n]}\n";
}

driver::CompileOptions shapes_options() {
  driver::CompileOptions o;
  o.mean = {{127.5f, 127.5f, 127.5f}};
  o.std = {{63.75f, 63.75f, 63.75f}};
  return o;
}

std::vector<std::byte> classify(Session& session, const fs::path& image) {
  int w = 0, h = 0, n = 0;
  unsigned char* data = stbi_load(image.c_str(), &w, &h, &n, 3);
  if (!data) throw std::runtime_error("cannot decode " + image.string());
  const std::vector<std::uint8_t> pixels(data, data + w * h * 3);
  stbi_image_free(data);
  session.set_input(0, std::as_bytes(std::span(pixels)), RKNN_TENSOR_UINT8, RKNN_TENSOR_NHWC);
  session.run();
  std::vector<std::byte> raw(session.output_attr(0).size);
  session.get_output(0, raw, /*want_float=*/false);
  return raw;
}

// shapes.onnx quantized by our calibration, and the same model written as
// QDQ with those parameters by an independent script, compile to programs
// that give byte-identical outputs on all 24 sample images.
TEST(Prequantized, QdqOfOurOwnQuantizationGivesIdenticalOutputs) {
  TempDir dir;
  driver::CompileOptions calibrated = shapes_options();
  calibrated.quantization = "asymmetric_u8";
  calibrated.dataset = kExample / "dataset.txt";
  const driver::CompiledModel ours = driver::compile_model(kExample / "shapes.onnx", calibrated);
  write_params(ours.program, dir / "params.json");
  run_python((kScripts / "make_qdq_model.py").string() + " --model " + (kExample / "shapes.onnx").string() +
             " --params " + (dir / "params.json").string() + " --out " + (dir / "shapes_qdq.onnx").string());
  const driver::CompiledModel qdq = driver::compile_model(dir / "shapes_qdq.onnx", shapes_options());
  EXPECT_TRUE(log_mentions(qdq, "0 in float32")) << ::testing::PrintToString(qdq.log);

  const Artifact a(ours), b(qdq);
  Session first(a.span()), second(b.span());
  const rknn_tensor_attr fa = first.output_attr(0), sa = second.output_attr(0);
  EXPECT_EQ(fa.type, sa.type);
  EXPECT_EQ(fa.zp, sa.zp);
  EXPECT_EQ(fa.scale, sa.scale);
  EXPECT_EQ(first.input_attr(0).zp, second.input_attr(0).zp);
  EXPECT_EQ(first.input_attr(0).scale, second.input_attr(0).scale);
  int images = 0;
  for (const auto& entry : fs::directory_iterator(kExample / "images")) {
    EXPECT_EQ(classify(first, entry.path()), classify(second, entry.path())) << entry.path();
    ++images;
  }
  EXPECT_EQ(images, 24);
}

}  // namespace
}  // namespace rknn
