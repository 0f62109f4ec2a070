// float16 models store their float32 weights as IEEE binary16 in the artifact
// (format version 2, docs/quantization.md "float16 weights in the artifact"):
// the real flatbuffer holds Float16 constants of half the size, the runtime
// widens them back to the compiled float32 values, the outputs are the bytes
// of a version 1 artifact (float32 weights), a pre-compiled float16 model gives
// the graph path's bytes, the memory estimate counts 2 bytes per weight, and
// damaged or unknown artifacts are refused with a clear message.
#include <gtest/gtest.h>

#include <bit>
#include <cstring>

#include "artifact/artifact_writer.h"
#include "driver/compile.h"
#include "ir/error.h"
#include "rknn/model_format.h"
#include "rknn/sim/half.h"
#include "rknn/sim/memory_plan.h"
#include "rknn_model_generated.h"
#include "runtime_test_util.h"

namespace rknn::testing {
namespace {

namespace fb = rknn::format::fb;
namespace fs = std::filesystem;

const fs::path kShapes = fs::path(RKNN_SOURCE_DIR) / "examples/classify/shapes.onnx";

driver::CompiledModel compile(const fs::path& onnx, const std::string& quantization, bool precompile = false) {
  driver::CompileOptions o;
  o.quantization = quantization;
  o.platforms = {"rk1808"};
  o.precompile = precompile;
  return driver::compile_model(onnx, o);
}

std::string artifact_of(const driver::CompiledModel& m, std::uint32_t format_version = format::kFormatVersion) {
  format::ModelInfo info = m.info;
  info.format_version = format_version;
  return artifact::write_artifact(info, m.program, m.precompiled ? &*m.precompiled : nullptr);
}

const fb::Model& model_of(const std::string& bytes) {
  return *fb::GetSizePrefixedModel(reinterpret_cast<const std::uint8_t*>(bytes.data()));
}

// Bytes of the data section: everything after the flatbuffer, 64-byte aligned.
std::size_t data_bytes(const std::string& bytes) {
  const std::size_t fb_size =
      flatbuffers::GetPrefixedSize(reinterpret_cast<const std::uint8_t*>(bytes.data())) + sizeof(flatbuffers::uoffset_t);
  return bytes.size() - (fb_size + 63) / 64 * 64;
}

format::LoadedModel load(const std::string& bytes) {
  return format::load_model({reinterpret_cast<const std::byte*>(bytes.data()), bytes.size()});
}

std::int64_t element_count(const fb::Tensor& t) {
  std::int64_t n = 1;
  for (std::int64_t d : *t.shape()) n *= d;
  return n;
}

// The raw outputs (the model's own types) of a seeded float input, through the C API.
std::vector<std::vector<std::byte>> run_raw(const std::string& artifact) {
  AlignedModel model(artifact);
  ContextHandle ctx;
  EXPECT_EQ(rknn_init(&ctx.id, model.data(), model.size(), 0), RKNN_SUCC) << rknn_last_error_message();
  const rknn_tensor_attr in = query_attr(ctx.id, RKNN_QUERY_INPUT_ATTR, 0);
  std::vector<float> x = random_floats(in.n_elems, 11);
  EXPECT_EQ(set_input(ctx.id, 0, x, RKNN_TENSOR_FLOAT32), RKNN_SUCC) << rknn_last_error_message();
  EXPECT_EQ(rknn_run(ctx.id, nullptr), RKNN_SUCC) << rknn_last_error_message();
  rknn_input_output_num num{};
  EXPECT_EQ(rknn_query(ctx.id, RKNN_QUERY_IN_OUT_NUM, &num, sizeof num), RKNN_SUCC);
  std::vector<std::vector<std::byte>> outputs;
  for (std::uint32_t i = 0; i < num.n_output; ++i) {
    outputs.push_back(get_output(ctx.id, i, /*want_float=*/false, query_attr(ctx.id, RKNN_QUERY_OUTPUT_ATTR, i).size));
  }
  return outputs;
}

class HalfWeights : public ::testing::TestWithParam<fs::path> {};

TEST_P(HalfWeights, FloatConstantsAreStoredAsBinary16AtHalfTheSize) {
  const driver::CompiledModel f16 = compile(GetParam(), "float16");
  const driver::CompiledModel f32 = compile(GetParam(), "float32");
  const std::string half = artifact_of(f16);
  const std::string wide = artifact_of(f32);
  const std::string v1 = artifact_of(f16, 1);  // what the compiler wrote before: float32 containers
  EXPECT_EQ(model_of(half).format_version(), 2u);

  const auto& tensors = *model_of(half).graph()->tensors();
  ASSERT_EQ(tensors.size(), f16.program.tensors.size());
  std::size_t half_constants = 0;
  for (flatbuffers::uoffset_t i = 0; i < tensors.size(); ++i) {
    const fb::Tensor& t = *tensors.Get(i);
    const sim::ProgramTensor& compiled = f16.program.tensors[i];
    SCOPED_TRACE(compiled.name);
    if (!compiled.constant) {
      EXPECT_EQ(t.data(), nullptr);
      continue;
    }
    ASSERT_NE(t.data(), nullptr);
    if (compiled.type.dtype != sim::DType::kFloat32) {  // shapes, indices: as they are
      EXPECT_EQ(t.dtype(), static_cast<fb::DataType>(compiled.type.dtype));
      EXPECT_EQ(t.data()->size(), compiled.type.byte_size());
      continue;
    }
    ++half_constants;
    EXPECT_EQ(t.dtype(), fb::DataType_Float16);
    ASSERT_EQ(t.data()->size(), 2u * static_cast<std::uint64_t>(element_count(t)));
    // The bits are the compiled (half-rounded) values, exactly.
    const auto* bits = reinterpret_cast<const std::uint8_t*>(half.data()) + (half.size() - data_bytes(half)) +
                       t.data()->offset();
    const std::span<const float> values = compiled.constant->values<float>();
    for (std::size_t k = 0; k < values.size(); ++k) {
      std::uint16_t h = 0;
      std::memcpy(&h, bits + 2 * k, 2);
      ASSERT_EQ(std::bit_cast<std::uint32_t>(sim::half_to_float(h)), std::bit_cast<std::uint32_t>(values[k])) << k;
    }
    // The float32 model keeps Float32 constants, 4 bytes per value.
    const fb::Tensor& t32 = *model_of(wide).graph()->tensors()->Get(i);
    EXPECT_EQ(t32.dtype(), fb::DataType_Float32);
    EXPECT_EQ(t32.data()->size(), 4u * static_cast<std::uint64_t>(element_count(t32)));
  }
  EXPECT_GT(half_constants, 2u);
  // About half: only the 64-byte padding of each constant and the integer constants do not shrink.
  const double ratio = static_cast<double>(data_bytes(half)) / static_cast<double>(data_bytes(wide));
  EXPECT_GT(ratio, 0.49);
  EXPECT_LT(ratio, 0.53);
  EXPECT_EQ(data_bytes(v1), data_bytes(wide));
  std::printf("%s: data section %zu bytes as float16 (%zu as float32), artifact %zu bytes (%zu in format 1)\n",
              GetParam().filename().c_str(), data_bytes(half), data_bytes(wide), half.size(), v1.size());
}

TEST_P(HalfWeights, LoadingWidensToTheCompiledFloat32Values) {
  const driver::CompiledModel f16 = compile(GetParam(), "float16");
  for (std::uint32_t version : {1u, 2u}) {  // a version 1 artifact (float32 weights) still loads
    SCOPED_TRACE(version);
    const std::string bytes = artifact_of(f16, version);
    const format::LoadedModel loaded = load(bytes);
    EXPECT_EQ(loaded.weight_bytes, data_bytes(bytes));
    ASSERT_EQ(loaded.program.tensors.size(), f16.program.tensors.size());
    for (std::size_t i = 0; i < loaded.program.tensors.size(); ++i) {
      const sim::ProgramTensor& got = loaded.program.tensors[i];
      const sim::ProgramTensor& want = f16.program.tensors[i];
      EXPECT_EQ(got.type, want.type) << want.name;
      ASSERT_EQ(got.constant.has_value(), want.constant.has_value()) << want.name;
      if (want.constant) {
        EXPECT_TRUE(got.constant->bytes_equal(*want.constant)) << want.name;
      }
    }
  }
}

TEST_P(HalfWeights, OutputsAreTheBytesOfFloat32Weights) {
  const driver::CompiledModel f16 = compile(GetParam(), "float16");
  const auto expected = run_raw(artifact_of(f16, 1));
  EXPECT_EQ(run_raw(artifact_of(f16)), expected);
  ASSERT_FALSE(expected.empty());
  EXPECT_FALSE(expected[0].empty());
}

TEST_P(HalfWeights, MemSizeCountsTwoBytesPerWeight) {
  const driver::CompiledModel f16 = compile(GetParam(), "float16");
  const std::string bytes = artifact_of(f16);
  AlignedModel model(bytes);
  ContextHandle ctx;
  ASSERT_EQ(rknn_init(&ctx.id, model.data(), model.size(), 0), RKNN_SUCC) << rknn_last_error_message();
  rknn_mem_size mem{};
  ASSERT_EQ(rknn_query(ctx.id, RKNN_QUERY_MEM_SIZE, &mem, sizeof mem), RKNN_SUCC);
  const sim::MemoryPlan half = sim::plan_memory(f16.program, sim::FloatWeights::kHalf);
  const sim::MemoryPlan wide = sim::plan_memory(f16.program);
  // The weight section as stored: the artifact's data section (no attribute tensors in these models).
  EXPECT_EQ(mem.total_weight_size, half.weight_bytes);
  EXPECT_EQ(half.weight_bytes, data_bytes(bytes));
  EXPECT_EQ(half.weight_bytes, sim::weight_section_bytes(f16.program, sim::FloatWeights::kHalf));
  EXPECT_LT(half.weight_bytes * 100, wide.weight_bytes * 53);
  // Activations stay as the simulator holds them (float32): the arena it runs in.
  EXPECT_EQ(mem.total_internal_size, wide.arena_bytes);
  EXPECT_EQ(half.arena_bytes, wide.arena_bytes);
}

TEST_P(HalfWeights, APrecompiledModelGivesTheGraphPathsBytes) {
  const driver::CompiledModel graph = compile(GetParam(), "float16");
  const driver::CompiledModel pre = compile(GetParam(), "float16", true);
  ASSERT_TRUE(pre.precompiled.has_value());
  const std::string bytes = artifact_of(pre);
  EXPECT_EQ(model_of(bytes).programs()->Get(0)->version(), sim::kPlannedProgramVersion);
  EXPECT_EQ(run_raw(bytes), run_raw(artifact_of(graph)));
}

INSTANTIATE_TEST_SUITE_P(Models, HalfWeights, ::testing::Values(kShapes, fs::path(RKNN_TINY_CNN_ONNX)),
                         [](const ::testing::TestParamInfo<fs::path>& p) { return p.param.stem().string(); });

// The first Float16 constant of a float16 artifact, and where its BufferRef sits in the file.
std::size_t first_half_constant(const std::string& bytes, std::string& name, std::int64_t& count) {
  const auto* base = reinterpret_cast<const std::uint8_t*>(bytes.data());
  for (const fb::Tensor* t : *model_of(bytes).graph()->tensors()) {
    if (t->data() && t->dtype() == fb::DataType_Float16) {
      name = t->name()->str();
      count = element_count(*t);
      return static_cast<std::size_t>(reinterpret_cast<const std::uint8_t*>(t->data()) - base);
    }
  }
  ADD_FAILURE() << "no Float16 constant";
  return 0;
}

TEST(HalfWeightsRefusals, AFloat16ConstantOfTheWrongSizeIsRefused) {
  const std::string good = artifact_of(compile(kShapes, "float16"));
  std::string name;
  std::int64_t count = 0;
  const std::size_t ref = first_half_constant(good, name, count);
  // 4 bytes per value (a float32 size) and one value too few.
  for (const std::uint64_t size : {4 * static_cast<std::uint64_t>(count), 2 * static_cast<std::uint64_t>(count) - 2}) {
    SCOPED_TRACE(size);
    std::string bad = good;
    std::memcpy(bad.data() + ref + sizeof(std::uint64_t), &size, sizeof size);  // BufferRef {offset, size}
    try {
      load(bad);
      ADD_FAILURE() << "accepted";
    } catch (const format::FormatError& e) {
      const std::string what = e.what();
      EXPECT_NE(what.find("constant '" + name + "' holds " + std::to_string(size) + " bytes"), std::string::npos) << what;
      EXPECT_NE(what.find("float16["), std::string::npos) << what;
      EXPECT_NE(what.find("needs " + std::to_string(2 * count)), std::string::npos) << what;
    }
    AlignedModel model(bad);
    ContextHandle ctx;
    EXPECT_EQ(rknn_init(&ctx.id, model.data(), model.size(), 0), RKNN_ERR_MODEL_INVALID);
    EXPECT_NE(std::string(rknn_last_error_message()).find(name), std::string::npos) << rknn_last_error_message();
  }
}

TEST(HalfWeightsRefusals, ANewerFormatVersionIsRefusedClearly) {
  const driver::CompiledModel m = compile(kShapes, "float16");
  for (std::uint32_t version : {0u, format::kFormatVersion + 1}) {
    SCOPED_TRACE(version);
    try {
      load(artifact_of(m, version));
      ADD_FAILURE() << "accepted";
    } catch (const format::FormatError& e) {
      const std::string what = e.what();
      EXPECT_NE(what.find("format version " + std::to_string(version) + ", this runtime reads versions 1 to 2"),
                std::string::npos)
          << what;
      EXPECT_EQ(what.find("newer runtime") != std::string::npos, version > format::kFormatVersion) << what;
    }
  }
}

// A program with one weight, for the compiler's refusals.
driver::CompiledModel one_weight(sim::Tensor w) {
  driver::CompiledModel m = compile(kShapes, "float16");
  for (sim::ProgramTensor& t : m.program.tensors) {
    if (t.constant && t.type.dtype == sim::DType::kFloat32) {
      t.type = w.type();
      t.constant = std::move(w);
      return m;
    }
  }
  ADD_FAILURE() << "no float weight";
  return m;
}

TEST(HalfWeightsRefusals, AWeightThatIsNotAHalfIsACompileErrorNamingIt) {
  const driver::CompiledModel m = one_weight(float_tensor({0.5f, 0.1f}, {2}));  // 0.1 has no exact half
  const std::string name = [&] {
    for (const auto& t : m.program.tensors) {
      if (t.constant && t.type.shape == sim::Shape{2}) return t.name;
    }
    return std::string();
  }();
  try {
    artifact_of(m);
    ADD_FAILURE() << "written";
  } catch (const CompileError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("constant '" + name + "'"), std::string::npos) << what;
    EXPECT_NE(what.find("element 1"), std::string::npos) << what;
    EXPECT_NE(what.find("not an IEEE half"), std::string::npos) << what;
  }
  EXPECT_NO_THROW(artifact_of(m, 1));  // format 1 stores float32: nothing to check
}

TEST(HalfWeightsRefusals, AGenuineFloat16ConstantOfAFloat16ModelIsACompileError) {
  sim::Tensor h(sim::DType::kFloat16, {2});
  const driver::CompiledModel m = one_weight(h);
  EXPECT_THROW(artifact_of(m), CompileError);
}

}  // namespace
}  // namespace rknn::testing
