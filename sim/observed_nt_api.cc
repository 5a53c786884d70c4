#include "sim/observed_nt_api.h"

namespace iocpsim::sim {

CallRecord ObservedNtApi::Begin(const char* name, std::initializer_list<uint64_t> args) {
  CallRecord rec;
  rec.name = name;
  rec.args = args;
  return rec;
}

void ReportCall(CallClock& clock, nt::NtApi& nt, Observer& observer, CallRecord& rec,
                uint64_t result) {
  rec.result = result;
  rec.thread = clock.CallThread();
  rec.start_ns = clock.CallStartTime();
  rec.end_ns = clock.Now();
  rec.last_error = nt.GetLastError();
  observer.OnCall(rec);
}

void ReportCallStart(CallClock& clock, Observer& observer, CallRecord& rec) {
  rec.thread = clock.CallThread();
  rec.start_ns = rec.end_ns = clock.Now();
  observer.OnCallStart(rec);
}

void ObservedNtApi::End(CallRecord& rec, uint64_t result) {
  ReportCall(clock_, inner_, observer_, rec, result);
}

nt::HANDLE ObservedNtApi::CreateIoCompletionPort(nt::HANDLE FileHandle,
                                                 nt::HANDLE ExistingCompletionPort,
                                                 nt::uintptr CompletionKey,
                                                 nt::DWORD NumberOfConcurrentThreads) {
  CallRecord rec = Begin("CreateIoCompletionPort", {FileHandle, ExistingCompletionPort,
                                                     CompletionKey, NumberOfConcurrentThreads});
  nt::HANDLE r = inner_.CreateIoCompletionPort(FileHandle, ExistingCompletionPort,
                                               CompletionKey, NumberOfConcurrentThreads);
  End(rec, r);
  return r;
}

nt::BOOL ObservedNtApi::PostQueuedCompletionStatus(nt::HANDLE CompletionPort,
                                                   nt::DWORD dwNumberOfBytesTransferred,
                                                   nt::uintptr dwCompletionKey,
                                                   nt::uintptr lpOverlapped) {
  CallRecord rec = Begin("PostQueuedCompletionStatus",
                         {CompletionPort, dwNumberOfBytesTransferred, dwCompletionKey, lpOverlapped});
  nt::BOOL r = inner_.PostQueuedCompletionStatus(CompletionPort, dwNumberOfBytesTransferred,
                                                 dwCompletionKey, lpOverlapped);
  End(rec, static_cast<uint32_t>(r));
  return r;
}

nt::BOOL ObservedNtApi::GetQueuedCompletionStatusEx(nt::HANDLE CompletionPort,
                                                    nt::OverlappedEntry* entries,
                                                    nt::ULONG ulCount, nt::ULONG* removed,
                                                    nt::DWORD dwMilliseconds,
                                                    nt::BOOL fAlertable) {
  CallRecord rec = Begin("GetQueuedCompletionStatusEx",
                         {CompletionPort, ulCount, dwMilliseconds,
                          static_cast<uint32_t>(fAlertable)});
  ReportCallStart(clock_, observer_, rec);
  nt::BOOL r = inner_.GetQueuedCompletionStatusEx(CompletionPort, entries, ulCount, removed,
                                                  dwMilliseconds, fAlertable);
  if (r != nt::FALSE) {
    rec.outs = {*removed};
    rec.entries.assign(entries, entries + *removed);
  } else if (inner_.GetLastError() == nt::WAIT_TIMEOUT && *removed != 0) {
    // A timeout writes the count as well: 0 on Windows [S11], left out as it
    // always was; 1 on Wine 8 [S40], recorded so that a replay checks it.
    rec.outs = {*removed};
  }
  End(rec, static_cast<uint32_t>(r));
  return r;
}

nt::HANDLE ObservedNtApi::CreateWaitableTimerExW(nt::uintptr lpTimerAttributes,
                                                 nt::uintptr lpTimerName, nt::DWORD dwFlags,
                                                 nt::DWORD dwDesiredAccess) {
  CallRecord rec = Begin("CreateWaitableTimerExW",
                         {lpTimerAttributes, lpTimerName, dwFlags, dwDesiredAccess});
  nt::HANDLE r = inner_.CreateWaitableTimerExW(lpTimerAttributes, lpTimerName, dwFlags,
                                               dwDesiredAccess);
  End(rec, r);
  return r;
}

nt::BOOL ObservedNtApi::SetWaitableTimer(nt::HANDLE hTimer, const int64_t* lpDueTime,
                                         nt::LONG lPeriod, nt::uintptr pfnCompletionRoutine,
                                         nt::uintptr lpArgToCompletionRoutine,
                                         nt::BOOL fResume) {
  CallRecord rec = Begin("SetWaitableTimer",
                         {hTimer, lpDueTime != nullptr ? static_cast<uint64_t>(*lpDueTime) : 0,
                          static_cast<uint32_t>(lPeriod), pfnCompletionRoutine,
                          lpArgToCompletionRoutine, static_cast<uint32_t>(fResume)});
  nt::BOOL r = inner_.SetWaitableTimer(hTimer, lpDueTime, lPeriod, pfnCompletionRoutine,
                                       lpArgToCompletionRoutine, fResume);
  End(rec, static_cast<uint32_t>(r));
  return r;
}

nt::BOOL ObservedNtApi::CloseHandle(nt::HANDLE hObject) {
  CallRecord rec = Begin("CloseHandle", {hObject});
  nt::BOOL r = inner_.CloseHandle(hObject);
  End(rec, static_cast<uint32_t>(r));
  return r;
}

nt::NTSTATUS ObservedNtApi::NtCreateWaitCompletionPacket(nt::HANDLE* handle,
                                                         nt::ACCESS_MASK DesiredAccess,
                                                         nt::uintptr ObjectAttributes) {
  CallRecord rec = Begin("NtCreateWaitCompletionPacket", {DesiredAccess, ObjectAttributes});
  nt::NTSTATUS r = inner_.NtCreateWaitCompletionPacket(handle, DesiredAccess, ObjectAttributes);
  if (handle != nullptr) rec.outs = {*handle};
  End(rec, r);
  return r;
}

nt::NTSTATUS ObservedNtApi::NtAssociateWaitCompletionPacket(
    nt::HANDLE WaitCompletionPacketHandle, nt::HANDLE IoCompletionHandle,
    nt::HANDLE TargetObjectHandle, nt::uintptr KeyContext, nt::uintptr ApcContext,
    nt::NTSTATUS IoStatus, nt::uintptr IoStatusInformation, nt::BOOLEAN* AlreadySignaled) {
  CallRecord rec = Begin("NtAssociateWaitCompletionPacket",
                         {WaitCompletionPacketHandle, IoCompletionHandle, TargetObjectHandle,
                          KeyContext, ApcContext, IoStatus, IoStatusInformation});
  nt::NTSTATUS r = inner_.NtAssociateWaitCompletionPacket(
      WaitCompletionPacketHandle, IoCompletionHandle, TargetObjectHandle, KeyContext,
      ApcContext, IoStatus, IoStatusInformation, AlreadySignaled);
  if (AlreadySignaled != nullptr && r == nt::STATUS_SUCCESS) rec.outs = {*AlreadySignaled};
  End(rec, r);
  return r;
}

nt::NTSTATUS ObservedNtApi::NtCancelWaitCompletionPacket(nt::HANDLE WaitCompletionPacketHandle,
                                                         nt::BOOLEAN RemoveSignaledPacket) {
  CallRecord rec = Begin("NtCancelWaitCompletionPacket",
                         {WaitCompletionPacketHandle, RemoveSignaledPacket});
  nt::NTSTATUS r = inner_.NtCancelWaitCompletionPacket(WaitCompletionPacketHandle,
                                                       RemoveSignaledPacket);
  End(rec, r);
  return r;
}

}  // namespace iocpsim::sim
