// Flags shared by the verbs that run the simulator: what to run and on what
// kind of host.
#ifndef IOCPSIM_TOOLS_RUN_FLAGS_H_
#define IOCPSIM_TOOLS_RUN_FLAGS_H_

#include <cstdint>
#include <string>

#include "absl/flags/declare.h"
#include "absl/status/status.h"
#include "sim/simulation.h"

ABSL_DECLARE_FLAG(std::string, workload);
ABSL_DECLARE_FLAG(uint64_t, seed);
ABSL_DECLARE_FLAG(double, tick_ms);
ABSL_DECLARE_FLAG(bool, wait_packets);
ABSL_DECLARE_FLAG(bool, high_res_timers);
ABSL_DECLARE_FLAG(std::string, o);
ABSL_DECLARE_FLAG(std::string, backend);

namespace iocpsim::tools {

// The host the flags describe.
sim::SimulationConfig HostConfigFromFlags();
// An error naming the flag if the host flags are out of range.
absl::Status CheckHostFlags();
// An error unless --backend is sim or real.
absl::Status CheckBackendFlag();
// --backend=real.
bool RealBackend();

}  // namespace iocpsim::tools

#endif  // IOCPSIM_TOOLS_RUN_FLAGS_H_
