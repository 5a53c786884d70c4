// Explores many seeded schedules of a workload, checks the oracles on each,
// and for every distinct violation keeps its seed, a trace, and a trace
// minimized by delta debugging over the scheduling decisions.
#ifndef IOCPSIM_EXPLORE_EXPLORER_H_
#define IOCPSIM_EXPLORE_EXPLORER_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "explore/dfs.h"
#include "explore/oracles.h"
#include "proto/scenario.pb.h"
#include "poller/branches.h"
#include "sim/host_profiles.h"
#include "sim/simulation.h"
#include "traces/writer.h"

namespace iocpsim::explore {

enum class StrategyKind { kRandom, kPct, kSystematic, kSwarm };

// "random", "pct", "systematic", "swarm": the --strategy word.
const char* StrategyKindName(StrategyKind k);

// What to run and how: the workload on a host, with a poller variant.
struct Target {
  std::string workload = "mixed";
  // When set, the scenario to run instead of loading `workload` (which
  // still names it in traces): how minimization tries edited scenarios.
  std::shared_ptr<const scenario::Scenario> scenario;
  sim::SimulationConfig host;  // kernel settings and the mutant; seed unused
  // The command line's host (--host and the single host flags), laid over
  // the workload's own host, which is laid over host.kernel.
  sim::HostSpec host_flags;
  // The command line's --poller, over the workload's own.
  std::optional<poller::Variant> poller;
  OracleOptions oracles;
  StrategyKind strategy = StrategyKind::kRandom;
  int pct_depth = 3;
  int preemption_bound = 2;  // kSystematic: preemptions per schedule (explore/dfs.h)
  // kSystematic: prune schedules that only reorder commuting steps (sleep
  // sets, explore/dfs.h); not applied while scripted races are forced.
  bool sleep_sets = true;
  // Whether the scripted races are forced (the RaceDirector holds threads)
  // or only noticed when the strategy reaches them on its own.
  bool force_races = true;
};

// Where a schedule stands in its campaign: seeded strategies run schedule
// `index` (seed first_seed + index) in class 0; the systematic search numbers
// the subtrees it splits over shards (classes) and the schedules in each.
// Ordered as the single-process campaign runs them, on every shard.
struct Position {
  int64_t cls = 0;
  int64_t index = 0;
  friend bool operator<(const Position& a, const Position& b) {
    return a.cls != b.cls ? a.cls < b.cls : a.index < b.index;
  }
  friend bool operator==(const Position& a, const Position& b) {
    return a.cls == b.cls && a.index == b.index;
  }
};

struct ScheduleOutcome {
  uint64_t seed = 0;
  Position at;
  std::string outcome;
  std::optional<Violation> violation;
  poller::BranchCounts branches{};
  ExtraCoverage extra;
  int64_t early_empty = 0;
  std::vector<uint32_t> picks;  // the decisions made, for replay
  std::map<std::string, int> races;  // scripted race -> times reached
  std::set<std::string> inapplicable_races;  // races this host cannot have
  sim::KernelConfig host;  // the host it ran on
  poller::Variant poller = poller::Variant::kHighRes;  // the poller that ran
  int64_t end_ns = 0;  // the virtual time the run ended at
};

// One schedule. With `picks`, its decisions are replayed (missing ones take
// the first option) instead of drawn from the strategy; with `record`, the
// run is written there as a trace, and it runs on past a violation to its
// end so that the trace replays whole.
absl::StatusOr<ScheduleOutcome> RunSchedule(const Target& target, uint64_t seed,
                                            const std::vector<uint32_t>* picks,
                                            traces::ByteSink* record);
// One schedule of the systematic search: `search` makes its decisions
// (those the scripted races leave) and, with sleep sets, is attached to the
// simulation; it is not owned, so the caller can read what it saw.
absl::StatusOr<ScheduleOutcome> RunScheduleWith(const Target& target, uint64_t seed,
                                                DfsStrategy& search);

// The smallest decision list (ddmin over its non-default decisions, within
// `budget` runs) that still makes `oracle` fire.
std::vector<uint32_t> Minimize(const Target& target, uint64_t seed,
                               const std::vector<uint32_t>& picks, const std::string& oracle,
                               int budget);

// For a scenario: drops its events one at a time, keeping each removal after
// which `oracle` still fires with `picks`. (Races stay: they shape the
// schedule, which `picks` already fixes.) Returns the scenario left.
scenario::Scenario MinimizeScenario(const Target& target, scenario::Scenario sc, uint64_t seed,
                                    const std::vector<uint32_t>& picks, const std::string& oracle,
                                    int budget, size_t* removed);

struct ExploreOptions {
  uint64_t first_seed = 1;
  int64_t schedules = 1000;
  int jobs = 1;
  int shard_index = 0;  // this shard runs schedules i with i % shard_count == shard_index
  int shard_count = 1;
  int minimize_budget = 300;
  std::string out_dir;  // where traces go; empty: none written
  std::function<void(int64_t done, int64_t total, int64_t violations)> progress;
  // Set (by a signal handler) to stop: no new schedule starts, those running
  // finish, and the report covers what ran. Null: never.
  const std::atomic<int>* stop = nullptr;
  // kSystematic: the file holding the search's frontier, read to resume
  // when it exists and written as the search goes (explore/checkpoint.h).
  std::string checkpoint;
};

struct Finding {
  Violation violation;
  uint64_t seed = 0;
  Position at;  // the first schedule violating it
  int64_t runs_hitting = 0;  // schedules that hit this oracle
  size_t decisions = 0;
  size_t minimized_decisions = 0;  // non-default decisions left after minimizing
  std::vector<uint32_t> minimized_picks;  // the minimized decision list
  // Whether the minimized run (scenario and decisions) was seen to violate
  // the same oracle again as its trace was written (out_dir set).
  bool minimized_reproduces = false;
  size_t scripted_removed = 0;  // scenario events minimization dropped
  std::string trace_path;
  std::string minimized_path;
  std::string minimized_scenario_path;  // for scenarios: what is left of it
  std::string schedule_path;  // the minimized decisions (explore/schedule_file.h)
  // kSystematic: the decisions as found (a seed does not make them).
  std::string found_schedule_path;
};

// The first schedule reaching a path: its position, and how many schedules
// this exploration had run when it did (1-based; a shard counts its own).
struct FirstReach {
  Position at;
  int64_t run = 0;
};

// Where the systematic search stands (explore/systematic.h).
struct SystematicSummary {
  int preemption_bound = 0;
  bool complete = false;     // every schedule of this shard's share ran
  int64_t schedules = 0;     // this shard's schedules, earlier sessions counted
  int64_t classes = 0;       // subtrees numbered so far, every shard's
  int64_t discovery = 0;     // runs spent finding other shards' subtrees
  bool sleep_sets = false;   // pruned by sleep sets (explore/dfs.h)
  int64_t abandoned = 0;     // runs stopped when only sleeping steps could go
  int64_t pruned = 0;        // branches not run because their step slept
  std::string checkpoint;    // the file holding the frontier, if any
};

struct ExploreReport {
  int64_t runs = 0;
  std::map<std::string, int64_t> outcomes;
  std::map<std::string, Finding> findings;  // by oracle
  std::vector<int64_t> runs_reaching;       // by poller::Branch
  std::vector<uint64_t> hits;
  int64_t timer_taken_runs = 0, timer_taken_hits = 0;
  int64_t left_queued_runs = 0, left_queued_hits = 0;  // a destroyed M's timer packet left queued
  std::map<std::string, int64_t> race_runs;  // scripted race -> runs reaching it
  // Scripted races no schedule forced: the scenario did not test what it
  // says, which fails the exploration as a violation would.
  std::vector<std::string> unforced_races;
  // Races the host cannot have (no wait packets): neither forced nor failed.
  std::set<std::string> inapplicable_races;
  int64_t early_empty = 0;
  sim::KernelConfig host;  // the host the schedules ran on
  poller::Variant poller = poller::Variant::kHighRes;
  bool interrupted = false;  // stopped early by ExploreOptions::stop
  // By path: every poller branch, "timer_packet_taken_by_another_m",
  // "destroyed_m_left_timer_packet_queued" and "race: NAME".
  std::map<std::string, FirstReach> first_reach;
  std::optional<SystematicSummary> systematic;
};

// Runs the seeded schedules of `options`, or (kSystematic) the search of
// explore/systematic.h.
absl::StatusOr<ExploreReport> Explore(const Target& target, const ExploreOptions& options);

// The report before any schedule; the target's scenario read once.
absl::StatusOr<Target> LoadTarget(const Target& given);
ExploreReport EmptyReport();
// Adds one schedule's outcome to the report; the first schedule to violate
// an oracle becomes its finding, minimized and written out.
absl::Status Fold(const Target& target, const ExploreOptions& options, const ScheduleOutcome& o,
                  ExploreReport& report);
// After the last Fold: the scripted races no schedule reached.
void Finish(ExploreReport& report);

}  // namespace iocpsim::explore

#endif  // IOCPSIM_EXPLORE_EXPLORER_H_
