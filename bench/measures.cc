#include "bench/measures.h"

#include <fstream>
#include <memory>

#include "explore/explorer.h"
#include "sim/fiber.h"
#include "sim/kernel.h"
#include "sim/scheduler.h"
#include "sim/simulation.h"
#include "sim/strategy.h"
#include "sim/workloads/scenario_loader.h"
#include "traces/reader.h"
#include "traces/replayer.h"
#include "traces/wire_trace.h"
#include "traces/writer.h"

namespace iocpsim::bench {

void FiberSwitches(int64_t n) {
  bool done = false;
  sim::Fiber* self = nullptr;
  sim::Fiber f([&] {
    while (!done) self->Suspend();
  });
  self = &f;
  for (int64_t i = 0; i < n; ++i) f.Resume();  // two switches: in and out
  done = true;
  f.Resume();
}

void KernelCalls(int64_t n) {
  sim::RandomStrategy strategy(1, 0);
  sim::Scheduler sched(strategy, nullptr, sim::SchedulerOptions{});
  sim::SimKernel kernel(sim::KernelConfig{}, sched, nullptr, 1);
  // As Go creates its port: no concurrency limit to keep [S36].
  const nt::HANDLE port = kernel.CreateIoCompletionPort(~nt::HANDLE{0}, 0, 0, 0xFFFFFFFF);
  sched.Spawn("t", [&] {
    nt::OverlappedEntry e[1];
    nt::ULONG got = 0;
    for (int64_t i = 0; i < n; ++i) {
      kernel.PostQueuedCompletionStatus(port, 0, 1, 0);
      kernel.GetQueuedCompletionStatusEx(port, e, 1, &got, nt::INFINITE, 0);
    }
  });
  sched.Run();
}

void NetpollCycles(int64_t n, std::optional<poller::Variant> poller) {
  sim::SimulationConfig c;
  if (poller) c.runtime.variant = *poller;
  c.scheduler.preemption = false;
  c.scheduler.max_steps = 4 * n + 1000;
  sim::Simulation s(c);
  if (!s.Boot()) return;
  s.SpawnM("spinner", [&](poller::M&) {
    for (int64_t i = 0; i < n; ++i) s.Netpoll(0);
  });
  s.Run();
}

absl::Status ExploreSchedules(const std::string& scenario, int64_t n, int jobs,
                              std::optional<poller::Variant> poller) {
  explore::Target t;
  t.workload = scenario;
  t.poller = poller;
  explore::ExploreOptions o;
  o.schedules = n;
  o.jobs = jobs;
  o.minimize_budget = 0;
  return explore::Explore(t, o).status();
}

absl::StatusOr<explore::Target> ScenarioTarget(const std::string& scenario,
                                               std::optional<poller::Variant> poller) {
  absl::StatusOr<scenario::Scenario> sc = workloads::LoadScenario(scenario);
  if (!sc.ok()) return sc.status();
  explore::Target t;
  t.workload = scenario;
  t.scenario = std::make_shared<const scenario::Scenario>(*std::move(sc));
  t.poller = poller;
  return t;
}

absl::StatusOr<std::string> RunScenario(const explore::Target& t, uint64_t seed, bool record) {
  traces::StringSink sink;
  absl::StatusOr<explore::ScheduleOutcome> r =
      explore::RunSchedule(t, seed, nullptr, record ? &sink : nullptr);
  if (!r.ok()) return r.status();
  return sink.data();
}

absl::Status Replay(const std::string& trace) {
  absl::StatusOr<traces::WireTrace> t = traces::WireTrace::Read("bench", trace);
  if (!t.ok()) return t.status();
  traces::ReplayPath path = traces::ReplayPath::kParsed;
  absl::StatusOr<traces::ReplayReport> r = traces::ReplayInSimulator(*t, {}, &path);
  if (!r.ok()) return r.status();
  if (path != traces::ReplayPath::kWire) return absl::InternalError("the replay was parsed");
  if (r->divergences != 0) return absl::InternalError("the replay diverged");
  return absl::OkStatus();
}

absl::StatusOr<int64_t> VirtualNs(const std::string& scenario,
                                  std::optional<poller::Variant> poller) {
  explore::Target t;
  t.workload = scenario;
  t.poller = poller;
  absl::StatusOr<explore::ScheduleOutcome> r = explore::RunSchedule(t, 1, nullptr, nullptr);
  if (!r.ok()) return r.status();
  return r->end_ns;
}

double PeakKiB() {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stod(line.substr(6));
  }
  return -1;
}

}  // namespace iocpsim::bench
