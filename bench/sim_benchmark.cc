// Speed of the simulator: context switches, kernel calls through the
// scheduler, whole seeded runs of the bundled workload, and the model check
// of a trace recorded on a real kernel (Wine 8), and explore's peak memory
// against its number of schedules.
//   bazel run -c opt //bench:sim_benchmark
#include <fstream>
#include <memory>
#include <string>

#include "benchmark/benchmark.h"
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
  bool done = false;
  sim::Fiber* self = nullptr;
  sim::Fiber f([&] {
    while (!done) self->Suspend();
  });
  self = &f;
  for (auto _ : state) f.Resume();  // two switches: in and out
  done = true;
  f.Resume();
}
BENCHMARK(BM_FiberSwitch);

// Threads posting and dequeuing packets on one port: two kernel calls per
// iteration, each a scheduling point. With two threads every point is a
// seeded decision between them.
void BM_KernelCalls(benchmark::State& state) {
  const int threads = static_cast<int>(state.range(0));
  sim::RandomStrategy strategy(1, 0);
  sim::Scheduler sched(strategy, nullptr, sim::SchedulerOptions{});
  sim::SimKernel kernel(sim::KernelConfig{}, sched, nullptr);
  const nt::HANDLE port = kernel.CreateIoCompletionPort(~nt::HANDLE{0}, 0, 0, 0);
  const int64_t n = state.max_iterations;
  for (int t = 0; t < threads; ++t) {
    sched.Spawn("t", [&] {
      nt::OverlappedEntry e[1];
      nt::ULONG got = 0;
      for (int64_t i = 0; i < n / threads; ++i) {
        kernel.PostQueuedCompletionStatus(port, 0, 1, 0);
        kernel.GetQueuedCompletionStatusEx(port, e, 1, &got, nt::INFINITE, 0);
      }
    });
  }
  for (auto _ : state) {
    sched.Run();  // the first pass runs every call; later passes return at once
  }
  state.SetItemsProcessed(2 * n);
}
BENCHMARK(BM_KernelCalls)->Arg(1)->Arg(2)->Iterations(1'000'000);

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

// This process's peak resident memory, in KiB (Linux; -1 elsewhere).
double PeakKiB() {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stod(line.substr(6));
  }
  return -1;
}

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
  state.counters["peak_KiB"] = PeakKiB();
  state.counters["schedules/s"] = benchmark::Counter(
      static_cast<double>(o.schedules) * state.iterations(), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_ExplorePeakMemory)->Arg(10'000)->Arg(1'000'000)->Iterations(1)->Unit(benchmark::kSecond);

}  // namespace iocpsim

BENCHMARK_MAIN();
