#include "explore/explorer.h"

#include <algorithm>
#include <atomic>
#include <memory>
#include <mutex>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "explore/schedule_file.h"
#include "explore/dfs.h"
#include "explore/strategies.h"
#include "explore/systematic.h"
#include "google/protobuf/text_format.h"
#include "sim/workloads/scenario_host.h"
#include "sim/workloads/scenario_loader.h"
#include "sim/observer_list.h"
#include "sim/strategy.h"
#include "sim/workloads/workload.h"
#include "traces/header.h"
#include "traces/recorder.h"

namespace iocpsim::explore {
namespace {

// What the workload's goroutines see, to the oracles.
class GoroutinesToOracles : public workloads::GoroutineWatcher {
 public:
  explicit GoroutinesToOracles(OracleMonitor& o) : oracles_(o) {}
  void Contradiction(int64_t now, const std::string& what) override {
    oracles_.GoroutineContradiction(now, what);
  }
  void PollWaitReturned(uint64_t pd, int32_t mode) override { oracles_.PollWaitReturned(pd, mode); }

 private:
  OracleMonitor& oracles_;
};

std::unique_ptr<sim::Strategy> MakeStrategy(const Target& t, const sim::SimulationConfig& c,
                                            uint64_t seed) {
  switch (t.strategy) {
    case StrategyKind::kPct:
      return std::make_unique<PctStrategy>(seed, t.pct_depth, 2000, c.preempt_ppm);
    case StrategyKind::kSystematic:  // alone: the search's first schedule
      return std::make_unique<DfsStrategy>(std::vector<uint32_t>{});
    case StrategyKind::kSwarm:
      return std::make_unique<SwarmStrategy>(seed);
    case StrategyKind::kRandom:
      break;
  }
  return std::make_unique<sim::RandomStrategy>(seed, c.preempt_ppm);
}

const char* StrategyName(const Target& t, bool replayed) {
  return replayed ? "decision-list" : StrategyKindName(t.strategy);
}

// Lends a strategy the run does not own.
class Borrowed : public sim::Strategy {
 public:
  explicit Borrowed(sim::Strategy& s) : s_(s) {}
  size_t Pick(absl::Span<const sim::Choice> options) override { return s_.Pick(options); }
  void Observe(absl::Span<const sim::Choice> options, size_t picked) override {
    s_.Observe(options, picked);
  }

