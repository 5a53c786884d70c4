#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "sim/workloads/workload.h"

namespace iocpsim::workloads {

std::unique_ptr<Workload> NewMixedWorkload();
absl::StatusOr<std::unique_ptr<Workload>> NewScenarioWorkload(const std::string& path);

std::vector<WorkloadInfo> ListWorkloads() {
  return {{"mixed",
           "GOMAXPROCS 4: a blocking poller, a spinning M, timer breaks and "
           "device completions on 4 sockets"}};
}

absl::StatusOr<std::unique_ptr<Workload>> MakeWorkload(const std::string& name) {
  if (name == "mixed") return NewMixedWorkload();
  if (absl::EndsWith(name, ".textproto")) return NewScenarioWorkload(name);
  return absl::NotFoundError(absl::StrCat("unknown workload \"", name,
                                          "\" (bundled: mixed; or a scenario .textproto file)"));
}

}  // namespace iocpsim::workloads
