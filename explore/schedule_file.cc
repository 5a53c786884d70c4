#include "explore/schedule_file.h"

#include <algorithm>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "files/read.h"

namespace iocpsim::explore {

std::string ScheduleText(const std::vector<uint32_t>& picks) {
  std::string out;
  for (size_t i = 0; i < picks.size(); ++i) {
    if (picks[i] != 0) absl::StrAppend(&out, out.empty() ? "" : " ", i, ":", picks[i]);
  }
  return out;
}

std::string ScheduleFile(const std::vector<uint32_t>& picks) {
  return absl::StrCat(
      "# iocpsim schedule: DECISION:OPTION for each scheduling decision that does not take\n"
      "# its first option (both 0-based); docs/report-format.md\n",
      ScheduleText(picks), "\n");
}

absl::StatusOr<std::vector<uint32_t>> ParseSchedule(const std::string& name,
                                                    const std::string& text) {
  std::vector<uint32_t> picks;
  int line_no = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++line_no;
    line = line.substr(0, line.find('#'));
    for (absl::string_view token : absl::StrSplit(line, absl::ByAnyChar(" \t\r"), absl::SkipEmpty())) {
      auto fail = [&](absl::string_view what) {
        return absl::InvalidArgumentError(absl::StrCat(name, ":", line_no, ": \"", token, "\": ", what));
      };
      std::pair<absl::string_view, absl::string_view> parts = absl::StrSplit(token, ':');
      uint32_t decision = 0, option = 0;
      if (std::count(token.begin(), token.end(), ':') != 1 ||
          !absl::SimpleAtoi(parts.first, &decision) ||
          !absl::SimpleAtoi(parts.second, &option)) {
        return fail("not DECISION:OPTION");
      }
      if (decision >= kMaxScheduleDecision) {
        return fail(absl::StrCat("decision past the limit of ", kMaxScheduleDecision));
      }
      if (option >= kMaxScheduleOption) {
        return fail(absl::StrCat("option past the limit of ", kMaxScheduleOption));
      }
      // In order, so a decision given twice cannot silently lose one option.
      if (decision < picks.size()) {
        return fail(absl::StrCat("decision ", decision, " is not after the one before"));
      }
      picks.resize(decision + 1, 0);
      picks[decision] = option;
    }
  }
  while (!picks.empty() && picks.back() == 0) picks.pop_back();
  return picks;
}

absl::StatusOr<std::vector<uint32_t>> LoadSchedule(const std::string& path) {
  absl::StatusOr<std::string> text = files::ReadBounded(path, kMaxScheduleBytes, "schedule");
  if (!text.ok()) return text.status();
  return ParseSchedule(path, *text);
}

}  // namespace iocpsim::explore
