#include "tools/regress_source.h"

#include <filesystem>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "tools/utf8.h"
#include "traces/format.h"

namespace iocpsim::tools {
namespace {

std::string Literal(const std::string& s) { return absl::StrCat("\"", absl::CEscape(s), "\""); }

// One comment line's worth of text: no line breaks or control characters.
std::string CommentText(const std::string& s) {
  std::string out = ValidUtf8(s);
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20) c = ' ';
  }
  return out;
}

// A raw string delimiter the text does not end early.
std::string Delimiter(const std::string& text) {
  std::string d = "pb";
  for (int n = 1; absl::StrContains(text, absl::StrCat(")", d, "\"")); ++n) d = absl::StrCat("pb", n);
  return d;
}

// The decisions as adjacent literals of about 80 characters.
std::string ScheduleLiteral(const std::string& schedule) {
  if (schedule.empty()) return "\"\"";
  std::vector<std::string> lines;
  std::string line;
  for (absl::string_view token : absl::StrSplit(schedule, ' ')) {
    if (!line.empty() && line.size() + token.size() > 80) {
      lines.push_back(Literal(line + " "));
      line.clear();
    }
    absl::StrAppend(&line, line.empty() ? "" : " ", token);
  }
  lines.push_back(Literal(line));
  return absl::StrJoin(lines, "\n      ");
}

std::string HostLines(const sim::HostSpec& h) {
  std::string out;
  if (h.profile) absl::StrAppend(&out, "  c.host.profile = ", Literal(*h.profile), ";\n");
  if (h.tick_ns) absl::StrAppend(&out, "  c.host.tick_ns = ", *h.tick_ns, ";\n");
  if (h.timer_resolution_ns) {
    absl::StrAppend(&out, "  c.host.timer_resolution_ns = ", *h.timer_resolution_ns, ";\n");
  }
  if (h.timer_latency_ns) {
    absl::StrAppend(&out, "  c.host.timer_latency_ns = ", *h.timer_latency_ns, ";\n");
  }
  if (h.wait_packets) {
    absl::StrAppend(&out, "  c.host.wait_packets = ", *h.wait_packets ? "true" : "false", ";\n");
  }
  if (h.high_res_timers) {
    absl::StrAppend(&out, "  c.host.high_res_timers = ", *h.high_res_timers ? "true" : "false",
                    ";\n");
  }
  return out;
}

}  // namespace

std::string TestNameFor(const std::string& output_path) {
  std::string stem = std::filesystem::path(output_path).filename().string();
  stem = std::string(absl::StripSuffix(stem, ".cc"));
  stem = std::string(absl::StripSuffix(stem, "_test"));
  stem = std::string(absl::StripPrefix(stem, "regress_"));
  std::string name;
  bool upper = true;
  for (char c : stem) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c))) {
      upper = true;
      continue;
    }
    name += upper ? absl::ascii_toupper(c) : c;
    upper = false;
  }
  if (name.empty()) return "Finding";
  if (absl::ascii_isdigit(static_cast<unsigned char>(name[0]))) name = "Finding" + name;
  return name;
}

std::string RegressionTestSource(const RegressionSource& s) {
  const explore::RegressionCase& c = s.regression;
  const std::string poller = c.mutant.empty() ? "faithful" : c.mutant;
  std::string expect;
  if (s.expect_violation) {
    expect = absl::StrCat("// Expected: the ", poller, " poller violates ", s.oracle,
                          " on this schedule; the test\n// fails if that stops (the oracle no "
                          "longer catches it, or the schedule no longer\n// reaches it).\n");
  } else {
    expect = absl::StrCat("// Expected: no oracle violated. The ", poller, " poller violates ",
                          s.oracle, " on this\n// schedule as the test is written, so it fails "
                          "until the bug is fixed. A clean run\n// then covers this schedule "
                          "only: explore the scenario again.\n");
  }
  std::string body = absl::StrCat(
      "// A regression test written by `iocpsim regress` (", traces::kToolVersion,
      ") from a finding\n// of `iocpsim explore`. Regenerate it rather than edit it:\n//   ",
      CommentText(s.command), "\n//\n// The finding: ", s.oracle, ": ", CommentText(s.detail),
      "\n", expect,
      "#include \"explore/regression.h\"\n#include \"gtest/gtest.h\"\n\nnamespace {\n\n");
  if (!c.scenario_text.empty()) {
    const std::string d = Delimiter(c.scenario_text);
    absl::StrAppend(&body, "// The scenario, minimized, with its host.\nconstexpr char kScenario[] = R\"",
                    d, "(\n", c.scenario_text, ")", d, "\";\n\n");
  }
  absl::StrAppend(&body, "TEST(Regress, ", s.test_name, ") {\n  iocpsim::explore::RegressionCase c;\n");
  if (c.scenario_text.empty()) {
    absl::StrAppend(&body, "  c.workload = ", Literal(c.workload), ";\n");
  } else {
    absl::StrAppend(&body, "  c.name = ", Literal(c.name), ";\n  c.scenario_text = kScenario;\n");
  }
  absl::StrAppend(&body, HostLines(c.host));
  if (!c.mutant.empty()) absl::StrAppend(&body, "  c.mutant = ", Literal(c.mutant), ";\n");
  if (!c.poller.empty()) absl::StrAppend(&body, "  c.poller = ", Literal(c.poller), ";\n");
  absl::StrAppend(&body, "  c.seed = ", c.seed, "u;\n  c.schedule = ", ScheduleLiteral(c.schedule),
                  ";\n  const absl::StatusOr<iocpsim::explore::ScheduleOutcome> r = "
                  "iocpsim::explore::RunRegression(c);\n  ASSERT_TRUE(r.ok()) << r.status();\n");
  if (s.expect_violation) {
    absl::StrAppend(&body, "  ASSERT_TRUE(r->violation.has_value()) << \"no oracle violated; expected ",
                    absl::CEscape(s.oracle), "\";\n  EXPECT_EQ(r->violation->oracle, ",
                    Literal(s.oracle), ") << r->violation->detail;\n");
  } else {
    absl::StrAppend(&body, "  EXPECT_FALSE(r->violation.has_value())\n      << r->violation->oracle "
                           "<< \": \" << r->violation->detail;\n");
  }
  absl::StrAppend(&body, "}\n\n}  // namespace\n");
  return body;
}

}  // namespace iocpsim::tools
