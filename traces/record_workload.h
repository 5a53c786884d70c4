// Runs a bundled workload in the simulator with a recorder attached.
#ifndef IOCPSIM_TRACES_RECORD_WORKLOAD_H_
#define IOCPSIM_TRACES_RECORD_WORKLOAD_H_

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "sim/host_profiles.h"
#include "sim/simulation.h"
#include "traces/writer.h"

namespace iocpsim::traces {

// `host` (a command line's) is laid over the workload's own host, the
// workload sets the rest, and `seed` drives both the scheduler and the
// workload; `poller`, when set, replaces the workload's poller variant.
absl::StatusOr<sim::RunResult> RecordWorkload(
    const std::string& workload, uint64_t seed, const sim::HostSpec& host, ByteSink& out,
    std::optional<poller::Variant> poller = std::nullopt);

}  // namespace iocpsim::traces

#endif  // IOCPSIM_TRACES_RECORD_WORKLOAD_H_
