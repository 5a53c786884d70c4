// The units of work the speed figures are made of, shared by the Google
// Benchmark suite (bench/sim_benchmark.cc) and `iocpsim bench`'s quick
// table (tools/bench.cc), so that both measure the same thing. Each does a
// fixed amount of work; the callers time it. `poller`, where taken, runs
// that version of Go's poller instead of the scenario's (or today's).
#ifndef IOCPSIM_BENCH_MEASURES_H_
#define IOCPSIM_BENCH_MEASURES_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "explore/explorer.h"

namespace iocpsim::bench {

// n Resume/Suspend round trips of a fiber: 2n switches.
void FiberSwitches(int64_t n);
// One thread posting and dequeuing a packet n times on the simulated
// kernel, each call a scheduling point: 2n kernel calls.
void KernelCalls(int64_t n);
// One M calling netpoll(0) n times (GetQueuedCompletionStatusEx that finds
// nothing), as a spinning M does: n netpoll cycles through the port.
void NetpollCycles(int64_t n, std::optional<poller::Variant> poller = std::nullopt);
// explore of a scenario: n schedules (seeds 1..n) on `jobs` threads, no
// finding files. An error if the scenario does not load.
absl::Status ExploreSchedules(const std::string& scenario, int64_t n, int jobs,
                              std::optional<poller::Variant> poller = std::nullopt);
// A scenario read and parsed once, as explore does, so that runs of it
// measure the run and not the text parser.
absl::StatusOr<explore::Target> ScenarioTarget(
    const std::string& scenario, std::optional<poller::Variant> poller = std::nullopt);
// One schedule of it (seed), recorded into memory or not; the trace's bytes
// when recorded.
absl::StatusOr<std::string> RunScenario(const explore::Target& target, uint64_t seed, bool record);
// Replays a trace (RunScenario's bytes) in the simulator; an error if it
// diverges.
absl::Status Replay(const std::string& trace);
// One run of a scenario: the virtual time it covered, in ns.
absl::StatusOr<int64_t> VirtualNs(const std::string& scenario,
                                  std::optional<poller::Variant> poller = std::nullopt);
// This process's peak resident memory in KiB (Linux; -1 elsewhere).
double PeakKiB();

}  // namespace iocpsim::bench

#endif  // IOCPSIM_BENCH_MEASURES_H_
