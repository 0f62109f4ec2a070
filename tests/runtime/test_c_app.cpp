// The C application (rknn_c_app/main.c, written only against rknn_api.h) runs
// on an artifact made at build time and prints what an RKNN user expects.
#include <gtest/gtest.h>


#include <cstdio>
#include <set>
#include <sstream>
#include <string>
#include "test_process.h"

namespace {

using Result = rknn::testing::CommandResult;
using rknn::testing::run_command;

// Lines "  3: 0.123456" after the Top5 header, each naming a different class.
int top_classes(const std::string& out) {
  const std::size_t start = out.find("--- Top5 ---");
  if (start == std::string::npos) return 0;
  std::istringstream lines(out.substr(start));
  std::set<int> classes;
  for (std::string line; std::getline(lines, line);) {
    int index = -1;
    float value = 0;
    if (std::sscanf(line.c_str(), "%d: %f", &index, &value) == 2 && index >= 0 && index < 10) classes.insert(index);
  }
  return static_cast<int>(classes.size());
}

TEST(RuntimeCApp, RunsTinyCnnAndPrintsAttributesAndTop5) {
  const Result r = run_command(std::string("'") + RKNN_C_APP_PATH + "' '" + RKNN_C_APP_MODEL + "'");
  ASSERT_EQ(r.status, 0) << r.output;
  const std::string& out = r.output;
  EXPECT_NE(out.find("sdk version: rknn-build " RKNN_TEST_VERSION " (simulator) driver version: simulator\n"),
            std::string::npos) << out;
  EXPECT_NE(out.find("model input num: 1, output num: 1\n"), std::string::npos) << out;
  EXPECT_NE(out.find("index=0 name=input n_dims=4 dims=[32 32 3 1] n_elems=3072 size=12288 fmt=NCHW type=FP32 "
                     "qnt_type=NONE fl=0 zp=0 scale=0.000000\n"),
            std::string::npos) << out;
  EXPECT_NE(out.find("index=0 name=output n_dims=2 dims=[10 1] n_elems=10 size=40 fmt=NCHW type=FP32 "
                     "qnt_type=NONE fl=0 zp=0 scale=0.000000\n"),
            std::string::npos) << out;
  EXPECT_NE(out.find("model input height=32, width=32, channel=3\n"), std::string::npos) << out;
  EXPECT_NE(out.find("output size=40\n--- Top5 ---\n"), std::string::npos) << out;
  EXPECT_EQ(top_classes(out), 5) << out;
}

TEST(RuntimeCApp, FailsCleanlyOnAMissingOrBadModel) {
  const Result missing = run_command(std::string("'") + RKNN_C_APP_PATH + "' /nonexistent/model.rknn");
  EXPECT_NE(missing.status, 0);
  const Result bad = run_command(std::string("'") + RKNN_C_APP_PATH + "' '" + RKNN_C_APP_PATH + "'");
  EXPECT_NE(bad.status, 0);
  EXPECT_NE(bad.output.find("rknn_init fail! ret=-6"), std::string::npos) << bad.output;
}

}  // namespace
