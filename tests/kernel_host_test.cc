// The kernel rules in which hosts differ (sim/SEMANTICS.md, "Hosts": S28,
// S38-S42): each shown under the host profile that has it and, against it,
// under the default `windows` profile, driven directly against SimKernel.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "gtest/gtest.h"
#include "poller/nt_types.h"
#include "sim/host_profiles.h"
#include "sim/kernel.h"
#include "sim/kernel_config.h"
#include "sim/simulation.h"
#include "tests/kernel_rig.h"
#include "tests/sim_fixture.h"

namespace iocpsim {
namespace {

using nt::DWORD;
using nt::HANDLE;
using nt::uintptr;
using nt::ULONG;
using testing::Dequeued;
using testing::kHighRes;
using testing::Rig;
using Outcome = sim::RunResult::Outcome;

sim::KernelConfig Host(const std::string& name) {
  absl::StatusOr<sim::KernelConfig> k = sim::HostProfileConfig(name);
  EXPECT_TRUE(k.ok()) << k.status();
  return k.ok() ? *k : sim::KernelConfig{};
}

// --- S38: the order blocked threads are released in ---

// The key each of three waiters got (testing::KeysByWaiter), with every
// packet handed straight over.
std::vector<uintptr> KeysByWaiter(const sim::KernelConfig& host) {
  Rig r(host);
  std::vector<uintptr> keys = testing::KeysByWaiter(r);
  EXPECT_TRUE(r.Grep("packet-queued").empty());
  return keys;
}

// S38: on Wine 8 the first waiter gets the first packet; on Windows the most
// recent one does (S9).
TEST(HostRules, S38_Wine8ReleasesWaitersFifo) {
  EXPECT_EQ(KeysByWaiter(Host("wine8")), (std::vector<uintptr>{0xA, 0xB, 0xC}));
  EXPECT_EQ(KeysByWaiter(Host("windows")), (std::vector<uintptr>{0xC, 0xB, 0xA}));
}

// --- S39: closing the port while threads wait ---

struct CloseOutcome {
  Dequeued infinite;  // T1: an INFINITE wait
  Dequeued finite;    // T2: a 100 ms wait
  Dequeued after;     // T3, after closing the port: a 10 ms wait on the closed handle
  Outcome run = Outcome::kCompleted;
  std::vector<std::string> abandoned;  // the wait-abandoned log lines
};

// T1 and T2 block at 0; T3 closes the port at 3 ms, then waits on it itself.
CloseOutcome CloseWhileWaiting(const sim::KernelConfig& host) {
  CloseOutcome o;  // outlives the rig, which unwinds threads blocked for good
  o.infinite.ok = o.finite.ok = nt::TRUE;  // until they return
  Rig r(host);
  HANDLE port = r.NewPort();
  r.sched.Spawn("w1", [&] { o.infinite = r.Dequeue(port, 1, nt::INFINITE); });
  r.sched.Spawn("w2", [&] { o.finite = r.Dequeue(port, 1, 100); });
  r.sched.Spawn("closer", [&] {
    r.kernel.Sleep(3'000'000);
    EXPECT_EQ(r.kernel.CloseHandle(port), nt::TRUE);
    o.after = r.Dequeue(port, 1, 10);
  });
  o.run = r.sched.Run().outcome;
  o.abandoned = r.Grep("wait-abandoned");
  return o;
}

// S39: on Wine 8 the close ends no wait: the 100 ms one times out after its
// full time (reporting 1 entry, S40) and the INFINITE one stays blocked, so
// the run ends idle. On Windows both end at the close with
// ERROR_ABANDONED_WAIT_0 (S12). A wait begun after the close fails with
// ERROR_INVALID_HANDLE on both.
TEST(HostRules, S39_Wine8CloseLeavesWaitersWaiting) {
  const CloseOutcome wine = CloseWhileWaiting(Host("wine8"));
  EXPECT_EQ(wine.run, Outcome::kIdle);
  EXPECT_EQ(wine.infinite.at, -1);  // never returned
  EXPECT_EQ(wine.finite.ok, nt::FALSE);
  EXPECT_EQ(wine.finite.err, nt::WAIT_TIMEOUT);
  EXPECT_EQ(wine.finite.n, 1u);
  EXPECT_EQ(wine.finite.at, 100'000'000);
  EXPECT_TRUE(wine.abandoned.empty());

  const CloseOutcome windows = CloseWhileWaiting(Host("windows"));
  EXPECT_EQ(windows.run, Outcome::kCompleted);
  for (const Dequeued* d : {&windows.infinite, &windows.finite}) {
    EXPECT_EQ(d->ok, nt::FALSE);
    EXPECT_EQ(d->err, nt::ERROR_ABANDONED_WAIT_0);
    EXPECT_EQ(d->n, 0u);
    EXPECT_EQ(d->at, 3'000'000);
  }
  EXPECT_EQ(windows.abandoned.size(), 2u);

  for (const CloseOutcome* o : {&wine, &windows}) {
    EXPECT_EQ(o->after.ok, nt::FALSE);
    EXPECT_EQ(o->after.err, nt::ERROR_INVALID_HANDLE);
    EXPECT_EQ(o->after.at, 3'000'000);
  }
}

// S39 with S12: on Wine 8 too, a closed port takes no more packets; the
// thread still waiting there is not handed them.
TEST(HostRules, S39_Wine8ClosedPortDropsLaterPackets) {
  Rig r(Host("wine8"));
  HANDLE port = r.NewPort();  // object 1
  HANDLE file = r.kernel.CreateFile();
  ASSERT_EQ(r.kernel.CreateIoCompletionPort(file, port, 7, 0), port);
  Dequeued got;
  got.ok = nt::TRUE;
  r.sched.Spawn("waiter", [&] { got = r.Dequeue(port, 1, 10); });
  r.sched.Spawn("closer", [&] {
    EXPECT_EQ(r.kernel.CloseHandle(port), nt::TRUE);
    EXPECT_TRUE(r.kernel.CompleteIo(file, 0x10, 1));
  });
  EXPECT_EQ(r.sched.Run().outcome, Outcome::kCompleted);
  EXPECT_EQ(got.ok, nt::FALSE);
  EXPECT_EQ(got.err, nt::WAIT_TIMEOUT);
  EXPECT_EQ(got.at, 10'000'000);
  EXPECT_EQ(r.Grep("packet-dropped"),
            std::vector<std::string>{"0.000000 kernel packet-dropped obj=1 key=0x7 ov=0x10"});
}

// --- S40: *ulNumEntriesRemoved on timeout ---

struct Timeouts {
  Dequeued waited;  // a 5 ms timeout
  Dequeued zero;    // a zero timeout
};

Timeouts TimeOut(const sim::KernelConfig& host) {
  Timeouts t;
  Rig r(host);
  HANDLE port = r.NewPort();
  r.sched.Spawn("waiter", [&] {
    t.waited = r.Dequeue(port, 2, 5);
    t.zero = r.Dequeue(port, 2, 0);
  });
  EXPECT_EQ(r.sched.Run().outcome, Outcome::kCompleted);
  return t;
}

// S40: Wine 8 leaves 1 in *ulNumEntriesRemoved when a wait times out, after
// waiting and at once; Windows leaves 0 (S11). Both return FALSE, WAIT_TIMEOUT.
TEST(HostRules, S40_Wine8ReportsOneEntryRemovedOnTimeout) {
  for (const auto& [host, removed] : {std::pair{"wine8", 1u}, std::pair{"windows", 0u}}) {
    const Timeouts t = TimeOut(Host(host));
    for (const Dequeued* d : {&t.waited, &t.zero}) {
      EXPECT_EQ(d->ok, nt::FALSE) << host;
      EXPECT_EQ(d->err, nt::WAIT_TIMEOUT) << host;
      EXPECT_EQ(d->n, removed) << host;
    }
  }
}

// --- S43: a dequeue asking for no entries ---

// S43: on Wine 8 asking for no entries returns TRUE at once with a removed
// count of 1 and leaves the queue alone; Windows refuses it (S8).
TEST(HostRules, S43_Wine8AcceptsAZeroCount) {
  for (const char* host : {"wine8", "windows"}) {
    Rig r(Host(host));
    HANDLE port = r.NewPort();
    ASSERT_TRUE(r.kernel.PostQueuedCompletionStatus(port, 0, 0x5, 0));
    nt::OverlappedEntry e{};
    ULONG removed = 99;
    const nt::BOOL ok = r.kernel.GetQueuedCompletionStatusEx(port, &e, 0, &removed, 0, 0);
    if (std::string(host) == "wine8") {
      EXPECT_EQ(ok, nt::TRUE);
      EXPECT_EQ(removed, 1u);
      EXPECT_EQ(e.lpCompletionKey, 0u);  // nothing written...
    } else {
      EXPECT_EQ(ok, nt::FALSE);
      EXPECT_EQ(r.kernel.GetLastError(), nt::ERROR_INVALID_PARAMETER);
    }
    ASSERT_EQ(r.kernel.PortAt(port)->queue.size(), 1u) << host;  // ...and nothing taken
  }
}

// --- S44: unknown CreateWaitableTimerExW flags ---

// S44: Wine 8 ignores a flag CreateWaitableTimerExW does not know; Windows
// refuses it (S13).
TEST(HostRules, S44_Wine8IgnoresUnknownTimerFlags) {
  for (const char* host : {"wine8", "windows"}) {
    Rig r(Host(host));
    const HANDLE t = r.kernel.CreateWaitableTimerExW(0, 0, 0x8, testing::kAccess);
    if (std::string(host) == "wine8") {
      EXPECT_NE(t, 0u);
    } else {
      EXPECT_EQ(t, 0u);
      EXPECT_EQ(r.kernel.GetLastError(), nt::ERROR_INVALID_PARAMETER);
    }
  }
}

// --- S41: waits end whole milliseconds after the call ---

// GetQueuedCompletionStatusEx timeouts of 1, 2, 5 and 15 ms on an empty
// port, each begun 0.3 ms after the last ended (off any grid): how long each
// took.
std::vector<int64_t> TimeoutLengths(const sim::KernelConfig& host) {
  Rig r(host);
  HANDLE port = r.NewPort();
  std::vector<int64_t> lengths;
  r.sched.Spawn("waiter", [&] {
    for (DWORD ms : {1, 2, 5, 15}) {
      r.kernel.Sleep(300'000);
      const int64_t start = r.kernel.now();
      EXPECT_EQ(r.Dequeue(port, 1, ms).err, nt::WAIT_TIMEOUT);
      lengths.push_back(r.kernel.now() - start);
    }
  });
  EXPECT_EQ(r.sched.Run().outcome, Outcome::kCompleted);
  return lengths;
}

// S41: on Wine 8 a timeout lasts its milliseconds exactly (measured: 1.1,
// 2.1, 5.2, 15.1 ms), not to a tick of the clock: Windows ends each on the
// 15.625 ms tick (S10), and even a 1 ms clock tick would end them early.
TEST(HostRules, S41_Wine8TimeoutsCountFromTheCall) {
  EXPECT_EQ(TimeoutLengths(Host("wine8")),
            (std::vector<int64_t>{1'000'000, 2'000'000, 5'000'000, 15'000'000}));
  // 0.3 -> 15.625, 15.925 -> 31.25, 31.55 -> 46.875, 47.175 -> 62.5 ms.
  EXPECT_EQ(TimeoutLengths(Host("windows")),
            (std::vector<int64_t>{15'325'000, 15'325'000, 15'325'000, 15'325'000}));
  sim::KernelConfig one_ms_tick = Host("windows");
  one_ms_tick.tick_ns = 1'000'000;
  // Whole ticks from the last tick (S10): 0.3 -> 1, 1.3 -> 3, 3.3 -> 8,
  // 8.3 -> 23 ms, each 0.3 ms sooner than asked.
  EXPECT_EQ(TimeoutLengths(one_ms_tick),
            (std::vector<int64_t>{700'000, 1'700'000, 4'700'000, 14'700'000}));
}

// Timers created with `flags` and set, 0.3 ms into the run, for 0.5, 1 and
// 2 ms (relative): the timer-fired log lines.
std::vector<std::string> TimersFired(const sim::KernelConfig& host, DWORD flags) {
  Rig r(host);
  r.sched.Spawn("setter", [&] {
    r.kernel.Sleep(300'000);
    for (int64_t due : {-5'000, -10'000, -20'000}) {  // 100 ns units
      HANDLE t = r.NewTimer(flags);
      EXPECT_NE(t, 0u);
      EXPECT_EQ(r.Set(t, due), nt::TRUE);
    }
  });
  EXPECT_EQ(r.sched.Run().outcome, Outcome::kCompleted);
  return r.Fired();
}

// S41: on Wine 8 the high-resolution flag is accepted, and timers with it or
// without fire a whole number of ms after being set (measured: 0.5 and 1 ms
// after ~1.09 ms, 2 ms after ~2.09 ms). Windows puts high-resolution timers
// on a 0.5 ms grid and ordinary ones on the tick (S17).
TEST(HostRules, S41_Wine8TimersFireWholeMillisecondsAfterSet) {
  const std::vector<std::string> wine = {"1.300000 kernel timer-fired obj=1",
                                         "1.300000 kernel timer-fired obj=2",
                                         "2.300000 kernel timer-fired obj=3"};
  EXPECT_EQ(TimersFired(Host("wine8"), kHighRes), wine);
  EXPECT_EQ(TimersFired(Host("wine8"), 0), wine);
  sim::KernelConfig windows = Host("windows");
  windows.timer_latency_ns = 0;  // on the grid [S17]; S46 tests the latency
  EXPECT_EQ(TimersFired(windows, kHighRes),
            (std::vector<std::string>{"1.000000 kernel timer-fired obj=1",
                                      "1.500000 kernel timer-fired obj=2",
                                      "2.500000 kernel timer-fired obj=3"}));
  EXPECT_EQ(TimersFired(Host("windows"), 0),
            (std::vector<std::string>{"15.625000 kernel timer-fired obj=1",
                                      "15.625000 kernel timer-fired obj=2",
                                      "15.625000 kernel timer-fired obj=3"}));
}

// --- S28: no wait completion packets on Wine 8 ---

// S28: Wine 8's ntdll exports none of the three functions; Windows' does.
TEST(HostRules, S28_Wine8HasNoWaitPacketFunctions) {
  for (const auto& [host, have] : {std::pair{"wine8", false}, std::pair{"windows", true}}) {
    Rig r(Host(host));
    EXPECT_EQ(r.kernel.HaveOptionalProc(nt::OptionalProc::kNtCreateWaitCompletionPacket), have);
    EXPECT_EQ(r.kernel.HaveOptionalProc(nt::OptionalProc::kNtAssociateWaitCompletionPacket), have);
    EXPECT_EQ(r.kernel.HaveOptionalProc(nt::OptionalProc::kNtCancelWaitCompletionPacket), have);
    HANDLE w = 0;
    EXPECT_EQ(r.kernel.NtCreateWaitCompletionPacket(&w, 0, 0),
              have ? nt::STATUS_SUCCESS : nt::STATUS_PROCEDURE_NOT_FOUND)
        << host;
  }
}

// --- windows-pre1803: S13 and S42 ---

// S13, S42: before 1803 the high-resolution flag fails with
// ERROR_INVALID_PARAMETER while the wait packet functions are exported, and
// the clock ticks every 1 ms (Go's timeBeginPeriod(1)).
TEST(HostRules, S42_Pre1803RefusesHighResolutionTimersWithOneMsTick) {
  Rig r(Host("windows-pre1803"));
  EXPECT_EQ(r.NewTimer(kHighRes), 0u);
  EXPECT_EQ(r.kernel.GetLastError(), nt::ERROR_INVALID_PARAMETER);
  EXPECT_NE(r.NewTimer(0), 0u);
  EXPECT_TRUE(r.kernel.HaveOptionalProc(nt::OptionalProc::kNtCreateWaitCompletionPacket));
  HANDLE port = r.NewPort();
  int64_t end = -1;
  r.sched.Spawn("waiter", [&] {
    r.kernel.Sleep(300'000);
    r.Dequeue(port, 1, 1);  // one tick from the last (0 ms): the tick at 1 ms
    end = r.kernel.now();
  });
  EXPECT_EQ(r.sched.Run().outcome, Outcome::kCompleted);
  EXPECT_EQ(end, 1'000'000);
}

// What Go's start-up (loadOptionalSyscalls, initHighResTimer) makes of each
// host: only the default one gets the high-resolution sleep.
TEST(HostRules, GoTakesTheFallbackPathOnPre1803AndWine8) {
  struct Want {
    const char* host;
    bool have_wait_packet_procs, high_res_timer, high_res_sleep;
  };
  for (const Want& w : {Want{"windows", true, true, true},
                        Want{"windows-pre1803", true, false, false},
                        Want{"wine8", false, true, false}}) {
    sim::SimulationConfig c;
    c.kernel = Host(w.host);
    sim::Simulation s(c, testing::ThreadsFirst(), nullptr);
    ASSERT_TRUE(s.Boot()) << w.host;
    EXPECT_EQ(s.runtime()._NtCreateWaitCompletionPacket != nullptr, w.have_wait_packet_procs)
        << w.host;
    EXPECT_EQ(s.runtime().haveHighResTimer, w.high_res_timer) << w.host;
    EXPECT_EQ(s.runtime().haveHighResSleep, w.high_res_sleep) << w.host;
  }
}

}  // namespace
}  // namespace iocpsim
