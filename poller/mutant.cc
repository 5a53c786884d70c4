#include "poller/mutant.h"

namespace iocpsim::poller {

const std::vector<MutantInfo>& Mutants() {
  static const std::vector<MutantInfo> kMutants = {
      {Mutant::kNoBreakForward, "no-break-forward",
       "netpoll(0) consumes a break without forwarding it to the blocked poller"},
      {Mutant::kWakesigNeverReset, "wakesig-never-reset",
       "netpollWakeSig stays 1 after a break is consumed, so later breaks are dropped"},
      {Mutant::kPendingFatal, "pending-fatal",
       "STATUS_PENDING from NtCancelWaitCompletionPacket is treated as fatal"},
      {Mutant::kForeignDeref, "foreign-deref",
       "entries from outside internal/poll are dereferenced (before go.dev/issue/58870)"},
      {Mutant::kCancelledNoRearm, "cancelled-no-rearm",
       "STATUS_CANCELLED is handled like STATUS_PENDING: no high-resolution timer is armed"},
      {Mutant::kSubmsZeroWait, "subms-zero-wait",
       "sub-millisecond delays are rounded down to a zero wait (a busy loop)"},
  };
  return kMutants;
}

const char* MutantName(Mutant m) {
  for (const MutantInfo& i : Mutants()) {
    if (i.mutant == m) return i.name;
  }
  return "faithful";
}

std::optional<Mutant> ParseMutant(const std::string& name) {
  if (name.empty() || name == "faithful" || name == "none") return Mutant::kNone;
  for (const MutantInfo& i : Mutants()) {
    if (name == i.name) return i.mutant;
  }
  return std::nullopt;
}

}  // namespace iocpsim::poller
