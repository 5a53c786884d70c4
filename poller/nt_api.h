// The NT-API seam: every kernel call the Go poller makes, in
// netpoll_windows.go and in the per-M setup of os_windows.go (minit,
// mdestroy, loadOptionalSyscalls, initHighResTimer). The simulated kernel
// (sim/) and the Windows backend implement it; the poller calls nothing else.
//
// Signatures follow the Win32/NT prototypes so the port reads like the Go
// stdcallN lines. Pointer arguments the kernel only stores and returns (keys,
// OVERLAPPED pointers, object attributes) are addresses in the target process
// and are passed as uintptr.
#ifndef IOCPSIM_POLLER_NT_API_H_
#define IOCPSIM_POLLER_NT_API_H_

#include <cstdint>

#include "poller/nt_types.h"

namespace iocpsim::nt {

// The ntdll functions loadOptionalSyscalls looks up with windowsFindfunc.
enum class OptionalProc {
  kNtCreateWaitCompletionPacket,
  kNtAssociateWaitCompletionPacket,
  kNtCancelWaitCompletionPacket,
};

class NtApi {
 public:
  virtual ~NtApi() = default;

  // kernel32: https://learn.microsoft.com/windows/win32/fileio/createiocompletionport
  // FileHandle == INVALID_HANDLE_VALUE with ExistingCompletionPort == 0
  // creates a port; otherwise associates FileHandle with the port under
  // CompletionKey. Returns 0 on failure (see GetLastError).
  virtual HANDLE CreateIoCompletionPort(HANDLE FileHandle,
                                        HANDLE ExistingCompletionPort,
                                        uintptr CompletionKey,
                                        DWORD NumberOfConcurrentThreads) = 0;

  virtual BOOL PostQueuedCompletionStatus(HANDLE CompletionPort,
                                          DWORD dwNumberOfBytesTransferred,
                                          uintptr dwCompletionKey,
                                          uintptr lpOverlapped) = 0;

  // Removes up to ulCount packets into lpCompletionPortEntries, waiting up
  // to dwMilliseconds for the first. FALSE with WAIT_TIMEOUT on expiry.
  virtual BOOL GetQueuedCompletionStatusEx(HANDLE CompletionPort,
                                           OverlappedEntry* lpCompletionPortEntries,
                                           ULONG ulCount,
                                           ULONG* ulNumEntriesRemoved,
                                           DWORD dwMilliseconds,
                                           BOOL fAlertable) = 0;

  // Go passes lpTimerAttributes = lpTimerName = 0 (createHighResTimer).
  virtual HANDLE CreateWaitableTimerExW(uintptr lpTimerAttributes,
                                        uintptr lpTimerName, DWORD dwFlags,
                                        DWORD dwDesiredAccess) = 0;

  // *lpDueTime is in 100 ns units: negative is relative to now, positive is
  // an absolute FILETIME (UTC).
  virtual BOOL SetWaitableTimer(HANDLE hTimer, const int64_t* lpDueTime,
                                LONG lPeriod, uintptr pfnCompletionRoutine,
                                uintptr lpArgToCompletionRoutine,
                                BOOL fResume) = 0;

  virtual BOOL CloseHandle(HANDLE hObject) = 0;

  // The calling thread's last-error value.
  virtual DWORD GetLastError() = 0;

  // Whether ntdll exports the function (windowsFindfunc != nil).
  virtual bool HaveOptionalProc(OptionalProc proc) = 0;

  // ntdll: https://learn.microsoft.com/windows/win32/devnotes/ntcreatewaitcompletionpacket
  virtual NTSTATUS NtCreateWaitCompletionPacket(HANDLE* WaitCompletionPacketHandle,
                                                ACCESS_MASK DesiredAccess,
                                                uintptr ObjectAttributes) = 0;

  virtual NTSTATUS NtAssociateWaitCompletionPacket(
      HANDLE WaitCompletionPacketHandle, HANDLE IoCompletionHandle,
      HANDLE TargetObjectHandle, uintptr KeyContext, uintptr ApcContext,
      NTSTATUS IoStatus, uintptr IoStatusInformation,
      BOOLEAN* AlreadySignaled) = 0;

  virtual NTSTATUS NtCancelWaitCompletionPacket(HANDLE WaitCompletionPacketHandle,
                                                BOOLEAN RemoveSignaledPacket) = 0;
};

}  // namespace iocpsim::nt

#endif  // IOCPSIM_POLLER_NT_API_H_
