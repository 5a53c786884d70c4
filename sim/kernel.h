// The simulated kernel: the NT-API seam implemented over virtual time, with
// I/O completion ports, waitable timers and wait completion packets whose
// rules are listed, with sources, in sim/SEMANTICS.md. Every kernel call is a
// scheduling point of the Scheduler; a call that blocks parks its thread.
#ifndef IOCPSIM_SIM_KERNEL_H_
#define IOCPSIM_SIM_KERNEL_H_

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <queue>
#include <string>
#include <vector>

#include "absl/base/optimization.h"
#include "poller/nt_api.h"
#include "sim/environment.h"
#include "sim/footprint.h"
#include "sim/handle_table.h"
#include "sim/kernel_config.h"
#include "sim/objects.h"
#include "sim/observer.h"
#include "sim/prng.h"
#include "sim/scheduler.h"

namespace iocpsim::sim {

using nt::BOOL;
using nt::BOOLEAN;
using nt::DWORD;
using nt::HANDLE;
using nt::NTSTATUS;
using nt::ULONG;

// A handle as introspection reports it.
struct HandleInfo {
  HANDLE handle = 0;
  ObjectType type = ObjectType::kFile;
  uint64_t object = 0;
};

class SimKernel : public nt::NtApi, public Environment, public KernelWork {
 public:
  // `seed` is the run's: the high-resolution timers' latencies [S46] are
  // drawn from a stream of it of their own (kLatencyStream), so the
  // scheduler's stream of the same seed is not moved by them.
  SimKernel(KernelConfig config, Scheduler& scheduler, Observer* observer, uint64_t seed);
  SimKernel(const SimKernel&) = delete;
  SimKernel& operator=(const SimKernel&) = delete;

  // --- nt::NtApi ---
  HANDLE CreateIoCompletionPort(HANDLE FileHandle, HANDLE ExistingCompletionPort,
                                uintptr CompletionKey,
                                DWORD NumberOfConcurrentThreads) override;
  BOOL PostQueuedCompletionStatus(HANDLE CompletionPort,
                                  DWORD dwNumberOfBytesTransferred,
                                  uintptr dwCompletionKey,
                                  uintptr lpOverlapped) override;
  BOOL GetQueuedCompletionStatusEx(HANDLE CompletionPort,
                                   nt::OverlappedEntry* lpCompletionPortEntries,
                                   ULONG ulCount, ULONG* ulNumEntriesRemoved,
                                   DWORD dwMilliseconds, BOOL fAlertable) override;
  HANDLE CreateWaitableTimerExW(uintptr lpTimerAttributes, uintptr lpTimerName,
                                DWORD dwFlags, DWORD dwDesiredAccess) override;
  BOOL SetWaitableTimer(HANDLE hTimer, const int64_t* lpDueTime, nt::LONG lPeriod,
                        uintptr pfnCompletionRoutine,
                        uintptr lpArgToCompletionRoutine, BOOL fResume) override;
  BOOL CloseHandle(HANDLE hObject) override;
  DWORD GetLastError() override;
  bool HaveOptionalProc(nt::OptionalProc proc) override;
  NTSTATUS NtCreateWaitCompletionPacket(HANDLE* WaitCompletionPacketHandle,
                                        nt::ACCESS_MASK DesiredAccess,
                                        uintptr ObjectAttributes) override;
  NTSTATUS NtAssociateWaitCompletionPacket(HANDLE WaitCompletionPacketHandle,
                                           HANDLE IoCompletionHandle,
                                           HANDLE TargetObjectHandle,
                                           uintptr KeyContext, uintptr ApcContext,
                                           NTSTATUS IoStatus,
                                           uintptr IoStatusInformation,
                                           BOOLEAN* AlreadySignaled) override;
  NTSTATUS NtCancelWaitCompletionPacket(HANDLE WaitCompletionPacketHandle,
                                        BOOLEAN RemoveSignaledPacket) override;

  // --- Environment: the world outside the poller ---
  HANDLE CreateFile() override;
  bool CompleteIo(HANDLE file, uintptr overlapped, DWORD bytes,
                  NTSTATUS status = nt::STATUS_SUCCESS) override;
  void Sleep(int64_t ns) override;
  void Gopark() override { Enter("Gopark"); }
  bool QueueUserApc(int thread) override;

