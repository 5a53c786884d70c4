// A decorator on the NT-API seam that reports every call, with arguments,
// results, out-parameters and the thread's last error, to an Observer. It
// wraps any backend; the clock says which thread called and when.
#ifndef IOCPSIM_SIM_OBSERVED_NT_API_H_
#define IOCPSIM_SIM_OBSERVED_NT_API_H_

#include <cstdint>

#include "poller/nt_api.h"
#include "sim/observer.h"
#include "sim/scheduler.h"

namespace iocpsim::sim {

// Says who is calling and when. A simulated call starts at its scheduling
// point, which lies inside the wrapped call, so the start is asked for after
// the call returns.
class CallClock {
 public:
  virtual ~CallClock() = default;
  virtual int CallThread() = 0;
  virtual int64_t CallStartTime() = 0;  // when the finished call began
  virtual int64_t Now() = 0;
};

// Completes a call's record (thread, times, the thread's last error from
// `nt`) and reports it.
void ReportCall(CallClock& clock, nt::NtApi& nt, Observer& observer, CallRecord& rec,
                uint64_t result);
// Reports the start of a call that may block.
void ReportCallStart(CallClock& clock, Observer& observer, CallRecord& rec);

// The CallClock of a simulated run: the running simulated thread (0 outside
// any) and virtual time.
class SimCallClock : public CallClock {
 public:
  SimCallClock(const Scheduler& sched, const KernelWork& kernel) : sched_(sched), kernel_(kernel) {}
  int CallThread() override { return sched_.current() ? sched_.current()->id : 0; }
  int64_t CallStartTime() override {
    return sched_.current() ? sched_.current()->call_start_ns : kernel_.now();
  }
  int64_t Now() override { return kernel_.now(); }

 private:
  const Scheduler& sched_;
  const KernelWork& kernel_;
};

class ObservedNtApi : public nt::NtApi {
 public:
  ObservedNtApi(nt::NtApi& inner, CallClock& clock, Observer& observer)
      : inner_(inner), clock_(clock), observer_(observer) {}

  nt::HANDLE CreateIoCompletionPort(nt::HANDLE FileHandle, nt::HANDLE ExistingCompletionPort,
                                    nt::uintptr CompletionKey,
                                    nt::DWORD NumberOfConcurrentThreads) override;
  nt::BOOL PostQueuedCompletionStatus(nt::HANDLE CompletionPort,
                                      nt::DWORD dwNumberOfBytesTransferred,
                                      nt::uintptr dwCompletionKey,
                                      nt::uintptr lpOverlapped) override;
  nt::BOOL GetQueuedCompletionStatusEx(nt::HANDLE CompletionPort,
                                       nt::OverlappedEntry* lpCompletionPortEntries,
                                       nt::ULONG ulCount, nt::ULONG* ulNumEntriesRemoved,
                                       nt::DWORD dwMilliseconds, nt::BOOL fAlertable) override;
  nt::HANDLE CreateWaitableTimerExW(nt::uintptr lpTimerAttributes, nt::uintptr lpTimerName,
                                    nt::DWORD dwFlags, nt::DWORD dwDesiredAccess) override;
  nt::BOOL SetWaitableTimer(nt::HANDLE hTimer, const int64_t* lpDueTime, nt::LONG lPeriod,
                            nt::uintptr pfnCompletionRoutine,
                            nt::uintptr lpArgToCompletionRoutine, nt::BOOL fResume) override;
  nt::BOOL CloseHandle(nt::HANDLE hObject) override;
  nt::DWORD GetLastError() override { return inner_.GetLastError(); }
  bool HaveOptionalProc(nt::OptionalProc proc) override {
    return inner_.HaveOptionalProc(proc);
  }
  nt::NTSTATUS NtCreateWaitCompletionPacket(nt::HANDLE* WaitCompletionPacketHandle,
                                            nt::ACCESS_MASK DesiredAccess,
                                            nt::uintptr ObjectAttributes) override;
  nt::NTSTATUS NtAssociateWaitCompletionPacket(
      nt::HANDLE WaitCompletionPacketHandle, nt::HANDLE IoCompletionHandle,
      nt::HANDLE TargetObjectHandle, nt::uintptr KeyContext, nt::uintptr ApcContext,
      nt::NTSTATUS IoStatus, nt::uintptr IoStatusInformation,
      nt::BOOLEAN* AlreadySignaled) override;
  nt::NTSTATUS NtCancelWaitCompletionPacket(nt::HANDLE WaitCompletionPacketHandle,
                                            nt::BOOLEAN RemoveSignaledPacket) override;

 private:
  static CallRecord Begin(const char* name, std::initializer_list<uint64_t> args);
  void End(CallRecord& rec, uint64_t result);

  nt::NtApi& inner_;
  CallClock& clock_;
  Observer& observer_;
};

}  // namespace iocpsim::sim

#endif  // IOCPSIM_SIM_OBSERVED_NT_API_H_
