#include "sim/kernel_faults.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace iocpsim::sim {

const std::vector<std::string>& FaultableCalls() {
  static const auto* calls = new std::vector<std::string>{
      "CreateIoCompletionPort",        "PostQueuedCompletionStatus",
      "GetQueuedCompletionStatusEx",   "CreateWaitableTimerExW",
      "SetWaitableTimer",              "CloseHandle",
      "NtCreateWaitCompletionPacket",  "NtAssociateWaitCompletionPacket",
      "NtCancelWaitCompletionPacket"};
  return *calls;
}

bool IsFaultable(absl::string_view call) {
  const auto& calls = FaultableCalls();
  return std::find(calls.begin(), calls.end(), call) != calls.end();
}

absl::Status CheckFaults(const std::vector<InjectedFault>& faults) {
  if (faults.size() > static_cast<size_t>(kMaxFaults)) {
    return absl::InvalidArgumentError(
        absl::StrCat("fault[", kMaxFaults, "]: more than ", kMaxFaults, " faults"));
  }
  for (size_t i = 0; i < faults.size(); ++i) {
    if (!IsFaultable(faults[i].call)) {
      return absl::InvalidArgumentError(
          absl::StrCat("fault[", i, "].call: not a call the poller makes (one of ",
                       absl::StrJoin(FaultableCalls(), ", "), ")"));
    }
    if (faults[i].nth < 1 || faults[i].nth > kMaxFaultNth) {
      return absl::InvalidArgumentError(
          absl::StrCat("fault[", i, "].nth: must be between 1 and ", kMaxFaultNth));
    }
  }
  return absl::OkStatus();
}

}  // namespace iocpsim::sim
