// A regression case: one finding of `iocpsim explore` (a minimized scenario,
// its seed and decisions, the poller variant) as `iocpsim regress` embeds it
// in a GoogleTest file. Run through RunSchedule, the code `iocpsim run` uses.
#ifndef IOCPSIM_EXPLORE_REGRESSION_H_
#define IOCPSIM_EXPLORE_REGRESSION_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "explore/explorer.h"
#include "sim/host_profiles.h"

namespace iocpsim::explore {

struct RegressionCase {
  std::string name;           // names the scenario in errors (FILE:LINE: ...)
  std::string scenario_text;  // the scenario, protobuf text; empty: `workload`
  std::string workload;       // a bundled workload, when there is no scenario
  sim::HostSpec host;         // laid over the scenario's host, as --host does
  std::string mutant;         // poller::ParseMutant's name; empty: faithful
  std::string poller;         // for `workload`: poller::ParseVariant's name; empty: its own
  uint64_t seed = 1;
  std::string schedule;       // the decisions, as ScheduleText writes them
};

// Runs the case's one schedule, its decisions replayed; an error for a
// scenario, mutant or schedule that does not parse.
absl::StatusOr<ScheduleOutcome> RunRegression(const RegressionCase& c);

}  // namespace iocpsim::explore

#endif  // IOCPSIM_EXPLORE_REGRESSION_H_
