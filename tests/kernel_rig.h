// A scheduler and a simulated kernel driven directly, without the poller: the
// rig, constants and helpers shared by the kernel rule tests (kernel_iocp_test,
// kernel_timer_test, kernel_wait_packet_test, scheduler_test).
#ifndef IOCPSIM_TESTS_KERNEL_RIG_H_
#define IOCPSIM_TESTS_KERNEL_RIG_H_

#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "poller/nt_types.h"
#include "sim/event_log.h"
#include "sim/kernel.h"
#include "sim/kernel_config.h"
#include "sim/objects.h"
#include "sim/scheduler.h"
#include "tests/sim_fixture.h"

namespace iocpsim::testing {

constexpr nt::HANDLE kInvalidHandle = ~nt::HANDLE{0};  // INVALID_HANDLE_VALUE, 64-bit
constexpr nt::DWORD kAnyThreads = 0xFFFFFFFF;           // what Go passes
constexpr nt::HANDLE kBogus = 0xBAD0;                   // never a handle in these tests
constexpr nt::DWORD kManual = nt::CREATE_WAITABLE_TIMER_MANUAL_RESET;
constexpr nt::DWORD kHighRes = nt::CREATE_WAITABLE_TIMER_HIGH_RESOLUTION;
constexpr nt::DWORD kAccess = nt::TIMER_QUERY_STATE | nt::TIMER_MODIFY_STATE | nt::SYNCHRONIZE;
constexpr int64_t kTick = 15'625'000;

// The defaults, spelled out: the tests depend on them. High-resolution
// timers fire exactly on their grid point, with no latency [S46], so the
// rule tests can name the instant; the S46 tests set one.
inline sim::KernelConfig Config() {
  sim::KernelConfig c;
  c.tick_ns = kTick;
  c.timer_resolution_ns = 500'000;
  c.timer_latency_ns = 0;
  c.high_resolution_timers = true;
  return c;
}

// The host after timeBeginPeriod(1): a 1 ms clock tick.
inline sim::KernelConfig OneMsTick() {
  sim::KernelConfig c = Config();
  c.tick_ns = 1'000'000;
  return c;
}

// A bound on scheduling points, so that a kernel bug that keeps a periodic
// timer alive fails fast instead of spinning to the default limit.
inline sim::SchedulerOptions Options() {
  sim::SchedulerOptions o;
  o.max_steps = 100'000;
  return o;
}

// The log lines that contain `what`.
inline std::vector<std::string> Grep(const sim::EventLog& log, const std::string& what) {
  std::vector<std::string> out;
  for (const std::string& l : log.lines()) {
    if (l.find(what) != std::string::npos) out.push_back(l);
  }
  return out;
}

// The keys of the packets queued in `port`, oldest first.
inline std::vector<nt::uintptr> QueuedKeys(const sim::IoCompletion* port) {
  std::vector<nt::uintptr> keys;
  for (const sim::Packet& p : port->queue) keys.push_back(p.key);
  return keys;
}

// What one GetQueuedCompletionStatusEx call returned.
struct Dequeued {
  nt::BOOL ok = nt::FALSE;
  nt::DWORD err = 0;  // GetLastError() right after the call
  nt::ULONG n = 0;    // *ulNumEntriesRemoved as the call left it (99 if untouched)
  std::vector<nt::OverlappedEntry> entries;  // the first n, at most ulCount
  int64_t at = -1;                           // the virtual time it returned

  std::vector<nt::uintptr> keys() const {
    std::vector<nt::uintptr> out;
    for (const nt::OverlappedEntry& e : entries) out.push_back(e.lpCompletionKey);
    return out;
  }
};

// Whether a Rig records the kernel's events in Rig::log.
enum class Logging { kOff, kOn };

// A scheduler, a kernel and a log of its kernel events (decisions are not
// logged); threads still blocked at the end are unwound while the kernel is
// alive.
struct Rig {
  explicit Rig(sim::KernelConfig config = Config(),
               std::unique_ptr<sim::Strategy> s = ThreadsFirst(),
               sim::SchedulerOptions options = Options(), Logging logging = Logging::kOn,
               uint64_t seed = 1)
      : strategy(std::move(s)),
        sched(*strategy, logging == Logging::kOn ? &log : nullptr, options),
        kernel(config, sched, logging == Logging::kOn ? &log : nullptr, seed) {}
  // The default kernel, with another strategy and scheduler options.
  explicit Rig(std::unique_ptr<sim::Strategy> s, sim::SchedulerOptions options = Options())
      : Rig(Config(), std::move(s), options) {}
  ~Rig() { sched.Teardown(); }
  Rig(const Rig&) = delete;
  Rig& operator=(const Rig&) = delete;

