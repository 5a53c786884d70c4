// iocpsim explore: many seeded schedules, oracles checked on each, every
// distinct violation kept as a trace and a minimized trace.
#include <algorithm>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "explore/explorer.h"
#include "poller/mutant.h"
#include "sim/event_log.h"
#include "sim/host_profiles.h"
#include "traces/writer.h"
#include "files/output.h"
#include "sim/workloads/workload.h"
#include "tools/coverage_table.h"
#include "tools/explore_results.h"
#include "tools/side_by_side.h"
#include "tools/flag_limits.h"
#include "tools/interrupt.h"
#include "tools/paths.h"
#include "tools/repro.h"
#include "tools/report_json.h"
#include "tools/report_junit.h"
#include "tools/run_flags.h"
#include "tools/verb.h"

ABSL_FLAG(int64_t, schedules, 1000, "How many schedules (seeds seed, seed+1, ...) to explore.");
ABSL_FLAG(int, jobs, 0, "Worker threads, 1 to 64; 0 uses every core (at most 64).");
ABSL_FLAG(int, shard_count, 0,
          "Split the seeds into this many shards (0: TEST_TOTAL_SHARDS under Bazel, else 1).");
ABSL_FLAG(int, shard_index, -1,
          "Which shard to explore, 0 to shard_count-1 (-1: TEST_SHARD_INDEX under Bazel, else 0).");
ABSL_FLAG(bool, list_mutants, false, "List the poller mutants and exit.");
ABSL_FLAG(bool, list_workloads, false, "List the bundled workloads (--workload) and exit.");
ABSL_FLAG(std::string, out_dir, "iocpsim-findings",
          "Directory for the traces of violations (created if missing; '' writes none).");
ABSL_FLAG(int, minimize_budget, 300, "Runs spent minimizing each violation.");
ABSL_FLAG(std::string, report, "",
          "Write the results as JSON to this file (docs/report-format.md).");
ABSL_FLAG(std::string, checkpoint, "",
          "--strategy=systematic: keep the search's frontier in this file, resuming from it "
          "when it exists (docs/exploration.md).");
ABSL_FLAG(std::string, junit, "",
          "Write the results as JUnit XML to this file: a test suite per scenario, a test case "
          "per oracle and per scripted race.");

