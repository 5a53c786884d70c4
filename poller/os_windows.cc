// Port of the parts of src/runtime/os_windows.go that set up and tear down
// the poller's per-M timer (seed commit cf52e709): loadOptionalSyscalls,
// createHighResTimer, initHighResTimer, minit and mdestroy. The rest of those
// functions (thread handles, semaphores, winmm) is outside the NT-API seam.
#include "poller/runtime.h"

namespace iocpsim::poller {

using nt::OptionalProc;

void Runtime::loadOptionalSyscalls() {
  if (variant == Variant::kLowRes) {
    // Before cf52e709 ntdll was searched for nothing the poller uses, so
    // haveHighResSleep stays false and minit creates no wait packet.
    return;
  }
  // windowsFindfunc(n32, "NtCreateWaitCompletionPacket\000")
  _NtCreateWaitCompletionPacket.found =
      nt_.HaveOptionalProc(OptionalProc::kNtCreateWaitCompletionPacket);
  if (_NtCreateWaitCompletionPacket == nullptr) cover(Branch::kNoWaitPacketFunctions);
  if (_NtCreateWaitCompletionPacket != nullptr) {
    // These functions should exists if NtCreateWaitCompletionPacket exists.
    _NtAssociateWaitCompletionPacket.found =
        nt_.HaveOptionalProc(OptionalProc::kNtAssociateWaitCompletionPacket);
    if (_NtAssociateWaitCompletionPacket == nullptr) {
      throw_("NtCreateWaitCompletionPacket exists but NtAssociateWaitCompletionPacket does not");
    }
    _NtCancelWaitCompletionPacket.found =
        nt_.HaveOptionalProc(OptionalProc::kNtCancelWaitCompletionPacket);
    if (_NtCancelWaitCompletionPacket == nullptr) {
      throw_("NtCreateWaitCompletionPacket exists but NtCancelWaitCompletionPacket does not");
    }
  }
}

// createHighResTimer calls CreateWaitableTimerEx with
// CREATE_WAITABLE_TIMER_HIGH_RESOLUTION flag to create high
// resolution timer. createHighResTimer returns new timer
// handle or 0, if CreateWaitableTimerEx failed.
uintptr Runtime::createHighResTimer() {
  // As per @jstarks, see
  // https://github.com/golang/go/issues/8687#issuecomment-656259353
  constexpr nt::DWORD _CREATE_WAITABLE_TIMER_HIGH_RESOLUTION = 0x00000002;
  constexpr nt::DWORD _SYNCHRONIZE = 0x00100000;
  constexpr nt::DWORD _TIMER_QUERY_STATE = 0x0001;
  constexpr nt::DWORD _TIMER_MODIFY_STATE = 0x0002;
  return nt_.CreateWaitableTimerExW(0, 0, _CREATE_WAITABLE_TIMER_HIGH_RESOLUTION,
                                    _SYNCHRONIZE | _TIMER_QUERY_STATE | _TIMER_MODIFY_STATE);
}

void Runtime::initHighResTimer() {
  uintptr h = createHighResTimer();
  if (h == 0) cover(Branch::kNoHighResTimer);
  if (h != 0) {
    haveHighResTimer = true;
    haveHighResSleep = _NtCreateWaitCompletionPacket != nullptr;
    nt_.CloseHandle(h);
  }
  // Otherwise Go loads winmm.dll and osinit calls timeBeginPeriod(1)
  // (osRelax), shortening the system tick to 1 ms. That call is outside the
  // NT-API seam: model such a host with a 1 ms tick (--tick_ms=1).
}

// Called to initialize a new m (including the bootstrap m).
// Called on the new thread, cannot allocate Go memory.
void Runtime::minit() {
  M* mp = getg()->m;
  // Configure usleep timer, if possible.
  if (mp->highResTimer == 0 && haveHighResTimer && mutant != Mutant::kNoUsleepTimer) {
    mp->highResTimer = createHighResTimer();
    cover(Branch::kMinitHighResTimer);
    if (mp->highResTimer == 0) {
      print("runtime: CreateWaitableTimerEx failed; errno=", nt_.GetLastError(), "\n");
      throw_("CreateWaitableTimerEx when creating timer failed");
    }
  }
  if (mp->waitIocpHandle == 0 && haveHighResSleep) {
    mp->waitIocpTimer = createHighResTimer();
    if (mp->waitIocpTimer == 0) {
      cover(Branch::kMinitTimerFailed);
      print("runtime: CreateWaitableTimerEx failed; errno=", nt_.GetLastError(), "\n");
      throw_("CreateWaitableTimerEx when creating timer failed");
    }
    constexpr nt::ACCESS_MASK GENERIC_ALL = 0x10000000;
    nt::NTSTATUS errno_ = nt_.NtCreateWaitCompletionPacket(&mp->waitIocpHandle, GENERIC_ALL, 0);
    if (mp->waitIocpHandle == 0) {
      cover(Branch::kMinitPacketFailed);
      print("runtime: NtCreateWaitCompletionPacket failed; errno=", errno_, "\n");
      throw_("NtCreateWaitCompletionPacket failed");
    }
    cover(Branch::kMinitWaitPacket);
  }
}

// Called from exitm, but not from drop, to undo the effect of thread-owned
// resources in minit, semacreate, or elsewhere. Do not take locks after calling this.
void Runtime::mdestroy(M* mp) {
  if (mp->highResTimer != 0) {
    nt_.CloseHandle(mp->highResTimer);
    mp->highResTimer = 0;
  }
  if (mp->waitIocpTimer != 0) {
    nt_.CloseHandle(mp->waitIocpTimer);
    mp->waitIocpTimer = 0;
  }
  if (mp->waitIocpHandle != 0) {
    cover(Branch::kMdestroyWaitPacket);
    nt_.CloseHandle(mp->waitIocpHandle);
    mp->waitIocpHandle = 0;
  }
}

}  // namespace iocpsim::poller
