#include "win32/real_environment.h"

// winsock2.h must come before windows.h.
#include <winsock2.h>
#include <windows.h>
#include <ws2tcpip.h>
// windows.h maps CreateFile to CreateFileA/W; here it is Environment's.
#undef CreateFile

#include <algorithm>
#include <chrono>
#include <thread>
#include <vector>

namespace iocpsim::win32 {
namespace {

SOCKET S(nt::HANDLE h) { return static_cast<SOCKET>(h); }

// A buffer the kernel may read or write while an I/O is in flight: static,
// since the harness never looks at the bytes.
char io_buffer[RealEnvironment::kMaxIoBytes];

// A connected pair on 127.0.0.1: (accepted, connected).
bool LoopbackPair(SOCKET* accepted, SOCKET* connected) {
  SOCKET listener = ::socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
  if (listener == INVALID_SOCKET) return false;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  int len = sizeof(addr);
  SOCKET c = INVALID_SOCKET;
  SOCKET a = INVALID_SOCKET;
  if (::bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0 &&
      ::listen(listener, 1) == 0 &&
      ::getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    c = ::socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    if (c != INVALID_SOCKET &&
        ::connect(c, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0) {
      a = ::accept(listener, nullptr, nullptr);
    }
  }
  ::closesocket(listener);
  if (a == INVALID_SOCKET) {
    if (c != INVALID_SOCKET) ::closesocket(c);
    return false;
  }
  // Small writes go out at once: a completion should not wait for Nagle.
  BOOL on = TRUE;
  ::setsockopt(c, IPPROTO_TCP, TCP_NODELAY, reinterpret_cast<const char*>(&on), sizeof(on));
  *accepted = a;
  *connected = c;
  return true;
}

}  // namespace

RealEnvironment::RealEnvironment(RealNtApi& nt) : nt_(nt) {
  WSADATA data;
  wsa_ = ::WSAStartup(MAKEWORD(2, 2), &data) == 0;
  nt_.SetCloseHook([this](nt::HANDLE h) { Forget(h); });
}

RealEnvironment::~RealEnvironment() {
  nt_.SetCloseHook(nullptr);
  absl::MutexLock lock(&mu_);
  for (const auto& [go, peer] : peer_of_) {
    ::closesocket(S(go));
    ::closesocket(static_cast<SOCKET>(peer));
  }
  peer_of_.clear();
  if (wsa_) ::WSACleanup();
  absl::MutexLock threads_lock(&threads_mu_);
  for (const auto& [id, h] : thread_handles_) ::CloseHandle(h);
}

nt::HANDLE RealEnvironment::CreateFile() {
  RealNtApi::CallScope scope(nt_, __func__);
  absl::MutexLock lock(&mu_);
  if (!wsa_ || peer_of_.size() >= kMaxSockets) {
    nt_.SetError(ERROR_TOO_MANY_OPEN_FILES);
    return 0;
  }
  SOCKET a, c;
  if (!LoopbackPair(&a, &c)) {
    nt_.SetError(static_cast<DWORD>(::WSAGetLastError()));
    return 0;
  }
  nt_.SetError(0);
  peer_of_[static_cast<nt::HANDLE>(a)] = static_cast<uintptr_t>(c);
  return static_cast<nt::HANDLE>(a);
}

int RealEnvironment::StartRecv(nt::HANDLE file, nt::uintptr overlapped, nt::DWORD bytes) {
  void* ov;
  return Start(Direction::kRecv, file, overlapped, bytes, &ov);
}

int RealEnvironment::StartSend(nt::HANDLE file, nt::uintptr overlapped, nt::DWORD bytes) {
  void* ov;
  return Start(Direction::kSend, file, overlapped, bytes, &ov);
}

int RealEnvironment::Start(Direction d, nt::HANDLE file, nt::uintptr overlapped, nt::DWORD bytes,
                           void** started) {
  absl::StatusOr<void*> ov = nt_.NewOverlapped(overlapped);
  if (!ov.ok()) return WSAENOBUFS;
  WSABUF buf{bytes > kMaxIoBytes ? kMaxIoBytes : bytes, io_buffer};
  auto* o = static_cast<LPWSAOVERLAPPED>(*ov);
  DWORD flags = 0;
  const int r = d == Direction::kRecv ? ::WSARecv(S(file), &buf, 1, nullptr, &flags, o, nullptr)
                                      : ::WSASend(S(file), &buf, 1, nullptr, 0, o, nullptr);
  const int err = r == 0 ? 0 : ::WSAGetLastError();
  if (err == 0 || err == WSA_IO_PENDING) {
    *started = *ov;
    return 0;
  }
  nt_.ReleaseOverlapped(*ov);
  return err;
}

int RealEnvironment::PeerSend(nt::HANDLE file, nt::DWORD bytes) {
  absl::MutexLock lock(&mu_);
  return PeerSendLocked(file, bytes);
}

int RealEnvironment::PeerSendLocked(nt::HANDLE file, nt::DWORD bytes) {
  auto it = peer_of_.find(file);
  if (it == peer_of_.end()) return WSAENOTSOCK;
  static const std::vector<char> data(kMaxIoBytes, 'x');
  const int n = static_cast<int>(bytes > kMaxIoBytes ? kMaxIoBytes : bytes);
  return ::send(static_cast<SOCKET>(it->second), data.data(), n, 0) == n ? 0
                                                                         : ::WSAGetLastError();
}

int RealEnvironment::Cancel(nt::HANDLE file) {
  return ::CancelIoEx(reinterpret_cast<HANDLE>(static_cast<uintptr_t>(file)), nullptr)
             ? 0
             : static_cast<int>(::GetLastError());
}

void RealEnvironment::AwaitCompletion(void* ov) {
  using Clock = std::chrono::steady_clock;
  const Clock::time_point until = Clock::now() + kIoCompletionLimit;
  while (!nt_.IoCompleted(ov) && Clock::now() < until) {
    if (nt_.torn_down()) throw TornDown{};
    ::SwitchToThread();
  }
}

void RealEnvironment::Forget(nt::HANDLE file) {
  absl::MutexLock lock(&mu_);
  auto it = peer_of_.find(file);
  if (it == peer_of_.end()) return;
  ::closesocket(static_cast<SOCKET>(it->second));
  peer_of_.erase(it);
}

bool RealEnvironment::CompleteIo(nt::HANDLE file, nt::uintptr overlapped, nt::DWORD bytes,
                                 nt::NTSTATUS status) {
  RealNtApi::CallScope scope(nt_, __func__);
  // Held until the I/O has completed: a close of this socket (Forget) waits
  // for it, so the close cannot cancel it, and a CompleteIo after the close
  // fails as the simulated kernel's does (sim/SEMANTICS.md S2, S6).
  absl::MutexLock lock(&mu_);
  if (peer_of_.count(file) == 0) {
    nt_.SetError(ERROR_INVALID_HANDLE);
    return false;
  }
  void* ov = nullptr;
  int err;
  if (status == nt::STATUS_SUCCESS && bytes > 0) {
    err = Start(Direction::kRecv, file, overlapped, bytes, &ov);
    if (err == 0) err = PeerSendLocked(file, bytes);
  } else if (status == nt::STATUS_SUCCESS) {
    err = Start(Direction::kSend, file, overlapped, 0, &ov);
  } else if (status == nt::STATUS_CANCELLED) {
    err = Start(Direction::kRecv, file, overlapped, bytes == 0 ? 1 : bytes, &ov);
    if (err == 0) err = Cancel(file);
  } else {
    err = ERROR_NOT_SUPPORTED;
  }
  if (ov != nullptr) AwaitCompletion(ov);
  nt_.SetError(static_cast<DWORD>(err));
  return err == 0;
}

void RealEnvironment::ThreadStarted(int id) {
  HANDLE h = ::OpenThread(THREAD_SET_CONTEXT, FALSE, ::GetCurrentThreadId());
  if (h == nullptr) return;  // QueueUserApc then fails with ERROR_INVALID_HANDLE
  absl::MutexLock lock(&threads_mu_);
  thread_handles_[id] = h;
}

bool RealEnvironment::QueueUserApc(int thread) {
  RealNtApi::CallScope scope(nt_, __func__);
  HANDLE h = nullptr;
  {
    absl::MutexLock lock(&threads_mu_);
    auto it = thread_handles_.find(thread);
    if (it != thread_handles_.end()) h = it->second;
  }
  if (h == nullptr) {
    nt_.SetError(ERROR_INVALID_HANDLE);
    return false;
  }
  // Fails with ERROR_GEN_FAILURE once the thread is terminating.
  const bool ok = ::QueueUserAPC([](ULONG_PTR) {}, h, 0) != 0;
  nt_.SetError(ok ? 0 : ::GetLastError());
  return ok;
}

void RealEnvironment::Gopark() {
  RealNtApi::CallScope scope(nt_, __func__);
  ::SwitchToThread();
}

void RealEnvironment::Sleep(int64_t ns) {
  RealNtApi::CallScope scope(nt_, __func__);
  using Clock = std::chrono::steady_clock;
  const Clock::time_point until = Clock::now() + std::chrono::nanoseconds(std::max<int64_t>(ns, 0));
  // In slices, so that a tear-down (a time limit, a fatal error) ends it.
  constexpr std::chrono::milliseconds kSlice(20);
  for (Clock::duration left = until - Clock::now(); left.count() > 0;
       left = until - Clock::now()) {
    std::this_thread::sleep_for(std::min<Clock::duration>(left, kSlice));
    if (nt_.torn_down()) throw TornDown{};
  }
}

}  // namespace iocpsim::win32
