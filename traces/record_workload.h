// Runs a bundled workload in the simulator with a recorder attached.
#ifndef IOCPSIM_TRACES_RECORD_WORKLOAD_H_
#define IOCPSIM_TRACES_RECORD_WORKLOAD_H_

#include <string>

#include "absl/status/statusor.h"
#include "sim/simulation.h"
#include "traces/writer.h"

namespace iocpsim::traces {

// `host` carries the kernel settings; the workload adjusts the rest and
// `seed` drives both the scheduler and the workload.
absl::StatusOr<sim::RunResult> RecordWorkload(const std::string& workload, uint64_t seed,
                                              const sim::SimulationConfig& host, ByteSink& out);

}  // namespace iocpsim::traces

#endif  // IOCPSIM_TRACES_RECORD_WORKLOAD_H_
