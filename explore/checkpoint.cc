#include "explore/checkpoint.h"

#include <filesystem>
#include <map>
#include <tuple>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "explore/dfs.h"
#include "explore/schedule_file.h"
#include "files/read.h"

namespace iocpsim::explore {

std::string CheckpointText(const Checkpoint& c) {
  return absl::StrCat(
      "# iocpsim systematic search checkpoint (docs/exploration.md): resume with the same\n"
      "# explore command and --checkpoint naming this file\n",
      "campaign ", absl::CEscape(c.campaign), "\n", "complete ", c.complete ? 1 : 0, "\n",
      "class ", c.cls, "\n", "index ", c.index, "\n", "schedules ", c.schedules, "\n",
      "discovery ", c.discovery, "\n", "next_length ", c.next.size(), "\n",
      // The leading decisions, as a schedule file writes them (DECISION:OPTION
      // where OPTION is not 0); next_length keeps the zeros at the end.
      "next ", ScheduleText(c.next), "\n");
}

absl::StatusOr<Checkpoint> ParseCheckpoint(const std::string& path, const std::string& text) {
  std::map<std::string, std::pair<int, std::string>> fields;  // key -> (line, value)
  int line_no = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++line_no;
    if (line.empty() || line[0] == '#') continue;
    std::pair<absl::string_view, absl::string_view> kv = absl::StrSplit(line, absl::MaxSplits(' ', 1));
    fields[std::string(kv.first)] = {line_no, std::string(kv.second)};
  }
  auto error = [&](const std::string& key, absl::string_view what) {
    const int at = fields[key].first;  // every key is present by then
    return absl::InvalidArgumentError(absl::StrCat(path, ":", at, ": ", key, ": ", what));
  };
  Checkpoint c;
  for (const char* key : {"campaign", "complete", "class", "index", "schedules", "discovery",
                          "next_length", "next"}) {
    if (fields.count(key) == 0) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ": no ", key, " line: not an iocpsim checkpoint"));
    }
  }
  if (!absl::CUnescape(fields["campaign"].second, &c.campaign)) return error("campaign", "bad escape");
  int64_t complete = 0, length = 0;
  for (auto [key, out, max] : {std::tuple<const char*, int64_t*, int64_t>{"complete", &complete, 1},
                               {"class", &c.cls, INT64_MAX},
                               {"index", &c.index, INT64_MAX},
                               {"schedules", &c.schedules, INT64_MAX},
                               {"discovery", &c.discovery, INT64_MAX},
                               {"next_length", &length, kMaxDfsDecisions}}) {
    if (!absl::SimpleAtoi(fields[key].second, out) || *out < 0 || *out > max) {
      return error(key, absl::StrCat("\"", absl::CHexEscape(fields[key].second),
                                     "\" is not a number in 0..", max));
    }
  }
  c.complete = complete == 1;
  absl::StatusOr<std::vector<uint32_t>> next =
      ParseSchedule(absl::StrCat(path, ":", fields["next"].first), fields["next"].second);
  if (!next.ok()) return next.status();
  if (static_cast<int64_t>(next->size()) > length) {
    return error("next", absl::StrCat("a decision past next_length ", length));
  }
  c.next = *std::move(next);
  c.next.resize(static_cast<size_t>(length), 0);
  return c;
}

absl::StatusOr<std::optional<Checkpoint>> LoadCheckpoint(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return std::optional<Checkpoint>();
  absl::StatusOr<std::string> text = files::ReadBounded(path, kMaxCheckpointBytes, "checkpoint");
  if (!text.ok()) return text.status();
  absl::StatusOr<Checkpoint> c = ParseCheckpoint(path, *text);
  if (!c.ok()) return c.status();
  return std::optional<Checkpoint>(*std::move(c));
}

}  // namespace iocpsim::explore
