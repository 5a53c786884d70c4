// A workload (a scenario file, or a bundled one) run once on the real
// kernel, optionally recorded as a trace whose header names the host.
#ifndef IOCPSIM_WIN32_REAL_RUN_H_
#define IOCPSIM_WIN32_REAL_RUN_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "poller/branches.h"
#include "sim/scheduler.h"
#include "sim/workloads/workload.h"
#include "traces/writer.h"
#include "win32/real_process.h"

namespace iocpsim::win32 {

struct RealRunOutcome {
  sim::RunResult result;
  workloads::IoTally tally;
  poller::BranchCounts branches{};
  std::map<std::string, int> races;  // scripted races: never forced here
  bool wait_packets_hidden = false;  // the workload's host has none
  bool expect_fatal = false;         // the workload expects the runtime to throw
};

// `config.runtime` is filled from the workload (GOMAXPROCS, its poller
// variant unless `poller` replaces it, and a host without wait packets hides
// ntdll's); `seed` drives the workload's choices.
absl::StatusOr<RealRunOutcome> RunOnRealKernel(
    const std::string& workload, uint64_t seed, RealProcessConfig config,
    traces::ByteSink* record, std::optional<poller::Variant> poller = std::nullopt);

}  // namespace iocpsim::win32

#endif  // IOCPSIM_WIN32_REAL_RUN_H_
