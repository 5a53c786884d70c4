// Fault injection: the kernel calls a scenario (or a trace's header) may
// make fail, and the checks on a fault plan. Real kernels fail these calls
// rarely and for reasons outside the poller (resources, a bad handle from
// elsewhere); the poller's error paths (its throws) are tested this way.
#ifndef IOCPSIM_SIM_KERNEL_FAULTS_H_
#define IOCPSIM_SIM_KERNEL_FAULTS_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "sim/kernel_config.h"

namespace iocpsim::sim {

inline constexpr int kMaxFaults = 64;          // faults in one plan
inline constexpr int64_t kMaxFaultNth = 1'000'000;

// The NT-API calls the poller makes, which a fault may name.
const std::vector<std::string>& FaultableCalls();
bool IsFaultable(absl::string_view call);

// "field: problem" for a plan that names an unknown call, an nth out of
// 1..kMaxFaultNth, or has more than kMaxFaults faults; OK otherwise.
absl::Status CheckFaults(const std::vector<InjectedFault>& faults);

}  // namespace iocpsim::sim

#endif  // IOCPSIM_SIM_KERNEL_FAULTS_H_
