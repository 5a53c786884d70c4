// The parts of src/runtime/netpoll.go that the Windows poller calls or that a
// goroutine waiting on I/O goes through: netpollready, netpollunblock,
// netpollblock (split at gopark), and pollOpen/pollClose reduced to what
// touches the poller.
#include "poller/runtime.h"

namespace iocpsim::poller {

void Runtime::netpollAdjustWaiters(int32_t delta) {
  if (delta != 0) {
    netpollWaiters.fetch_add(delta);
  }
}

// netpollready is called by the platform-specific netpoll function.
// It declares that the fd associated with pd is ready for I/O.
// The toRun argument is used to build a list of goroutines to return
// from netpoll. The mode argument is 'r', 'w', or 'r'+'w' to indicate
// whether the fd is ready for reading or writing or both.
//
// This returns a delta to apply to netpollWaiters.
int32_t Runtime::netpollready(gList* toRun, pollDesc* pd, int32_t mode) {
  int32_t delta = 0;
  g* rg = nullptr;
  g* wg = nullptr;
  if (mode == 'r' || mode == 'r' + 'w') {
    rg = netpollunblock(pd, 'r', true, &delta);
  }
  if (mode == 'w' || mode == 'r' + 'w') {
    wg = netpollunblock(pd, 'w', true, &delta);
  }
  if (rg != nullptr) {
    toRun->push(rg);
  }
  if (wg != nullptr) {
    toRun->push(wg);
  }
  return delta;
}

// netpollunblock moves either pd.rg (if mode == 'r') or
// pd.wg (if mode == 'w') into the pdReady state.
// This returns any goroutine blocked on pd.{rg,wg}.
// It adds any adjustment to netpollWaiters to *delta;
// this adjustment should be applied after the goroutine has
// been marked ready.
g* Runtime::netpollunblock(pollDesc* pd, int32_t mode, bool ioready, int32_t* delta) {
  std::atomic<uintptr>* gpp = &pd->rg;
  if (mode == 'w') {
    gpp = &pd->wg;
  }

  for (;;) {
    uintptr old = gpp->load();
    if (old == pdReady) {
      return nullptr;
    }
    if (old == pdNil && !ioready) {
      // Only set pdReady for ioready. runtime_pollWait
      // will check for timeout/cancel before waiting.
      return nullptr;
    }
    uintptr new_ = pdNil;
    if (ioready) {
      new_ = pdReady;
    }
    if (gpp->compare_exchange_strong(old, new_)) {
      if (old == pdWait) {
        cover(Branch::kUnblockParking);
        old = pdNil;
      } else if (old != pdNil || mutant == Mutant::kWaitersDrift) {
        *delta -= 1;
      }
      return heap_.gPointer(old);  // (*g)(unsafe.Pointer(old))
    }
  }
}

int32_t Runtime::netpollcheckerr(pollDesc* pd, int32_t mode) {
  if (pd->closing.load()) {
    return pollErrClosing;
  }
  return pollNoError;
}

// returns true if IO is ready, or false if timed out or closed
// waitio - wait only for completed IO, ignore errors
bool Runtime::netpollblock(pollDesc* pd, int32_t mode, bool waitio, g* gp) {
  std::atomic<uintptr>* gpp = &pd->rg;
  if (mode == 'w') {
    gpp = &pd->wg;
  }

  // set the gpp semaphore to pdWait
  for (;;) {
    // Consume notification if already ready.
    uintptr ready = pdReady;
    if (gpp->compare_exchange_strong(ready, pdNil)) {
      return mutant != Mutant::kReadinessSwallowed;
    }
    betweenAtomics();
    uintptr nil = pdNil;
    if (gpp->compare_exchange_strong(nil, pdWait)) {
      break;
    }
    betweenAtomics();

    // Double check that this isn't corrupt; otherwise we'd loop
    // forever.
    if (uintptr v = gpp->load(); v != pdReady && v != pdNil) {
      throw_("runtime: double wait");
    }
    if (mutant == Mutant::kDoubleWaitAtNil) {
      if (gpp->load() == pdNil) throw_("runtime: double wait");
    }
  }

  // need to recheck error states after setting gpp to pdWait
  // this is necessary because runtime_pollUnblock/runtime_pollSetDeadline/deadlineimpl
  // do the opposite: store to closing/rd/wd, publishInfo, load of rg/wg
  if (waitio || netpollcheckerr(pd, mode) == pollNoError ||
      mutant == Mutant::kParkWhileClosing) {
    // gopark(netpollblockcommit, ...): the M switches to its scheduler,
    // which publishes the g and counts the waiter; other Ms may act in
    // between.
    gopark();
    uintptr wait = pdWait;
    if (gpp->compare_exchange_strong(wait, gp->addr)) {
      // Bump the count of goroutines waiting for the poller.
      // The scheduler uses this to decide whether to block
      // waiting for the poller if there is nothing else to do.
      netpollAdjustWaiters(1);
    }
  }
  return false;
}

bool Runtime::netpollblockResume(pollDesc* pd, int32_t mode) {
  std::atomic<uintptr>* gpp = mode == 'w' ? &pd->wg : &pd->rg;
  // be careful to not lose concurrent pdReady notification
  uintptr old = gpp->exchange(pdNil);
  if (old > pdWait) {
    throw_("runtime: corrupted polldesc");
  }
  if (mutant == Mutant::kResumeNotReady) return old != pdReady;
  return old == pdReady;
}

std::pair<pollDesc*, int32_t> Runtime::pollOpen(uintptr fd) {
  pollDesc* pd = heap_.newPollDesc(fd);
  int32_t errno_ = netpollopen(fd, pd);
  if (errno_ != 0) {
    return {nullptr, errno_};
  }
  return {pd, 0};
}

void Runtime::pollClose(pollDesc* pd) {
  if (pd->wg.load() != pdNil && pd->wg.load() != pdReady) {
    throw_("runtime: blocked write on closing polldesc");
  }
  if (pd->rg.load() != pdNil && pd->rg.load() != pdReady) {
    throw_("runtime: blocked read on closing polldesc");
  }
  netpollclose(pd->fd);
}

}  // namespace iocpsim::poller
