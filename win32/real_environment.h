// The world around the poller on a real kernel: sockets whose I/O really
// completes, and time that really passes. A "file" is the accepted end of a
// connected loopback TCP pair (what a Go net.Conn holds); the backend keeps
// the other end to make reads complete. A scenario closes the Go side with
// CloseHandle, as its traces record (Winsock prefers closesocket, which is
// the same for the base provider); the backend then closes the peer.
// CompleteIo is the simulated kernel's: it returns once the packet is
// queued, and on a closed socket it fails with ERROR_INVALID_HANDLE.
#ifndef IOCPSIM_WIN32_REAL_ENVIRONMENT_H_
#define IOCPSIM_WIN32_REAL_ENVIRONMENT_H_

#include <chrono>
#include <cstdint>
#include <map>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "sim/environment.h"
#include "win32/real_nt_api.h"

namespace iocpsim::win32 {

class RealEnvironment : public sim::Environment {
 public:
  // The most sockets open at once (each is two kernel sockets).
  static constexpr size_t kMaxSockets = 1024;
  // The most bytes one I/O moves.
  static constexpr nt::DWORD kMaxIoBytes = 1 << 20;
  // How long CompleteIo waits for its I/O to complete (loopback I/O takes
  // well under 1 ms; traces/check_real.h allows the same on a loaded host).
  static constexpr std::chrono::seconds kIoCompletionLimit{1};

  explicit RealEnvironment(RealNtApi& nt);
  ~RealEnvironment() override;  // closes every socket still open
  RealEnvironment(const RealEnvironment&) = delete;
  RealEnvironment& operator=(const RealEnvironment&) = delete;

  // A connected loopback pair; returns the Go side's SOCKET (0 on failure).
  nt::HANDLE CreateFile() override;
  // Makes an I/O complete on `file` with a real packet carrying `overlapped`,
  // and waits (up to kIoCompletionLimit) until it has:
  //   status 0, bytes > 0: an overlapped WSARecv, then the peer sends bytes;
  //   status 0, bytes 0:   an overlapped zero-byte WSASend (completes at once);
  //   STATUS_CANCELLED:    an overlapped WSARecv, then CancelIoEx.
  // Any other status cannot be made to happen on demand: false, with
  // ERROR_NOT_SUPPORTED as the thread's last error.
  bool CompleteIo(nt::HANDLE file, nt::uintptr overlapped, nt::DWORD bytes,
                  nt::NTSTATUS status) override;
  void Sleep(int64_t ns) override;
  // SwitchToThread: the real M lets another thread run, as the simulated
  // one lets the scheduler choose.
  void Gopark() override;
  // QueueUserAPC of an APC that does nothing, to the thread's handle.
  bool QueueUserApc(int thread) override;
  // Thread `id` (1 is the first) is running: keeps a handle to the calling
  // OS thread for QueueUserApc, until the environment goes.
  void ThreadStarted(int id);

  // The two directions Go's internal/poll uses, for tests and workloads that
  // want one explicitly. Each returns the Winsock error, 0 when the I/O is
  // pending or done (a packet will follow either way: no
  // FILE_SKIP_COMPLETION_PORT_ON_SUCCESS).
  int StartRecv(nt::HANDLE file, nt::uintptr overlapped, nt::DWORD bytes);
  int StartSend(nt::HANDLE file, nt::uintptr overlapped, nt::DWORD bytes);
  // The peer writes `bytes` bytes, completing a pending receive.
  int PeerSend(nt::HANDLE file, nt::DWORD bytes);

 private:
  enum class Direction { kRecv, kSend };
  // Starts an overlapped WSARecv or WSASend; on 0, *started is its OVERLAPPED.
  int Start(Direction d, nt::HANDLE file, nt::uintptr overlapped, nt::DWORD bytes,
            void** started);
  int PeerSendLocked(nt::HANDLE file, nt::DWORD bytes) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  int Cancel(nt::HANDLE file);
  void AwaitCompletion(void* ov);
  // The close hook: the Go side is being closed, so its peer goes too.
  void Forget(nt::HANDLE file);

  RealNtApi& nt_;
  bool wsa_ = false;
  absl::Mutex mu_;
  std::map<nt::HANDLE, uintptr_t> peer_of_ ABSL_GUARDED_BY(mu_);  // Go side -> peer
  absl::Mutex threads_mu_;
  std::map<int, void*> thread_handles_ ABSL_GUARDED_BY(threads_mu_);  // by thread id
};

}  // namespace iocpsim::win32

#endif  // IOCPSIM_WIN32_REAL_ENVIRONMENT_H_
