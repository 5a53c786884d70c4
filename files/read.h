// Reading a file the user named, with a size limit: /dev/zero, /dev/urandom
// or a huge file given by mistake is an error naming the file, not an
// allocation failure or a read that never ends; a directory says so.
#ifndef IOCPSIM_FILES_READ_H_
#define IOCPSIM_FILES_READ_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"

namespace iocpsim::files {

// The limits of docs/limits.md.
inline constexpr uint64_t kMaxTraceBytes = uint64_t{64} << 20;     // 64 MiB
inline constexpr uint64_t kMaxScenarioBytes = uint64_t{1} << 20;  // 1 MiB

// The bytes of path, or "PATH: what" (cannot open, is a directory, larger
// than the limit, read failed). `what` names the kind of file in the error
// ("trace", "scenario").
absl::StatusOr<std::string> ReadBounded(const std::string& path, uint64_t limit,
                                        const char* what);

}  // namespace iocpsim::files

#endif  // IOCPSIM_FILES_READ_H_