  nt::HANDLE NewPort() {
    return kernel.CreateIoCompletionPort(kInvalidHandle, 0, 0, kAnyThreads);
  }
  nt::HANDLE NewTimer(nt::DWORD flags = kHighRes) {
    return kernel.CreateWaitableTimerExW(0, 0, flags, kAccess);
  }
  nt::HANDLE NewPacket() {
    nt::HANDLE h = 0;
    EXPECT_EQ(kernel.NtCreateWaitCompletionPacket(&h, nt::GENERIC_ALL, 0), nt::STATUS_SUCCESS);
    return h;
  }
  nt::BOOL Set(nt::HANDLE t, int64_t due, nt::LONG period = 0) {
    return kernel.SetWaitableTimer(t, &due, period, 0, 0, nt::FALSE);
  }
  // Absolute due time (FILETIME) of virtual time `ns`.
  int64_t At(int64_t ns) const { return kernel.config().epoch_filetime + ns / 100; }
  // Signals `t` at once (due: virtual time 0, i.e. now or past).
  void Signal(nt::HANDLE t) {
    ASSERT_EQ(Set(t, At(0)), nt::TRUE);
    ASSERT_TRUE(kernel.TimerAt(t)->signaled);
  }
  nt::NTSTATUS Associate(nt::HANDLE w, nt::HANDLE port, nt::HANDLE target, nt::uintptr key = 0,
                         nt::BOOLEAN* already = nullptr) {
    return kernel.NtAssociateWaitCompletionPacket(w, port, target, key, 0, 0, 0, already);
  }
  sim::WaitCompletionPacket::State StateOf(nt::HANDLE w) const {
    return kernel.WaitPacketAt(w)->state;
  }
  // A non-alertable GetQueuedCompletionStatusEx(port, .., max, .., timeout_ms)
  // from the calling thread (setup code or a simulated thread).
  Dequeued Dequeue(nt::HANDLE port, nt::ULONG max, nt::DWORD timeout_ms = 0) {
    Dequeued d;
    std::vector<nt::OverlappedEntry> e(max + 1);  // never empty, so data() is an array
    d.n = 99;
    d.ok = kernel.GetQueuedCompletionStatusEx(port, e.data(), max, &d.n, timeout_ms, nt::FALSE);
    d.err = kernel.GetLastError();
    d.at = kernel.now();
    d.entries.assign(e.begin(), e.begin() + std::min(d.n, max));
    return d;
  }
  std::vector<nt::uintptr> QueuedKeys(nt::HANDLE port) const {
    return testing::QueuedKeys(kernel.PortAt(port));
  }
  std::vector<std::string> Grep(const std::string& what) const {
    return testing::Grep(log, what);
  }
  // "time-ms kernel timer-fired obj=N" lines.
  std::vector<std::string> Fired() const { return Grep("timer-fired"); }

  // Leaves ERROR_INVALID_HANDLE as the calling thread's last error.
  void SetError6() { ASSERT_EQ(kernel.CloseHandle(kBogus), nt::FALSE); }
  // Leaves ERROR_INVALID_PARAMETER as the calling thread's last error [S3].
  void SetError87() { ASSERT_EQ(kernel.CreateIoCompletionPort(kInvalidHandle, 1, 0, 0), 0u); }

  sim::EventLog log{false};
  std::unique_ptr<sim::Strategy> strategy;
  sim::Scheduler sched;
  sim::SimKernel kernel;
};

// T1, T2 and T3 block on a new port of `r` in that order, then a fourth
// thread posts packets with keys 0xA, 0xB, 0xC: the key each waiter got,
// T1's first ([S9], [S38]).
inline std::vector<nt::uintptr> KeysByWaiter(Rig& r) {
  nt::HANDLE port = r.NewPort();
  Dequeued got[4];  // by thread id
  for (int i = 1; i <= 3; ++i) {
    r.sched.Spawn("waiter", [&, i] { got[i] = r.Dequeue(port, 1, nt::INFINITE); });
  }
  r.sched.Spawn("poster", [&] {
    EXPECT_EQ(r.kernel.PortAt(port)->waiters.size(), 3u);
    for (nt::uintptr key : {0xA, 0xB, 0xC}) r.kernel.PostQueuedCompletionStatus(port, 0, key, 0);
  });
  EXPECT_EQ(r.sched.Run().outcome, sim::RunResult::Outcome::kCompleted);
  std::vector<nt::uintptr> keys;
  for (int i = 1; i <= 3; ++i) {
    EXPECT_EQ(got[i].ok, nt::TRUE) << "T" << i;
    EXPECT_EQ(got[i].keys().size(), 1u) << "T" << i;
    keys.push_back(got[i].keys().empty() ? 0 : got[i].keys()[0]);
  }
  return keys;
}

}  // namespace iocpsim::testing

#endif  // IOCPSIM_TESTS_KERNEL_RIG_H_
