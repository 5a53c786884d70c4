// Trace headers (of a simulated run, or a run on a real kernel), and the
// configuration a simulated run's header describes.
#ifndef IOCPSIM_TRACES_HEADER_H_
#define IOCPSIM_TRACES_HEADER_H_

#include <string>

#include "absl/status/statusor.h"
#include "proto/trace.pb.h"
#include "sim/simulation.h"

namespace iocpsim::traces {

// The most scheduling steps a trace may ask a replay for (ten times the
// simulator's default limit); the end event's counts are held to it too.
inline constexpr int64_t kMaxTraceSteps = 100'000'000;

trace::Header SimHeader(const sim::SimulationConfig& config, const std::string& workload,
                        uint64_t workload_seed);

// The header of a run on a real kernel: `os` and `machine` describe the host
// (win32::HostDescription), the rest what ran.
trace::Header RealHeader(const std::string& os, const std::string& machine,
                         const poller::RuntimeConfig& runtime, const std::string& workload,
                         uint64_t workload_seed);

// The simulation a header describes; an error naming the field if the
// header is not a simulated run's or holds impossible values.
absl::StatusOr<sim::SimulationConfig> ConfigFromHeader(const trace::Header& header);

// The poller variant a header names; an error if it names none this build has.
absl::StatusOr<poller::Variant> VariantFromHeader(const trace::Header& header);

// The kernel a SimHost describes, as it is written (unchecked: for showing
// any trace; ConfigFromHeader checks). The pointer size is the header's.
sim::KernelConfig KernelFromSimHost(const trace::SimHost& host);

}  // namespace iocpsim::traces

#endif  // IOCPSIM_TRACES_HEADER_H_
