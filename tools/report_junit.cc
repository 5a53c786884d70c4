#include "tools/report_junit.h"

#include <filesystem>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "explore/oracles.h"
#include "poller/mutant.h"
#include "sim/host_profiles.h"
#include "tools/utf8.h"

namespace iocpsim::tools {
namespace {

struct Case {
  std::string name;
  std::string element;  // "", "failure", "error" or "skipped"
  std::string type;
  std::string message;
  std::string text;
};

std::string Attr(const char* name, const std::string& value) {
  return absl::StrCat(" ", name, "=\"", XmlEscape(value, true), "\"");
}

std::string FindingText(const explore::Finding& f, const ReproCommands& c) {
  std::string t = absl::StrCat(f.runs_hitting, " schedules violated it; the first, seed ", f.seed,
                               ", at ", f.violation.time_ns, " ns\n");
  for (const auto& [label, command] :
       {std::pair<const char*, const std::string*>{"reproduce", &c.run},
        {"reproduce minimized", &c.run_minimized},
        {"replay", &c.replay_minimized},
        {"regression test", &c.regress}}) {
    if (!command->empty()) absl::StrAppend(&t, label, ": ", *command, "\n");
  }
  return t;
}

std::vector<Case> Cases(const TargetResult& t) {
  std::vector<Case> cases;
  if (!t.error.empty()) {
    cases.push_back({"explore", "error", "bad-input", t.error, ""});
    return cases;
  }
  const explore::ExploreReport& r = t.report;
  for (const std::string& oracle : explore::OracleNames()) {
    Case c{absl::StrCat("oracle ", oracle), "", "", "", ""};
    if (auto it = r.findings.find(oracle); it != r.findings.end()) {
      c.element = "failure";
      c.type = oracle;
      c.message = it->second.violation.detail;
      c.text = FindingText(it->second, t.commands.at(oracle));
    }
    cases.push_back(std::move(c));
  }
  for (const std::string& race : RaceNames(r)) {
    Case c{absl::StrCat("race ", race), "", "", "", ""};
    const std::string status = RaceStatus(r, race);
    if (status == "unforced") {
      c = {c.name, "failure", "unforced-race",
           absl::StrCat("never forced in ", r.runs, " schedules: the scenario does not test what it says"),
           ""};
    } else if (status == "inapplicable") {
      c = {c.name, "skipped", "", "cannot happen on this host (no wait packets)", ""};
    } else if (status == "incomplete") {
      c = {c.name, "skipped", "", "interrupted before any schedule forced it", ""};
    }
    cases.push_back(std::move(c));
  }
  return cases;
}

// Dashboards group test cases by dotted class names: the scenario's stem.
std::string ClassName(const explore::Target& t) {
  std::string stem = std::filesystem::path(t.workload).stem().string();
  for (char& c : stem) c = absl::ascii_isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return absl::StrCat("iocpsim.explore.", stem);
}

int Count(const std::vector<Case>& cases, const char* element) {
  int n = 0;
  for (const Case& c : cases) n += c.element == element;
  return n;
}

}  // namespace

std::string XmlEscape(const std::string& s, bool attribute) {
  std::string out;
  for (char c : ValidUtf8(s)) {
    if (!attribute && (c == '\n' || c == '\t')) {
      out += c;
      continue;
    }
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      case '\n': out += "&#10;"; break;
      case '\r': out += "&#13;"; break;
      case '\t': out += "&#9;"; break;
      default:
        // XML 1.0 has no way to write the other control characters.
        if (static_cast<unsigned char>(c) < 0x20) {
          out += absl::StrFormat("\\x%02x", static_cast<int>(c));
        } else {
          out += c;
        }
    }
  }
  return out;
}

std::string JunitXml(const ExploreResults& results) {
  std::string suites;
  int tests = 0, failures = 0, errors = 0, skipped = 0;
  for (const TargetResult& t : results.targets) {
    const std::vector<Case> cases = Cases(t);
    const int f = Count(cases, "failure"), e = Count(cases, "error"), s = Count(cases, "skipped");
    tests += static_cast<int>(cases.size());
    failures += f;
    errors += e;
    skipped += s;
    absl::StrAppend(&suites, "  <testsuite", Attr("name", t.target.workload),
                    Attr("tests", absl::StrCat(cases.size())), Attr("failures", absl::StrCat(f)),
                    Attr("errors", absl::StrCat(e)), Attr("skipped", absl::StrCat(s)), ">\n");
    const explore::ExploreOptions& o = results.options;
    absl::StrAppend(&suites, "    <properties>\n");
    for (const auto& [name, value] : std::vector<std::pair<std::string, std::string>>{
             {"poller", poller::MutantName(t.target.host.runtime.mutant)},
             {"strategy", t.target.strategy == explore::StrategyKind::kPct
                              ? absl::StrCat("pct, depth ", t.target.pct_depth)
                              : explore::StrategyKindName(t.target.strategy)},
             {"seeds", absl::StrCat(o.schedules, " from ", o.first_seed, ", shard ",
                                    o.shard_index + 1, " of ", o.shard_count)},
             {"host", t.report.runs > 0 ? sim::DescribeHost(t.report.host) : ""},
             {"runs", absl::StrCat(t.report.runs)},
             {"interrupted", t.report.interrupted ? "true" : "false"}}) {
      absl::StrAppend(&suites, "      <property", Attr("name", name), Attr("value", value), "/>\n");
    }
    absl::StrAppend(&suites, "    </properties>\n");
    for (const Case& c : cases) {
      absl::StrAppend(&suites, "    <testcase", Attr("classname", ClassName(t.target)),
                      Attr("name", c.name));
      if (c.element.empty()) {
        absl::StrAppend(&suites, "/>\n");
        continue;
      }
      absl::StrAppend(&suites, ">\n      <", c.element, Attr("message", c.message));
      if (!c.type.empty()) absl::StrAppend(&suites, Attr("type", c.type));
      if (c.text.empty()) {
        absl::StrAppend(&suites, "/>\n");
      } else {
        absl::StrAppend(&suites, ">", XmlEscape(c.text, false), "</", c.element, ">\n");
      }
      absl::StrAppend(&suites, "    </testcase>\n");
    }
    absl::StrAppend(&suites, "  </testsuite>\n");
  }
  return absl::StrCat("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites",
                      Attr("name", "iocpsim explore"), Attr("tests", absl::StrCat(tests)),
                      Attr("failures", absl::StrCat(failures)),
                      Attr("errors", absl::StrCat(errors)),
                      Attr("skipped", absl::StrCat(skipped)), ">\n", suites, "</testsuites>\n");
}

}  // namespace iocpsim::tools
