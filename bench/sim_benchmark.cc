// Speed of the simulator: context switches, kernel calls through the
// scheduler, and whole seeded runs of the bundled workload.
//   bazel run -c opt //bench:sim_benchmark
#include <memory>

#include "benchmark/benchmark.h"
#include "sim/fiber.h"
#include "sim/kernel.h"
#include "sim/scheduler.h"
#include "sim/simulation.h"
#include "sim/strategy.h"
#include "sim/workloads/workload.h"
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
}  // namespace iocpsim

BENCHMARK_MAIN();
