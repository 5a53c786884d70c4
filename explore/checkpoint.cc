#include "explore/checkpoint.h"

#include <filesystem>
#include <map>
#include <tuple>

#include "absl/strings/escaping.h"
#include "absl/strings/str_join.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "explore/dfs.h"
#include "explore/schedule_file.h"
#include "files/read.h"

namespace iocpsim::explore {
namespace {

// "T3", "kernel" or "advance" (sim::ChoiceName), back to a choice.
bool ParseActor(absl::string_view text, sim::Choice* out) {
  if (text == "kernel" || text == "advance") {
    *out = {text == "kernel" ? sim::Choice::Kind::kKernel : sim::Choice::Kind::kAdvance, -1};
    return true;
  }
  int id = 0;
  if (!absl::ConsumePrefix(&text, "T") || !absl::SimpleAtoi(text, &id) || id < 1) return false;
  *out = {sim::Choice::Kind::kThread, id};
  return true;
}

// A footprint's keys, "*" for everything, "-" for nothing.
std::string FootprintText(const sim::Footprint& f) {
  if (f.all()) return "*";
  return f.keys().empty() ? "-" : absl::StrJoin(f.keys(), ",");
}

bool ParseFootprint(absl::string_view text, sim::Footprint* out) {
  if (text == "*") {
    out->TouchAll();
    return true;
  }
  if (text == "-") return true;
  std::vector<absl::string_view> keys = absl::StrSplit(text, ',');
  if (keys.size() > sim::Footprint::kMaxKeys) return false;
  for (absl::string_view k : keys) {
    uint64_t key = 0;
    if (!absl::SimpleAtoi(k, &key)) return false;
    out->Touch(key);
  }
  return true;
}

// The sleep-set lines (explore/dfs.h), when the search keeps them.
std::string SleepText(const Checkpoint& c) {
  if (c.explored.empty()) return "";
  std::string out = "sleep_sets 1\n";
  for (size_t k = 0; k < c.explored.size(); ++k) {
    for (const Sleeper& s : c.explored[k]) {
      absl::StrAppend(&out, "sleeper ", k, " ", sim::ChoiceName(s.actor), " ",
                      s.bounded ? "bounded" : "whole", " ", FootprintText(s.footprint), "\n");
    }
  }
  std::vector<size_t> cut;
  for (size_t k = 0; k < c.cut.size(); ++k) {
    if (c.cut[k]) cut.push_back(k);
  }
  absl::StrAppend(&out, "cut ", cut.empty() ? "-" : absl::StrJoin(cut, ","), "\n");
  return out;
}

}  // namespace

std::string CheckpointText(const Checkpoint& c) {
  return absl::StrCat(
      "# iocpsim systematic search checkpoint (docs/exploration.md): resume with the same\n"
      "# explore command and --checkpoint naming this file\n",
      "campaign ", absl::CEscape(c.campaign), "\n", "complete ", c.complete ? 1 : 0, "\n",
      "class ", c.cls, "\n", "index ", c.index, "\n", "schedules ", c.schedules, "\n",
      "discovery ", c.discovery, "\n", "next_length ", c.next.size(), "\n",
      // The leading decisions, as a schedule file writes them (DECISION:OPTION
      // where OPTION is not 0); next_length keeps the zeros at the end.
      "next ", ScheduleText(c.next), "\n", "pruned ", c.pruned, "\n", "abandoned ",
      c.abandoned, "\n", SleepText(c));
}

absl::StatusOr<Checkpoint> ParseCheckpoint(const std::string& path, const std::string& text) {
  std::map<std::string, std::pair<int, std::string>> fields;  // key -> (line, value)
  std::vector<std::pair<int, std::string>> sleepers;  // (line, value), in file order
  int line_no = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++line_no;
    if (line.empty() || line[0] == '#') continue;
    std::pair<absl::string_view, absl::string_view> kv = absl::StrSplit(line, absl::MaxSplits(' ', 1));
    if (kv.first == "sleeper") {
      sleepers.emplace_back(line_no, std::string(kv.second));
    } else {
      fields[std::string(kv.first)] = {line_no, std::string(kv.second)};
    }
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
  for (auto [key, out] : {std::pair<const char*, int64_t*>{"pruned", &c.pruned},
                          {"abandoned", &c.abandoned}}) {
    if (fields.count(key) != 0 && (!absl::SimpleAtoi(fields[key].second, out) || *out < 0)) {
      return error(key, absl::StrCat("\"", absl::CHexEscape(fields[key].second),
                                     "\" is not a number in 0..", INT64_MAX));
    }
  }
  if (fields.count("sleep_sets") == 0) {
    if (!sleepers.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ":", sleepers.front().first, ": sleeper: no sleep_sets line"));
    }
    return c;
  }
  if (fields.count("cut") == 0) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": no cut line: not an iocpsim checkpoint"));
  }
  c.explored.resize(c.next.size());
  c.cut.assign(c.next.size(), false);
  for (const auto& [at, value] : sleepers) {
    // "DECISION ACTOR RULE KEYS"
    std::vector<absl::string_view> parts = absl::StrSplit(value, ' ');
    int64_t k = 0;
    Sleeper s;
    if (parts.size() != 4 || !absl::SimpleAtoi(parts[0], &k) || k < 0 || k >= length ||
        !ParseActor(parts[1], &s.actor) || (parts[2] != "bounded" && parts[2] != "whole") ||
        !ParseFootprint(parts[3], &s.footprint)) {
      return absl::InvalidArgumentError(absl::StrCat(
          path, ":", at, ": sleeper: \"", absl::CHexEscape(value),
          "\" is not DECISION ACTOR RULE KEYS (a decision below next_length; T<thread>, kernel "
          "or advance; bounded or whole; at most ", sim::Footprint::kMaxKeys,
          " comma-separated keys, * or -)"));
    }
    s.bounded = parts[2] == "bounded";
    if (c.explored[k].size() == kMaxSleepOptions) {
      return absl::InvalidArgumentError(absl::StrCat(path, ":", at, ": sleeper: more than ",
                                                     kMaxSleepOptions, " at decision ", k));
    }
    c.explored[k].push_back(s);
  }
  if (fields["cut"].second != "-") {
    for (absl::string_view part : absl::StrSplit(fields["cut"].second, ',')) {
      int64_t k = 0;
      if (!absl::SimpleAtoi(part, &k) || k < 0 || k >= length) {
        return error("cut", absl::StrCat("\"", absl::CHexEscape(part),
                                         "\" is not a decision below next_length ", length));
      }
      c.cut[k] = true;
    }
  }
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
