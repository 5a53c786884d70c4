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
      {Mutant::kModeSwapped, "mode-swapped",
       "a completion readies the goroutine parked for the other mode (netpollready with "
       "'w' for a read): the reader stays parked"},
      {Mutant::kInfiniteZeroWait, "infinite-zero-wait",
       "netpoll(delay < 0) waits 0 ms instead of INFINITE (a busy loop)"},
      {Mutant::kBreakPingPong, "break-ping-pong",
       "a blocking netpoll forwards the break it consumed too, so it wakes itself again"},
      {Mutant::kReadyFallsThrough, "ready-falls-through",
       "the break after an I/O entry is missing: it falls through to the break case, resets "
       "netpollWakeSig with a break still queued and may post another"},
      {Mutant::kWaitersDrift, "waiters-drift",
       "netpollunblock takes one off netpollWaiters for a pollDesc nobody was parked on"},
      {Mutant::kCancelKeepsQueued, "cancel-keeps-queued",
       "NtCancelWaitCompletionPacket is asked not to remove a queued timer packet, so it "
       "answers STATUS_PENDING outside the documented race"},
      {Mutant::kZeroPollWaits, "zero-poll-waits",
       "netpoll(0) waits 1 ms in GetQueuedCompletionStatusEx instead of not blocking"},
      {Mutant::kResumeNotReady, "resume-not-ready",
       "netpollblock, resumed after gopark, reports I/O readiness as not ready (old != "
       "pdReady): internal/poll parks the goroutine again and its completion is lost"},
      {Mutant::kReadinessSwallowed, "readiness-swallowed",
       "netpollblock consumes the readiness netpoll left while the goroutine ran (pdReady) "
       "but reports not ready: the goroutine parks for ever"},
      {Mutant::kNoUsleepTimer, "no-usleep-timer",
       "minit gives the M no high-resolution timer for usleep on a host that has them: "
       "sysmon's 20 us sleeps take a tick"},
      {Mutant::kSubmsTwoMs, "subms-two-ms",
       "sub-millisecond delays wait 2 ms instead of 1: where the tick is 1 ms the poll returns "
       "a millisecond late"},
      {Mutant::kParkWhileClosing, "park-while-closing",
       "netpollblock parks without rechecking netpollcheckerr after pdWait: a close that came "
       "between its compare-and-swaps has already unblocked the pollDesc, so the goroutine "
       "parks for ever"},
      {Mutant::kDoubleWaitAtNil, "double-wait-at-nil",
       "netpollblock's double-wait check throws on pdNil too (pdReady tested twice): a "
       "reader that netpoll wakes and that consumes its readiness between a second "
       "goroutine's failed compare-and-swap and its check makes a throw with nobody waiting"},
      {Mutant::kPortConcurrencyZero, "port-concurrency-zero",
       "netpollinit creates the port with concurrency 0, as C code often does: it lets only as "
       "many of its threads run as the host has processors, so a poll gets nothing while other "
       "Ms run and ready I/O waits"},
      {Mutant::kWakeTimer, "wake-timer",
       "netpollQueueTimer sets the timer with SetWaitableTimer's fResume TRUE: every netpoll "
       "timeout becomes a wake timer that brings a sleeping computer back"},
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
