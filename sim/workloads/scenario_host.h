// A scenario's host block (proto/scenario.proto Host) as the HostSpec the
// simulator lays over a configuration (sim/host_profiles.h), and back.
#ifndef IOCPSIM_SIM_WORKLOADS_SCENARIO_HOST_H_
#define IOCPSIM_SIM_WORKLOADS_SCENARIO_HOST_H_

#include "proto/scenario.pb.h"
#include "sim/host_profiles.h"

namespace iocpsim::workloads {

// The kernel settings the block names (preemption is the scheduler's).
sim::HostSpec HostSpecOf(const scenario::Host& host);

// Writes `spec` over the scenario's host block as ApplyHostSpec lays it over
// a configuration: a profile clears the block's kernel settings, then each
// setting replaces one. An empty spec leaves the scenario as it is.
void LayHostSpec(const sim::HostSpec& spec, scenario::Scenario* sc);

}  // namespace iocpsim::workloads

#endif  // IOCPSIM_SIM_WORKLOADS_SCENARIO_HOST_H_
