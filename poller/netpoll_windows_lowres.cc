// netpoll as it was before commit cf52e709 (the left side of its diff in
// seed 003): no per-M timer, the wait computed from delay alone with its own
// cap. Read it beside that diff; from the dequeue on, both variants share
// netpollWait (netpoll_windows.cc).
#include <utility>

#include "poller/runtime.h"

namespace iocpsim::poller {

std::pair<gList, int32_t> Runtime::netpollLowRes(int64_t delay) {
  uint32_t wait;

  if (iocphandle == _INVALID_HANDLE_VALUE) {
    cover(Branch::kNetpollUninitialized);
    return {gList{}, 0};
  }
  if (delay < 0) {
    cover(Branch::kNetpollWaitInfinite);
    wait = mutant == Mutant::kInfiniteZeroWait ? 0 : nt::INFINITE;
  } else if (delay == 0) {
    cover(Branch::kNetpollWaitZero);
    wait = mutant == Mutant::kZeroPollWaits ? 1 : 0;
  } else if (delay < 1e6) {
    cover(Branch::kNetpollWaitOneMs);
    wait = mutant == Mutant::kSubmsZeroWait ? 0 : 1;
  } else if (delay < 1e15) {
    cover(Branch::kNetpollWaitMs);
    wait = static_cast<uint32_t>(delay / 1000000);
  } else {
    // An arbitrary cap on how long to wait for a timer.
    // 1e9 ms == ~11.5 days.
    cover(Branch::kNetpollDelayCapped);
    wait = 1e9;
  }
  return netpollWait(delay, wait);
}

}  // namespace iocpsim::poller
