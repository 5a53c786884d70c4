// Files the user names: read with a limit, written whole or not at all.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "files/output.h"
#include "files/read.h"
#include "gtest/gtest.h"
#include "traces/writer.h"

namespace iocpsim::files {
namespace {

std::string Dir() {
  const char* t = std::getenv("TEST_TMPDIR");
  return t != nullptr ? t : "/tmp";
}

void Write(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

std::string Read(const std::string& path) {
  absl::StatusOr<std::string> b = ReadBounded(path, 1 << 20, "test file");
  return b.ok() ? *b : "<" + std::string(b.status().message()) + ">";
}

TEST(ReadBounded, ReadsAFileWithinTheLimit) {
  const std::string p = Dir() + "/small";
  Write(p, "hello");
  EXPECT_EQ(Read(p), "hello");
}

TEST(ReadBounded, ALargerFileIsAnErrorNamingItAndTheLimit) {
  const std::string p = Dir() + "/large";
  Write(p, std::string(11, 'x'));
  absl::StatusOr<std::string> b = ReadBounded(p, 10, "trace");
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.status().message(), p + ": larger than 10 bytes, the limit for a trace");
}

TEST(ReadBounded, AnEndlessDeviceStopsAtTheLimit) {
#ifdef _WIN32
  GTEST_SKIP() << "no /dev/zero";
#endif
  absl::StatusOr<std::string> b = ReadBounded("/dev/zero", kMaxScenarioBytes, "scenario");
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.status().message(), "/dev/zero: larger than 1 MiB, the limit for a scenario");
}

TEST(ReadBounded, ADirectorySaysSo) {
  absl::StatusOr<std::string> b = ReadBounded(Dir(), 10, "trace");
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.status().message(), Dir() + ": is a directory, not a trace");
}

TEST(CheckNotAnInput, RefusesTheSameFileByAnotherName) {
  const std::string p = Dir() + "/input";
  Write(p, "x");
  EXPECT_FALSE(CheckNotAnInput("-o", Dir() + "/./input", {p}).ok());
  EXPECT_TRUE(CheckNotAnInput("-o", Dir() + "/other", {p}).ok());
  EXPECT_TRUE(CheckNotAnInput("-o", "", {p}).ok());
}

TEST(FileSink, AnOutputAppearsOnlyWhenClosed) {
  const std::string p = Dir() + "/out";
  Write(p, "old");
  {
    absl::StatusOr<std::unique_ptr<traces::FileSink>> s = traces::FileSink::Open(p);
    ASSERT_TRUE(s.ok());
    (*s)->Append("new");
    EXPECT_EQ(Read(p), "old");  // a run failing now leaves the old output
  }
  EXPECT_EQ(Read(p), "old");
  absl::StatusOr<std::unique_ptr<traces::FileSink>> s = traces::FileSink::Open(p);
  ASSERT_TRUE(s.ok());
  (*s)->Append("new");
  ASSERT_TRUE((*s)->Close().ok());
  EXPECT_EQ(Read(p), "new");
  for (const auto& e : std::filesystem::directory_iterator(Dir())) {
    EXPECT_EQ(e.path().filename().string().find(".tmp-"), std::string::npos) << e.path();
  }
}

}  // namespace
}  // namespace iocpsim::files
