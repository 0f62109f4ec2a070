// Key files and key variables as rknnc reads them: the formats of
// docs/encryption.md, and errors that name the file but never the key.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

#include "encryption/key_file.h"
#include "encryption_test_util.h"
#include "ir/error.h"

namespace rknn {
namespace {

using namespace testing;
using encryption::KeySpec;
using encryption::read_key;

std::string hex(const std::vector<std::byte>& bytes, bool upper = false) {
  const char* digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
  std::string out;
  for (std::byte b : bytes) {
    out += digits[std::to_integer<unsigned>(b) >> 4];
    out += digits[std::to_integer<unsigned>(b) & 15];
  }
  return out;
}

std::string write(const TempDir& dir, const std::string& name, const std::string& content) {
  const auto path = dir / name;
  std::ofstream(path, std::ios::binary) << content;
  return path.string();
}

std::vector<std::byte> key_of(const KeySpec& spec, int level) {
  const encryption::SecretBytes key = read_key(spec, level);
  return {key.span().begin(), key.span().end()};
}

std::string error_of(const KeySpec& spec, int level) {
  try {
    read_key(spec, level);
  } catch (const CompileError& e) {
    return e.what();
  }
  return "";
}

TEST(EncryptionKeyFile, RawAndHexKeys) {
  TempDir dir;
  const std::vector<std::byte> key = test_key();
  const std::string raw(reinterpret_cast<const char*>(key.data()), key.size());
  for (int level : {1, 2}) {
    EXPECT_EQ(key_of({write(dir, "raw.key", raw), ""}, level), key);
    EXPECT_EQ(key_of({write(dir, "hex.key", hex(key) + "\n"), ""}, level), key);
    EXPECT_EQ(key_of({write(dir, "HEX.key", "  " + hex(key, true) + "\r\n"), ""}, level), key);
  }
}

TEST(EncryptionKeyFile, Level3SecretIsTheFileMinusOneNewline) {
  TempDir dir;
  EXPECT_EQ(key_of({write(dir, "pass", "correct horse battery staple\n"), ""}, 3), test_secret(3));
  EXPECT_EQ(key_of({write(dir, "pass2", "correct horse battery staple"), ""}, 3), test_secret(3));
  EXPECT_EQ(key_of({write(dir, "pass3", "correct horse battery staple\r\n"), ""}, 3), test_secret(3));
  EXPECT_EQ(key_of({write(dir, "pass4", "correct horse battery staple\n\n"), ""}, 3).size(), 29u);
}

TEST(EncryptionKeyFile, ErrorsNameTheFileNotTheKey) {
  TempDir dir;
  const std::string hex31 = hex(test_key()).substr(2);
  const std::string bad = write(dir, "bad.key", hex31);
  const std::string error = error_of({bad, ""}, 2);
  EXPECT_NE(error.find(bad), std::string::npos) << error;
  EXPECT_NE(error.find("32 raw bytes or 64 hex digits"), std::string::npos) << error;
  EXPECT_EQ(error.find(hex31.substr(0, 16)), std::string::npos) << error;
  EXPECT_NE(error_of({write(dir, "short", "short\n"), ""}, 3).find("8 to 1024"), std::string::npos);
  EXPECT_NE(error_of({(dir / "missing.key").string(), ""}, 1).find("missing.key"), std::string::npos);
  EXPECT_NE(error_of({write(dir, "big", std::string(5000, 'x')), ""}, 3).find("larger than"), std::string::npos);
  EXPECT_NE(error_of({}, 1).find("no key"), std::string::npos);
  EXPECT_NE(error_of({bad, ""}, 4).find("expected 1, 2 or 3"), std::string::npos);
}

TEST(EncryptionKeyFile, EnvironmentVariable) {
  const std::vector<std::byte> key = test_key();
  ::setenv("RKNN_TEST_ENCRYPTION_KEY", hex(key).c_str(), 1);
  EXPECT_EQ(key_of({"", "RKNN_TEST_ENCRYPTION_KEY"}, 2), key);
  ::setenv("RKNN_TEST_ENCRYPTION_KEY", "correct horse battery staple", 1);
  EXPECT_EQ(key_of({"", "RKNN_TEST_ENCRYPTION_KEY"}, 3), test_secret(3));
  const std::string error = error_of({"", "RKNN_TEST_ENCRYPTION_KEY"}, 1);
  EXPECT_NE(error.find("RKNN_TEST_ENCRYPTION_KEY: a level 1 key is 64 hex digits"), std::string::npos) << error;
  EXPECT_EQ(error.find("horse"), std::string::npos) << error;
  ::unsetenv("RKNN_TEST_ENCRYPTION_KEY");
  EXPECT_NE(error_of({"", "RKNN_TEST_ENCRYPTION_KEY"}, 1).find("RKNN_TEST_ENCRYPTION_KEY is not set"),
            std::string::npos);
}

TEST(EncryptionKeyFile, KeyForAnArtifactFollowsItsLevel) {
  TempDir dir;
  const std::string plain = two_io_artifact(dir);
  const std::string pass = write(dir, "pass", "correct horse battery staple\n");
  const std::string level3 = encrypt(plain, 3);
  EXPECT_EQ(encryption::read_key_for(std::as_bytes(std::span(level3)), {pass, ""}).size(), 28u);
  EXPECT_TRUE(encryption::read_key_for(std::as_bytes(std::span(plain)), {pass, ""}).empty());  // not encrypted
  EXPECT_TRUE(encryption::read_key_for(std::as_bytes(std::span(level3)), {}).empty());         // no key given
}

}  // namespace
}  // namespace rknn
