#include "common/base/files.h"

#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace jixiao::base {
namespace {

using ::testing::HasSubstr;

class ReadFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* tmp = std::getenv("TMPDIR");
    dir_ = std::string(tmp && *tmp ? tmp : "/tmp") + "/files_test.XXXXXX";
    ASSERT_NE(mkdtemp(dir_.data()), nullptr);
  }
  void TearDown() override {
    std::remove((dir_ + "/file").c_str());
    rmdir(dir_.c_str());
  }
  std::string Write(const std::string& bytes) {
    std::string path = dir_ + "/file";
    std::ofstream(path, std::ios::binary) << bytes;
    return path;
  }

  std::string dir_;
};

TEST_F(ReadFileTest, ReadsTheBytesAsStored) {
  std::string bytes("line\r\n\0binary\n", 15);
  absl::StatusOr<std::string> read = ReadFile(Write(bytes));
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(*read, bytes);
  EXPECT_EQ(ReadFile(Write("")).value_or("?"), "");
}

TEST_F(ReadFileTest, LargerThanABuffer) {
  std::string bytes(200 * 1024 + 17, 'x');
  EXPECT_EQ(ReadFile(Write(bytes)).value_or(""), bytes);
}

TEST_F(ReadFileTest, MissingFileNamesWhatAndWhy) {
  absl::StatusOr<std::string> read = ReadFile(dir_ + "/absent", "token file");
  EXPECT_EQ(read.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(read.status().message(),
              HasSubstr("cannot read token file " + dir_ + "/absent: No such file or directory"));
}

TEST_F(ReadFileTest, DirectoryIsNoFile) {
  absl::StatusOr<std::string> read = ReadFile(dir_);
  EXPECT_EQ(read.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(read.status().message(), "cannot read " + dir_ + ": Is a directory");
}

TEST_F(ReadFileTest, SizeBound) {
  std::string path = Write("12345");
  EXPECT_EQ(ReadFile(path, "", 5).value_or(""), "12345");
  absl::StatusOr<std::string> read = ReadFile(path, "report file", 4);
  EXPECT_EQ(read.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(read.status().message(), "report file " + path + " is larger than 4 bytes");
  // An endless file stops at the bound.
  read = ReadFile("/dev/zero", "", 1 << 20);
  EXPECT_EQ(read.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(read.status().message(), "/dev/zero is larger than 1048576 bytes");
}

}  // namespace
}  // namespace jixiao::base
