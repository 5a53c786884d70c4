#include "tools/repro.h"

#include <cctype>
#include <filesystem>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "poller/mutant.h"
#include "traces/time_text.h"

namespace iocpsim::tools {
namespace {

bool IsScenario(const explore::Target& t) { return absl::EndsWith(t.workload, ".textproto"); }

std::string Identifier(std::string s) {
  for (char& c : s) c = absl::ascii_isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return s;
}

}  // namespace

std::vector<std::string> HostFlagWords(const sim::HostSpec& spec) {
  std::vector<std::string> w;
  if (spec.profile) w.push_back(absl::StrCat("--host=", *spec.profile));
  if (spec.tick_ns) w.push_back(absl::StrCat("--tick_ms=", traces::MsText(*spec.tick_ns)));
  if (spec.timer_latency_ns) {
    w.push_back(absl::StrCat("--timer_latency_ms=", traces::MsText(*spec.timer_latency_ns)));
  }
  if (spec.wait_packets) w.push_back(*spec.wait_packets ? "--wait_packets" : "--nowait_packets");
  if (spec.high_res_timers) {
    w.push_back(*spec.high_res_timers ? "--high_res_timers" : "--nohigh_res_timers");
  }
  return w;
}

std::string ShellCommand(const std::vector<std::string>& words) {
  std::vector<std::string> quoted;
  for (const std::string& w : words) quoted.push_back(ShellQuote(w));
  return absl::StrJoin(quoted, " ");
}

std::string ShellQuote(const std::string& word) {
  const bool bare = !word.empty() && std::all_of(word.begin(), word.end(), [](char c) {
    return absl::ascii_isalnum(static_cast<unsigned char>(c)) ||
           absl::string_view("_./:=,+@%-").find(c) != absl::string_view::npos;
  });
  if (bare) return word;
  std::string q = "'";
  for (char c : word) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

std::string RegressFileName(const explore::Target& target, const std::string& oracle) {
  const std::string stem = IsScenario(target)
                               ? std::filesystem::path(target.workload).stem().string()
                               : target.workload;
  std::string name = absl::StrCat("regress_", stem, "_", oracle);
  if (target.host.runtime.mutant != poller::Mutant::kNone) {
    absl::StrAppend(&name, "_", poller::MutantName(target.host.runtime.mutant));
  }
  if (target.poller == poller::Variant::kLowRes) absl::StrAppend(&name, "_lowres");
  return Identifier(name) + "_test.cc";
}

ReproCommands CommandsFor(const explore::Target& target, const explore::Finding& f) {
  // What names the run: the scenario, or the bundled workload and the host
  // flags (a minimized scenario carries its host; a workload has no file).
  auto subject = [&](const std::string& scenario) {
    std::vector<std::string> w;
    if (IsScenario(target)) {
      w.push_back(scenario);
    } else {
      w.push_back(absl::StrCat("--workload=", target.workload));
    }
    w.push_back(absl::StrCat("--seed=", f.seed));
    if (target.host.runtime.mutant != poller::Mutant::kNone) {
      w.push_back(absl::StrCat("--mutant=", poller::MutantName(target.host.runtime.mutant)));
    }
    if (!IsScenario(target) || scenario == target.workload) {
      for (std::string& h : HostFlagWords(target.host_flags)) w.push_back(std::move(h));
      // A minimized scenario carries the poller; the original needs the flag.
      if (target.poller) w.push_back(absl::StrCat("--poller=", poller::VariantName(*target.poller)));
    }
    return w;
  };
  ReproCommands c;
  std::vector<std::string> run = {"iocpsim", "run"};
  for (std::string& w : subject(target.workload)) run.push_back(std::move(w));
  if (!f.found_schedule_path.empty()) {
    // The search's decisions come from no seed: its schedule file has them.
    run.push_back("--schedule=" + f.found_schedule_path);
  } else {  // named even when it is the default, which may change
    run.push_back(absl::StrCat("--strategy=", explore::StrategyKindName(target.strategy)));
    if (target.strategy == explore::StrategyKind::kPct) {
      run.push_back(absl::StrCat("--pct_depth=", target.pct_depth));
    }
  }
  c.run = ShellCommand(run);
  if (f.schedule_path.empty()) return c;
  std::vector<std::string> min =
      subject(f.minimized_scenario_path.empty() ? target.workload : f.minimized_scenario_path);
  min.push_back(absl::StrCat("--schedule=", f.schedule_path));
  std::vector<std::string> run_min = {"iocpsim", "run"};
  run_min.insert(run_min.end(), min.begin(), min.end());
  c.run_minimized = ShellCommand(run_min);
  std::vector<std::string> regress = {"iocpsim", "regress"};
  regress.insert(regress.end(), min.begin(), min.end());
  regress.push_back("-o");
  regress.push_back("tests/" + RegressFileName(target, f.violation.oracle));
  c.regress = ShellCommand(regress);
  c.replay = ShellCommand({"iocpsim", "replay", f.trace_path});
  c.replay_minimized = ShellCommand({"iocpsim", "replay", f.minimized_path});
  return c;
}

}  // namespace iocpsim::tools