  // --- Introspection (tests and oracles) ---
  std::vector<HandleInfo> LiveHandles() const;
  // nullptr if `h` is not an open handle of that type.
  const IoCompletion* PortAt(HANDLE h) const;
  // When a GetQueuedCompletionStatusEx timeout of wait_ns (> 0) begun now
  // ends, by the host's tick rule.
  int64_t WaitEndsAt(int64_t wait_ns) const;
  const Timer* TimerAt(HANDLE h) const;
  const WaitCompletionPacket* WaitPacketAt(HANDLE h) const;
  // The wait packet whose delivery is the kernel's next ready step, if it is one.
  const WaitCompletionPacket* NextReadyDelivery();
  // Any object the run created, open or not, by id (1 = first); nullptr if none.
  const Object* ObjectById(uint64_t id) const {
    return id >= 1 && id <= objects_.size() ? objects_[id - 1].get() : nullptr;
  }
  uint64_t calls() const { return calls_; }
  // How many times fault i of KernelConfig::faults was injected (0 or 1).
  // The thread the fault last failed a call of (0: set-up, -1: none yet).
  int FaultThread(size_t i) const {
    return i < fault_threads_.size() ? fault_threads_[i] : -1;
  }
  int64_t FaultsInjected(size_t i) const {
    return i < faults_injected_.size() ? faults_injected_[i] : 0;
  }
  // The virtual time a SetWaitableTimer due time set now expires at, before
  // the host's grid: relative (negative, 100 ns units) or absolute FILETIME.
  int64_t DueTimeAt(int64_t due) const;

  // --- Checking a run recorded on a real kernel (traces/check_real.cc) ---
  // Removes the packet at `index` of the port's queue as a dequeue does
  // (a real kernel may return packets that reached it in another order than
  // the checker learned of them). False if there is no such packet.
  bool DequeueAt(HANDLE port, size_t index, Packet* out);
  const KernelConfig& config() const { return config_; }

  // --- The systematic search's sleep sets (sim/footprint.h) ---
  // Notes in `f` every object, thread and shared counter the kernel touches
  // from now on; nullptr (the default) notes nothing.
  void SetFootprint(Footprint* f) { footprint_ = f; }
  // For observers: their own state that a kernel step changes and a thread
  // step reads (an oracle's per-M state) is shared memory too; they note it
  // here, under Footprint::Thread of the M it belongs to.
  void NoteTouch(uint64_t key) { TouchKey(key); }

  // --- KernelWork ---
  int64_t now() const override { return now_; }
  bool HasReadyWork() override;
  void RunReadyWork() override;
  std::optional<int64_t> NextEventTime() override;
  void AdvanceTo(int64_t t) override;

 private:
  struct Work {
    enum class Kind { kFireTimer, kDeliver, kWaitTimeout, kSleepWake };
    Kind kind;
    Timer* timer = nullptr;
    WaitCompletionPacket* packet = nullptr;
    SimThread* thread = nullptr;
    uint64_t generation = 0;
  };
  struct Timed {
    int64_t at;
    uint64_t seq;
    Work work;
    bool operator>(const Timed& o) const {
      return at != o.at ? at > o.at : seq > o.seq;
    }
  };
  // A thread blocked in GetQueuedCompletionStatusEx.
  struct PortWait {
    IoCompletion* port = nullptr;
    bool has_packet = false;
    Packet packet;
    DWORD error = 0;  // WAIT_TIMEOUT, ERROR_ABANDONED_WAIT_0 or WAIT_IO_COMPLETION if no packet
    bool alertable = false;  // a user-mode APC ends it [S35]
  };
  // Runs the user-mode APCs queued to `t`, if any: true if there were [S35].
  bool RunUserApcs(const SimThread& t);
  // The port (object id) `t` last dequeued from or waited on, 0 if none [S35].
  uint64_t AssociatedPort(const SimThread& t) const {
    return static_cast<size_t>(t.id) < associated_.size() ? associated_[t.id] : 0;
  }
  void Associate(const SimThread& t, uint64_t port_id) {
    if (associated_.size() <= static_cast<size_t>(t.id)) associated_.resize(t.id + 1);
    associated_[t.id] = port_id;
  }
  // [S36] A new port's concurrency value, from CreateIoCompletionPort's.
  HANDLE NewPort(DWORD NumberOfConcurrentThreads);
  // The threads associated with `port` that run (not blocked, not ended),
  // but `except`; whether they fill its concurrency value.
  int64_t RunningOn(const IoCompletion& port, const SimThread* except) const;
  bool Throttled(const IoCompletion& port, const SimThread* except) const {
    return port.concurrency != IoCompletion::kUnlimited &&
           RunningOn(port, except) >= static_cast<int64_t>(port.concurrency);
  }
  // Hands `p` to the waiter the host's order picks [S9] [S38].
  void HandOff(IoCompletion* port, const Packet& p);
  // A limited port with a waiter, a queued packet and room to run one more
  // thread: the kernel's ready work releases it [S36].
  IoCompletion* Releasable() const;

  // Footprint notes: an object (nullptr: none), a thread, or everything.
  // Only the systematic search with sleep sets asks for them.
  void Touch(const Object* o) const {
    if (ABSL_PREDICT_FALSE(footprint_ != nullptr) && o != nullptr) footprint_->Touch(o->id);
  }
  void TouchKey(uint64_t key) const {
    if (ABSL_PREDICT_FALSE(footprint_ != nullptr)) footprint_->Touch(key);
  }
  void TouchThread(const SimThread& t) const { TouchKey(Footprint::Thread(t.id)); }
  void TouchAll() const {
    if (ABSL_PREDICT_FALSE(footprint_ != nullptr)) footprint_->TouchAll();
  }
  // [S36] A limited port's hand-offs and releases depend on every thread's
  // state and port: while there is one, every step of a thread (which may
  // block, end, or move to another port) touches everything.
  void NoteThreadStep() {
    if (!limited_ports_.empty()) TouchAll();
  }
  // Wakes `t` (Scheduler::Wake), noting it.
  void Wake(SimThread& t) {
    TouchThread(t);
    sched_.Wake(t);
  }

