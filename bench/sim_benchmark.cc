// Speed of the simulator, the figures of README's table: fiber switches,
// kernel calls and netpoll cycles through the scheduler, explore's
// schedules/s on three scenarios with 1 and 2 jobs, recording's overhead and
// replay's speed side by side, virtual over wall time on an idle process,
// whole runs of the bundled workload, the model check of a trace recorded
// on a real kernel (Wine 8), and explore's peak memory against its number
// of schedules. `iocpsim bench` prints a quick table of the same units
// (bench/measures.h).
//   bazel run -c opt //bench:sim_benchmark
#include <chrono>
#include <fstream>
#include <memory>
#include <string>

#include "benchmark/benchmark.h"
#include "bench/measures.h"
#include "explore/explorer.h"
#include "sim/fiber.h"
#include "sim/kernel.h"
#include "sim/scheduler.h"
#include "sim/simulation.h"
#include "sim/strategy.h"
#include "sim/workloads/workload.h"
#include "sim/host_profiles.h"
#include "traces/check_real.h"
#include "traces/reader.h"
#include "traces/record_workload.h"

namespace iocpsim {
namespace {

void BM_FiberSwitch(benchmark::State& state) {
  for (auto _ : state) bench::FiberSwitches(1000);
  state.counters["switches/s"] =
      benchmark::Counter(2000.0 * state.iterations(), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_FiberSwitch);

// One thread posting and dequeuing packets on one port: every call is a
// scheduling point (bench/measures.h).
void BM_KernelCalls(benchmark::State& state) {
  for (auto _ : state) bench::KernelCalls(100'000);
  state.SetItemsProcessed(200'000 * state.iterations());
}
BENCHMARK(BM_KernelCalls)->Unit(benchmark::kMillisecond);

// A spinning M's netpoll(0): GetQueuedCompletionStatusEx finding nothing.
void BM_NetpollCycles(benchmark::State& state) {
  for (auto _ : state) bench::NetpollCycles(100'000);
  state.SetItemsProcessed(100'000 * state.iterations());
}
BENCHMARK(BM_NetpollCycles)->Unit(benchmark::kMillisecond);

// explore's schedules/s on three scenarios with 1 and 2 jobs; compare the
// pairs for the speedup.
void BM_Explore(benchmark::State& state, const char* scenario) {
  const int jobs = static_cast<int>(state.range(0));
  const std::string path = std::string("tests/scenarios/") + scenario + ".textproto";
  for (auto _ : state) {
    if (!bench::ExploreSchedules(path, 20'000, jobs).ok()) state.SkipWithError("explore failed");
  }
  state.counters["schedules/s"] =
      benchmark::Counter(20'000.0 * state.iterations(), benchmark::Counter::kIsRate);
}
BENCHMARK_CAPTURE(BM_Explore, cancel_pending, "cancel_pending")->ArgName("jobs")->Arg(1)->Arg(2)
    ->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(BM_Explore, timer_taken, "timer_taken")->ArgName("jobs")->Arg(1)->Arg(2)
    ->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(BM_Explore, default, "default")->ArgName("jobs")->Arg(1)->Arg(2)
    ->Unit(benchmark::kMillisecond)->UseRealTime();

// Recording's cost, side by side in one run: the same seeds of the default
// scenario recorded and not; `overhead` is recorded time over unrecorded.
// Replaying the recorded traces is timed too (`replay_vs_record` below 1:
// replay is faster than recording).
void BM_RecordReplay(benchmark::State& state) {
  absl::StatusOr<explore::Target> path = bench::ScenarioTarget("tests/scenarios/default.textproto");
  if (!path.ok()) {
    state.SkipWithError("cannot load the default scenario");
    return;
  }
  double plain = 0, recorded = 0, replayed = 0;
  uint64_t seed = 1;
  for (auto _ : state) {
    auto t0 = std::chrono::steady_clock::now();
    (void)bench::RunScenario(*path, seed, false);
    auto t1 = std::chrono::steady_clock::now();
    absl::StatusOr<std::string> trace = bench::RunScenario(*path, seed, true);
    auto t2 = std::chrono::steady_clock::now();
    if (!trace.ok() || !bench::Replay(*trace).ok()) state.SkipWithError("record or replay failed");
    auto t3 = std::chrono::steady_clock::now();
    plain += std::chrono::duration<double>(t1 - t0).count();
    recorded += std::chrono::duration<double>(t2 - t1).count();
    replayed += std::chrono::duration<double>(t3 - t2).count();
    ++seed;
  }
  state.counters["overhead"] = recorded / plain;
  state.counters["replay_vs_record"] = replayed / recorded;
}
BENCHMARK(BM_RecordReplay);

// Virtual time over wall time on an idle process: 60 timers of 60 s.
void BM_IdleHeavy(benchmark::State& state) {
  double virtual_s = 0;
  for (auto _ : state) {
    absl::StatusOr<int64_t> ns = bench::VirtualNs("bench/scenarios/idle_heavy.textproto");
    if (!ns.ok()) state.SkipWithError("the idle scenario failed");
    virtual_s += ns.ok() ? *ns / 1e9 : 0;
  }
  state.counters["virtual_over_wall"] = benchmark::Counter(virtual_s, benchmark::Counter::kIsRate);
}
BENCHMARK(BM_IdleHeavy)->UseRealTime();

// Whole seeded runs of the "mixed" workload (4 threads, ~460 kernel calls);
// with range(0) == 1 every run is also recorded as a trace in memory, which
// is what recording costs.
void BM_MixedWorkloadRun(benchmark::State& state) {
  const bool record = state.range(0) == 1;
  uint64_t seed = 1;
  int64_t bytes = 0;
  for (auto _ : state) {
    if (record) {
      traces::StringSink sink;
      (void)traces::RecordWorkload("mixed", seed++, sim::HostSpec{}, sink);
      bytes += static_cast<int64_t>(sink.data().size());
      continue;
    }
    auto w = workloads::MakeWorkload("mixed");
    sim::SimulationConfig cfg;
    cfg.seed = seed;
    (*w)->Configure(cfg);
    sim::Simulation s(cfg);
    (void)(*w)->Setup(s, seed++);
    s.Run();
  }
  state.counters["runs/s"] = benchmark::Counter(state.iterations(), benchmark::Counter::kIsRate);
  if (record) state.SetBytesProcessed(bytes);
}
BENCHMARK(BM_MixedWorkloadRun)->ArgName("record")->Arg(0)->Arg(1);

}  // namespace
// The model check of a real run (traces/check_real.h): a trace recorded
// under Wine 8 by `iocpsim.exe run ... --backend=real`, checked against the
// wine8 profile. Reports recorded events checked per second.
void BM_CheckRealTrace(benchmark::State& state) {
  absl::StatusOr<traces::Trace> t =
      traces::LoadTrace("traces/fuzz/corpus/real_wine8_socket_lifecycle.trace");
  absl::StatusOr<sim::KernelConfig> host = sim::HostProfileConfig("wine8");
  if (!t.ok() || !host.ok()) {
    state.SkipWithError("cannot load the real trace");
    return;
  }
  for (auto _ : state) {
    absl::StatusOr<traces::ReplayReport> r = traces::CheckInSimulator(*t, *host, {});
    if (!r.ok() || r->divergences != 0) state.SkipWithError("the check failed");
  }
  state.counters["events/s"] = benchmark::Counter(
      static_cast<double>(t->events.size()) * state.iterations(), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_CheckRealTrace);


// explore's memory is flat in the number of schedules (issue 9): the
// process's peak after 10,000 schedules of a one-step scenario, then after
// 1,000,000 more (the peak only grows, so the second counter includes the
// first run). Compare the two peak_KiB counters.
void BM_ExplorePeakMemory(benchmark::State& state) {
  const std::string path = "/tmp/iocpsim-bench-tiny.textproto";
  std::ofstream(path) << "m { name: \"a\" step { netpoll: 0 } }\n";
  explore::Target t;
  t.workload = path;
  explore::ExploreOptions o;
  o.schedules = state.range(0);
  o.jobs = 1;
  for (auto _ : state) {
    if (!explore::Explore(t, o).ok()) state.SkipWithError("explore failed");
  }
  state.counters["peak_KiB"] = bench::PeakKiB();
  state.counters["schedules/s"] = benchmark::Counter(
      static_cast<double>(o.schedules) * state.iterations(), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_ExplorePeakMemory)->Arg(10'000)->Arg(1'000'000)->Iterations(1)->Unit(benchmark::kSecond);

}  // namespace iocpsim

BENCHMARK_MAIN();
