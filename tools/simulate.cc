// iocpsim simulate: runs a bundled workload in the simulator under one or
// many seeds and reports outcomes, I/O accounting and which race-relevant
// poller branches were reached.
#include <atomic>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/str_format.h"
#include "poller/branches.h"
#include "sim/event_log.h"
#include "sim/host_profiles.h"
#include "sim/simulation.h"
#include "sim/strategy.h"
#include "sim/workloads/workload.h"
#include "tools/coverage_table.h"
#include "tools/run_flags.h"
#include "tools/flag_limits.h"
#include "tools/interrupt.h"
#include "tools/verb.h"

ABSL_FLAG(bool, list, false, "List the bundled workloads and exit.");
ABSL_FLAG(int64_t, seeds, 1, "How many seeds to run: seed, seed+1, ...");
ABSL_FLAG(bool, log, false, "Print the event log of each run (use with one seed).");

namespace iocpsim::tools {
namespace {

using poller::Branch;

struct Totals {
  std::map<std::string, int64_t> outcomes;
  int64_t calls = 0, steps = 0, decisions = 0;
  workloads::IoTally io;
  std::vector<int64_t> runs_reaching = std::vector<int64_t>(poller::kBranchCount, 0);
  std::vector<uint64_t> hits = std::vector<uint64_t>(poller::kBranchCount, 0);
  std::vector<uint64_t> first_seed = std::vector<uint64_t>(poller::kBranchCount, 0);
  int64_t bad_runs = 0;
};

// Runs one seed; false if the run broke an invariant.
bool RunOne(uint64_t seed, Totals& t) {
  auto w = workloads::MakeWorkload(absl::GetFlag(FLAGS_workload));
  absl::StatusOr<sim::SimulationConfig> configured =
      workloads::RunConfig(**w, sim::SimulationConfig{}, HostSpecFromFlags(), *PollerFromFlag());
  if (!configured.ok()) {
    std::printf("seed %llu: %s\n", static_cast<unsigned long long>(seed),
                std::string(configured.status().message()).c_str());
    return false;
  }
  sim::SimulationConfig config = *std::move(configured);
  config.seed = seed;
  sim::EventLog log;
  sim::Simulation s(config, (*w)->Steer(std::make_unique<sim::RandomStrategy>(seed, config.preempt_ppm)),
                    absl::GetFlag(FLAGS_log) ? &log : nullptr);
  absl::Status st = (*w)->Setup(s, seed);
  if (!st.ok()) {
    std::printf("seed %llu: setup failed: %s\n", static_cast<unsigned long long>(seed),
                std::string(st.message()).c_str());
    return false;
  }
  sim::RunResult r = s.Run();
  if (absl::GetFlag(FLAGS_log)) std::fputs(log.Text().c_str(), stdout);
  const workloads::IoTally& io = (*w)->tally();
  ++t.outcomes[sim::OutcomeName(r.outcome)];
  t.calls += static_cast<int64_t>(s.kernel().calls());
  t.steps += r.steps;
  t.decisions += r.decisions;
  t.io.completions += io.completions;
  t.io.deliveries += io.deliveries;
  t.io.duplicates += io.duplicates;
  t.io.netpolls += io.netpolls;
  t.io.early_empty += io.early_empty;
  for (int b = 0; b < poller::kBranchCount; ++b) {
    uint64_t n = s.runtime().branches()[b];
    if (n == 0) continue;
    if (t.runs_reaching[b]++ == 0) t.first_seed[b] = seed;
    t.hits[b] += n;
  }
  bool ok = r.outcome == sim::RunResult::Outcome::kCompleted && io.duplicates == 0 &&
            io.completions == io.deliveries;
  if (!ok) {
    std::printf("seed %llu: %s%s%s, completions %lld, deliveries %lld, duplicates %lld\n",
                static_cast<unsigned long long>(seed), sim::OutcomeName(r.outcome),
                r.stop_reason.empty() ? "" : ": ", r.stop_reason.c_str(),
                static_cast<long long>(io.completions), static_cast<long long>(io.deliveries),
                static_cast<long long>(io.duplicates));
  }
  return ok;
}

int Run(const std::vector<std::string>& args) {
  if (absl::GetFlag(FLAGS_list)) {
    for (const auto& w : workloads::ListWorkloads()) {
      std::printf("%-10s %s\n", w.name.c_str(), w.description.c_str());
    }
    return kExitOk;
  }
  if (!args.empty()) {
    std::fprintf(stderr, "iocpsim simulate: unexpected argument \"%s\"\n", args[0].c_str());
    return kExitBadInput;
  }
  auto w = workloads::MakeWorkload(absl::GetFlag(FLAGS_workload));
  if (!w.ok()) {
    std::fprintf(stderr, "iocpsim simulate: %s\n", std::string(w.status().message()).c_str());
    return kExitBadInput;
  }
  const int64_t n = absl::GetFlag(FLAGS_seeds);
  const uint64_t first = absl::GetFlag(FLAGS_seed);
  if (absl::Status st = CheckRange("seeds", n, 1, kMaxSeeds); !st.ok()) {
    std::fprintf(stderr, "iocpsim simulate: %s\n", std::string(st.message()).c_str());
    return kExitBadInput;
  }
  if (absl::Status st = PollerFromFlag().status(); !st.ok()) {
    std::fprintf(stderr, "iocpsim simulate: %s\n", std::string(st.message()).c_str());
    return kExitBadInput;
  }
  absl::StatusOr<sim::SimulationConfig> host =
      workloads::RunConfig(**w, sim::SimulationConfig{}, HostSpecFromFlags(), *PollerFromFlag());
  if (!host.ok()) {
    std::fprintf(stderr, "iocpsim simulate: %s\n", std::string(host.status().message()).c_str());
    return kExitBadInput;
  }
  std::printf("workload %s, seeds %llu..%llu, poller %s, host %s\n",
              absl::GetFlag(FLAGS_workload).c_str(), static_cast<unsigned long long>(first),
              static_cast<unsigned long long>(first + n - 1),
              poller::VariantName(host->runtime.variant), sim::DescribeHost(host->kernel).c_str());
  Totals t;
  const std::atomic<int>& interrupted = WatchInterrupts();
  int64_t ran = 0;
  for (; ran < n && interrupted.load() == 0; ++ran) {
    if (!RunOne(first + ran, t)) ++t.bad_runs;
  }
  if (const int sig = interrupted.load(); sig != 0) {
    std::printf("\ninterrupted by %s after %lld seeds: what follows covers those\n",
                SignalName(sig), static_cast<long long>(ran));
  }
  std::printf("\noutcomes:");
  for (const auto& [name, count] : t.outcomes) std::printf(" %s %lld", name.c_str(), static_cast<long long>(count));
  std::printf("\nkernel calls %lld, scheduling points %lld, decisions %lld\n",
              static_cast<long long>(t.calls), static_cast<long long>(t.steps),
              static_cast<long long>(t.decisions));
  std::printf("I/O: completions %lld, delivered %lld, delivered twice %lld; netpoll calls %lld "
              "(%lld returned empty before their delay)\n",
              static_cast<long long>(t.io.completions), static_cast<long long>(t.io.deliveries),
              static_cast<long long>(t.io.duplicates), static_cast<long long>(t.io.netpolls),
              static_cast<long long>(t.io.early_empty));
  PrintCoverage(BranchRows(t.runs_reaching, t.hits, t.first_seed));
  std::printf("\n%lld of %lld runs broke an invariant\n", static_cast<long long>(t.bad_runs),
              static_cast<long long>(ran));
  if (const int sig = interrupted.load(); sig != 0) {
    return sig == SIGTERM ? kExitSigterm : kExitSigint;
  }
  return t.bad_runs == 0 ? kExitOk : kExitFound;
}

}  // namespace

const Verb& SimulateVerb() {
  static const Verb v = {
      "simulate",
      "run a bundled workload over seeds and report what it reached",
      "Run a bundled multi-M workload in the simulator over one or more seeds and "
      "report outcomes, I/O delivery and the poller branches reached.",
      "[--workload=NAME] [--seed=N] [--seeds=COUNT] [--log]",
      WithHostFlags({"workload", "list", "seed", "seeds", "log"}),
      &Run,
  };
  return v;
}

}  // namespace iocpsim::tools
