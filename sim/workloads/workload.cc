#include "sim/workloads/workload.h"

namespace iocpsim::workloads {

absl::StatusOr<sim::SimulationConfig> RunConfig(const Workload& w, sim::SimulationConfig base,
                                                const sim::HostSpec& command_line) {
  w.Configure(base);
  // The command line is the later word: its --host replaces the workload's
  // whole host, its single flags the settings they name.
  const sim::HostSpec own = w.host();
  for (const sim::HostSpec* spec : {&own, &command_line}) {
    if (absl::Status st = sim::ApplyHostSpec(*spec, base.kernel); !st.ok()) return st;
  }
  return base;
}

}  // namespace iocpsim::workloads
