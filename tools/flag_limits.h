// The ranges of the numeric flags (docs/limits.md): a value outside them is
// a usage error naming the flag and the range, not a thread-creation abort
// or a run of days.
#ifndef IOCPSIM_TOOLS_FLAG_LIMITS_H_
#define IOCPSIM_TOOLS_FLAG_LIMITS_H_

#include <cstdint>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace iocpsim::tools {

inline constexpr int64_t kMaxSchedules = 100'000'000;
inline constexpr int64_t kMaxSeeds = 100'000'000;
inline constexpr int kMaxJobs = 64;
inline constexpr int kMaxPctDepth = 100;
inline constexpr int kMaxMinimizeBudget = 1'000'000;
inline constexpr int kMaxShards = 1'000'000;

// An error "--flag: V is out of range LO..HI" unless lo <= value <= hi.
inline absl::Status CheckRange(const char* flag, int64_t value, int64_t lo, int64_t hi) {
  if (value >= lo && value <= hi) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat("--", flag, ": ", value, " is out of range ", lo, "..", hi));
}

}  // namespace iocpsim::tools

#endif  // IOCPSIM_TOOLS_FLAG_LIMITS_H_
