// The checks of a parsed scenario: limits on every count and value
// (scenario_limits.h), names that resolve, and combinations that could not
// happen or could never be forced. Each failure is one Locator error.
#ifndef IOCPSIM_SIM_WORKLOADS_SCENARIO_CHECKS_H_
#define IOCPSIM_SIM_WORKLOADS_SCENARIO_CHECKS_H_

#include "absl/status/status.h"
#include "proto/scenario.pb.h"
#include "sim/workloads/scenario_locator.h"

namespace iocpsim::workloads {

// Counts, host, sockets, Ms and steps, events (scenario_checks.cc).
absl::Status CheckScenario(const scenario::Scenario& s, const Locator& at);
// Races: the Ms they name, duplicates, and whether their calls can happen
// at all (scenario_race_checks.cc).
absl::Status CheckRaces(const scenario::Scenario& s, const Locator& at);
// Every label an event waits for can be reached: no step before it blocks
// in netpoll with nothing in the scenario to wake it (scenario_reach.cc).
absl::Status CheckLabelsReached(const scenario::Scenario& s, const Locator& at);

}  // namespace iocpsim::workloads

#endif  // IOCPSIM_SIM_WORKLOADS_SCENARIO_CHECKS_H_
