// The generator's text: identifiers, struct member types and shapes, metadata,
// determinism and the absence of paths.
#include <gtest/gtest.h>

#include "codegen/codegen.h"
#include "codegen_test_model.h"

namespace rknn::codegen {
namespace {

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

TEST(Identifier, KeepsValidNames) {
  EXPECT_EQ(to_identifier("images"), "images");
  EXPECT_EQ(to_identifier("Conv_0"), "Conv_0");
}

TEST(Identifier, ReplacesInvalidCharacters) {
  EXPECT_EQ(to_identifier("input.1"), "input_1");
  EXPECT_EQ(to_identifier("out/relu:0"), "out_relu_0");
  EXPECT_EQ(to_identifier("a-b c"), "a_b_c");
  EXPECT_EQ(to_identifier("caf\xc3\xa9"), "caf_");
}

TEST(Identifier, AvoidsReservedForms) {
  EXPECT_EQ(to_identifier("/conv/Conv_output_0"), "conv_Conv_output_0");  // no leading '_'
  EXPECT_EQ(to_identifier("a..b"), "a_b");                                // no double '_'
  EXPECT_EQ(to_identifier("_Upper"), "Upper");
  EXPECT_EQ(to_identifier(""), "tensor");
  EXPECT_EQ(to_identifier("///"), "tensor");
}

TEST(Identifier, PrefixesLeadingDigitsAndKeywords) {
  EXPECT_EQ(to_identifier("0"), "t_0");
  EXPECT_EQ(to_identifier("123abc"), "t_123abc");
  EXPECT_EQ(to_identifier("int"), "t_int");
  EXPECT_EQ(to_identifier("class"), "t_class");
  EXPECT_EQ(to_identifier("errno"), "t_errno");  // a macro in <cerrno>
  EXPECT_EQ(to_identifier("linux"), "t_linux");  // a macro in GNU dialects
}

TEST(Identifier, IsIdempotent) {
  for (const char* name : {"input.1", "0", "int", "/a//b/", "x", "t_int", "a_"}) {
    const auto once = to_identifier(name);
    EXPECT_EQ(to_identifier(once), once) << name;
    EXPECT_TRUE(is_identifier(once)) << once;
  }
}

TEST(Identifier, CollisionsGetSuffixesInOrder) {
  EXPECT_EQ(make_unique_identifiers({"a.b", "a/b", "a:b"}), (std::vector<std::string>{"a_b", "a_b_1", "a_b_2"}));
}

TEST(Identifier, SuffixDoesNotTakeAnotherTensorsName) {
  // "x_1" is a tensor's own name, so the second "x" becomes "x_2".
  EXPECT_EQ(make_unique_identifiers({"x", "x", "x_1"}), (std::vector<std::string>{"x", "x_2", "x_1"}));
}

TEST(Identifier, IsIdentifierRejectsKeywordsAndReserved) {
  EXPECT_TRUE(is_identifier("model"));
  EXPECT_FALSE(is_identifier("1model"));
  EXPECT_FALSE(is_identifier("a-b"));
  EXPECT_FALSE(is_identifier("namespace"));
  EXPECT_FALSE(is_identifier("a__b"));
  EXPECT_FALSE(is_identifier("_Model"));
  EXPECT_FALSE(is_identifier(""));
}

TEST(BlobSymbol, IsUniquePerNamespaceAndName) {
  EXPECT_EQ(blob_symbol("a::b", "m"), "rknn_model_1a1b_1m");
  EXPECT_NE(blob_symbol("a::b", "m"), blob_symbol("a_b", "m"));
  EXPECT_NE(blob_symbol("a", "b_m"), blob_symbol("a_b", "m"));
}

TEST(Generate, ImageInputIsUint8Nhwc) {
  const auto g = generate(testing::sample_model(), testing::sample_options());
  EXPECT_TRUE(contains(g.header, "  std::uint8_t images[1][32][48][3];\n")) << g.header;
}

TEST(Generate, OtherInputsAreFloatInModelLayout) {
  const auto g = generate(testing::sample_model(), testing::sample_options());
  EXPECT_TRUE(contains(g.header, "  float input_1[2][5];\n"));
  EXPECT_TRUE(contains(g.header, "  float scalar;\n"));
}

TEST(Generate, OutputsAreFloatAndRawOutputsUseTheModelType) {
  const auto g = generate(testing::sample_model(), testing::sample_options());
  EXPECT_TRUE(contains(g.header, "struct Outputs {\n  float logits[1][10];\n  float t_class[1][4];\n"));
  EXPECT_TRUE(contains(g.header, "struct RawOutputs {\n  std::uint16_t logits[1][10];\n  std::uint8_t t_class[1][4];\n"));
}

TEST(Generate, CollidingTensorNamesGetDistinctMembers) {
  auto info = testing::sample_model();
  info.outputs[1].name = "logits";
  const auto g = generate(info, testing::sample_options());
  EXPECT_TRUE(contains(g.header, "  float logits[1][10];\n  float logits_1[1][4];\n"));
  EXPECT_TRUE(contains(g.header, "struct logits_1_info {\n"));
  EXPECT_TRUE(contains(g.header, "static constexpr std::string_view name = \"logits\";"));
}

TEST(Generate, TensorMetadata) {
  const auto g = generate(testing::sample_model(), testing::sample_options());
  const auto& h = g.header;
  EXPECT_TRUE(contains(h, "struct images_info {\n  static constexpr std::size_t index = 0;\n"
                          "  static constexpr std::string_view name = \"images\";\n"));
  EXPECT_TRUE(contains(h, "static constexpr auto shape = std::array<std::int64_t, 4>{1, 3, 32, 48};"));
  EXPECT_TRUE(contains(h, "static constexpr auto member_shape = std::array<std::int64_t, 4>{1, 32, 48, 3};"));
  EXPECT_TRUE(contains(h, "static constexpr std::size_t element_count = 4608;"));
  EXPECT_TRUE(contains(h, "static constexpr bool is_image = true;"));
  EXPECT_TRUE(contains(h, "static constexpr auto mean = std::array<float, 3>{127.5f, 0.0f, 1e-07f};"));
  EXPECT_TRUE(contains(h, "static constexpr auto std_values = std::array<float, 3>{128.0f, 1.0f, 0.25f};"));
  EXPECT_TRUE(contains(h, "static constexpr auto reorder = std::array<std::int32_t, 3>{2, 1, 0};"));
  EXPECT_TRUE(contains(h, "static constexpr std::string_view name = \"input.1\";"));
  EXPECT_TRUE(contains(h, "static constexpr auto mean = std::array<float, 0>{};"));
  // Quantization of the u8 output.
  EXPECT_TRUE(contains(h, "struct t_class_info {"));
  EXPECT_TRUE(contains(h, "static constexpr rknn_tensor_qnt_type qnt_type = RKNN_TENSOR_QNT_AFFINE_ASYMMETRIC;"));
  EXPECT_TRUE(contains(h, "static constexpr std::int32_t zero_point = 12;"));
  EXPECT_TRUE(contains(h, "static constexpr float scale = 0.0125f;"));
  EXPECT_TRUE(contains(h, "using raw_type = std::uint8_t;"));
}

TEST(Generate, ModelMetadata) {
  const auto g = generate(testing::sample_model(), testing::sample_options());
  const auto& h = g.header;
  EXPECT_TRUE(contains(h, "namespace demo::nets {\n"));
  EXPECT_TRUE(contains(h, "inline constexpr std::string_view model_name = \"classify\";"));
  EXPECT_TRUE(contains(h, "inline constexpr std::string_view quantization = \"float16\";"));
  EXPECT_TRUE(contains(h, "inline constexpr auto platforms = std::array<std::string_view, 2>{\"rk1808\", \"rk3399pro\"};"));
  EXPECT_TRUE(contains(h, "inline constexpr bool precompiled = false;"));
  EXPECT_TRUE(contains(h, "inline constexpr std::string_view custom_string = \"say \\\"hi\\\"\\012\";"));
  EXPECT_TRUE(contains(h, "inline constexpr std::size_t input_count = 3;"));
}

TEST(Generate, NamespaceDefaultsToTheName) {
  auto options = testing::sample_options();
  options.ns.clear();
  const auto g = generate(testing::sample_model(), options);
  EXPECT_TRUE(contains(g.header, "namespace classify {\n"));
  EXPECT_TRUE(contains(g.source, "rknn_model_8classify_8classify"));
}

TEST(Generate, SourceEmbedsTheArtifactWithIncbin) {
  const auto g = generate(testing::sample_model(), testing::sample_options());
  const auto& s = g.source;
  EXPECT_TRUE(contains(s, "#include \"classify.rknn.hpp\"\n"));
  EXPECT_TRUE(contains(s, "\".incbin \\\"classify.rknn\\\"\\n\""));
  EXPECT_TRUE(contains(s, "\".balign 64\\n\""));
  EXPECT_TRUE(contains(s, "rknn_model_4demo4nets_8classify:"));
  EXPECT_TRUE(contains(s, "session_.set_input(0, bytes_of(inputs.images), RKNN_TENSOR_UINT8, RKNN_TENSOR_NHWC);"));
  EXPECT_TRUE(contains(s, "session_.set_input(1, bytes_of(inputs.input_1), RKNN_TENSOR_FLOAT32, session_.input_attr(1).fmt);"));
  EXPECT_TRUE(contains(s, "session_.get_output(1, writable_bytes_of(outputs.t_class), false);"));
}

TEST(Generate, IsDeterministic) {
  const auto a = generate(testing::sample_model(), testing::sample_options());
  const auto b = generate(testing::sample_model(), testing::sample_options());
  EXPECT_EQ(a.header, b.header);
  EXPECT_EQ(a.source, b.source);
}

TEST(Generate, ContainsNoPaths) {
  const auto g = generate(testing::sample_model(), testing::sample_options());
  for (const auto* text : {&g.header, &g.source}) {
    // The only '/' are in comments and the runtime include.
    std::size_t pos = 0;
    while ((pos = text->find('/', pos)) != std::string::npos) {
      const bool comment = text->compare(pos, 2, "//") == 0 || (pos > 0 && (*text)[pos - 1] == '/');
      const bool include = text->compare(pos > 4 ? pos - 4 : 0, 13, "rknn/runtime.") == 0;
      EXPECT_TRUE(comment || include) << "a '/' at " << pos << ": " << text->substr(pos > 20 ? pos - 20 : 0, 40);
      pos += 1;
    }
  }
}

TEST(Generate, RejectsBadNamesAndShapes) {
  auto options = testing::sample_options();
  options.name = "my-model";
  EXPECT_THROW(generate(testing::sample_model(), options), std::invalid_argument);
  options = testing::sample_options();
  options.ns = "a::";
  EXPECT_THROW(generate(testing::sample_model(), options), std::invalid_argument);
  options = testing::sample_options();
  options.artifact_file = "/abs/classify.rknn";
  EXPECT_THROW(generate(testing::sample_model(), options), std::invalid_argument);
  auto info = testing::sample_model();
  info.inputs[1].dims = {-1, 5};
  EXPECT_THROW(generate(info, testing::sample_options()), std::invalid_argument);
}

}  // namespace
}  // namespace rknn::codegen
