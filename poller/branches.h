// The branches of the ported poller that races hinge on. Runtime counts each
// time one is taken, so tests can prove a path was driven and runs can report
// which race-relevant paths they reached.
#ifndef IOCPSIM_POLLER_BRANCHES_H_
#define IOCPSIM_POLLER_BRANCHES_H_

#include <array>
#include <cstdint>
#include "absl/strings/string_view.h"

namespace iocpsim::poller {

enum class Branch : int {
  // netpoll
  kNetpollUninitialized,   // iocphandle == _INVALID_HANDLE_VALUE
  kNetpollDelayCapped,     // delay >= 1e15
  kNetpollTimerSignaled,   // netpollQueueTimer returned signaled: early return
  kNetpollWaitInfinite,    // delay < 0
  kNetpollWaitZero,        // delay == 0
  kNetpollWaitOneMs,       // 0 < delay < 1e6: wait = 1
  kNetpollWaitMs,          // wait = delay / 1e6
  kNetpollTimeout,         // GetQueuedCompletionStatusEx: WAIT_TIMEOUT
  kNetpollFailed,          // GetQueuedCompletionStatusEx: other error (fatal)
  kNetpollReady,           // netpollSourceReady from internal/poll
  kNetpollForeign,         // netpollSourceReady not from internal/poll: ignored
  kNetpollInvalidMode,     // bad mode (fatal)
  kNetpollBreak,           // netpollSourceBreak
  kNetpollBreakForwarded,  // ... consumed by delay == 0: forwarded
  kNetpollTimer,           // netpollSourceTimer
  kNetpollInvalidKey,      // unknown source (fatal)
  // netpollQueueTimer
  kQueueTimerCancelled,    // NtCancelWaitCompletionPacket: STATUS_CANCELLED
  kQueueTimerSuccess,      // ... STATUS_SUCCESS
  kQueueTimerPending,      // ... STATUS_PENDING: no high-resolution timer
  kQueueTimerCancelFailed, // ... anything else (fatal)
  kQueueTimerAlreadySignaled,  // NtAssociateWaitCompletionPacket: AlreadySignaled
  // netpollBreak
  kBreakPosted,            // won the netpollWakeSig CAS and posted
  kBreakCoalesced,         // lost the CAS: a wakeup is in flight
  // netpollunblock
  kUnblockParking,         // found pdWait: its goroutine was halfway into its park
  // loadOptionalSyscalls, initHighResTimer, minit, mdestroy (os_windows.go)
  kNoWaitPacketFunctions,  // ntdll lacks NtCreateWaitCompletionPacket (Wine 8)
  kNoHighResTimer,         // CREATE_WAITABLE_TIMER_HIGH_RESOLUTION refused (before 1803)
  kMinitHighResTimer,      // minit created usleep's high-resolution timer
  kMinitWaitPacket,        // minit created the wait packet and its timer
  kMinitTimerFailed,       // ... CreateWaitableTimerExW failed (fatal)
  kMinitPacketFailed,      // ... NtCreateWaitCompletionPacket failed (fatal)
  kMdestroyWaitPacket,     // mdestroy closed the wait packet and its timer
  kCount,
};

inline constexpr int kBranchCount = static_cast<int>(Branch::kCount);

absl::string_view BranchName(Branch b);
// Why no scenario reaches a branch, for the ones Go never takes ("" for the
// rest): a coverage report lists these as expected, any other as a gap.
absl::string_view BranchUnreachable(Branch b);

using BranchCounts = std::array<uint64_t, kBranchCount>;

}  // namespace iocpsim::poller

#endif  // IOCPSIM_POLLER_BRANCHES_H_
