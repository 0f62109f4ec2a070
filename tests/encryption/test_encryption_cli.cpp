// rknnc with encrypted artifacts, as a real process: compile --encrypt-level,
// encrypt, inspect, run and bench with --key-file, and the key never printed.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "encryption_test_util.h"
#include "io/tensor_file.h"
#include "read_file.h"
#include "test_process.h"

namespace rknn {
namespace {

using namespace testing;

using Result = CommandResult;

Result rknnc(const std::string& args) { return run_command(std::string(RKNNC_PATH) + " " + args); }

bool has(const Result& r, std::string_view text) { return r.output.find(text) != std::string::npos; }

// An ONNX model, an input file and a key file (64 hex digits) in `dir`.
class EncryptionCli : public ::testing::Test {
 protected:
  void SetUp() override {
    save_image_model(dir_ / "m.onnx");
    io::write_npy(dir_ / "x.npy", sim::make_float_tensor(random_floats(3 * 4 * 5, 3), {1, 3, 4, 5}));
    std::ofstream(dir_ / "k.hex") << hex_key_ << "\n";
  }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }

  TempDir dir_;
  const std::string hex_key_ = "00112233445566778899aabbccddeeff0123456789abcdeffedcba9876543210";
};

TEST_F(EncryptionCli, CompileEncryptsLikeEncryptAndNeverPrintsTheKey) {
  const Result compiled = rknnc("compile " + path("m.onnx") + " -o " + path("e.rknn") + " --encrypt-level 2 --key-file " +
                                path("k.hex") + " --depfile " + path("e.d"));
  ASSERT_EQ(compiled.status, 0) << compiled.output;
  EXPECT_TRUE(has(compiled, "encrypted level 2 (key id ")) << compiled.output;
  EXPECT_FALSE(has(compiled, hex_key_.substr(0, 16))) << compiled.output;
  ASSERT_EQ(rknnc("compile " + path("m.onnx") + " -o " + path("p.rknn")).status, 0);
  const Result encrypted = rknnc("encrypt " + path("p.rknn") + " --level 2 --key-file " + path("k.hex"));
  ASSERT_EQ(encrypted.status, 0) << encrypted.output;
  EXPECT_EQ(read_file(dir_ / "p.crypt.rknn"), read_file(dir_ / "e.rknn"));  // RKNN's default name; same bytes

  const std::string depfile = read_file(dir_ / "e.d");
  EXPECT_NE(depfile.find(path("k.hex")), std::string::npos) << depfile;  // the key file's path, not its content
  EXPECT_EQ(depfile.find(hex_key_.substr(0, 16)), std::string::npos) << depfile;
}

TEST_F(EncryptionCli, InspectRunAndBenchTakeTheKeyFile) {
  ASSERT_EQ(rknnc("compile " + path("m.onnx") + " -o " + path("p.rknn")).status, 0);
  ASSERT_EQ(rknnc("encrypt " + path("p.rknn") + " -o " + path("e.rknn") + " --level 1 --key-file " + path("k.hex")).status,
            0);
  const Result envelope = rknnc("inspect " + path("e.rknn"));
  EXPECT_EQ(envelope.status, 0) << envelope.output;
  EXPECT_TRUE(has(envelope, "encryption: level 1 (weights), AES-256-GCM, key id ")) << envelope.output;
  EXPECT_TRUE(has(envelope, "give --key-file")) << envelope.output;
  const Result full = rknnc("inspect " + path("e.rknn") + " --key-file " + path("k.hex"));
  EXPECT_EQ(full.status, 0) << full.output;
  EXPECT_TRUE(has(full, "layers: 1")) << full.output;
  const Result json = rknnc("inspect --json " + path("e.rknn") + " --key-file " + path("k.hex"));
  EXPECT_TRUE(has(json, "\"encryption\":{\"level\":1,")) << json.output;

  ASSERT_EQ(rknnc("run " + path("p.rknn") + " --input " + path("x.npy") + " --output-dir " + path("plain")).status, 0);
  const Result run = rknnc("run " + path("e.rknn") + " --input " + path("x.npy") + " --output-dir " + path("enc") +
                           " --key-file " + path("k.hex"));
  ASSERT_EQ(run.status, 0) << run.output;
  EXPECT_EQ(read_file(dir_ / "enc" / "y.npy"), read_file(dir_ / "plain" / "y.npy"));
  const Result bench = rknnc("bench " + path("e.rknn") + " --repeat 2 --key-file " + path("k.hex"));
  EXPECT_EQ(bench.status, 0) << bench.output;
  EXPECT_TRUE(has(bench, "median")) << bench.output;

  const Result no_key = rknnc("run " + path("e.rknn") + " --input " + path("x.npy") + " --output-dir " + path("o"));
  EXPECT_EQ(no_key.status, 1);
  EXPECT_TRUE(has(no_key, "a key is needed")) << no_key.output;
  std::ofstream(dir_ / "other.hex") << std::string(64, '7') << "\n";
  const Result wrong = rknnc("bench " + path("e.rknn") + " --key-file " + path("other.hex"));
  EXPECT_EQ(wrong.status, 1);
  EXPECT_TRUE(has(wrong, "wrong key")) << wrong.output;
}

TEST_F(EncryptionCli, KeyOptionsAreChecked) {
  const Result no_key = rknnc("compile " + path("m.onnx") + " -o " + path("e.rknn") + " --encrypt-level 1");
  EXPECT_EQ(no_key.status, 1);
  EXPECT_TRUE(has(no_key, "--encrypt-level needs --key-file")) << no_key.output;
  const Result no_level = rknnc("compile " + path("m.onnx") + " -o " + path("e.rknn") + " --key-file " + path("k.hex"));
  EXPECT_EQ(no_level.status, 1);
  EXPECT_TRUE(has(no_level, "need --encrypt-level")) << no_level.output;
  const Result unset = rknnc("compile " + path("m.onnx") + " -o " + path("e.rknn") +
                             " --encrypt-level 2 --key-env RKNN_TEST_UNSET_VARIABLE_XYZ");
  EXPECT_EQ(unset.status, 1);
  EXPECT_TRUE(has(unset, "environment variable RKNN_TEST_UNSET_VARIABLE_XYZ is not set")) << unset.output;
  EXPECT_FALSE(std::filesystem::exists(dir_ / "e.rknn"));
  EXPECT_NE(rknnc("encrypt " + path("m.onnx") + " --level 4 --key-file " + path("k.hex")).status, 0);
  const Result not_artifact = rknnc("encrypt " + path("m.onnx") + " --level 2 --key-file " + path("k.hex"));
  EXPECT_EQ(not_artifact.status, 1);
  EXPECT_TRUE(has(not_artifact, "not a valid plain artifact")) << not_artifact.output;
}

}  // namespace
}  // namespace rknn
