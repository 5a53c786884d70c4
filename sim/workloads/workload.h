// Bundled multi-M workloads: a simulated Go process doing what the runtime
// does with the poller (a blocking poller, spinning Ms polling without
// blocking, timer changes breaking the poll, and I/O completing for parked
// goroutines), with its own choices drawn from the run's seed.
#ifndef IOCPSIM_SIM_WORKLOADS_WORKLOAD_H_
#define IOCPSIM_SIM_WORKLOADS_WORKLOAD_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "proto/scenario.pb.h"
#include "sim/host_profiles.h"
#include "sim/simulation.h"

namespace iocpsim::workloads {

// What a workload checks about the I/O it drove.
struct IoTally {
  int64_t completions = 0;  // I/O completions the device issued
  int64_t deliveries = 0;   // goroutines netpoll made runnable for them
  int64_t duplicates = 0;   // a goroutine delivered with no completion pending
  int64_t netpolls = 0;     // netpoll calls
  int64_t early_empty = 0;  // netpoll(delay > 0) returned nothing before delay
  int64_t open_failures = 0;  // sockets a step could not open
};

// What the model's goroutines tell the oracles (explore/oracles.h).
class GoroutineWatcher {
 public:
  virtual ~GoroutineWatcher() = default;
  // What a goroutine sees that internal/poll's contract with the runtime
  // rules out: a pollWait that returns ready with no I/O done, a wake-up
  // netpoll gave that netpollblock then reports not ready, a close that
  // wakes a goroutine ready, an open that fails (or not) against the faults
  // injected. Go would read garbage, hang or misreport ("goroutine").
  virtual void Contradiction(int64_t now, const std::string& what) = 0;
  // A goroutine returned from poll_runtime_pollWait on the pollDesc at `pd`
  // in `mode`: ready, or to the error of a close. Readiness netpoll left in
  // the pollDesc while it ran is then spent ("liveness").
  virtual void PollWaitReturned(uint64_t pd, int32_t mode) = 0;
};

class Workload {
 public:
  virtual ~Workload() = default;
  // Adjusts the configuration (GOMAXPROCS, preemption, ...) but the host.
  virtual void Configure(sim::SimulationConfig& config) const {}
  // The host the workload asks for (a scenario's host block); RunConfig lays
  // it over the base configuration's.
  virtual sim::HostSpec host() const { return {}; }
  // Wraps the run's strategy, to steer it into scripted races (with `force`
  // false, only to notice the races the strategy reaches on its own). Called
  // once, before the simulation is built; Setup then attaches what it needs.
  virtual std::unique_ptr<sim::Strategy> Steer(std::unique_ptr<sim::Strategy> inner,
                                               bool force = true) {
    return inner;
  }
  // Whether Steer(inner, true) steers: the workload scripts races, whose
  // holds pick and withhold options by the state of the whole run.
  virtual bool scripts_races() const { return false; }
  // The runtime is expected to throw (no "fatal" violation then).
  virtual bool expect_fatal() const { return false; }
  // With expect_fatal: text the fatal error must contain ("" for any).
  virtual std::string expected_fatal_text() const { return ""; }
  // Per scripted race: how often this run reached it.
  virtual std::map<std::string, int> races() const { return {}; }
  // Scripted races this run's host cannot have (they need wait packets).
  virtual std::set<std::string> inapplicable_races() const { return {}; }
  // Boots the process and spawns its threads; `seed` drives the workload's
  // own choices (delays, which I/O completes), apart from the scheduler's.
  virtual absl::Status Setup(sim::Process& s, uint64_t seed) = 0;
  virtual const IoTally& tally() const = 0;
  // Set before Setup; a workload without goroutines of its own ignores it.
  virtual void Watch(GoroutineWatcher* w) {}
};

struct WorkloadInfo {
  std::string name;
  std::string description;
};

// The bundled workloads, by name; a name ending in ".textproto" is a
// scenario file (proto/scenario.proto).
std::vector<WorkloadInfo> ListWorkloads();
absl::StatusOr<std::unique_ptr<Workload>> MakeWorkload(const std::string& name);
// A workload from a scenario already parsed (and perhaps edited).
std::unique_ptr<Workload> MakeScenarioWorkload(const scenario::Scenario& sc);

// The configuration a run of `w` uses: `base` as the workload configures it,
// with the workload's host laid over base.kernel, then `command_line` (the
// --host flags) over that (sim/host_profiles.h), and the command line's
// --poller over the workload's. An error names an unknown host profile, or a
// mutant in code the poller variant does not have.
absl::StatusOr<sim::SimulationConfig> RunConfig(
    const Workload& w, sim::SimulationConfig base, const sim::HostSpec& command_line,
    std::optional<poller::Variant> command_line_poller = std::nullopt);

}  // namespace iocpsim::workloads

#endif  // IOCPSIM_SIM_WORKLOADS_WORKLOAD_H_
