// Port of src/runtime/netpoll_windows.go (seed 000, with commit cf52e709 that
// added the high-resolution timer). Keep it line-for-line comparable. The
// poller before that commit is netpoll_windows_lowres.cc.
#include <array>
#include <optional>
#include <utility>

#include "poller/runtime.h"
#include "poller/tagptr.h"

namespace iocpsim::poller {

using nt::BOOLEAN;
using nt::DWORD;
using nt::NTSTATUS;
using nt::OverlappedEntry;
using nt::ULONG;

namespace {
constexpr DWORD _DWORD_MAX = 0xffffffff;
constexpr DWORD _INFINITE = nt::INFINITE;
constexpr DWORD _WAIT_TIMEOUT = nt::WAIT_TIMEOUT;
}  // namespace

Runtime::Runtime(nt::NtApi& nt, RuntimeConfig cfg)
    : goarch(cfg.goarch),
      gomaxprocs(cfg.gomaxprocs),
      mutant(cfg.mutant),
      variant(cfg.variant),
      _INVALID_HANDLE_VALUE(cfg.goarch.allOnes()),
      iocphandle(_INVALID_HANDLE_VALUE),
      nt_(nt),
      heap_(cfg.goarch) {}

void Runtime::throw_(absl::string_view s) {
  println("fatal error:", s);
  throw Fatal(std::string(s));
}

// packNetpollKey creates a key from a source and a tag.
// Bits that don't fit in the result are discarded.
uintptr Runtime::packNetpollKey(uint8_t source, uintptr pd) {
  if (source > (1 << sourceBits) - 1) {
    // Also fail on 64-bit systems, even though it can hold more bits.
    throw_("runtime: source value is too large");
  }
  if (goarch.PtrSize == 4) {
    return goarch.uintptr(pd << sourceBits | source);
  }
  return taggedPointerPack(pd, source).v;
}

// unpackNetpollSource returns the source packed key.
uint8_t Runtime::unpackNetpollSource(uintptr key) const {
  if (goarch.PtrSize == 4) {
    return static_cast<uint8_t>(key & sourceMasks);
  }
  return static_cast<uint8_t>(taggedPointer{key}.tag());
}

// pollOperationFromOverlappedEntry returns the pollOperation contained in
// e. It can return nil if the entry is not from internal/poll.
// See go.dev/issue/58870
std::optional<pollOperation> Runtime::pollOperationFromOverlappedEntry(
    const OverlappedEntry* e) {
  if (e->lpOverlapped == 0) {
    return std::nullopt;
  }
  // op := (*pollOperation)(unsafe.Pointer(e.ov)): a read of foreign memory
  // can fault, which the Go runtime turns into a fatal error.
  std::optional<pollOperation> op = heap_.loadPollOperation(e->lpOverlapped);
  if (!op) {
    println("unexpected fault address", e->lpOverlapped);
    throw_("fault");
  }
  if (mutant == Mutant::kForeignDeref) {
    return op;  // mutant: no check, as before go.dev/issue/58870
  }
  // Check that the key matches the pollDesc pointer.
  bool keyMatch;
  if (goarch.PtrSize == 4) {
    keyMatch = (e->lpCompletionKey & ~sourceMasks) == goarch.uintptr(op->pd << sourceBits);
  } else {
    keyMatch = taggedPointer{e->lpCompletionKey}.pointer() == op->pd;
  }
  if (!keyMatch) {
    return std::nullopt;
  }
  return op;
}

void Runtime::netpollinit() {
  iocphandle = nt_.CreateIoCompletionPort(_INVALID_HANDLE_VALUE, 0, 0,
                                          mutant == Mutant::kPortConcurrencyZero ? 0 : _DWORD_MAX);
  if (iocphandle == 0) {
    println("runtime: CreateIoCompletionPort failed (errno=", nt_.GetLastError(), ")");
    throw_("runtime: netpollinit failed");
  }
}

bool Runtime::netpollIsPollDescriptor(uintptr fd) const {
  return fd == iocphandle;
}

int32_t Runtime::netpollopen(uintptr fd, pollDesc* pd) {
  uintptr key = packNetpollKey(netpollSourceReady, pd->addr);
  if (nt_.CreateIoCompletionPort(fd, iocphandle, key, 0) == 0) {
    return static_cast<int32_t>(nt_.GetLastError());
  }
  return 0;
}

int32_t Runtime::netpollclose(uintptr fd) {
  // nothing to do
  return 0;
}

void Runtime::netpollarm(pollDesc* pd, int mode) {
  throw_("runtime: unused");
}

void Runtime::netpollBreak() {
  // Failing to cas indicates there is an in-flight wakeup, so we're done here.
  uint32_t zero = 0;
  if (!netpollWakeSig.compare_exchange_strong(zero, 1)) {
    cover(Branch::kBreakCoalesced);
    return;
  }
  cover(Branch::kBreakPosted);

  uintptr key = packNetpollKey(netpollSourceBreak, 0);
  if (nt_.PostQueuedCompletionStatus(iocphandle, 0, key, 0) == 0) {
    println("runtime: netpoll: PostQueuedCompletionStatus failed (errno=", nt_.GetLastError(), ")");
    throw_("runtime: netpoll: PostQueuedCompletionStatus failed");
  }
}

// netpoll checks for ready network connections.
// Returns a list of goroutines that become runnable,
// and a delta to add to netpollWaiters.
// This must never return an empty list with a non-zero delta.
//
// delay < 0: blocks indefinitely
// delay == 0: does not block, just polls
// delay > 0: block for up to that many nanoseconds
std::pair<gList, int32_t> Runtime::netpoll(int64_t delay) {
  if (iocphandle == _INVALID_HANDLE_VALUE) {
    cover(Branch::kNetpollUninitialized);
    return {gList{}, 0};
  }

  if (variant == Variant::kLowRes) {
    return netpollLowRes(delay);  // the poller before cf52e709
  }

  uint32_t wait = 0;  // var wait uint32
  M* mp = getg()->m;

  if (delay >= 1e15) {
    // An arbitrary cap on how long to wait for a timer.
    // 1e15 ns == ~11.5 days.
    cover(Branch::kNetpollDelayCapped);
    delay = 1e15;
  }

  if (delay > 0 && mp->waitIocpHandle != 0) {
    // GetQueuedCompletionStatusEx doesn't use a high resolution timer internally,
    // so we use a separate higher resolution timer associated with a wait completion
    // packet to wake up the poller. Note that the completion packet can be delivered
    // to another thread, and the Go scheduler expects netpoll to only block up to delay,
    // so we still need to use a timeout with GetQueuedCompletionStatusEx.
    // TODO: Improve the Go scheduler to support non-blocking timers.
    bool signaled = netpollQueueTimer(delay);
    if (signaled) {
      // There is a small window between the SetWaitableTimer and the NtAssociateWaitCompletionPacket
      // where the timer can expire. We can return immediately in this case.
      cover(Branch::kNetpollTimerSignaled);
      return {gList{}, 0};
    }
  }
  if (delay < 0) {
    cover(Branch::kNetpollWaitInfinite);
    wait = mutant == Mutant::kInfiniteZeroWait ? 0 : _INFINITE;
  } else if (delay == 0) {
    cover(Branch::kNetpollWaitZero);
    wait = mutant == Mutant::kZeroPollWaits ? 1 : 0;
  } else if (delay < 1e6) {
    cover(Branch::kNetpollWaitOneMs);
    wait = mutant == Mutant::kSubmsZeroWait ? 0 : mutant == Mutant::kSubmsTwoMs ? 2 : 1;
  } else {
    cover(Branch::kNetpollWaitMs);
    wait = static_cast<uint32_t>(delay / 1000000);
  }
  return netpollWait(delay, wait);
}

// The rest of netpoll, the same in both variants but for the
// netpollSourceTimer case, which the lowres poller does not have: dequeue
// up to n entries within wait ms and make their goroutines runnable.
std::pair<gList, int32_t> Runtime::netpollWait(int64_t delay, uint32_t wait) {
  std::array<OverlappedEntry, 64> entries{};
  gList toRun;
  M* mp = getg()->m;
  ULONG n = entries.size() / static_cast<ULONG>(gomaxprocs);
  if (n < 8) {
    n = 8;
  }
  if (delay != 0) {
    mp->blocked = true;
  }
  if (nt_.GetQueuedCompletionStatusEx(iocphandle, entries.data(), n, &n, wait, 0) == 0) {
    mp->blocked = false;
    DWORD errno_ = nt_.GetLastError();
    if (errno_ == _WAIT_TIMEOUT) {
      cover(Branch::kNetpollTimeout);
      return {gList{}, 0};
    }
    cover(Branch::kNetpollFailed);
    if (variant == Variant::kLowRes) {
      // errno = int32(getlasterror()) before cf52e709: printed signed.
      println("runtime: GetQueuedCompletionStatusEx failed (errno=", static_cast<int32_t>(errno_), ")");
    } else {
      println("runtime: GetQueuedCompletionStatusEx failed (errno=", errno_, ")");
    }
    throw_("runtime: netpoll failed");
  }
  mp->blocked = false;
  int32_t delta = 0;
  for (ULONG i = 0; i < n; i++) {
    OverlappedEntry* e = &entries[i];
    switch (unpackNetpollSource(e->lpCompletionKey)) {
      case netpollSourceReady: {
        std::optional<pollOperation> op = pollOperationFromOverlappedEntry(e);
        if (!op) {
          // Entry from outside the Go runtime and internal/poll, ignore.
          cover(Branch::kNetpollForeign);
          continue;
        }
        // Entry from internal/poll.
        int32_t mode = op->mode;
        if (mode != 'r' && mode != 'w') {
          cover(Branch::kNetpollInvalidMode);
          println("runtime: GetQueuedCompletionStatusEx returned net_op with invalid mode=", mode);
          throw_("runtime: netpoll failed");
        }
        cover(Branch::kNetpollReady);
        pollDesc* pd = heap_.pollDescAt(op->pd);
        if (pd == nullptr) {
          // A key that matches an OVERLAPPED whose pd is no pollDesc: Go
          // would dereference a wild pointer.
          println("unexpected fault address", op->pd);
          throw_("fault");
        }
        if (mutant == Mutant::kModeSwapped) {
          mode = mode == 'r' ? 'w' : 'r';  // mutant: the other mode's goroutine
        }
        delta += netpollready(&toRun, pd, mode);
        if (mutant == Mutant::kReadyFallsThrough) {
          goto fallthrough_to_break;  // mutant: the break below is missing
        }
        break;
      }
      case netpollSourceBreak:
      fallthrough_to_break:
        cover(Branch::kNetpollBreak);
        if (mutant != Mutant::kWakesigNeverReset) {
          netpollWakeSig.store(0);
        }
        if ((delay == 0 || mutant == Mutant::kBreakPingPong) &&
            mutant != Mutant::kNoBreakForward) {
          // Forward the notification to the blocked poller.
          cover(Branch::kNetpollBreakForwarded);
          netpollBreak();
        }
        break;
      case netpollSourceTimer:
        if (variant == Variant::kLowRes) goto invalid_key;  // no such source before cf52e709
        // TODO: We could avoid calling NtCancelWaitCompletionPacket for expired wait completion packets.
        cover(Branch::kNetpollTimer);
        break;
      default:
      invalid_key:
        cover(Branch::kNetpollInvalidKey);
        println("runtime: GetQueuedCompletionStatusEx returned net_op with invalid key=", e->lpCompletionKey);
        throw_("runtime: netpoll failed");
    }
  }
  return {std::move(toRun), delta};
}

// netpollQueueTimer queues a timer to wake up the poller after the given delay.
// It returns true if the timer expired during this call.
bool Runtime::netpollQueueTimer(int64_t delay) {
  constexpr NTSTATUS STATUS_SUCCESS = 0x00000000;
  constexpr NTSTATUS STATUS_PENDING = 0x00000103;
  constexpr NTSTATUS STATUS_CANCELLED = 0xC0000120;
  BOOLEAN signaled = 0;
  M* mp = getg()->m;
  // A wait completion packet can only be associated with one timer at a time,
  // so we need to cancel the previous one if it exists. This wouldn't be necessary
  // if the poller would only be woken up by the timer, in which case the association
  // would be automatically canceled, but it can also be woken up by other events,
  // such as a netpollBreak, so we can get to this point with a timer that hasn't
  // expired yet. In this case, the completion packet can still be picked up by
  // another thread, so defer the cancellation until it is really necessary.
  NTSTATUS errno_ = nt_.NtCancelWaitCompletionPacket(
      mp->waitIocpHandle, mutant == Mutant::kCancelKeepsQueued ? 0 : 1);
  switch (errno_) {
    case STATUS_CANCELLED:
      // STATUS_CANCELLED is returned when the associated timer has already expired,
      // in which automatically cancels the wait completion packet.
      cover(Branch::kQueueTimerCancelled);
      if (mutant == Mutant::kCancelledNoRearm) {
        break;  // mutant: as if STATUS_PENDING
      }
      [[fallthrough]];
    case STATUS_SUCCESS: {
      if (errno_ == STATUS_SUCCESS) cover(Branch::kQueueTimerSuccess);
      int64_t dt = -delay / 100;  // relative sleep (negative), 100ns units
      // fResume 0: not a wake timer [S48].
      const nt::BOOL fResume = mutant == Mutant::kWakeTimer ? 1 : 0;
      if (nt_.SetWaitableTimer(mp->waitIocpTimer, &dt, 0, 0, 0, fResume) == 0) {
        println("runtime: SetWaitableTimer failed; errno=", nt_.GetLastError());
        throw_("runtime: netpoll failed");
      }
      uintptr key = packNetpollKey(netpollSourceTimer, 0);
      if (NTSTATUS errno_ = nt_.NtAssociateWaitCompletionPacket(
              mp->waitIocpHandle, iocphandle, mp->waitIocpTimer, key, 0, 0, 0,
              &signaled);
          errno_ != 0) {
        println("runtime: NtAssociateWaitCompletionPacket failed; errno=", errno_);
        throw_("runtime: netpoll failed");
      }
      if (signaled) cover(Branch::kQueueTimerAlreadySignaled);
      break;
    }
    case STATUS_PENDING:
      // STATUS_PENDING is returned if the wait operation can't be canceled yet.
      // This can happen if this thread was woken up by another event, such as a netpollBreak,
      // and the timer expired just while calling NtCancelWaitCompletionPacket, in which case
      // this call fails to cancel the association to avoid a race condition.
      // This is a rare case, so we can just avoid using the high resolution timer this time.
      cover(Branch::kQueueTimerPending);
      if (mutant == Mutant::kPendingFatal) {
        println("runtime: NtCancelWaitCompletionPacket failed; errno=", errno_);
        throw_("runtime: netpoll failed");
      }
      break;
    default:
      cover(Branch::kQueueTimerCancelFailed);
      println("runtime: NtCancelWaitCompletionPacket failed; errno=", errno_);
      throw_("runtime: netpoll failed");
  }
  return signaled != 0;
}

}  // namespace iocpsim::poller
