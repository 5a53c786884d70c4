// Reads a scenario from protobuf text format and checks it, so that every
// mistake is reported as FILE:LINE: field: what is wrong.
#ifndef IOCPSIM_SIM_WORKLOADS_SCENARIO_LOADER_H_
#define IOCPSIM_SIM_WORKLOADS_SCENARIO_LOADER_H_

#include <string>

#include "absl/status/statusor.h"
#include "proto/scenario.pb.h"

namespace iocpsim::workloads {

absl::StatusOr<scenario::Scenario> ParseScenario(const std::string& name, const std::string& text);
absl::StatusOr<scenario::Scenario> LoadScenario(const std::string& path);

}  // namespace iocpsim::workloads

#endif  // IOCPSIM_SIM_WORKLOADS_SCENARIO_LOADER_H_
