#include "absl/strings/str_cat.h"
#include "sim/workloads/workload.h"

namespace iocpsim::workloads {

std::unique_ptr<Workload> NewMixedWorkload();

std::vector<WorkloadInfo> ListWorkloads() {
  return {{"mixed",
           "GOMAXPROCS 4: a blocking poller, a spinning M, timer breaks and "
           "device completions on 4 sockets"}};
}

absl::StatusOr<std::unique_ptr<Workload>> MakeWorkload(const std::string& name) {
  if (name == "mixed") return NewMixedWorkload();
  return absl::NotFoundError(absl::StrCat("unknown workload \"", name,
                                          "\" (bundled: mixed)"));
}

}  // namespace iocpsim::workloads