  // The scheduling point every kernel call starts with.
  void Enter(const char* call);
  // Enter for a call a fault plan may name: the injected error when this is
  // the planned nth call of its kind (KernelConfig::faults).
  std::optional<uint32_t> EnterFaultable(const char* call);

  void SetLastError(DWORD e);
  template <typename T>
  T* Lookup(HANDLE h, ObjectType type) const;
  HANDLE Insert(std::unique_ptr<Object> obj, uint32_t access = HandleTable::kAllAccess);
  // An object type's generic mapping: the specific rights GENERIC_READ,
  // GENERIC_WRITE and GENERIC_EXECUTE stand for on it.
  struct GenericMapping {
    uint32_t read, write, execute;
  };
  // The timer's: read to query, write to modify, execute to wait [S45].
  static constexpr GenericMapping kTimerMapping{nt::TIMER_QUERY_STATE, nt::TIMER_MODIFY_STATE,
                                                nt::SYNCHRONIZE};
  // The wait packet's, alike [S47].
  static constexpr GenericMapping kWaitPacketMapping{nt::WAIT_COMPLETION_PACKET_QUERY_STATE,
                                                     nt::WAIT_COMPLETION_PACKET_MODIFY_STATE,
                                                     nt::SYNCHRONIZE};
  // The rights a handle created asking for `desired` grants: what was
  // asked, generic rights mapped; GENERIC_ALL and MAXIMUM_ALLOWED, all.
  static uint32_t GrantedAccess(uint32_t desired, GenericMapping mapping);
  bool CanQuery(HANDLE wait_packet) const {
    return (handles_.Access(Narrow(wait_packet)) & nt::WAIT_COMPLETION_PACKET_QUERY_STATE) != 0;
  }
  uint64_t NextObjectId() { return objects_.size() + 1; }
  HANDLE Narrow(HANDLE h) const;
  int64_t RoundUp(int64_t t, int64_t grid) const;
  // When something due at `due` (virtual ns, >= now) expires on a grid of
  // `grid` ns, by the host's ExpiryGrid.
  int64_t ExpiryAt(int64_t due, int64_t grid) const;
  void Emit(KernelEvent::Kind kind, int thread = -1, uint64_t object = 0,
            uintptr key = 0, uintptr overlapped = 0, int64_t value = 0);

  void Schedule(int64_t at, Work w);
  bool IsStale(const Work& w) const;
  void Run(const Work& w);

  // Object behaviour.
  void QueuePacket(IoCompletion* port, const Packet& p);
  void PickedUp(const Packet& p);
  void SignalTimer(Timer* t);
  void ReleaseTimerRef(Timer* t);
  void ArmTimer(Timer* t, int64_t fire_at);
  void DetachWaitPacket(WaitCompletionPacket* w);
  void RemoveQueued(WaitCompletionPacket* w);
  void LastHandleClosed(Object* obj);
  PortWait& WaitOf(const SimThread& t);
  int CurrentId() const;  // the calling thread's id, 0 outside any
  static int64_t SourceId(const Packet& p) {
    return p.from != nullptr ? static_cast<int64_t>(p.from->id) : 0;
  }

  // The stream of the run's seed for timer latencies (the ASCII of "latency").
  static constexpr uint64_t kLatencyStream = 0x6C6174656E6379;

  KernelConfig config_;
  Scheduler& sched_;
  Prng latency_;  // [S46]
  Observer* observer_;
  int64_t now_ = 0;
  uint64_t calls_ = 0;
  std::map<std::string, int64_t> faultable_calls_;  // made so far, by name, when faults are planned
  std::vector<int64_t> faults_injected_;  // by index in config_.faults
  std::vector<int> fault_threads_;        // by index in config_.faults
  uint64_t seq_ = 0;
  DWORD setup_last_error_ = 0;  // GetLastError outside simulated threads
  HandleTable handles_;
  std::vector<std::unique_ptr<Object>> objects_;
  std::deque<Work> ready_;
  std::priority_queue<Timed, std::vector<Timed>, std::greater<Timed>> timed_;
  std::vector<PortWait> port_waits_;  // by thread id
  std::vector<int64_t> user_apcs_;    // by thread id: queued, not yet run [S35]
  std::vector<uint64_t> associated_;  // by thread id: AssociatedPort [S35]
  std::vector<IoCompletion*> limited_ports_;  // [S36] creation order
  Footprint* footprint_ = nullptr;
};

}  // namespace iocpsim::sim

#endif  // IOCPSIM_SIM_KERNEL_H_
