#include "files/read.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace iocpsim::files {
namespace {

std::string Size(uint64_t bytes) {
  return bytes % (1 << 20) == 0 ? absl::StrCat(bytes >> 20, " MiB") : absl::StrCat(bytes, " bytes");
}

}  // namespace

absl::StatusOr<std::string> ReadBounded(const std::string& path, uint64_t limit,
                                        const char* what) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": is a directory, not a ", what));
  }
  std::unique_ptr<FILE, int (*)(FILE*)> f(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (f == nullptr) {
    return absl::NotFoundError(absl::StrCat(path, ": cannot open: ", std::strerror(errno)));
  }
  // Read one byte past the limit rather than trusting the size the file
  // reports: devices and pipes report none.
  std::string bytes;
  char buf[1 << 16];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof(buf), f.get())) > 0) {
    if (bytes.size() + n > limit) {
      return absl::InvalidArgumentError(absl::StrCat(path, ": larger than ", Size(limit),
                                                     ", the limit for a ", what));
    }
    bytes.append(buf, n);
  }
  if (std::ferror(f.get()) != 0) {
    return absl::DataLossError(absl::StrCat(path, ": read failed: ", std::strerror(errno)));
  }
  return bytes;
}

}  // namespace iocpsim::files
