#include "win32/real_nt_api.h"

#include <windows.h>

#include <cstring>
#include <vector>

#include "absl/strings/str_cat.h"

namespace iocpsim::win32 {
namespace {

static_assert(sizeof(OVERLAPPED) == sizeof(OverlappedStorage), "OverlappedStorage size");
static_assert(sizeof(OVERLAPPED_ENTRY) == sizeof(nt::OverlappedEntry),
              "OVERLAPPED_ENTRY and nt::OverlappedEntry must match");

// The calling thread's last error after the backend's latest real call:
// saved at once, so nothing the backend does afterwards can change it.
thread_local DWORD last_error = 0;

HANDLE H(nt::HANDLE h) { return reinterpret_cast<HANDLE>(static_cast<uintptr_t>(h)); }
nt::HANDLE N(HANDLE h) { return static_cast<nt::HANDLE>(reinterpret_cast<uintptr_t>(h)); }

// GetQueuedCompletionStatusEx's entries up to this many are taken on the
// stack.
constexpr ULONG kStackEntries = 64;

}  // namespace

RealNtApi::RealNtApi(RealNtApiOptions options, RealClock& clock)
    : options_(options), clock_(clock) {
  // windowsFindfunc: GetProcAddress on ntdll (os_windows.go loadOptionalSyscalls).
  HMODULE ntdll = ::GetModuleHandleW(L"ntdll.dll");
  if (ntdll != nullptr && !options_.hide_wait_packets) {
    create_ = reinterpret_cast<CreateFn>(
        reinterpret_cast<void*>(::GetProcAddress(ntdll, "NtCreateWaitCompletionPacket")));
    associate_ = reinterpret_cast<AssociateFn>(
        reinterpret_cast<void*>(::GetProcAddress(ntdll, "NtAssociateWaitCompletionPacket")));
    cancel_ = reinterpret_cast<CancelFn>(
        reinterpret_cast<void*>(::GetProcAddress(ntdll, "NtCancelWaitCompletionPacket")));
  }
}

RealNtApi::~RealNtApi() {
  // A real I/O cancelled by closing its socket completes asynchronously and
  // may still write its OVERLAPPED after the socket is gone: the storage is
  // never handed back (32 bytes per I/O that was ever in flight at once).
  absl::MutexLock lock(&mu_);
  new std::deque<OverlappedStorage>(std::move(overlapped_store_));
}

void RealNtApi::SetError(unsigned long e) { last_error = e; }

thread_local bool RealNtApi::has_turn_ = false;

RealNtApi::CallScope::CallScope(RealNtApi& nt, const char* name)
    : nt_(nt), thread_(nt.clock_.CallThread()) {
  if (nt_.torn_down_.load()) throw TornDown{};
  if (has_turn_) {
    has_turn_ = false;
    gave_turn_ = true;
    nt_.model_mu_.Unlock();
  }
  ++nt_.calls_;
  nt_.clock_.MarkCallStart();
  absl::MutexLock lock(&nt_.mu_);
  nt_.in_call_[thread_] = name;
}

RealNtApi::CallScope::~CallScope() {
  {
    absl::MutexLock lock(&nt_.mu_);
    nt_.in_call_.erase(thread_);
  }
  if (gave_turn_) {
    nt_.model_mu_.Lock();
    has_turn_ = true;
  }
}

RealNtApi::ModelTurn::ModelTurn(RealNtApi& nt) : nt_(nt) {
  nt_.model_mu_.Lock();
  has_turn_ = true;
}

RealNtApi::ModelTurn::~ModelTurn() {
  // A call that threw (TornDown) took the turn back as it unwound.
  has_turn_ = false;
  nt_.model_mu_.Unlock();
}

std::string RealNtApi::InCalls() const {
  absl::MutexLock lock(&mu_);
  std::string out;
  for (const auto& [thread, name] : in_call_) {
    absl::StrAppend(&out, out.empty() ? "" : ", ", "T", thread, " in ", name);
  }
  return out;
}

nt::HANDLE RealNtApi::CreateIoCompletionPort(nt::HANDLE FileHandle,
                                             nt::HANDLE ExistingCompletionPort,
                                             nt::uintptr CompletionKey,
                                             nt::DWORD NumberOfConcurrentThreads) {
  CallScope scope(*this, __func__);
  HANDLE h = ::CreateIoCompletionPort(H(FileHandle), H(ExistingCompletionPort),
                                      static_cast<ULONG_PTR>(CompletionKey),
                                      NumberOfConcurrentThreads);
  SetError(::GetLastError());
  return N(h);
}

nt::BOOL RealNtApi::PostQueuedCompletionStatus(nt::HANDLE CompletionPort,
                                               nt::DWORD dwNumberOfBytesTransferred,
                                               nt::uintptr dwCompletionKey,
                                               nt::uintptr lpOverlapped) {
  CallScope scope(*this, __func__);
  // The kernel stores lpOverlapped and hands it back; it never reads it.
  BOOL ok = ::PostQueuedCompletionStatus(H(CompletionPort), dwNumberOfBytesTransferred,
                                         static_cast<ULONG_PTR>(dwCompletionKey),
                                         reinterpret_cast<LPOVERLAPPED>(lpOverlapped));
  SetError(::GetLastError());
  return ok;
}

nt::BOOL RealNtApi::GetQueuedCompletionStatusEx(nt::HANDLE CompletionPort,
                                                nt::OverlappedEntry* lpCompletionPortEntries,
                                                nt::ULONG ulCount,
                                                nt::ULONG* ulNumEntriesRemoved,
                                                nt::DWORD dwMilliseconds, nt::BOOL fAlertable) {
  CallScope scope(*this, __func__);
  // Go asks for at most 64; a replayed trace may ask for more (the replay
  // bounds it).
  OVERLAPPED_ENTRY small[kStackEntries];
  std::vector<OVERLAPPED_ENTRY> large(ulCount > kStackEntries ? ulCount : 0);
  OVERLAPPED_ENTRY* entries = ulCount > kStackEntries ? large.data() : small;
  ULONG removed = 0;
  {
    absl::MutexLock lock(&mu_);
    ++waiting_ports_[CompletionPort];
    if (dwMilliseconds == INFINITE) ++infinite_waiters_;
  }
  BOOL ok = ::GetQueuedCompletionStatusEx(H(CompletionPort), entries, ulCount, &removed,
                                          dwMilliseconds, fAlertable);
  const DWORD err = ::GetLastError();
  {
    absl::MutexLock lock(&mu_);
    if (--waiting_ports_[CompletionPort] == 0) waiting_ports_.erase(CompletionPort);
    if (dwMilliseconds == INFINITE) --infinite_waiters_;
  }
  if (torn_down_.load()) throw TornDown{};
  // Removed is what the host wrote: Windows leaves 0 on a timeout, Wine 8 1.
  *ulNumEntriesRemoved = removed;
  for (ULONG i = 0; ok && i < removed && i < ulCount; ++i) {
    nt::OverlappedEntry& e = lpCompletionPortEntries[i];
    e.lpCompletionKey = entries[i].lpCompletionKey;
    e.lpOverlapped = Translate(reinterpret_cast<uintptr_t>(entries[i].lpOverlapped));
    e.Internal = entries[i].Internal;
    e.dwNumberOfBytesTransferred = entries[i].dwNumberOfBytesTransferred;
  }
  SetError(err);
  return ok;
}

nt::uintptr RealNtApi::Translate(nt::uintptr ov) {
  absl::MutexLock lock(&mu_);
  auto it = target_of_.find(static_cast<uintptr_t>(ov));
  if (it == target_of_.end()) return ov;
  const nt::uintptr target = it->second;
  free_.push_back(reinterpret_cast<void*>(it->first));
  target_of_.erase(it);
  return target;
}

absl::StatusOr<void*> RealNtApi::NewOverlapped(nt::uintptr target) {
  absl::MutexLock lock(&mu_);
  if (target_of_.size() >= kMaxInFlightIo) {
    return absl::ResourceExhaustedError(
        absl::StrCat("more than ", kMaxInFlightIo, " real I/Os in flight"));
  }
  void* ov;
  if (!free_.empty()) {
    ov = free_.back();
    free_.pop_back();
  } else {
    ov = &overlapped_store_.emplace_back();
  }
  std::memset(ov, 0, sizeof(OVERLAPPED));
  target_of_[reinterpret_cast<uintptr_t>(ov)] = target;
  return ov;
}

void RealNtApi::ReleaseOverlapped(void* ov) {
  absl::MutexLock lock(&mu_);
  if (target_of_.erase(reinterpret_cast<uintptr_t>(ov)) > 0) free_.push_back(ov);
}

bool RealNtApi::IoCompleted(void* ov) const {
  absl::MutexLock lock(&mu_);
  return target_of_.count(reinterpret_cast<uintptr_t>(ov)) == 0 ||
         HasOverlappedIoCompleted(static_cast<OVERLAPPED*>(ov));
}

nt::HANDLE RealNtApi::CreateWaitableTimerExW(nt::uintptr lpTimerAttributes,
                                             nt::uintptr lpTimerName, nt::DWORD dwFlags,
                                             nt::DWORD dwDesiredAccess) {
  CallScope scope(*this, __func__);
  // Go passes neither; from a trace they would be addresses in another
  // process, which this one cannot read.
  if (lpTimerAttributes != 0 || lpTimerName != 0) {
    SetError(ERROR_NOT_SUPPORTED);
    return 0;
  }
  HANDLE h = ::CreateWaitableTimerExW(nullptr, nullptr, dwFlags, dwDesiredAccess);
  SetError(::GetLastError());
  return N(h);
}

nt::BOOL RealNtApi::SetWaitableTimer(nt::HANDLE hTimer, const int64_t* lpDueTime,
                                     nt::LONG lPeriod, nt::uintptr pfnCompletionRoutine,
                                     nt::uintptr lpArgToCompletionRoutine, nt::BOOL fResume) {
  CallScope scope(*this, __func__);
  // A completion routine would be code in the simulated heap: refuse it.
  if (pfnCompletionRoutine != 0 || lpArgToCompletionRoutine != 0 || lpDueTime == nullptr) {
    SetError(ERROR_NOT_SUPPORTED);
    return FALSE;
  }
  LARGE_INTEGER due;
  due.QuadPart = *lpDueTime;
  BOOL ok = ::SetWaitableTimer(H(hTimer), &due, lPeriod, nullptr, nullptr, fResume);
  SetError(::GetLastError());
  return ok;
}

nt::BOOL RealNtApi::CloseHandle(nt::HANDLE hObject) {
  CallScope scope(*this, __func__);
  if (close_hook_) close_hook_(hObject);
  BOOL ok = ::CloseHandle(H(hObject));
  SetError(::GetLastError());
  return ok;
}

nt::DWORD RealNtApi::GetLastError() { return last_error; }

bool RealNtApi::HaveOptionalProc(nt::OptionalProc proc) {
  switch (proc) {
    case nt::OptionalProc::kNtCreateWaitCompletionPacket:
      return create_ != nullptr;
    case nt::OptionalProc::kNtAssociateWaitCompletionPacket:
      return associate_ != nullptr;
    case nt::OptionalProc::kNtCancelWaitCompletionPacket:
      return cancel_ != nullptr;
  }
  return false;
}

nt::NTSTATUS RealNtApi::NtCreateWaitCompletionPacket(nt::HANDLE* WaitCompletionPacketHandle,
                                                     nt::ACCESS_MASK DesiredAccess,
                                                     nt::uintptr ObjectAttributes) {
  CallScope scope(*this, __func__);
  if (create_ == nullptr) return nt::STATUS_PROCEDURE_NOT_FOUND;
  if (ObjectAttributes != 0) return nt::STATUS_NOT_SUPPORTED;  // Go passes nil
  void* h = nullptr;
  const nt::NTSTATUS st = static_cast<nt::NTSTATUS>(create_(&h, DesiredAccess, nullptr));
  *WaitCompletionPacketHandle = N(h);
  return st;
}

nt::NTSTATUS RealNtApi::NtAssociateWaitCompletionPacket(
    nt::HANDLE WaitCompletionPacketHandle, nt::HANDLE IoCompletionHandle,
    nt::HANDLE TargetObjectHandle, nt::uintptr KeyContext, nt::uintptr ApcContext,
    nt::NTSTATUS IoStatus, nt::uintptr IoStatusInformation, nt::BOOLEAN* AlreadySignaled) {
  CallScope scope(*this, __func__);
  if (associate_ == nullptr) return nt::STATUS_PROCEDURE_NOT_FOUND;
  // KeyContext and ApcContext become the packet's key and OVERLAPPED: stored
  // and handed back, never read.
  unsigned char signaled = 0;
  const nt::NTSTATUS st = static_cast<nt::NTSTATUS>(associate_(
      H(WaitCompletionPacketHandle), H(IoCompletionHandle), H(TargetObjectHandle),
      reinterpret_cast<void*>(static_cast<uintptr_t>(KeyContext)),
      reinterpret_cast<void*>(static_cast<uintptr_t>(ApcContext)), static_cast<long>(IoStatus),
      static_cast<uintptr_t>(IoStatusInformation), &signaled));
  if (AlreadySignaled != nullptr) *AlreadySignaled = signaled;
  if (st == nt::STATUS_SUCCESS) wait_packet_armed_.store(true);
  return st;
}

nt::NTSTATUS RealNtApi::NtCancelWaitCompletionPacket(nt::HANDLE WaitCompletionPacketHandle,
                                                     nt::BOOLEAN RemoveSignaledPacket) {
  CallScope scope(*this, __func__);
  if (cancel_ == nullptr) return nt::STATUS_PROCEDURE_NOT_FOUND;
  return static_cast<nt::NTSTATUS>(cancel_(H(WaitCompletionPacketHandle), RemoveSignaledPacket));
}

RealNtApi::Activity RealNtApi::activity() const {
  absl::MutexLock lock(&mu_);
  return Activity{calls_.load(), infinite_waiters_, target_of_.size(), wait_packet_armed_.load()};
}

void RealNtApi::TearDown() {
  torn_down_.store(true);
  std::map<nt::HANDLE, int> ports;
  {
    absl::MutexLock lock(&mu_);
    ports = waiting_ports_;
  }
  for (const auto& [port, n] : ports) {
    for (int i = 0; i < n; ++i) ::PostQueuedCompletionStatus(H(port), 0, 0, nullptr);
  }
}


}  // namespace iocpsim::win32
