// A fresh empty folder for one test, removed with everything in it when the
// test's TempDir goes out of scope.
#pragma once

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <string>

#include <gtest/gtest.h>

namespace rknn::testing {

class TempDir {
 public:
  TempDir() {
    path_ = std::filesystem::temp_directory_path() /
            ("rknn-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter()++) + "-" + test_name());
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  static int& counter() {
    static int value = 0;
    return value;
  }
  // Parameterized tests are named "Name/3": the slash would nest a folder
  // that the destructor leaves behind.
  static std::string test_name() {
    const ::testing::TestInfo* info = ::testing::UnitTest::GetInstance()->current_test_info();
    std::string name = info ? info->name() : "outside-a-test";
    std::replace(name.begin(), name.end(), '/', '_');
    return name;
  }
  std::filesystem::path path_;
};

}  // namespace rknn::testing
