// A schedule file: the scheduler's decisions of one run, written by explore
// for each minimized finding and read by `run --schedule` and `regress`.
// A minimized decision list cannot be derived from a seed, so it is saved.
//
//   # comment
//   3:1 7:2 12:1
//
// Each DECISION:OPTION (0-based) names a decision that did not take its
// first option; every other decision takes option 0 (docs/report-format.md).
#ifndef IOCPSIM_EXPLORE_SCHEDULE_FILE_H_
#define IOCPSIM_EXPLORE_SCHEDULE_FILE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace iocpsim::explore {

// The limits of docs/limits.md: a run stops at the scheduler's 10,000,000
// steps, so no decision lies past them.
inline constexpr uint64_t kMaxScheduleBytes = uint64_t{1} << 20;  // 1 MiB
inline constexpr uint32_t kMaxScheduleDecision = 10'000'000;
inline constexpr uint32_t kMaxScheduleOption = 1'000'000;

// The non-default decisions of `picks` as "D:O D:O ..." (no newline; empty
// when every decision takes the first option).
std::string ScheduleText(const std::vector<uint32_t>& picks);

// The file explore writes: a comment saying what it is, then ScheduleText.
std::string ScheduleFile(const std::vector<uint32_t>& picks);

// The decision list `text` describes (trailing defaults dropped), or
// "NAME:LINE: what" for a token that is not DECISION:OPTION, a decision out
// of order or given twice, or a number past its limit.
absl::StatusOr<std::vector<uint32_t>> ParseSchedule(const std::string& name,
                                                    const std::string& text);

// ParseSchedule of a file read with the size limit.
absl::StatusOr<std::vector<uint32_t>> LoadSchedule(const std::string& path);

}  // namespace iocpsim::explore

#endif  // IOCPSIM_EXPLORE_SCHEDULE_FILE_H_