namespace iocpsim::tools {
namespace {

// The shard to explore: --shard_count/--shard_index, else Bazel test sharding
// (TEST_TOTAL_SHARDS / TEST_SHARD_INDEX). An index outside the count is an
// error: folding it in would explore another shard's seeds, or none.
absl::Status ApplySharding(explore::ExploreOptions& o) {
  int count = absl::GetFlag(FLAGS_shard_count);
  int index = absl::GetFlag(FLAGS_shard_index);
  const char* total_env = std::getenv("TEST_TOTAL_SHARDS");
  const char* index_env = std::getenv("TEST_SHARD_INDEX");
  if (count == 0 && total_env != nullptr && index_env != nullptr) {
    if (!absl::SimpleAtoi(total_env, &count) || !absl::SimpleAtoi(index_env, &index)) {
      return absl::InvalidArgumentError(absl::StrCat("TEST_TOTAL_SHARDS=", total_env,
                                                     ", TEST_SHARD_INDEX=", index_env,
                                                     ": not numbers"));
    }
    if (const char* status = std::getenv("TEST_SHARD_STATUS_FILE")) std::ofstream{status};
  }
  if (count == 0) count = 1;
  if (index == -1) index = 0;
  if (absl::Status st = CheckRange("shard_count", count, 1, kMaxShards); !st.ok()) return st;
  if (absl::Status st = CheckRange("shard_index", index, 0, count - 1); !st.ok()) return st;
  o.shard_count = count;
  o.shard_index = index;
  return absl::OkStatus();
}

// The numeric flags in their ranges (docs/limits.md).
absl::Status CheckLimits() {
  for (absl::Status st : {
           CheckRange("schedules", absl::GetFlag(FLAGS_schedules), 1, kMaxSchedules),
           CheckRange("jobs", absl::GetFlag(FLAGS_jobs), 0, kMaxJobs),
           CheckRange("minimize_budget", absl::GetFlag(FLAGS_minimize_budget), 0,
                      kMaxMinimizeBudget),
       }) {
    if (!st.ok()) return st;
  }
  if (!absl::GetFlag(FLAGS_checkpoint).empty() && absl::GetFlag(FLAGS_strategy) != "systematic") {
    return absl::InvalidArgumentError(
        "--checkpoint: only --strategy=systematic has a frontier to keep");
  }
  return absl::OkStatus();
}

// How far the systematic search got: all of its schedules, or where it stopped.
void PrintSystematic(const explore::SystematicSummary& s, const explore::ExploreReport& r,
                     const explore::ExploreOptions& o) {
  const std::string share =
      o.shard_count > 1 ? absl::StrCat(" of shard ", o.shard_index + 1, " of ", o.shard_count) : "";
  const char* verdict = r.findings.empty() ? "no violation" : "violations below";
  if (s.complete) {
    std::printf("\nall %lld schedules%s with at most %d preemptions explored, %s\n",
                static_cast<long long>(s.schedules), share.c_str(), s.preemption_bound, verdict);
  } else {
    std::printf("\nstopped after %lld schedules%s with at most %d preemptions (%s): incomplete%s%s\n",
                static_cast<long long>(s.schedules), share.c_str(), s.preemption_bound,
                r.interrupted ? "interrupted" : "--schedules",
                s.checkpoint.empty() ? "; --checkpoint=FILE keeps the frontier to resume"
                                     : "; resume with the same command, frontier in ",
                s.checkpoint.c_str());
  }
  if (s.sleep_sets) {
    std::printf("(sleep sets: %lld branches and %lld runs pruned as reorderings of commuting "
                "steps)\n",
                static_cast<long long>(s.pruned), static_cast<long long>(s.abandoned));
  }
  if (o.shard_count > 1 || s.discovery > 0) {
    std::printf("(%lld subtrees met, %lld runs spent skipping other shards' subtrees)\n",
                static_cast<long long>(s.classes), static_cast<long long>(s.discovery));
  }
}

// An interrupted exploration exits as the signal asks, whatever it found.
int Verdict(const explore::ExploreReport& r, int found) {
  if (!r.interrupted) return found;
  return WatchInterrupts().load() == SIGTERM ? kExitSigterm : kExitSigint;
}

void PrintFinding(const explore::Finding& f, bool scenario, const ReproCommands& c) {
  std::printf("  %s: %lld schedules, first seed %llu at %s ms: %s\n", f.violation.oracle.c_str(),
              static_cast<long long>(f.runs_hitting), static_cast<unsigned long long>(f.seed),
              sim::FormatMs(f.violation.time_ns).c_str(), f.violation.detail.c_str());
  std::printf("    minimized: %zu of %zu decisions differ from the default", f.minimized_decisions,
              f.decisions);
  if (scenario) std::printf("; %zu scripted events dropped", f.scripted_removed);
  std::printf("\n");
  if (!f.trace_path.empty()) {
    std::printf("    trace %s\n    minimized trace %s\n", f.trace_path.c_str(),
                f.minimized_path.c_str());
  }
  if (!f.minimized_scenario_path.empty()) {
    std::printf("    minimized scenario %s\n", f.minimized_scenario_path.c_str());
  }
  std::printf("    reproduce:           %s\n", c.run.c_str());
  if (c.run_minimized.empty()) return;
  std::printf("    reproduce minimized: %s\n", c.run_minimized.c_str());
  if (!f.minimized_reproduces) {
    std::printf("      (the minimized run did not violate %s again: use the first command)\n",
                f.violation.oracle.c_str());
  }
  std::printf("    replay:              %s\n", c.replay.c_str());
  std::printf("    replay minimized:    %s\n", c.replay_minimized.c_str());
  std::printf("    regression test:     %s\n", c.regress.c_str());
}

// Explores one workload or scenario. Its exit code is 0 (clean), 1
// (violations), 2, or 130/143 when interrupted. Prints the summary.
TargetResult ExploreOne(explore::Target target, const explore::ExploreOptions& o) {
  TargetResult result;
  result.target = target;
  const std::string& workload = target.workload;
  std::printf("exploring %s with the %s poller%s%s: %lld schedules from seed %llu, strategy %s, "
              "%d jobs, shard %d of %d\n",
              workload.c_str(), poller::MutantName(target.host.runtime.mutant),
              target.poller ? ", version " : "",
              target.poller ? poller::VariantName(*target.poller) : "",
              static_cast<long long>(o.schedules), static_cast<unsigned long long>(o.first_seed),
              absl::GetFlag(FLAGS_strategy).c_str(),
              // The search is sequential: each schedule follows from the last.
              target.strategy == explore::StrategyKind::kSystematic ? 1 : o.jobs,
              o.shard_index + 1, o.shard_count);
  absl::StatusOr<explore::ExploreReport> explored = explore::Explore(target, o);
  if (!explored.ok()) {
    std::fprintf(stderr, "iocpsim explore: %s\n", std::string(explored.status().message()).c_str());
    result.error = std::string(explored.status().message());
    result.exit_code = kExitBadInput;
    return result;
  }
  result.report = *std::move(explored);
  const explore::ExploreReport* r = &result.report;
  if (r->runs > 0) {
    std::printf("\nhost %s\npoller %s", sim::DescribeHost(r->host).c_str(),
                poller::VariantName(r->poller));
  }
  if (r->interrupted) {
    const int sig = WatchInterrupts().load();
    std::printf("\ninterrupted by %s after %lld schedules: what follows covers those\n",
                SignalName(sig), static_cast<long long>(r->runs));
  }
  std::printf("\noutcomes:");
  for (const auto& [name, n] : r->outcomes) std::printf(" %s %lld", name.c_str(), static_cast<long long>(n));
  std::printf("\n");
  std::vector<CoverageRow> rows = BranchRows(r->runs_reaching, r->hits, {});
  rows.push_back({"timer_packet_taken_by_another_m", r->timer_taken_runs,
                  static_cast<uint64_t>(r->timer_taken_hits), 0});
  rows.push_back({"destroyed_m_left_timer_packet_queued", r->left_queued_runs,
                  static_cast<uint64_t>(r->left_queued_hits), 0});
  for (CoverageRow& row : rows) {
    auto it = r->first_reach.find(row.name);
    if (it != r->first_reach.end()) row.first_run = it->second.run;
  }
  PrintCoverage(rows);
  std::printf("netpoll(delay > 0) returning nothing before its delay: %lld times\n",
              static_cast<long long>(r->early_empty));
  if (!r->race_runs.empty()) {
    std::printf("\nscripted races (runs in which it was %s):\n",
                target.force_races ? "forced" : "reached, unforced");
    for (const auto& [race, n] : r->race_runs) {
      std::printf("  %-60s %6lld of %lld", race.c_str(), static_cast<long long>(n),
                  static_cast<long long>(r->runs));
      auto it = r->first_reach.find("race: " + race);
      if (it != r->first_reach.end()) {
        std::printf("  first #%lld", static_cast<long long>(it->second.run));
      }
      std::printf("\n");
    }
  }
  for (const std::string& race : r->inapplicable_races) {
    std::printf("\nscripted race \"%s\" cannot happen here: %s\n", race.c_str(),
                r->poller == poller::Variant::kLowRes
                    ? "the lowres poller has no wait packet"
                    : "Go uses no wait packets on this host (haveHighResSleep false)");
  }
  for (const std::string& race : r->unforced_races) {
    if (target.force_races) {
      std::printf("\nscripted race \"%s\" was never forced in %lld schedules: the scenario does "
                  "not test what it says\n", race.c_str(), static_cast<long long>(r->runs));
    } else {
      std::printf("\nscripted race \"%s\" was never reached in %lld unforced schedules\n",
                  race.c_str(), static_cast<long long>(r->runs));
    }
  }
  if (r->systematic) PrintSystematic(*r->systematic, *r, o);
  if (r->findings.empty()) {
    std::printf("\nno oracle violated in %lld schedules\n\n", static_cast<long long>(r->runs));
    result.exit_code = Verdict(*r, r->unforced_races.empty() ? kExitOk : kExitFound);
    return result;
  }
  std::printf("\nviolations (%zu distinct):\n", r->findings.size());
  for (const auto& [oracle, f] : r->findings) {
    result.commands[oracle] = CommandsFor(target, f);
    PrintFinding(f, absl::EndsWith(workload, ".textproto"), result.commands[oracle]);
  }
  std::printf("\n");
  result.exit_code = Verdict(*r, kExitFound);
  return result;
}

// Over several scenarios: the poller branches none of them reached, each
// with the reason Go never takes it, or as a gap in the corpus.
void PrintCorpusCoverage(const std::vector<TargetResult>& results,
                         std::optional<poller::Variant> variant) {
  std::vector<TargetResult> of_variant;
  for (const TargetResult& r : results) {
    if (!variant || r.target.poller == variant) of_variant.push_back(r);
  }
  const size_t targets = of_variant.size();
  const std::vector<int64_t> reached = RunsReaching(of_variant);
  std::vector<std::string> gaps;
  std::printf("over all %zu%s%s: ", targets, variant ? ", poller " : "",
              variant ? poller::VariantName(*variant) : "");
  std::string expected;
  for (int b = 0; b < poller::kBranchCount; ++b) {
    if (reached[b] > 0) continue;
    const auto branch = static_cast<poller::Branch>(b);
    if (variant && !poller::BranchInVariant(branch, *variant)) continue;
    const absl::string_view why = poller::BranchUnreachable(branch);
    if (why.empty()) {
      gaps.push_back(std::string(poller::BranchName(branch)));
    } else {
      absl::StrAppend(&expected, "\n  ", poller::BranchName(branch), ": ", why);
    }
  }
  if (gaps.empty()) {
    std::printf("every poller branch reached%s%s\n\n", expected.empty() ? "" : " but", expected.c_str());
  } else {
    std::printf("no scenario reaches %s%s%s\n\n", absl::StrJoin(gaps, ", ").c_str(),
                expected.empty() ? "" : "; and by design", expected.c_str());
  }
}

// A report the user asked for (--report, --junit): opened before exploring,
// so that a path that cannot be written fails at once, not after the run;
// written whole at the end (files/output.h).
struct ReportOutput {
  std::string (*render)(const ExploreResults&);
  std::unique_ptr<traces::FileSink> sink;
};

absl::StatusOr<std::vector<ReportOutput>> OpenReports(const std::vector<std::string>& inputs) {
  std::vector<ReportOutput> out;
  const std::string json = ResolvePath(absl::GetFlag(FLAGS_report));
  const std::string junit = ResolvePath(absl::GetFlag(FLAGS_junit));
  if (!json.empty() && !junit.empty() &&
      std::filesystem::weakly_canonical(json) == std::filesystem::weakly_canonical(junit)) {
    return absl::InvalidArgumentError(absl::StrCat("--junit: ", junit, " is also --report"));
  }
  for (const auto& [flag, path, render] :
       {std::tuple<const char*, const std::string&, std::string (*)(const ExploreResults&)>{
            "--report", json, &ReportJson},
        {"--junit", junit, &JunitXml}}) {
    if (path.empty()) continue;
    if (absl::Status st = files::CheckNotAnInput(flag, path, inputs); !st.ok()) return st;
    absl::StatusOr<std::unique_ptr<traces::FileSink>> sink = traces::FileSink::Open(path);
    if (!sink.ok()) return absl::InvalidArgumentError(absl::StrCat(flag, ": ", sink.status().message()));
    out.push_back({render, *std::move(sink)});
  }
  return out;
}

int Run(const std::vector<std::string>& args) {
  if (absl::GetFlag(FLAGS_list_workloads)) {
    for (const workloads::WorkloadInfo& w : workloads::ListWorkloads()) {
      std::printf("%-10s %s\n", w.name.c_str(), w.description.c_str());
    }
    return kExitOk;
  }
  if (absl::GetFlag(FLAGS_list_mutants)) {
    for (const poller::MutantInfo& m : poller::Mutants()) {
      std::printf("%-22s %s\n", m.name, m.description);
    }
    return kExitOk;
  }
  // Every target runs with the same flags; each names its own workload.
  absl::StatusOr<explore::Target> flags_target = TargetFromFlags("");
  if (!flags_target.ok()) {
    std::fprintf(stderr, "iocpsim explore: %s\n", std::string(flags_target.status().message()).c_str());
    return kExitBadInput;
  }
  if (absl::Status st = CheckLimits(); !st.ok()) {
    std::fprintf(stderr, "iocpsim explore: %s\n", std::string(st.message()).c_str());
    return kExitBadInput;
  }
  explore::ExploreOptions o;
  o.stop = &WatchInterrupts();
  o.first_seed = absl::GetFlag(FLAGS_seed);
  o.schedules = absl::GetFlag(FLAGS_schedules);
  o.jobs = absl::GetFlag(FLAGS_jobs) > 0
               ? absl::GetFlag(FLAGS_jobs)
               : std::clamp(static_cast<int>(std::thread::hardware_concurrency()), 1, kMaxJobs);
  o.minimize_budget = absl::GetFlag(FLAGS_minimize_budget);
  o.checkpoint = ResolvePath(absl::GetFlag(FLAGS_checkpoint));
  o.out_dir = absl::GetFlag(FLAGS_out_dir);
  if (!o.out_dir.empty()) {
    // Under `bazel run`, relative paths are the caller's, not the runfiles'.
    const char* cwd = std::getenv("BUILD_WORKING_DIRECTORY");
    if (cwd != nullptr && o.out_dir[0] != '/') o.out_dir = std::string(cwd) + "/" + o.out_dir;
    std::error_code ec;
    std::filesystem::create_directories(o.out_dir, ec);
    if (ec) {
      std::fprintf(stderr, "iocpsim explore: cannot create %s: %s\n", o.out_dir.c_str(),
                   ec.message().c_str());
      return kExitBadInput;
    }
  }
  if (absl::Status st = ApplySharding(o); !st.ok()) {
    std::fprintf(stderr, "iocpsim explore: %s\n", std::string(st.message()).c_str());
    return kExitBadInput;
  }
  o.progress = [](int64_t done, int64_t total, int64_t bad) {
    if (total >= 1000 && (done % (total / 10) == 0 || done == total)) {
      std::fprintf(stderr, "explored %lld/%lld schedules, %lld with violations\n",
                   static_cast<long long>(done), static_cast<long long>(total),
                   static_cast<long long>(bad));
    }
  };
  std::vector<std::string> targets = args;
  if (targets.empty()) targets.push_back(absl::GetFlag(FLAGS_workload));
  // Scenario files are paths; bundled workloads are names.
  std::vector<std::string> inputs;
  for (std::string& t : targets) {
    if (absl::EndsWith(t, ".textproto")) inputs.push_back(t = ResolvePath(t));
  }
  absl::StatusOr<std::vector<ReportOutput>> reports = OpenReports(inputs);
  if (!reports.ok()) {
    std::fprintf(stderr, "iocpsim explore: %s\n", std::string(reports.status().message()).c_str());
    return kExitBadInput;
  }
  // --poller=highres,lowres: each target with each, side by side.
  absl::StatusOr<std::vector<poller::Variant>> listed = PollersFromFlag();
  std::vector<std::optional<poller::Variant>> variants(listed->begin(), listed->end());
  if (variants.size() <= 1) variants = {flags_target->poller};
  ExploreResults results;
  results.options = o;
  for (const std::string& w : targets) {
    std::vector<SideBySideColumn> columns;
    for (const std::optional<poller::Variant>& v : variants) {
      explore::Target target = *flags_target;
      target.workload = w;
      target.poller = v;
      explore::ExploreOptions ov = o;
      if (variants.size() > 1 && !o.out_dir.empty()) {  // each keeps its findings apart
        ov.out_dir = absl::StrCat(o.out_dir, "/", poller::VariantName(*v));
        std::error_code ec;
        std::filesystem::create_directories(ov.out_dir, ec);
      }
      results.targets.push_back(ExploreOne(target, ov));
      const int one = results.targets.back().exit_code;
      results.exit_code = std::max(results.exit_code, one);
      if (one == kExitSigint || one == kExitSigterm) {  // the rest not started
        results.exit_code = one;
        results.interrupted = true;
        break;
      }
      if (one != kExitBadInput) columns.push_back(SideBySideColumnOf(results.targets.back().report));
    }
    if (results.interrupted) break;
    if (variants.size() > 1 && columns.size() == variants.size()) PrintSideBySide(w, columns);
  }
  if (targets.size() > 1 && !results.interrupted) {
    for (const std::optional<poller::Variant>& v : variants) {
      PrintCorpusCoverage(results.targets, variants.size() > 1 ? v : std::nullopt);
    }
  }
  for (ReportOutput& r : *reports) {
    r.sink->Append(r.render(results));
    if (absl::Status st = r.sink->Close(); !st.ok()) {
      std::fprintf(stderr, "iocpsim explore: %s\n", std::string(st.message()).c_str());
      return kExitBadInput;
    }
  }
  return results.exit_code;
}

}  // namespace

const Verb& ExploreVerb() {
  static const Verb v = {
      "explore",
      "explore many schedules; report coverage and minimized violations",
      "Run many seeded schedules of each scenario file (or of --workload), check the oracles "
      "after every step and at the "
      "end, and keep each distinct violation as a trace, its seed, a minimized trace and "
      "schedule, printing the commands that reproduce it, replay it and turn it into a "
      "regression test; exits 1 if any oracle was violated. --report and --junit write the "
      "results as JSON and JUnit XML (docs/report-format.md). Uses every core (--jobs) and splits across Bazel "
      "test shards (TEST_SHARD_INDEX / TEST_TOTAL_SHARDS). --poller=highres,lowres explores "
      "each scenario with both versions of Go's poller and prints their coverage and "
      "violations side by side.",
      "[SCENARIO.textproto...] [--workload=NAME] [--strategy=swarm|random|pct|systematic] "
      "[--preemption_bound=K] [--nosleep_sets] [--checkpoint=FILE] [--noforce_races] [--schedules=N] "
      "[--jobs=J] [--mutant=NAME] [--poller=V[,V]] [--report=FILE.json] [--junit=FILE.xml]",
      WithHostFlags({"workload", "seed", "schedules", "strategy", "pct_depth", "preemption_bound",
                     "checkpoint", "sleep_sets", "force_races", "jobs", "mutant", "list_mutants", "list_workloads",
                     "out_dir", "minimize_budget", "shard_count",
                     "shard_index", "report", "junit"}),
      &Run,
  };
  return v;
}

}  // namespace iocpsim::tools
