// The generated header and source compile with -Wall -Wextra -Wpedantic
// -Werror under every C++ compiler found (GCC and Clang), and the object
// carries the artifact bytes 64-byte aligned under the expected symbol.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>

#include "codegen/codegen.h"
#include "codegen_test_model.h"
#include "test_process.h"

namespace rknn::codegen {
namespace {

namespace fs = std::filesystem;

using Result = rknn::testing::CommandResult;

Result shell(const std::string& command) { return rknn::testing::run_command(command); }

void write(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

std::vector<std::string> compilers() {
  std::vector<std::string> out;
  std::stringstream list(RKNN_CODEGEN_COMPILERS);
  for (std::string c; std::getline(list, c, ':');) {
    if (!c.empty()) out.push_back(c);
  }
  return out;
}

class GeneratedCode : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("rknn-codegen-" + std::to_string(::getpid()));
    fs::create_directories(dir_ / "blob");
    const auto g = generate(testing::sample_model(), testing::sample_options());
    write(dir_ / "classify.rknn.hpp", g.header);
    write(dir_ / "classify.rknn.cpp", g.source);
    write(dir_ / "blob" / "classify.rknn", std::string(1000, 'x'));  // the bytes are not parsed here
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path dir_;
};

TEST_F(GeneratedCode, CompilesWarningFreeWithEveryCompiler) {
  const auto list = compilers();
  ASSERT_FALSE(list.empty());
  for (const auto& cxx : list) {
    SCOPED_TRACE(cxx);
    const std::string object = (dir_ / "classify.o").string();
    // The artifact sits in another directory on purpose: only -Wa,-I finds it.
    const auto r = shell(cxx + " -std=c++20 -Wall -Wextra -Wpedantic -Werror -Wshadow -Wconversion -fPIC -c -I" +
                         dir_.string() + " -I" RKNN_RUNTIME_INCLUDE " -Wa,-I" + (dir_ / "blob").string() + " " +
                         (dir_ / "classify.rknn.cpp").string() + " -o " + object);
    ASSERT_EQ(r.status, 0) << r.output;
    EXPECT_EQ(r.output, "");
    // The section holds the 1000 bytes, 64-byte aligned.
    const auto sections = shell("readelf -SW " + object);
    ASSERT_EQ(sections.status, 0) << sections.output;
    std::istringstream lines(sections.output);
    bool found = false;
    for (std::string line; std::getline(lines, line);) {
      if (line.find(".rodata.rknn_model_4demo4nets_8classify") == std::string::npos) continue;
      found = true;
      EXPECT_NE(line.find(" 0003e8 "), std::string::npos) << line;  // size 1000
      EXPECT_EQ(line.substr(line.find_last_not_of(' ') - 1), "64") << line;
    }
    EXPECT_TRUE(found) << sections.output;
    const auto symbols = shell("nm " + object);
    EXPECT_NE(symbols.output.find("rknn_model_4demo4nets_8classify"), std::string::npos) << symbols.output;
  }
}

TEST_F(GeneratedCode, HeaderAloneCompilesAndMetadataIsConstexpr) {
  write(dir_ / "use.cpp",
        "#include \"classify.rknn.hpp\"\n"
        "static_assert(demo::nets::images_info::member_shape[3] == 3);\n"
        "static_assert(demo::nets::images_info::element_count == 4608);\n"
        "static_assert(sizeof(demo::nets::Inputs::images) == 4608);\n"
        "static_assert(sizeof(demo::nets::RawOutputs::logits) == 20);\n"
        "static_assert(demo::nets::t_class_info::scale == 0.0125f);\n"
        "static_assert(demo::nets::platforms[1] == \"rk3399pro\");\n"
        "static_assert(!demo::nets::precompiled);\n"
        "int main() { return 0; }\n");
  for (const auto& cxx : compilers()) {
    SCOPED_TRACE(cxx);
    const auto r = shell(cxx + " -std=c++20 -Wall -Wextra -Wpedantic -Werror -fsyntax-only -I" + dir_.string() +
                         " -I" RKNN_RUNTIME_INCLUDE " " + (dir_ / "use.cpp").string());
    EXPECT_EQ(r.status, 0) << r.output;
  }
}

}  // namespace
}  // namespace rknn::codegen
