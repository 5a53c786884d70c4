// The NT-API entry points of the simulated kernel. Each rule cites its line
// in sim/SEMANTICS.md as [Sn].
#include "sim/kernel.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <utility>

namespace iocpsim::sim {

using nt::OverlappedEntry;

namespace {
using nt::STATUS_ACCESS_VIOLATION;
using nt::STATUS_INVALID_PARAMETER_1;
using nt::STATUS_INVALID_PARAMETER_3;
using nt::STATUS_NOT_SUPPORTED;
constexpr int64_t kNsPerMs = 1'000'000;
}  // namespace

SimKernel::SimKernel(KernelConfig config, Scheduler& scheduler, Observer* observer,
                     uint64_t seed)
    : config_(config),
      sched_(scheduler),
      latency_(Prng::Stream(seed, kLatencyStream)),
      observer_(observer) {
  sched_.SetKernel(this);
}

void SimKernel::Enter(const char* call) {
  ++calls_;
  SimThread* t = sched_.current();
  if (t == nullptr) return;
  t->pending_call = call;
  sched_.Yield();
  NoteThreadStep();
  t->pending_call = nullptr;
  t->call_start_ns = now_;
}

uint32_t SimKernel::GrantedAccess(uint32_t desired, GenericMapping mapping) {
  if ((desired & (nt::GENERIC_ALL | nt::MAXIMUM_ALLOWED)) != 0) return HandleTable::kAllAccess;
  uint32_t access = desired;
  if ((desired & nt::GENERIC_READ) != 0) access |= mapping.read;
  if ((desired & nt::GENERIC_WRITE) != 0) access |= mapping.write;
  if ((desired & nt::GENERIC_EXECUTE) != 0) access |= mapping.execute;
  return access;
}

int64_t SimKernel::DueTimeAt(int64_t due) const {
  // [S14] 100 ns units; negative is relative, positive is absolute.
  // Saturate rather than overflow: due times past ~146 years of virtual time
  // all expire then.
  constexpr int64_t kNever = kClockCeilingNs;
  if (due < 0) return due < -((kNever - now_) / 100) ? kNever : now_ - due * 100;
  if (due <= config_.epoch_filetime) return 0;  // before virtual time 0: long past
  return due - config_.epoch_filetime > kNever / 100 ? kNever : (due - config_.epoch_filetime) * 100;
}

std::optional<uint32_t> SimKernel::EnterFaultable(const char* call) {
  Enter(call);
  if (config_.faults.empty()) return std::nullopt;
  const int64_t n = ++faultable_calls_[call];
  for (size_t i = 0; i < config_.faults.size(); ++i) {
    const InjectedFault& f = config_.faults[i];
    if (f.nth != n || f.call != call) continue;
    faults_injected_.resize(config_.faults.size());
    fault_threads_.resize(config_.faults.size(), -1);
    ++faults_injected_[i];
    fault_threads_[i] = sched_.current() != nullptr ? sched_.current()->id : 0;
    return f.error;
  }
  return std::nullopt;
}

void SimKernel::SetLastError(DWORD e) {
  if (SimThread* t = sched_.current()) {
    t->last_error = e;
  } else {
    setup_last_error_ = e;
  }
}

DWORD SimKernel::GetLastError() {
  SimThread* t = sched_.current();
  return t != nullptr ? t->last_error : setup_last_error_;
}

HANDLE SimKernel::Narrow(HANDLE h) const {
  return config_.ptr_size == 4 ? (h & 0xFFFFFFFFu) : h;
}

template <typename T>
T* SimKernel::Lookup(HANDLE h, ObjectType type) const {
  Object* obj = handles_.Lookup(Narrow(h));
  Touch(obj);
  return obj != nullptr && obj->type == type ? static_cast<T*>(obj) : nullptr;
}

HANDLE SimKernel::Insert(std::unique_ptr<Object> obj, uint32_t access) {
  Object* raw = obj.get();
  TouchKey(Footprint::kHandles);
  objects_.push_back(std::move(obj));
  return handles_.Insert(raw, access);
}

int64_t SimKernel::RoundUp(int64_t t, int64_t grid) const {
  return (t + grid - 1) / grid * grid;
}

int64_t SimKernel::WaitEndsAt(int64_t wait_ns) const {
  // [S41] whole ticks from the call.
  if (config_.expiry_grid == ExpiryGrid::kFromCall) return ExpiryAt(now_ + wait_ns, config_.tick_ns);
  // [S10] whole ticks counted from the last tick: a wait under one tick ends
  // at the next (possibly sooner than asked), one between one and two ticks
  // lasts between one and two, and so on (Sleep's remarks).
  const int64_t tick = config_.tick_ns;
  return now_ / tick * tick + RoundUp(wait_ns, tick);
}

int64_t SimKernel::ExpiryAt(int64_t due, int64_t grid) const {
  // [S10] [S17] the clock's grid; [S41] whole steps from now.
  if (config_.expiry_grid == ExpiryGrid::kFromCall) return now_ + RoundUp(due - now_, grid);
  return RoundUp(due, grid);
}

void SimKernel::Emit(KernelEvent::Kind kind, int thread, uint64_t object,
                     uintptr key, uintptr overlapped, int64_t value) {
  if (observer_ == nullptr) return;
  observer_->OnKernelEvent(now_, KernelEvent{kind, thread, object, key, overlapped, value});
}

int SimKernel::CurrentId() const {
  SimThread* t = sched_.current();
  return t != nullptr ? t->id : 0;
}

SimKernel::PortWait& SimKernel::WaitOf(const SimThread& t) {
  if (port_waits_.size() <= static_cast<size_t>(t.id)) port_waits_.resize(t.id + 1);
  return port_waits_[t.id];
}

// --- I/O completion ports ---

HANDLE SimKernel::CreateIoCompletionPort(HANDLE FileHandle,
                                         HANDLE ExistingCompletionPort,
                                         uintptr CompletionKey,
                                         DWORD NumberOfConcurrentThreads) {
  if (std::optional<uint32_t> e = EnterFaultable("CreateIoCompletionPort")) {
    SetLastError(*e);
    return 0;
  }
  ExistingCompletionPort = Narrow(ExistingCompletionPort);  // [S33] also the result
  const HANDLE invalid = Narrow(~HANDLE{0});
  if (Narrow(FileHandle) == invalid) {
    // [S3] create: ExistingCompletionPort must be NULL.
    if (ExistingCompletionPort != 0) {
      SetLastError(nt::ERROR_INVALID_PARAMETER);
      return 0;
    }
    return NewPort(NumberOfConcurrentThreads);
  }
  File* file = Lookup<File>(FileHandle, ObjectType::kFile);
  if (file == nullptr) {
    SetLastError(nt::ERROR_INVALID_HANDLE);  // [S2]
    return 0;
  }
  IoCompletion* port = nullptr;
  HANDLE result = ExistingCompletionPort;
  if (ExistingCompletionPort == 0) {
    // [S4] a valid file with no port: create one and associate.
    if (file->port != nullptr) {
      SetLastError(nt::ERROR_INVALID_PARAMETER);
      return 0;
    }
    result = NewPort(NumberOfConcurrentThreads);
    port = Lookup<IoCompletion>(result, ObjectType::kIoCompletion);
  } else {
    port = Lookup<IoCompletion>(ExistingCompletionPort, ObjectType::kIoCompletion);
    if (port == nullptr) {
      SetLastError(nt::ERROR_INVALID_HANDLE);  // [S2]
      return 0;
    }
  }
  if (file->port != nullptr) {
    SetLastError(nt::ERROR_INVALID_PARAMETER);  // [S5] one port per handle
    return 0;
  }
  file->port = port;
  file->key = Narrow(CompletionKey);
  return result;
}

BOOL SimKernel::PostQueuedCompletionStatus(HANDLE CompletionPort,
                                           DWORD dwNumberOfBytesTransferred,
                                           uintptr dwCompletionKey,
                                           uintptr lpOverlapped) {
  if (std::optional<uint32_t> e = EnterFaultable("PostQueuedCompletionStatus")) {
    SetLastError(*e);
    return 0;
  }
  IoCompletion* port = Lookup<IoCompletion>(CompletionPort, ObjectType::kIoCompletion);
  if (port == nullptr) {
    SetLastError(nt::ERROR_INVALID_HANDLE);  // [S2]
    return nt::FALSE;
  }
  Packet p;
  p.key = Narrow(dwCompletionKey);
  p.overlapped = Narrow(lpOverlapped);
  p.information = dwNumberOfBytesTransferred;
  QueuePacket(port, p);
  return nt::TRUE;
}

BOOL SimKernel::GetQueuedCompletionStatusEx(HANDLE CompletionPort,
                                            OverlappedEntry* entries,
                                            ULONG ulCount, ULONG* removed,
                                            DWORD dwMilliseconds, BOOL fAlertable) {
  if (std::optional<uint32_t> e = EnterFaultable("GetQueuedCompletionStatusEx")) {
    if (removed != nullptr) *removed = 0;
    SetLastError(*e);
    return nt::FALSE;
  }
  IoCompletion* port = Lookup<IoCompletion>(CompletionPort, ObjectType::kIoCompletion);
  if (port == nullptr) {
    SetLastError(nt::ERROR_INVALID_HANDLE);  // [S2]
    return nt::FALSE;
  }
  if (ulCount == 0) {
    if (config_.zero_count_succeeds) {  // [S43]
      *removed = 1;
      return nt::TRUE;
    }
    SetLastError(nt::ERROR_INVALID_PARAMETER);  // [S8]
    return nt::FALSE;
  }
  ULONG n = 0;
  auto put = [&](const Packet& p) {
    entries[n++] = OverlappedEntry{p.key, p.overlapped, p.status, p.information};
  };
  auto drain = [&] {  // [S7] up to ulCount, FIFO, without waiting
    while (n < ulCount && !port->queue.empty()) {
      Packet p = port->queue.front();
      port->queue.pop_front();
      PickedUp(p);
      put(p);
      Emit(KernelEvent::Kind::kPacketDequeued, CurrentId(), port->id, p.key, p.overlapped,
           SourceId(p));
    }
  };
  // [S35] An alertable call runs the thread's queued APCs and returns
  // without waiting when it has no entry to take: none queued, or the thread
  // is not yet associated with this port (then the APCs go first).
  SimThread* const caller = sched_.current();
  const bool alertable = fAlertable != nt::FALSE && caller != nullptr;
  auto alerted = [&] {
    if (!RunUserApcs(*caller)) return false;
    *removed = config_.removed_on_timeout;
    SetLastError(nt::WAIT_IO_COMPLETION);
    return true;
  };
  if (alertable && !config_.apcs_after_entries && AssociatedPort(*caller) != port->id &&
      alerted()) {
    return nt::FALSE;
  }
  // [S36] With as many of its threads running as its concurrency value, the
  // port gives this one nothing until one of them blocks. Whether it does
  // depends on every thread's state.
  if (port->concurrency != IoCompletion::kUnlimited) TouchAll();
  if (port->concurrency == IoCompletion::kUnlimited || !Throttled(*port, caller)) {
    drain();
  } else if (!port->queue.empty()) {
    Emit(KernelEvent::Kind::kPacketHeldBack, CurrentId(), port->id);
  }
  if (n == 0 && alertable && alerted()) return nt::FALSE;
  if (caller != nullptr) Associate(*caller, port->id);
  if (n == 0 && dwMilliseconds != 0) {
    SimThread* self = caller;
    if (self == nullptr) {
      std::fprintf(stderr, "iocpsim: blocking GetQueuedCompletionStatusEx outside a simulated thread\n");
      std::abort();
    }
    // [S9] [S38] wait; released by QueuePacket in the host's order. [S10]
    // [S41] timeouts end on a tick.
    PortWait& w = WaitOf(*self);
    w = PortWait{};
    w.port = port;
    w.alertable = fAlertable != nt::FALSE;
    port->waiters.push_back(self);
    Emit(KernelEvent::Kind::kThreadBlocked, self->id, port->id);
    if (dwMilliseconds != nt::INFINITE) {
      const int64_t at = WaitEndsAt(int64_t{dwMilliseconds} * kNsPerMs);
      Schedule(at, Work{Work::Kind::kWaitTimeout, nullptr, nullptr, self,
                        self->wait_generation});
    }
    sched_.Block();
    // A new step: it takes what the port handed over, and drains it.
    NoteThreadStep();
    Touch(port);
    PortWait done = WaitOf(*self);
    if (!done.has_packet) {
      // [S11] [S40] WAIT_TIMEOUT; [S35] alerted, counted as a timeout is;
      // [S12] abandoned.
      *removed = done.error == nt::WAIT_TIMEOUT || done.error == nt::WAIT_IO_COMPLETION
                     ? config_.removed_on_timeout
                     : 0;
      SetLastError(done.error);
      return nt::FALSE;
    }
    put(done.packet);  // handed over (and picked up) when it was queued
    drain();
  }
  if (n == 0) {
    *removed = config_.removed_on_timeout;  // [S11] [S40] zero timeout, empty queue
    SetLastError(nt::WAIT_TIMEOUT);
    return nt::FALSE;
  }
  *removed = n;
  return nt::TRUE;
}

bool SimKernel::DequeueAt(HANDLE CompletionPort, size_t index, Packet* out) {
  IoCompletion* port = Lookup<IoCompletion>(CompletionPort, ObjectType::kIoCompletion);
  if (port == nullptr || index >= port->queue.size()) return false;
  *out = port->queue[index];
  port->queue.erase(port->queue.begin() + static_cast<std::ptrdiff_t>(index));
  PickedUp(*out);
  Emit(KernelEvent::Kind::kPacketDequeued, CurrentId(), port->id, out->key, out->overlapped,
       SourceId(*out));
  return true;
}

// --- Waitable timers ---

HANDLE SimKernel::CreateWaitableTimerExW(uintptr lpTimerAttributes,
                                         uintptr lpTimerName, DWORD dwFlags,
                                         DWORD dwDesiredAccess) {
  if (std::optional<uint32_t> e = EnterFaultable("CreateWaitableTimerExW")) {
    SetLastError(*e);
    return 0;
  }
  if (lpTimerAttributes != 0 || lpTimerName != 0) {
    SetLastError(nt::ERROR_NOT_SUPPORTED);  // [S29] not modelled
    return 0;
  }
  const DWORD known = nt::CREATE_WAITABLE_TIMER_MANUAL_RESET |
                      nt::CREATE_WAITABLE_TIMER_HIGH_RESOLUTION;
  if (((dwFlags & ~known) != 0 && !config_.unknown_timer_flags_ignored) ||  // [S44]
      ((dwFlags & nt::CREATE_WAITABLE_TIMER_HIGH_RESOLUTION) != 0 &&
       !config_.high_resolution_timers)) {
    SetLastError(nt::ERROR_INVALID_PARAMETER);  // [S13]
    return 0;
  }
  return Insert(std::make_unique<Timer>(
                    NextObjectId(), (dwFlags & nt::CREATE_WAITABLE_TIMER_MANUAL_RESET) != 0,
                    (dwFlags & nt::CREATE_WAITABLE_TIMER_HIGH_RESOLUTION) != 0),
                GrantedAccess(dwDesiredAccess, kTimerMapping));  // [S45] what was asked
}

BOOL SimKernel::SetWaitableTimer(HANDLE hTimer, const int64_t* lpDueTime,
                                 nt::LONG lPeriod, uintptr pfnCompletionRoutine,
                                 uintptr lpArgToCompletionRoutine, BOOL fResume) {
  if (std::optional<uint32_t> e = EnterFaultable("SetWaitableTimer")) {
    SetLastError(*e);
    return 0;
  }
  Timer* t = Lookup<Timer>(hTimer, ObjectType::kTimer);
  if (t == nullptr) {
    SetLastError(nt::ERROR_INVALID_HANDLE);  // [S2]
    return nt::FALSE;
  }
  if ((handles_.Access(Narrow(hTimer)) & nt::TIMER_MODIFY_STATE) == 0) {
    SetLastError(nt::ERROR_ACCESS_DENIED);  // [S45]
    return nt::FALSE;
  }
  if (lpDueTime == nullptr || lPeriod < 0) {
    SetLastError(nt::ERROR_INVALID_PARAMETER);  // [S16]
    return nt::FALSE;
  }
  if (pfnCompletionRoutine != 0) {
    SetLastError(nt::ERROR_NOT_SUPPORTED);  // [S29] APCs not modelled
    return nt::FALSE;
  }
  // [S15] setting cancels the old due time and clears the signal.
  ++t->generation;
  t->armed = false;
  if (t->signaled) {
    t->signaled = false;
    Emit(KernelEvent::Kind::kTimerReset, -1, t->id);
  }
  t->period_ns = int64_t{lPeriod} * kNsPerMs;
  const int64_t target = DueTimeAt(*lpDueTime);
  // [S48] a host that ignores fResume says so, and still succeeds.
  if (fResume != 0 && config_.wake_timers_ignored) SetLastError(nt::ERROR_TIMER_RESUME_IGNORED);
  int64_t next = target;
  if (target <= now_) {
    SignalTimer(t);  // [S17] already due: signaled at once
    if (t->period_ns == 0) return nt::TRUE;
    next = now_ + t->period_ns;
  }
  // [S48] with fResume it is a wake timer until it fires or is set again.
  if (fResume != 0 && !config_.wake_timers_ignored) {
    Emit(KernelEvent::Kind::kWakeTimerArmed, CurrentId(), t->id, 0, 0, next);
  }
  ArmTimer(t, next);
  return nt::TRUE;
}

// --- Handles ---

BOOL SimKernel::CloseHandle(HANDLE hObject) {
  if (std::optional<uint32_t> e = EnterFaultable("CloseHandle")) {
    SetLastError(*e);
    return 0;
  }
  TouchAll();  // the handle table; a last close reaches waiters, packets and targets
  Object* obj = handles_.Remove(Narrow(hObject));
  if (obj == nullptr) {
    SetLastError(nt::ERROR_INVALID_HANDLE);  // [S1]
    return nt::FALSE;
  }
  if (obj->handles == 0) LastHandleClosed(obj);
  return nt::TRUE;
}

bool SimKernel::HaveOptionalProc(nt::OptionalProc proc) {
  switch (proc) {  // [S28]
    case nt::OptionalProc::kNtCreateWaitCompletionPacket:
      return config_.have_NtCreateWaitCompletionPacket;
    case nt::OptionalProc::kNtAssociateWaitCompletionPacket:
      return config_.have_NtAssociateWaitCompletionPacket;
    case nt::OptionalProc::kNtCancelWaitCompletionPacket:
      return config_.have_NtCancelWaitCompletionPacket;
  }
  return false;
}

// --- Wait completion packets ---

NTSTATUS SimKernel::NtCreateWaitCompletionPacket(HANDLE* WaitCompletionPacketHandle,
                                                 nt::ACCESS_MASK DesiredAccess,
                                                 uintptr ObjectAttributes) {
  if (std::optional<uint32_t> e = EnterFaultable("NtCreateWaitCompletionPacket")) return static_cast<NTSTATUS>(*e);
  if (!config_.have_NtCreateWaitCompletionPacket) return nt::STATUS_PROCEDURE_NOT_FOUND;  // [S28]
  if (WaitCompletionPacketHandle == nullptr) return STATUS_ACCESS_VIOLATION;
  if (ObjectAttributes != 0) return STATUS_NOT_SUPPORTED;  // [S29]
  *WaitCompletionPacketHandle = Insert(std::make_unique<WaitCompletionPacket>(NextObjectId()),
                                       GrantedAccess(DesiredAccess, kWaitPacketMapping));  // [S47]
  return nt::STATUS_SUCCESS;
}

NTSTATUS SimKernel::NtAssociateWaitCompletionPacket(
    HANDLE WaitCompletionPacketHandle, HANDLE IoCompletionHandle,
    HANDLE TargetObjectHandle, uintptr KeyContext, uintptr ApcContext,
    NTSTATUS IoStatus, uintptr IoStatusInformation, BOOLEAN* AlreadySignaled) {
  if (std::optional<uint32_t> e = EnterFaultable("NtAssociateWaitCompletionPacket")) return static_cast<NTSTATUS>(*e);
  if (!config_.have_NtAssociateWaitCompletionPacket) return nt::STATUS_PROCEDURE_NOT_FOUND;
  // [S18] handle errors, in parameter order.
  Object* wobj = handles_.Lookup(Narrow(WaitCompletionPacketHandle));
  Touch(wobj);
  if (wobj == nullptr) return nt::STATUS_INVALID_HANDLE;
  if (wobj->type != ObjectType::kWaitCompletionPacket) return nt::STATUS_OBJECT_TYPE_MISMATCH;
  if (!CanQuery(WaitCompletionPacketHandle)) return nt::STATUS_ACCESS_DENIED;  // [S47]
  Object* pobj = handles_.Lookup(Narrow(IoCompletionHandle));
  Touch(pobj);
  if (pobj == nullptr) return nt::STATUS_INVALID_HANDLE;
  if (pobj->type != ObjectType::kIoCompletion) return nt::STATUS_OBJECT_TYPE_MISMATCH;
  Object* tobj = handles_.Lookup(Narrow(TargetObjectHandle));
  Touch(tobj);
  if (tobj == nullptr) return nt::STATUS_INVALID_HANDLE;
  if (tobj->type != ObjectType::kTimer) return STATUS_INVALID_PARAMETER_3;  // [S19]
  if ((handles_.Access(Narrow(TargetObjectHandle)) & nt::SYNCHRONIZE) == 0) {
    return nt::STATUS_ACCESS_DENIED;  // [S45] waiting on the timer needs SYNCHRONIZE
  }
  auto* w = static_cast<WaitCompletionPacket*>(wobj);
  auto* port = static_cast<IoCompletion*>(pobj);
  auto* target = static_cast<Timer*>(tobj);
  if (w->state != WaitCompletionPacket::State::kIdle) {
    return STATUS_INVALID_PARAMETER_1;  // [S20] already in use
  }
  w->port = port;
  w->target = target;
  w->packet = Packet{Narrow(KeyContext), Narrow(ApcContext), IoStatus,
                     static_cast<uint32_t>(IoStatusInformation), w};
  if (target->signaled) {
    // [S21] already signaled: satisfy the wait and queue at once.
    if (!target->manual_reset) {
      target->signaled = false;
      Emit(KernelEvent::Kind::kTimerReset, -1, target->id);
    }
    w->state = WaitCompletionPacket::State::kQueued;
    QueuePacket(port, w->packet);
    if (AlreadySignaled != nullptr) *AlreadySignaled = 1;
    return nt::STATUS_SUCCESS;
  }
  // [S22] wait for the target.
  w->state = WaitCompletionPacket::State::kWaiting;
  target->waits.push_back(w);
  if (AlreadySignaled != nullptr) *AlreadySignaled = 0;
  return nt::STATUS_SUCCESS;
}

NTSTATUS SimKernel::NtCancelWaitCompletionPacket(HANDLE WaitCompletionPacketHandle,
                                                 BOOLEAN RemoveSignaledPacket) {
  if (std::optional<uint32_t> e = EnterFaultable("NtCancelWaitCompletionPacket")) return static_cast<NTSTATUS>(*e);
  if (!config_.have_NtCancelWaitCompletionPacket) return nt::STATUS_PROCEDURE_NOT_FOUND;
  Object* obj = handles_.Lookup(Narrow(WaitCompletionPacketHandle));
  Touch(obj);
  if (obj == nullptr) return nt::STATUS_INVALID_HANDLE;  // [S18]
  if (obj->type != ObjectType::kWaitCompletionPacket) return nt::STATUS_OBJECT_TYPE_MISMATCH;
  if (!CanQuery(WaitCompletionPacketHandle)) return nt::STATUS_ACCESS_DENIED;  // [S47]
  auto* w = static_cast<WaitCompletionPacket*>(obj);
  switch (w->state) {
    case WaitCompletionPacket::State::kIdle:
      return nt::STATUS_CANCELLED;  // [S23] never associated, or picked up
    case WaitCompletionPacket::State::kWaiting:
      DetachWaitPacket(w);  // [S24]
      return nt::STATUS_SUCCESS;
    case WaitCompletionPacket::State::kInFlight:
      return nt::STATUS_PENDING;  // [S25] being satisfied right now
    case WaitCompletionPacket::State::kQueued:
      if (!RemoveSignaledPacket) return nt::STATUS_PENDING;  // [S26]
      RemoveQueued(w);  // [S26]
      return nt::STATUS_SUCCESS;
  }
  return nt::STATUS_INVALID_PARAMETER;
}

// --- The world outside the poller ---

HANDLE SimKernel::CreateFile() {
  Enter("CreateFile");
  return Insert(std::make_unique<File>(NextObjectId()));
}

bool SimKernel::CompleteIo(HANDLE file_handle, uintptr overlapped, DWORD bytes,
                           NTSTATUS status) {
  Enter("CompleteIo");
  File* file = Lookup<File>(file_handle, ObjectType::kFile);
  if (file == nullptr) {
    SetLastError(nt::ERROR_INVALID_HANDLE);  // [S2]
    return false;
  }
  if (file->port == nullptr) return true;  // [S6]
  QueuePacket(file->port, Packet{file->key, Narrow(overlapped), status, bytes});  // [S12] if closed
  return true;
}

void SimKernel::Sleep(int64_t ns) {
  Enter("Sleep");
  SimThread* self = sched_.current();
  if (self == nullptr) {
    std::fprintf(stderr, "iocpsim: Sleep outside a simulated thread\n");
    std::abort();
  }
  Emit(KernelEvent::Kind::kThreadBlocked, self->id);
  constexpr int64_t kNever = kClockCeilingNs;
  Schedule(ns >= kNever - now_ ? kNever : now_ + std::max<int64_t>(ns, 0),
           Work{Work::Kind::kSleepWake, nullptr, nullptr, self, self->wait_generation});
  sched_.Block();
  NoteThreadStep();
}

bool SimKernel::QueueUserApc(int thread) {
  Enter("QueueUserApc");
  if (thread < 1 || static_cast<size_t>(thread) > sched_.thread_count()) {
    SetLastError(nt::ERROR_INVALID_HANDLE);  // [S2] no such thread
    return false;
  }
  SimThread& t = sched_.thread(thread);
  TouchThread(t);
  if (t.state == SimThread::State::kFinished) {
    SetLastError(nt::ERROR_GEN_FAILURE);  // [S35] the thread has ended
    return false;
  }
  if (user_apcs_.size() <= static_cast<size_t>(thread)) user_apcs_.resize(thread + 1);
  ++user_apcs_[thread];
  // [S35] A thread in an alertable wait runs it at once; the wait ends.
  PortWait& w = WaitOf(t);
  if (t.state != SimThread::State::kBlocked || !w.alertable || w.port == nullptr) return true;
  Touch(w.port);
  auto& waiters = w.port->waiters;
  auto it = std::find(waiters.begin(), waiters.end(), &t);
  if (it == waiters.end()) return true;  // its wait has already ended
  waiters.erase(it);
  RunUserApcs(t);
  w.error = nt::WAIT_IO_COMPLETION;
  Wake(t);
  Emit(KernelEvent::Kind::kWaitAlerted, t.id, w.port->id);
  return true;
}

HANDLE SimKernel::NewPort(DWORD NumberOfConcurrentThreads) {
  auto port = std::make_unique<IoCompletion>(NextObjectId());
  // [S36] 0 is as many as the host has processors; Wine 8 ignores the value.
  if (config_.concurrency_limited) {
    port->concurrency =
        NumberOfConcurrentThreads == 0 ? config_.processors : NumberOfConcurrentThreads;
  }
  if (port->concurrency != IoCompletion::kUnlimited) limited_ports_.push_back(port.get());
  return Insert(std::move(port));
}

int64_t SimKernel::RunningOn(const IoCompletion& port, const SimThread* except) const {
  int64_t n = 0;
  for (size_t id = 1; id < associated_.size(); ++id) {
    if (associated_[id] != port.id) continue;
    const SimThread& t = sched_.thread(static_cast<int>(id));
    n += &t != except && t.state == SimThread::State::kRunnable;
  }
  return n;
}

IoCompletion* SimKernel::Releasable() const {
  for (IoCompletion* port : limited_ports_) {
    if (!port->closed && !port->waiters.empty() && !port->queue.empty() &&
        !Throttled(*port, nullptr)) {
      return port;
    }
  }
  return nullptr;
}

bool SimKernel::RunUserApcs(const SimThread& t) {
  if (user_apcs_.size() <= static_cast<size_t>(t.id) || user_apcs_[t.id] == 0) return false;
  user_apcs_[t.id] = 0;  // each runs, in FIFO order; they do nothing the model sees
  return true;
}

// --- Introspection ---

std::vector<HandleInfo> SimKernel::LiveHandles() const {
  std::vector<HandleInfo> out;
  for (const auto& [h, obj] : handles_.Live()) out.push_back({h, obj->type, obj->id});
  return out;
}

const IoCompletion* SimKernel::PortAt(HANDLE h) const {
  return Lookup<IoCompletion>(h, ObjectType::kIoCompletion);
}
const Timer* SimKernel::TimerAt(HANDLE h) const {
  return Lookup<Timer>(h, ObjectType::kTimer);
}
const WaitCompletionPacket* SimKernel::WaitPacketAt(HANDLE h) const {
  return Lookup<WaitCompletionPacket>(h, ObjectType::kWaitCompletionPacket);
}

}  // namespace iocpsim::sim
