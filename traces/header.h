// The trace header of a simulated run, and the configuration it describes.
#ifndef IOCPSIM_TRACES_HEADER_H_
#define IOCPSIM_TRACES_HEADER_H_

#include <string>

#include "absl/status/statusor.h"
#include "proto/trace.pb.h"
#include "sim/simulation.h"

namespace iocpsim::traces {

trace::Header SimHeader(const sim::SimulationConfig& config, const std::string& workload,
                        uint64_t workload_seed);

// The simulation a header describes; an error naming the field if the
// header is not a simulated run's or holds impossible values.
absl::StatusOr<sim::SimulationConfig> ConfigFromHeader(const trace::Header& header);

// The kernel a SimHost describes, as it is written (unchecked: for showing
// any trace; ConfigFromHeader checks). The pointer size is the header's.
sim::KernelConfig KernelFromSimHost(const trace::SimHost& host);

}  // namespace iocpsim::traces

#endif  // IOCPSIM_TRACES_HEADER_H_
