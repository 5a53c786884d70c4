#include "files/output.h"

#include <atomic>
#include <filesystem>
#include <system_error>

#include "absl/strings/str_cat.h"

#ifdef _WIN32
#include <process.h>
#define getpid _getpid
#else
#include <unistd.h>
#endif

namespace iocpsim::files {

absl::Status CheckNotAnInput(const std::string& flag, const std::string& output,
                             const std::vector<std::string>& inputs) {
  for (const std::string& in : inputs) {
    std::error_code ec;
    if (std::filesystem::equivalent(output, in, ec) && !ec) {
      return absl::InvalidArgumentError(absl::StrCat(
          flag, ": ", output, " is the input ", in, "; refusing to write over it"));
    }
  }
  return absl::OkStatus();
}

std::string TempPathFor(const std::string& path) {
  // Unique per process and per call: explore's threads write findings at once.
  static std::atomic<uint64_t> next{0};
  return absl::StrCat(path, ".tmp-", getpid(), "-", next++);
}

bool WritesInPlace(const std::string& path) {
  std::error_code ec;
  const std::filesystem::file_status st = std::filesystem::status(path, ec);
  return !ec && std::filesystem::exists(st) && !std::filesystem::is_regular_file(st) &&
         !std::filesystem::is_directory(st);
}

absl::Status CommitTemp(const std::string& temp, const std::string& path) {
  std::error_code ec;
  std::filesystem::rename(temp, path, ec);
  if (ec) {
    const std::string why = ec.message();
    std::filesystem::remove(temp, ec);
    return absl::UnavailableError(absl::StrCat(path, ": cannot write: ", why));
  }
  return absl::OkStatus();
}

}  // namespace iocpsim::files
