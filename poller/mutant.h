// Deliberately wrong variants of the poller. Each reintroduces a bug the
// real code avoids, so exploration can prove that its oracles catch it
// (iocpsim explore --mutant=NAME).
#ifndef IOCPSIM_POLLER_MUTANT_H_
#define IOCPSIM_POLLER_MUTANT_H_

#include <optional>
#include <string>
#include <vector>

namespace iocpsim::poller {

enum class Mutant {
  kNone,              // the faithful port
  kNoBreakForward,    // a break consumed with delay == 0 is not forwarded
  kWakesigNeverReset, // netpollWakeSig is never reset
  kPendingFatal,      // STATUS_PENDING from NtCancelWaitCompletionPacket throws
  kForeignDeref,      // foreign entries are dereferenced (before go.dev/issue/58870)
  kCancelledNoRearm,  // STATUS_CANCELLED handled like STATUS_PENDING: no timer armed
  kSubmsZeroWait,     // sub-millisecond delays wait 0 ms instead of 1
  kModeSwapped,       // a completion readies the other mode's goroutine
  kInfiniteZeroWait,  // netpoll(delay < 0) waits 0 ms instead of INFINITE
  kBreakPingPong,     // a blocking netpoll re-posts the break it consumed
  kReadyFallsThrough, // a ready entry falls through to the break case
  kWaitersDrift,      // netpollunblock counts a pd nobody waited on as a waiter
  kCancelKeepsQueued, // NtCancelWaitCompletionPacket(RemoveSignaledPacket FALSE)
  kZeroPollWaits,     // netpoll(0) waits 1 ms
  kResumeNotReady,    // netpollblock resumes a goroutine netpoll readied as not ready
  kReadinessSwallowed,// netpollblock consumes pdReady and reports not ready
  kNoUsleepTimer,     // minit gives the M no high-resolution timer for usleep
  kSubmsTwoMs,        // sub-millisecond delays wait 2 ms instead of 1
  kParkWhileClosing,  // netpollblock parks without rechecking netpollcheckerr
  kDoubleWaitAtNil,   // netpollblock's double-wait check refuses pdNil too
  kPortConcurrencyZero,  // netpollinit's port lets only as many Ms run as processors
  kWakeTimer,         // netpollQueueTimer sets the timer with fResume TRUE
};

struct MutantInfo {
  Mutant mutant;
  const char* name;
  const char* description;
};

const std::vector<MutantInfo>& Mutants();  // without kNone
const char* MutantName(Mutant m);          // "faithful" for kNone
std::optional<Mutant> ParseMutant(const std::string& name);

}  // namespace iocpsim::poller

#endif  // IOCPSIM_POLLER_MUTANT_H_
