#include "sim/workloads/workload.h"

#include "absl/strings/str_cat.h"

namespace iocpsim::workloads {

absl::StatusOr<sim::SimulationConfig> RunConfig(const Workload& w, sim::SimulationConfig base,
                                                const sim::HostSpec& command_line,
                                                std::optional<poller::Variant> command_line_poller) {
  w.Configure(base);
  // The command line is the later word: its --host replaces the workload's
  // whole host, its single flags the settings they name.
  const sim::HostSpec own = w.host();
  for (const sim::HostSpec* spec : {&own, &command_line}) {
    if (absl::Status st = sim::ApplyHostSpec(*spec, base.kernel); !st.ok()) return st;
  }
  if (command_line_poller) base.runtime.variant = *command_line_poller;
  if (!poller::MutantInVariant(base.runtime.mutant, base.runtime.variant)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "mutant ", poller::MutantName(base.runtime.mutant), " changes netpollQueueTimer, which the ",
        poller::VariantName(base.runtime.variant), " poller does not have"));
  }
  return base;
}

}  // namespace iocpsim::workloads