 private:
  sim::Strategy& s_;
};

absl::StatusOr<ScheduleOutcome> Run(const Target& target, uint64_t seed,
                                    const std::vector<uint32_t>* picks, traces::ByteSink* record,
                                    DfsStrategy* lent);

}  // namespace

const char* StrategyKindName(StrategyKind k) {
  switch (k) {
    case StrategyKind::kPct: return "pct";
    case StrategyKind::kSystematic: return "systematic";
    case StrategyKind::kSwarm: return "swarm";
    case StrategyKind::kRandom: break;
  }
  return "random";
}

absl::StatusOr<ScheduleOutcome> RunSchedule(const Target& target, uint64_t seed,
                                            const std::vector<uint32_t>* picks,
                                            traces::ByteSink* record) {
  return Run(target, seed, picks, record, nullptr);
}

absl::StatusOr<ScheduleOutcome> RunScheduleWith(const Target& target, uint64_t seed,
                                                DfsStrategy& search) {
  return Run(target, seed, nullptr, nullptr, &search);
}

namespace {

absl::StatusOr<ScheduleOutcome> Run(const Target& target, uint64_t seed,
                                    const std::vector<uint32_t>* picks, traces::ByteSink* record,
                                    DfsStrategy* lent) {
  absl::StatusOr<std::unique_ptr<workloads::Workload>> w =
      target.scenario ? workloads::MakeScenarioWorkload(*target.scenario)
                      : workloads::MakeWorkload(target.workload);
  if (!w.ok()) return w.status();
  absl::StatusOr<sim::SimulationConfig> configured =
      workloads::RunConfig(**w, target.host, target.host_flags, target.poller);
  if (!configured.ok()) return configured.status();
  sim::SimulationConfig config = *std::move(configured);
  config.seed = seed;

  // Scripted races steer the seeded strategy. Replayed picks already carry
  // the steering; the threads races need are spawned either way.
  std::unique_ptr<sim::Strategy> inner =
      lent != nullptr ? std::make_unique<Borrowed>(*lent) : MakeStrategy(target, config, seed);
  auto recording = std::make_unique<RecordingStrategy>(
      picks != nullptr ? std::make_unique<DecisionListStrategy>(*picks)
                       : (*w)->Steer(std::move(inner), target.force_races));
  RecordingStrategy* rec_strategy = recording.get();
  sim::ObserverList observers;
  std::unique_ptr<traces::TraceWriter> writer;
  std::unique_ptr<traces::TraceRecorder> recorder;
  if (record != nullptr) {
    trace::Header h = traces::SimHeader(config, target.workload, seed);
    h.mutable_scheduler()->set_strategy(StrategyName(target, picks != nullptr));
    writer = std::make_unique<traces::TraceWriter>(*record, h);
    recorder = std::make_unique<traces::TraceRecorder>(
        [&writer](const traces::RecordedEvent& e) { writer->WriteFramed(e.framed); });
    observers.Add(recorder.get());
  }
  sim::Simulation s(config, std::move(recording), &observers);
  if (lent != nullptr) lent->Attach(s);
  OracleOptions oracle_options = target.oracles;
  oracle_options.stop_on_violation = record == nullptr;
  if ((*w)->expect_fatal()) {
    oracle_options.expect_fatal = true;
    oracle_options.expect_fatal_contains = (*w)->expected_fatal_text();
  }
  OracleMonitor oracles(s, oracle_options);
  observers.Add(&oracles);
  GoroutinesToOracles watcher(oracles);
  (*w)->Watch(&watcher);
  ScheduleOutcome out;
  out.seed = seed;
  if (absl::Status st = (*w)->Setup(s, seed); !st.ok() && !s.fatal()) return st;
  // A start-up failure (a fatal in Boot) leaves nothing to run.
  out.outcome = sim::OutcomeName(s.fatal() ? sim::RunResult::Outcome::kStopped : s.Run().outcome);
  if (lent != nullptr) lent->Finish();
  out.violation = oracles.violation();
  out.branches = s.runtime().branches();
  out.extra = oracles.coverage();
  out.early_empty = oracles.early_empty();
  out.picks = rec_strategy->picks();
  out.races = (*w)->races();
  out.inapplicable_races = (*w)->inapplicable_races();
  out.host = config.kernel;
  out.poller = config.runtime.variant;
  out.end_ns = s.now();
  return out;
}

}  // namespace

std::vector<uint32_t> Minimize(const Target& target, uint64_t seed,
                               const std::vector<uint32_t>& picks, const std::string& oracle,
                               int budget) {
  // Positions whose decision differs from the default (the first option).
  std::vector<size_t> kept;
  for (size_t i = 0; i < picks.size(); ++i) {
    if (picks[i] != 0) kept.push_back(i);
  }
  auto list_for = [&](const std::vector<size_t>& positions) {
    std::vector<uint32_t> l(picks.size(), 0);
    for (size_t p : positions) l[p] = picks[p];
    while (!l.empty() && l.back() == 0) l.pop_back();
    return l;
  };
  auto fails = [&](const std::vector<size_t>& positions) {
    if (budget-- <= 0) return false;
    std::vector<uint32_t> l = list_for(positions);
    absl::StatusOr<ScheduleOutcome> o = RunSchedule(target, seed, &l, nullptr);
    return o.ok() && o->violation && o->violation->oracle == oracle;
  };
  // ddmin (Zeller and Hildebrandt, "Simplifying and Isolating Failure-Inducing
  // Input", TSE 2002) over the non-default decisions.
  size_t n = 2;
  while (kept.size() >= 2 && budget > 0) {
    const size_t chunk = (kept.size() + n - 1) / n;
    bool reduced = false;
    for (size_t start = 0; start < kept.size() && budget > 0; start += chunk) {
      std::vector<size_t> complement;
      for (size_t i = 0; i < kept.size(); ++i) {
        if (i < start || i >= start + chunk) complement.push_back(kept[i]);
      }
      if (fails(complement)) {
        kept = complement;
        n = std::max<size_t>(n - 1, 2);
        reduced = true;
        break;
      }
    }
    if (!reduced) {
      if (n >= kept.size()) break;
      n = std::min(n * 2, kept.size());
    }
  }
  if (kept.size() == 1 && fails({})) kept.clear();
  return list_for(kept);
}

scenario::Scenario MinimizeScenario(const Target& target, scenario::Scenario sc, uint64_t seed,
                                    const std::vector<uint32_t>& picks, const std::string& oracle,
                                    int budget, size_t* removed) {
  *removed = 0;
  auto still_fails = [&](const scenario::Scenario& candidate) {
    Target t = target;
    t.scenario = std::make_shared<const scenario::Scenario>(candidate);
    absl::StatusOr<ScheduleOutcome> o = RunSchedule(t, seed, &picks, nullptr);
    return o.ok() && o->violation && o->violation->oracle == oracle;
  };
  for (int i = sc.event_size() - 1; i >= 0 && budget-- > 0; --i) {
    scenario::Scenario c = sc;
    c.mutable_event()->DeleteSubrange(i, 1);
    if (still_fails(c)) {
      sc = c;
      ++*removed;
    }
  }
  return sc;
}

namespace {

// Notes the first schedule reaching `path`.
void Reached(ExploreReport& report, const ScheduleOutcome& o, const std::string& path) {
  auto [it, first] = report.first_reach.try_emplace(path, FirstReach{o.at, report.runs});
  if (!first && o.at < it->second.at) it->second = FirstReach{o.at, report.runs};
}

}  // namespace

absl::Status Fold(const Target& target, const ExploreOptions& options, const ScheduleOutcome& o,
                  ExploreReport& report) {
  report.host = o.host;
  report.poller = o.poller;
  ++report.runs;
  ++report.outcomes[o.outcome];
  for (int b = 0; b < poller::kBranchCount; ++b) {
    report.runs_reaching[b] += o.branches[b] > 0;
    report.hits[b] += o.branches[b];
    if (o.branches[b] > 0) Reached(report, o, std::string(poller::BranchName(static_cast<poller::Branch>(b))));
  }
  report.timer_taken_runs += o.extra.timer_packet_taken_by_other_m > 0;
  report.timer_taken_hits += o.extra.timer_packet_taken_by_other_m;
  if (o.extra.timer_packet_taken_by_other_m > 0) {
    Reached(report, o, "timer_packet_taken_by_another_m");
  }
  report.left_queued_runs += o.extra.destroyed_m_left_timer_packet_queued > 0;
  report.left_queued_hits += o.extra.destroyed_m_left_timer_packet_queued;
  if (o.extra.destroyed_m_left_timer_packet_queued > 0) {
    Reached(report, o, "destroyed_m_left_timer_packet_queued");
  }
  for (const auto& [race, n] : o.races) {
    report.race_runs[race] += n > 0;
    if (n > 0) Reached(report, o, "race: " + race);
  }
  report.inapplicable_races.insert(o.inapplicable_races.begin(), o.inapplicable_races.end());
  report.early_empty += o.early_empty;
  if (!o.violation) return absl::OkStatus();
  auto [it, first] = report.findings.try_emplace(o.violation->oracle);
  ++it->second.runs_hitting;
  if (!first) return absl::OkStatus();
  Finding& f = it->second;
  f.violation = *o.violation;
  f.seed = o.seed;
  f.at = o.at;
  f.decisions = o.picks.size();
  // Interrupted: the finding is written as found, not minimized.
  const int budget = report.interrupted ? 0 : options.minimize_budget;
  std::vector<uint32_t> min = Minimize(target, o.seed, o.picks, f.violation.oracle, budget);
  f.minimized_decisions = static_cast<size_t>(
      std::count_if(min.begin(), min.end(), [](uint32_t p) { return p != 0; }));
  f.minimized_picks = min;
  // A scenario also sheds the scripted events the violation does not need.
  Target min_target = target;
  std::string min_scenario_text;
  if (target.scenario) {
    scenario::Scenario smaller = MinimizeScenario(target, *target.scenario, f.seed, min,
                                                  f.violation.oracle, budget, &f.scripted_removed);
    // With the command line's host written in, the file reproduces alone.
    workloads::LayHostSpec(target.host_flags, &smaller);
    if (target.poller) smaller.set_poller(poller::VariantName(*target.poller));
    min_target.scenario = std::make_shared<const scenario::Scenario>(smaller);
    google::protobuf::TextFormat::PrintToString(smaller, &min_scenario_text);
  }
  if (options.out_dir.empty()) return absl::OkStatus();
  const std::string base = absl::StrCat(options.out_dir, "/", f.violation.oracle, ".seed", f.seed);
  struct Output {
    std::string path;
    const Target* target;
    const std::vector<uint32_t>* picks;
  };
  for (const Output& out : {Output{base + ".trace", &target, &o.picks},
                            Output{base + ".min.trace", &min_target, &min}}) {
    traces::StringSink sink;
    absl::StatusOr<ScheduleOutcome> again = RunSchedule(*out.target, f.seed, out.picks, &sink);
    if (!again.ok()) return again.status();
    if (absl::Status st = traces::FileSink::Write(out.path, sink.data()); !st.ok()) return st;
    if (out.picks == &min) {
      f.minimized_reproduces = again->violation && again->violation->oracle == f.violation.oracle;
    }
  }
  f.trace_path = base + ".trace";
  f.minimized_path = base + ".min.trace";
  f.schedule_path = base + ".min.schedule";
  if (absl::Status st = traces::FileSink::Write(f.schedule_path, ScheduleFile(min)); !st.ok()) {
    return st;
  }
  if (target.strategy == StrategyKind::kSystematic) {
    f.found_schedule_path = base + ".schedule";
    if (absl::Status st = traces::FileSink::Write(f.found_schedule_path, ScheduleFile(o.picks));
        !st.ok()) {
      return st;
    }
  }
  if (!min_scenario_text.empty()) {
    f.minimized_scenario_path = base + ".min.textproto";
    if (absl::Status st = traces::FileSink::Write(f.minimized_scenario_path, min_scenario_text);
        !st.ok()) {
      return st;
    }
  }
  return absl::OkStatus();
}

namespace {

// Schedules run in chunks of this many, folded into the report in seed
// order before the next chunk starts: memory does not grow with the number
// of schedules, only with the chunk.
constexpr int64_t kChunk = 1024;

}  // namespace

absl::StatusOr<Target> LoadTarget(const Target& given) {
  // A scenario file is read once: every schedule runs the same scenario,
  // whatever happens to the file meanwhile (and none parses it again).
  Target target = given;
  if (!target.scenario && absl::EndsWith(target.workload, ".textproto")) {
    absl::StatusOr<scenario::Scenario> sc = workloads::LoadScenario(target.workload);
    if (!sc.ok()) return sc.status();
    target.scenario = std::make_shared<const scenario::Scenario>(*std::move(sc));
  } else if (absl::StatusOr<std::unique_ptr<workloads::Workload>> w =
                 workloads::MakeWorkload(target.workload);
             !w.ok()) {
    return w.status();
  }
  return target;
}

ExploreReport EmptyReport() {
  ExploreReport report;
  report.runs_reaching.assign(poller::kBranchCount, 0);
  report.hits.assign(poller::kBranchCount, 0);
  return report;
}

void Finish(ExploreReport& report) {
  for (const auto& [race, runs] : report.race_runs) {
    if (report.runs > 0 && runs == 0 && report.inapplicable_races.count(race) == 0 &&
        !report.interrupted) {
      report.unforced_races.push_back(race);
    }
  }
}

absl::StatusOr<ExploreReport> Explore(const Target& given, const ExploreOptions& options) {
  absl::StatusOr<Target> loaded = LoadTarget(given);
  if (!loaded.ok()) return loaded.status();
  const Target& target = *loaded;
  if (target.strategy == StrategyKind::kSystematic) return ExploreSystematic(target, options);
  // This shard's schedules are i in [0, schedules) with i % shard_count ==
  // shard_index: the kth is shard_index + k * shard_count.
  const int64_t total =
      options.schedules > options.shard_index
          ? (options.schedules - options.shard_index + options.shard_count - 1) / options.shard_count
          : 0;
  auto seed_of = [&](int64_t k) {
    return options.first_seed + static_cast<uint64_t>(options.shard_index + k * options.shard_count);
  };
  auto stopped = [&] { return options.stop != nullptr && options.stop->load() != 0; };
  ExploreReport report = EmptyReport();
  std::vector<absl::StatusOr<ScheduleOutcome>> results;
  std::atomic<int64_t> done{0}, bad{0};
  std::mutex progress_mu;
  for (int64_t base = 0; base < total && !report.interrupted; base += kChunk) {
    const int64_t n = std::min(kChunk, total - base);
    results.assign(static_cast<size_t>(n), absl::UnknownError("not run"));
    std::atomic<int64_t> next{0};
    auto worker = [&] {
      for (int64_t i; !stopped() && (i = next.fetch_add(1)) < n;) {
        results[i] = RunSchedule(target, seed_of(base + i), nullptr, nullptr);
        if (results[i].ok()) {
          results[i]->at.index = options.shard_index + (base + i) * options.shard_count;
        }
        if (results[i].ok() && results[i]->violation) ++bad;
        const int64_t d = ++done;
        if (options.progress) {
          std::lock_guard<std::mutex> lock(progress_mu);
          options.progress(d, total, bad.load());
        }
      }
    };
    std::vector<std::thread> pool;
    for (int j = 1; j < std::max(1, options.jobs); ++j) pool.emplace_back(worker);
    worker();
    for (std::thread& t : pool) t.join();
    // Interrupted, the schedules taken (a prefix of the chunk) have finished.
    report.interrupted = stopped();
    const int64_t ran = std::min(n, next.load());
    for (int64_t i = 0; i < ran; ++i) {  // in seed order
      if (!results[i].ok()) return results[i].status();
      if (absl::Status st = Fold(target, options, *results[i], report); !st.ok()) return st;
    }
  }
  Finish(report);
  return report;
}

}  // namespace iocpsim::explore
