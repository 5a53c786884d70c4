// Windows and NT types, constants and status codes used by the Go poller,
// with the values Windows gives them. Pointer-sized values are carried as
// uint64_t whatever the simulated target's pointer size (see Goarch).
#ifndef IOCPSIM_POLLER_NT_TYPES_H_
#define IOCPSIM_POLLER_NT_TYPES_H_

#include <cstdint>

namespace iocpsim::nt {

using uintptr = uint64_t;  // ULONG_PTR / HANDLE / pointer on the target
using HANDLE = uintptr;
using DWORD = uint32_t;
using ULONG = uint32_t;
using LONG = int32_t;
using BOOL = int32_t;  // Win32 BOOL: 0 is FALSE
using BOOLEAN = uint8_t;
using ACCESS_MASK = uint32_t;
// NTSTATUS is a LONG; kept unsigned so values read as Go's constants do
// (netpoll_windows.go compares against 0xC0000120).
using NTSTATUS = uint32_t;

inline constexpr BOOL FALSE = 0;
inline constexpr BOOL TRUE = 1;
inline constexpr DWORD INFINITE = 0xFFFFFFFF;

// Win32 error codes (winerror.h).
inline constexpr DWORD ERROR_SUCCESS = 0;
inline constexpr DWORD ERROR_ACCESS_DENIED = 5;
inline constexpr DWORD ERROR_INVALID_HANDLE = 6;
inline constexpr DWORD ERROR_GEN_FAILURE = 31;
inline constexpr DWORD ERROR_NOT_SUPPORTED = 50;
inline constexpr DWORD ERROR_INVALID_PARAMETER = 87;
inline constexpr DWORD WAIT_IO_COMPLETION = 192;
inline constexpr DWORD WAIT_TIMEOUT = 258;
inline constexpr DWORD ERROR_TIMER_RESUME_IGNORED = 722;
inline constexpr DWORD ERROR_ABANDONED_WAIT_0 = 735;

// NTSTATUS values (ntstatus.h).
inline constexpr NTSTATUS STATUS_SUCCESS = 0x00000000;
inline constexpr NTSTATUS STATUS_PENDING = 0x00000103;
inline constexpr NTSTATUS STATUS_INVALID_HANDLE = 0xC0000008;
inline constexpr NTSTATUS STATUS_INVALID_PARAMETER = 0xC000000D;
inline constexpr NTSTATUS STATUS_ACCESS_DENIED = 0xC0000022;
inline constexpr NTSTATUS STATUS_OBJECT_TYPE_MISMATCH = 0xC0000024;
inline constexpr NTSTATUS STATUS_PROCEDURE_NOT_FOUND = 0xC000007A;
inline constexpr NTSTATUS STATUS_CANCELLED = 0xC0000120;
inline constexpr NTSTATUS STATUS_ACCESS_VIOLATION = 0xC0000005;
inline constexpr NTSTATUS STATUS_NOT_SUPPORTED = 0xC00000BB;
inline constexpr NTSTATUS STATUS_INVALID_PARAMETER_1 = 0xC00000EF;
inline constexpr NTSTATUS STATUS_INVALID_PARAMETER_3 = 0xC00000F1;

// CreateWaitableTimerExW dwFlags (synchapi.h).
inline constexpr DWORD CREATE_WAITABLE_TIMER_MANUAL_RESET = 0x00000001;
inline constexpr DWORD CREATE_WAITABLE_TIMER_HIGH_RESOLUTION = 0x00000002;

// Access rights (winnt.h).
inline constexpr ACCESS_MASK TIMER_QUERY_STATE = 0x0001;
inline constexpr ACCESS_MASK TIMER_MODIFY_STATE = 0x0002;
inline constexpr ACCESS_MASK WAIT_COMPLETION_PACKET_QUERY_STATE = 0x0001;
inline constexpr ACCESS_MASK WAIT_COMPLETION_PACKET_MODIFY_STATE = 0x0002;
inline constexpr ACCESS_MASK SYNCHRONIZE = 0x00100000;
inline constexpr ACCESS_MASK MAXIMUM_ALLOWED = 0x02000000;
inline constexpr ACCESS_MASK GENERIC_EXECUTE = 0x20000000;
inline constexpr ACCESS_MASK GENERIC_WRITE = 0x40000000;
inline constexpr ACCESS_MASK GENERIC_READ = 0x80000000;
inline constexpr ACCESS_MASK GENERIC_ALL = 0x10000000;

// OVERLAPPED_ENTRY (minwinbase.h), as GetQueuedCompletionStatusEx fills it.
// Go's overlappedEntry has the same fields: key, ov, internal, qty.
struct OverlappedEntry {
  uintptr lpCompletionKey = 0;
  uintptr lpOverlapped = 0;
  uintptr Internal = 0;
  DWORD dwNumberOfBytesTransferred = 0;

  friend bool operator==(const OverlappedEntry& a, const OverlappedEntry& b) {
    return a.lpCompletionKey == b.lpCompletionKey &&
           a.lpOverlapped == b.lpOverlapped && a.Internal == b.Internal &&
           a.dwNumberOfBytesTransferred == b.dwNumberOfBytesTransferred;
  }
};

}  // namespace iocpsim::nt

#endif  // IOCPSIM_POLLER_NT_TYPES_H_
