#include "tools/report_json.h"

#include <algorithm>

#include "explore/oracles.h"
#include "explore/schedule_file.h"
#include "poller/branches.h"
#include "poller/mutant.h"
#include "poller/variant.h"
#include "sim/host_profiles.h"
#include "tools/json.h"
#include "traces/format.h"

namespace iocpsim::tools {
namespace {

Json Commands(const ReproCommands& c) {
  Json j = Json::Object();
  j.Set("run", c.run);
  // Absent when explore wrote no files (--out_dir='').
  if (!c.run_minimized.empty()) {
    j.Set("run_minimized", c.run_minimized)
        .Set("replay", c.replay)
        .Set("replay_minimized", c.replay_minimized)
        .Set("regress", c.regress);
  }
  return j;
}

Json FindingJson(const explore::Finding& f, const ReproCommands& commands) {
  Json files = Json::Object();
  if (!f.trace_path.empty()) {
    files.Set("trace", f.trace_path)
        .Set("minimized_trace", f.minimized_path)
        .Set("minimized_schedule", f.schedule_path);
  }
  if (!f.minimized_scenario_path.empty()) files.Set("minimized_scenario", f.minimized_scenario_path);
  Json j = Json::Object();
  j.Set("oracle", f.violation.oracle)
      .Set("message", f.violation.detail)
      .Set("time_ns", f.violation.time_ns)
      .Set("seed", f.seed)
      .Set("runs_hitting", f.runs_hitting)
      .Set("decisions", static_cast<uint64_t>(f.decisions))
      .Set("minimized_decisions", static_cast<uint64_t>(f.minimized_decisions))
      .Set("minimized_schedule", explore::ScheduleText(f.minimized_picks))
      .Set("scripted_events_dropped", static_cast<uint64_t>(f.scripted_removed))
      .Set("files", std::move(files))
      .Set("commands", Commands(commands));
  if (!f.trace_path.empty()) j.Set("minimized_reproduces", f.minimized_reproduces);
  return j;
}

Json Coverage(const explore::ExploreReport& r) {
  Json branches = Json::Object();
  for (int b = 0; b < poller::kBranchCount && b < static_cast<int>(r.runs_reaching.size()); ++b) {
    const auto branch = static_cast<poller::Branch>(b);
    Json row = Json::Object();
    row.Set("runs", r.runs_reaching[b]).Set("hits", r.hits[b]);
    if (const absl::string_view why = poller::BranchUnreachable(branch); !why.empty()) {
      row.Set("unreachable_by_design", std::string(why));
    }
    branches.Set(std::string(poller::BranchName(branch)), std::move(row));
  }
  Json extra = Json::Object();
  extra.Set("timer_packet_taken_by_another_m",
            Json::Object().Set("runs", r.timer_taken_runs).Set("hits", r.timer_taken_hits));
  extra.Set("destroyed_m_left_timer_packet_queued",
            Json::Object().Set("runs", r.left_queued_runs).Set("hits", r.left_queued_hits));
  return Json::Object()
      .Set("branches", std::move(branches))
      .Set("kernel_paths", std::move(extra))
      .Set("early_empty_returns", r.early_empty);
}

Json Races(const explore::ExploreReport& r) {
  Json j = Json::Object();
  for (const std::string& race : RaceNames(r)) {
    auto it = r.race_runs.find(race);
    j.Set(race, Json::Object()
                    .Set("runs_forced", it == r.race_runs.end() ? int64_t{0} : it->second)
                    .Set("status", RaceStatus(r, race)));
  }
  return j;
}

Json TargetJson(const TargetResult& t) {
  Json j = Json::Object();
  j.Set("workload", t.target.workload).Set("exit_code", t.exit_code);
  if (!t.error.empty()) return j.Set("error", t.error);
  const explore::ExploreReport& r = t.report;
  Json outcomes = Json::Object();
  for (const auto& [name, n] : r.outcomes) outcomes.Set(name, n);
  Json findings = Json::Array();
  for (const auto& [oracle, f] : r.findings) findings.Push(FindingJson(f, t.commands.at(oracle)));
  Json unforced = Json::Strings(r.unforced_races);
  j.Set("host", r.runs > 0 ? Json(sim::DescribeHost(r.host)) : Json())
      .Set("poller_version", r.runs > 0 ? Json(poller::VariantName(r.poller)) : Json())
      .Set("runs", r.runs)
      .Set("interrupted", r.interrupted)
      .Set("outcomes", std::move(outcomes))
      .Set("findings", std::move(findings))
      .Set("coverage", Coverage(r))
      .Set("races", Races(r))
      .Set("unforced_races", std::move(unforced))
      .Set("inapplicable_races",
           Json::Strings({r.inapplicable_races.begin(), r.inapplicable_races.end()}));
  return j;
}

// Over every target explored: the branches none reached (by design or not).
Json Corpus(const ExploreResults& results) {
  const std::vector<int64_t> reached = RunsReaching(results.targets);
  std::vector<std::string> gaps, by_design;
  for (int b = 0; b < poller::kBranchCount; ++b) {
    if (reached[b] > 0) continue;
    const auto branch = static_cast<poller::Branch>(b);
    // A branch in no variant explored is absent, not unreached.
    if (std::none_of(results.targets.begin(), results.targets.end(), [&](const TargetResult& t) {
          return t.report.runs > 0 && poller::BranchInVariant(branch, t.report.poller);
        })) {
      continue;
    }
    (poller::BranchUnreachable(branch).empty() ? gaps : by_design)
        .push_back(std::string(poller::BranchName(branch)));
  }
  return Json::Object()
      .Set("unreached_branches", Json::Strings(gaps))
      .Set("unreached_by_design", Json::Strings(by_design));
}

}  // namespace

std::string ReportJson(const ExploreResults& results) {
  const explore::ExploreOptions& o = results.options;
  Json targets = Json::Array();
  int64_t runs = 0, findings = 0, unforced = 0, errors = 0;
  for (const TargetResult& t : results.targets) {
    targets.Push(TargetJson(t));
    runs += t.report.runs;
    findings += static_cast<int64_t>(t.report.findings.size());
    unforced += static_cast<int64_t>(t.report.unforced_races.size());
    errors += !t.error.empty();
  }
  // Every target shares the command line's poller, host flags and strategy.
  const explore::Target* first = results.targets.empty() ? nullptr : &results.targets[0].target;
  Json strategy = Json::Object();
  Json host_flags = Json::Array();
  std::string poller = "faithful";
  if (first != nullptr) {
    const bool pct = first->strategy == explore::StrategyKind::kPct;
    strategy.Set("name", explore::StrategyKindName(first->strategy));
    if (pct) strategy.Set("pct_depth", first->pct_depth);
    host_flags = Json::Strings(HostFlagWords(first->host_flags));
    poller = poller::MutantName(first->host.runtime.mutant);
  }
  Json doc = Json::Object();
  doc.Set("schema", "iocpsim.explore.report")
      .Set("schema_version", kReportSchemaVersion)
      .Set("tool_version", traces::kToolVersion)
      .Set("poller", poller)
      .Set("strategy", std::move(strategy))
      .Set("host_flags", std::move(host_flags))
      .Set("seeds", Json::Object()
                        .Set("first", o.first_seed)
                        .Set("schedules", o.schedules)
                        .Set("shard_index", o.shard_index)
                        .Set("shard_count", o.shard_count))
      .Set("minimize_budget", o.minimize_budget)
      .Set("out_dir", o.out_dir)
      .Set("oracles", Json::Strings(explore::OracleNames()))
      .Set("interrupted", results.interrupted)
      .Set("exit_code", results.exit_code)
      .Set("totals", Json::Object()
                         .Set("targets", static_cast<int64_t>(results.targets.size()))
                         .Set("runs", runs)
                         .Set("findings", findings)
                         .Set("unforced_races", unforced)
                         .Set("errors", errors))
      .Set("corpus", Corpus(results))
      .Set("targets", std::move(targets));
  return doc.Dump();
}

}  // namespace iocpsim::tools
