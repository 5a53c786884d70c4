// The NT-API seam on a real Windows (or Wine) kernel: kernel32's completion
// port and waitable timer calls, and ntdll's wait completion packet calls
// looked up at run time as Go's loadOptionalSyscalls does (windowsFindfunc
// on ntdll.dll): a host whose ntdll lacks them (Windows before 8, Wine 8)
// takes Go's fallback path.
//
// Addresses the poller hands the kernel as OVERLAPPED pointers belong to the
// simulated Go heap (poller/heap.h). Real I/O needs real OVERLAPPEDs, so the
// backend issues every real I/O with an OVERLAPPED of its own, registered
// under the Go address it stands for, and a dequeued packet carries that Go
// address back: the poller sees exactly what it would see in a Go process.
// Packets posted with PostQueuedCompletionStatus carry their value through
// untouched (the kernel never dereferences it).
#ifndef IOCPSIM_WIN32_REAL_NT_API_H_
#define IOCPSIM_WIN32_REAL_NT_API_H_

#include <atomic>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "poller/nt_api.h"
#include "win32/real_clock.h"

namespace iocpsim::win32 {

struct RealNtApiOptions {
  // Report the wait completion packet functions as missing even where ntdll
  // has them, to drive Go's fallback path on any host.
  bool hide_wait_packets = false;
};

// Thrown out of a blocked call when RealProcess tears the run down, to
// unwind the thread (as sim::Cancelled does for a simulated thread).
struct TornDown {};

// Room for one OVERLAPPED (minwinbase.h: 32 bytes on x64), kept apart from
// <windows.h> so that this header does not pull it in.
struct alignas(8) OverlappedStorage {
  unsigned char bytes[32];
};

class RealNtApi : public nt::NtApi {
 public:
  // The most real I/Os in flight at once (each holds an OVERLAPPED until its
  // packet is dequeued or the backend is destroyed).
  static constexpr size_t kMaxInFlightIo = 1 << 16;

  RealNtApi(RealNtApiOptions options, RealClock& clock);
  ~RealNtApi() override;
  RealNtApi(const RealNtApi&) = delete;
  RealNtApi& operator=(const RealNtApi&) = delete;

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
  nt::DWORD GetLastError() override;
  bool HaveOptionalProc(nt::OptionalProc proc) override;
  nt::NTSTATUS NtCreateWaitCompletionPacket(nt::HANDLE* WaitCompletionPacketHandle,
                                            nt::ACCESS_MASK DesiredAccess,
                                            nt::uintptr ObjectAttributes) override;
  nt::NTSTATUS NtAssociateWaitCompletionPacket(nt::HANDLE WaitCompletionPacketHandle,
                                               nt::HANDLE IoCompletionHandle,
                                               nt::HANDLE TargetObjectHandle,
                                               nt::uintptr KeyContext, nt::uintptr ApcContext,
                                               nt::NTSTATUS IoStatus,
                                               nt::uintptr IoStatusInformation,
                                               nt::BOOLEAN* AlreadySignaled) override;
  nt::NTSTATUS NtCancelWaitCompletionPacket(nt::HANDLE WaitCompletionPacketHandle,
                                            nt::BOOLEAN RemoveSignaledPacket) override;

  // An OVERLAPPED (zeroed) for a real I/O standing for the Go address
  // `target`; a dequeued packet carrying it reports `target`. An error when
  // kMaxInFlightIo are in flight.
  absl::StatusOr<void*> NewOverlapped(nt::uintptr target);
  // For an I/O that failed to start: no packet will carry it.
  void ReleaseOverlapped(void* ov);
  // Whether the I/O using `ov` has completed: its packet was dequeued, or
  // the kernel has written its status (HasOverlappedIoCompleted), which it
  // does before it queues the packet.
  bool IoCompleted(void* ov) const;
  // Called with the handle at every CloseHandle, before it takes effect, so
  // that the environment can forget a socket it made. Set before any thread
  // makes calls; nullptr clears it.
  void SetCloseHook(std::function<void(nt::HANDLE)> hook) { close_hook_ = std::move(hook); }

  // Tear-down: every wait this backend is blocked in (or enters) ends by
  // throwing TornDown. Wakes the waiters by posting to their ports, since a
  // closed port does not end a wait on Wine.
  void TearDown();
  bool torn_down() const { return torn_down_.load(); }

  // What could still happen: how many calls were made, how many threads
  // wait with no timeout, how many real I/Os are not yet dequeued, and
  // whether a wait packet was ever armed (its timer may fire at any time).
  struct Activity {
    uint64_t calls = 0;
    int infinite_waiters = 0;
    size_t io_in_flight = 0;
    bool wait_packet_armed = false;
  };
  Activity activity() const;

  // Brackets every call of the backend and of the environment, which share
  // the thread's last error and the call clock: notes the call's start (or
  // throws TornDown) and which call the thread is in, for tear-down reports.
  // A thread holding the model's turn (ModelTurn) gives it up for the call.
  class CallScope {
   public:
    CallScope(RealNtApi& nt, const char* name);
    ~CallScope();
    CallScope(const CallScope&) = delete;
    CallScope& operator=(const CallScope&) = delete;

   private:
    RealNtApi& nt_;
    int thread_;
    bool gave_turn_ = false;
  };
  // Held by a thread while it runs Go and model code, between its calls: so,
  // as in the simulator, one thread at a time runs that code (the model's
  // goroutines and counters are not thread-safe), and threads run in
  // parallel only inside kernel calls, where real races live.
  class ModelTurn {
   public:
    explicit ModelTurn(RealNtApi& nt);
    ~ModelTurn();
    ModelTurn(const ModelTurn&) = delete;
    ModelTurn& operator=(const ModelTurn&) = delete;

   private:
    RealNtApi& nt_;
  };
  // Sets the error GetLastError reports on this thread.
  void SetError(unsigned long e);
  // "T3 in CompleteIo, T4 in GetQueuedCompletionStatusEx": the threads now
  // inside a call.
  std::string InCalls() const;

 private:
  nt::uintptr Translate(nt::uintptr ov);

  using CreateFn = long(__stdcall*)(void**, unsigned long, void*);
  using AssociateFn = long(__stdcall*)(void*, void*, void*, void*, void*, long, uintptr_t,
                                        unsigned char*);
  using CancelFn = long(__stdcall*)(void*, unsigned char);

  const RealNtApiOptions options_;
  RealClock& clock_;
  CreateFn create_ = nullptr;
  AssociateFn associate_ = nullptr;
  CancelFn cancel_ = nullptr;

  std::function<void(nt::HANDLE)> close_hook_;
  std::atomic<bool> torn_down_{false};
  std::atomic<uint64_t> calls_{0};
  std::atomic<bool> wait_packet_armed_{false};
  absl::Mutex model_mu_;  // the model's turn
  static thread_local bool has_turn_;
  mutable absl::Mutex mu_;
  std::map<nt::HANDLE, int> waiting_ports_ ABSL_GUARDED_BY(mu_);  // port -> waiters
  // Real OVERLAPPEDs of I/O in flight, by address, with the Go address each
  // stands for; freed ones are reused.
  std::deque<OverlappedStorage> overlapped_store_ ABSL_GUARDED_BY(mu_);
  std::map<uintptr_t, nt::uintptr> target_of_ ABSL_GUARDED_BY(mu_);
  std::vector<void*> free_ ABSL_GUARDED_BY(mu_);
  std::map<int, const char*> in_call_ ABSL_GUARDED_BY(mu_);  // thread -> call
  int infinite_waiters_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace iocpsim::win32

#endif  // IOCPSIM_WIN32_REAL_NT_API_H_
