// Every branch of the ported netpoll (netpoll_windows.go), driven against
// the simulated kernel, its high-resolution timers on their grid (OnGrid) so
// each test names the instant they fire.
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "poller/runtime.h"
#include "sim/simulation.h"
#include "tests/sim_fixture.h"

namespace iocpsim {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using poller::Branch;
using sim::RunResult;
using testing::CallCapture;
using testing::Count;
using testing::FunctionStrategy;
using testing::OnGrid;
using testing::ThreadsFirst;

constexpr int64_t kMs = 1'000'000;
constexpr int64_t kTick = 15'625'000;

TEST(Netpoll, UninitializedReturnsNothingWithoutKernelCalls) {
  sim::Simulation s(OnGrid(), ThreadsFirst(), nullptr);
  auto [list, delta] = s.runtime().netpoll(0);  // no netpollinit yet
  EXPECT_TRUE(list.empty());
  EXPECT_EQ(delta, 0);
  EXPECT_EQ(Count(s.runtime(), Branch::kNetpollUninitialized), 1u);
  EXPECT_EQ(s.kernel().calls(), 0u);
}

TEST(Netpoll, HighResTimerWakesAfterDelay) {
  sim::Simulation s(OnGrid(), ThreadsFirst(), nullptr);
  ASSERT_TRUE(s.Boot());
  int64_t returned_at = -1;
  s.SpawnM("m1", [&](poller::M&) {
    auto [list, delta] = s.runtime().netpoll(1'200'000);
    EXPECT_TRUE(list.empty());
    EXPECT_EQ(delta, 0);
    returned_at = s.kernel().now();
  });
  EXPECT_EQ(s.Run().outcome, RunResult::Outcome::kCompleted);
  // The timer fires on the 0.5 ms grid at 1.5 ms, long before the 1 ms GQCS
  // timeout ends on the 15.625 ms tick.
  EXPECT_EQ(returned_at, 1'500'000);
  EXPECT_EQ(Count(s.runtime(), Branch::kNetpollTimer), 1u);
  EXPECT_EQ(Count(s.runtime(), Branch::kQueueTimerCancelled), 1u);
  EXPECT_EQ(s.kernel().LiveHandles().size(), 1u);  // only the port is left
}

TEST(Netpoll, DelayIsCappedAt1e15) {
  CallCapture calls;
  sim::Simulation s(OnGrid(), ThreadsFirst(), &calls);
  ASSERT_TRUE(s.Boot());
  s.SpawnM("m1", [&](poller::M&) { s.runtime().netpoll(3'000'000'000'000'000); });
  s.SpawnThread("breaker", [&] {
    s.kernel().Sleep(kMs);
    s.runtime().netpollBreak();
  });
  EXPECT_EQ(s.Run().outcome, RunResult::Outcome::kCompleted);
  EXPECT_EQ(Count(s.runtime(), Branch::kNetpollDelayCapped), 1u);
  ASSERT_EQ(calls.Named("SetWaitableTimer").size(), 1u);
  EXPECT_EQ(static_cast<int64_t>(calls.Named("SetWaitableTimer")[0].args[1]),
            -10'000'000'000'000);  // -1e15 ns in 100 ns units
  ASSERT_EQ(calls.Named("GetQueuedCompletionStatusEx").size(), 1u);
  EXPECT_EQ(calls.Named("GetQueuedCompletionStatusEx")[0].args[2], 1'000'000'000u);  // ms
}

TEST(Netpoll, TimerSignaledBeforeAssociationReturnsAtOnce) {
  CallCapture calls;
  sim::Simulation s(OnGrid(), ThreadsFirst(), &calls);
  ASSERT_TRUE(s.Boot());
  s.SpawnM("m1", [&](poller::M& m) {
    // delay < 100 ns: dt = -delay/100 = 0, an absolute time long past, so
    // the timer is signaled before the association.
    auto [list, delta] = s.runtime().netpoll(50);
    EXPECT_TRUE(list.empty());
    EXPECT_EQ(delta, 0);
    EXPECT_EQ(s.kernel().now(), 0);
    // The satisfied association left the timer packet queued; the next
    // netpollQueueTimer removes it (STATUS_SUCCESS) before re-arming.
    EXPECT_EQ(s.kernel().PortAt(s.runtime().iocphandle)->queue.size(), 1u);
    s.runtime().netpoll(kMs);
    EXPECT_EQ(Count(s.runtime(), Branch::kQueueTimerSuccess), 1u);
  });
  EXPECT_EQ(s.Run().outcome, RunResult::Outcome::kCompleted);
  EXPECT_EQ(Count(s.runtime(), Branch::kNetpollTimerSignaled), 1u);
  EXPECT_EQ(Count(s.runtime(), Branch::kQueueTimerAlreadySignaled), 1u);
  EXPECT_EQ(calls.Named("GetQueuedCompletionStatusEx").size(), 1u);  // only the second
}

TEST(Netpoll, TimerFiringBetweenSetAndAssociateReturnsAtOnce) {
  // Preempt the M right after SetWaitableTimer: time jumps to the expiry and
  // the kernel fires the timer before NtAssociateWaitCompletionPacket.
  sim::SimulationConfig cfg = OnGrid();
  cfg.scheduler.preemption = true;
  bool preempted = false;
  auto strategy = std::make_unique<FunctionStrategy>([&](absl::Span<const sim::Choice> o) {
    for (size_t i = 0; i < o.size(); ++i) {
      if (o[i].kind == sim::Choice::Kind::kKernel) return i;
      if (o[i].kind == sim::Choice::Kind::kAdvance && !preempted) {
        preempted = true;
        return i;
      }
    }
    return size_t{0};
  });
  sim::Simulation s(cfg, std::move(strategy), nullptr);
  ASSERT_TRUE(s.Boot());
  s.SpawnM("m1", [&](poller::M&) {
    auto [list, delta] = s.runtime().netpoll(kMs);
    EXPECT_TRUE(list.empty());
    EXPECT_EQ(s.kernel().now(), kMs);
  });
  EXPECT_EQ(s.Run().outcome, RunResult::Outcome::kCompleted);
  EXPECT_TRUE(preempted);
  EXPECT_EQ(Count(s.runtime(), Branch::kNetpollTimerSignaled), 1u);
}

TEST(Netpoll, InfiniteWaitEndsOnBreak) {
  CallCapture calls;
  sim::Simulation s(OnGrid(), ThreadsFirst(), &calls);
  ASSERT_TRUE(s.Boot());
  int64_t returned_at = -1;
  s.SpawnM("m1", [&](poller::M&) {
    auto [list, delta] = s.runtime().netpoll(-1);
    EXPECT_TRUE(list.empty());
    returned_at = s.kernel().now();
  });
  s.SpawnThread("breaker", [&] {
    s.kernel().Sleep(5 * kMs);
    s.runtime().netpollBreak();
  });
  EXPECT_EQ(s.Run().outcome, RunResult::Outcome::kCompleted);
  EXPECT_EQ(returned_at, 5 * kMs);
  EXPECT_EQ(Count(s.runtime(), Branch::kNetpollWaitInfinite), 1u);
  EXPECT_EQ(Count(s.runtime(), Branch::kNetpollBreak), 1u);
  EXPECT_EQ(s.runtime().netpollWakeSig.load(), 0u);
  EXPECT_TRUE(calls.Named("SetWaitableTimer").empty());  // no timer for delay < 0
  EXPECT_EQ(calls.Named("GetQueuedCompletionStatusEx")[0].args[2], nt::INFINITE);
}

TEST(Netpoll, ZeroDelayPollsWithoutBlockingOrTimer) {
  CallCapture calls;
  sim::Simulation s(OnGrid(), ThreadsFirst(), &calls);
  ASSERT_TRUE(s.Boot());
  s.SpawnM("m1", [&](poller::M&) {
    auto [list, delta] = s.runtime().netpoll(0);
    EXPECT_TRUE(list.empty());
  });
  EXPECT_EQ(s.Run().outcome, RunResult::Outcome::kCompleted);
  EXPECT_EQ(Count(s.runtime(), Branch::kNetpollWaitZero), 1u);
  EXPECT_EQ(Count(s.runtime(), Branch::kNetpollTimeout), 1u);
  EXPECT_TRUE(calls.Named("NtCancelWaitCompletionPacket").empty());
  EXPECT_EQ(calls.Named("GetQueuedCompletionStatusEx")[0].args[2], 0u);
}

TEST(Netpoll, DelayRoundsToWholeMillisecondsWithOneAsMinimum) {
  sim::SimulationConfig cfg = OnGrid();
  cfg.kernel.SetWaitPacketsAvailable(false);  // plain GQCS waits only
  CallCapture calls;
  sim::Simulation s(cfg, ThreadsFirst(), &calls);
  ASSERT_TRUE(s.Boot());
  s.SpawnM("m1", [&](poller::M&) {
    for (int64_t d : std::vector<int64_t>{1, 999'999, kMs, 2'999'999, 16 * kMs}) {
      s.runtime().netpoll(d);
    }
  });
  EXPECT_EQ(s.Run().outcome, RunResult::Outcome::kCompleted);
  std::vector<uint64_t> waits;
  for (const auto& c : calls.Named("GetQueuedCompletionStatusEx")) waits.push_back(c.args[2]);
  EXPECT_THAT(waits, ElementsAre(1, 1, 1, 2, 16));
  EXPECT_EQ(Count(s.runtime(), Branch::kNetpollWaitOneMs), 2u);
  EXPECT_EQ(Count(s.runtime(), Branch::kNetpollWaitMs), 3u);
}

TEST(Netpoll, TimeoutReturnsEmptyOnTheTick) {
  sim::SimulationConfig cfg = OnGrid();
  cfg.kernel.SetWaitPacketsAvailable(false);
  sim::Simulation s(cfg, ThreadsFirst(), nullptr);
  ASSERT_TRUE(s.Boot());
  s.SpawnM("m1", [&](poller::M&) {
    auto [list, delta] = s.runtime().netpoll(3 * kMs);
    EXPECT_TRUE(list.empty());
    EXPECT_EQ(delta, 0);
    EXPECT_EQ(s.kernel().now(), kTick);  // 3 ms waits end on the 15.625 ms tick
  });
  EXPECT_EQ(s.Run().outcome, RunResult::Outcome::kCompleted);
  EXPECT_EQ(Count(s.runtime(), Branch::kNetpollTimeout), 1u);
}

TEST(Netpoll, OtherGqcsFailureIsFatal) {
  sim::Simulation s(OnGrid(), ThreadsFirst(), nullptr);
  ASSERT_TRUE(s.Boot());
  s.SpawnM("m1", [&](poller::M&) { s.runtime().netpoll(-1); });
  s.SpawnThread("closer", [&] {
    s.kernel().Sleep(kMs);
    s.kernel().CloseHandle(s.runtime().iocphandle);  // waiter: ERROR_ABANDONED_WAIT_0
  });
  RunResult r = s.Run();
  EXPECT_EQ(r.outcome, RunResult::Outcome::kStopped);
  ASSERT_TRUE(s.fatal().has_value());
  EXPECT_EQ(s.fatal()->thread, 1);
  EXPECT_EQ(s.fatal()->message, "runtime: netpoll failed");
  EXPECT_THAT(s.runtime().printed(),
              ::testing::Contains("runtime: GetQueuedCompletionStatusEx failed (errno= 735 )"));
  EXPECT_EQ(Count(s.runtime(), Branch::kNetpollFailed), 1u);
}

// A reader parked on a socket; its read completes through the port.
struct Reader {
  nt::HANDLE fd = 0;
  poller::pollDesc* pd = nullptr;
  poller::g* gp = nullptr;
  nt::uintptr op = 0;
};

Reader ParkReader(sim::Simulation& s, int32_t mode) {
  Reader r;
  r.fd = s.kernel().CreateFile();
  auto [pd, err] = s.runtime().pollOpen(r.fd);
  EXPECT_EQ(err, 0);
  r.pd = pd;
  r.gp = s.runtime().heap().newG(7);
  r.op = s.runtime().heap().newPollOperation(pd, mode);
  EXPECT_FALSE(s.runtime().netpollblock(pd, mode, false, r.gp));
  return r;
}

TEST(Netpoll, ReadyEntryWakesTheParkedGoroutine) {
  sim::Simulation s(OnGrid(), ThreadsFirst(), nullptr);
  ASSERT_TRUE(s.Boot());
  Reader rd = ParkReader(s, 'r');
  Reader wr = ParkReader(s, 'w');
  EXPECT_EQ(s.runtime().netpollWaiters.load(), 2);
  ASSERT_TRUE(s.kernel().CompleteIo(rd.fd, rd.op, 10));
  ASSERT_TRUE(s.kernel().CompleteIo(wr.fd, wr.op, 20));
  s.SpawnM("m1", [&](poller::M&) {
    auto [list, delta] = s.runtime().netpoll(0);
    // Both goroutines, pushed at the head in entry order.
    EXPECT_THAT(list.gs(), ElementsAre(wr.gp, rd.gp));
    EXPECT_EQ(delta, -2);
    s.runtime().netpollAdjustWaiters(delta);
  });
  EXPECT_EQ(s.Run().outcome, RunResult::Outcome::kCompleted);
  EXPECT_EQ(Count(s.runtime(), Branch::kNetpollReady), 2u);
  EXPECT_EQ(s.runtime().netpollWaiters.load(), 0);
  EXPECT_TRUE(s.runtime().netpollblockResume(rd.pd, 'r'));
  EXPECT_TRUE(s.runtime().netpollblockResume(wr.pd, 'w'));
}

TEST(Netpoll, ReadyBeforeParkingIsConsumedByTheNextWait) {
  sim::Simulation s(OnGrid(), ThreadsFirst(), nullptr);
  ASSERT_TRUE(s.Boot());
  nt::HANDLE fd = s.kernel().CreateFile();
  poller::pollDesc* pd = s.runtime().pollOpen(fd).first;
  nt::uintptr op = s.runtime().heap().newPollOperation(pd, 'r');
  ASSERT_TRUE(s.kernel().CompleteIo(fd, op, 1));
  s.SpawnM("m1", [&](poller::M&) {
    auto [list, delta] = s.runtime().netpoll(0);
    EXPECT_TRUE(list.empty());  // nobody parked: readiness is latched
    EXPECT_EQ(delta, 0);
  });
  EXPECT_EQ(s.Run().outcome, RunResult::Outcome::kCompleted);
  EXPECT_EQ(pd->rg.load(), poller::pdReady);
  EXPECT_TRUE(s.runtime().netpollblock(pd, 'r', false, s.runtime().heap().newG(9)));
}

TEST(Netpoll, ForeignEntriesAreIgnored) {
  sim::Simulation s(OnGrid(), ThreadsFirst(), nullptr);
  ASSERT_TRUE(s.Boot());
  poller::Runtime& rt = s.runtime();
  Reader rd = ParkReader(s, 'r');
  const nt::uintptr readyKey = rt.packNetpollKey(poller::Runtime::netpollSourceReady, rd.pd->addr);
  // 1. A ready key with no OVERLAPPED.
  s.kernel().PostQueuedCompletionStatus(rt.iocphandle, 0, readyKey, 0);
  // 2. A ready key whose OVERLAPPED is foreign memory naming another pd.
  nt::uintptr foreign = rt.heap().newForeign({0xEF, 0xBE, 0xAD, 0xDE, 0, 0, 0, 0, 'r', 0, 0, 0});
  s.kernel().PostQueuedCompletionStatus(rt.iocphandle, 0, readyKey, foreign);
  // 3. Foreign code associating its own handle with Go's port
  //    (go.dev/issue/58870) under a key that reads as source 1.
  nt::HANDLE theirs = s.kernel().CreateFile();
  ASSERT_EQ(s.kernel().CreateIoCompletionPort(theirs, rt.iocphandle, 0x1, 0), rt.iocphandle);
  s.kernel().CompleteIo(theirs, rt.heap().newForeign({0x10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}), 5);
  s.SpawnM("m1", [&](poller::M&) {
    auto [list, delta] = rt.netpoll(0);
    EXPECT_TRUE(list.empty());
    EXPECT_EQ(delta, 0);
  });
  EXPECT_EQ(s.Run().outcome, RunResult::Outcome::kCompleted);
  EXPECT_EQ(Count(rt, Branch::kNetpollForeign), 3u);
  EXPECT_EQ(rd.pd->rg.load(), rd.gp->addr);  // the reader is still parked
}

TEST(Netpoll, ForeignKeyOneOverZeroedMemoryPassesTheKeyCheck) {
  // The check compares the key's pointer with the word after the OVERLAPPED:
  // key 1 carries a nil pointer, so foreign memory holding zero there is
  // taken for internal/poll's and its mode (0) is fatal.
  sim::Simulation s(OnGrid(), ThreadsFirst(), nullptr);
  ASSERT_TRUE(s.Boot());
  poller::Runtime& rt = s.runtime();
  nt::HANDLE theirs = s.kernel().CreateFile();
  s.kernel().CreateIoCompletionPort(theirs, rt.iocphandle, 0x1, 0);
  s.kernel().CompleteIo(theirs, rt.heap().newForeign(std::vector<uint8_t>(12, 0)), 5);
  s.SpawnM("m1", [&](poller::M&) { rt.netpoll(0); });
  EXPECT_EQ(s.Run().outcome, RunResult::Outcome::kStopped);
  EXPECT_EQ(Count(rt, Branch::kNetpollInvalidMode), 1u);
}

TEST(Netpoll, ReadingUnmappedOverlappedFaults) {
  sim::Simulation s(OnGrid(), ThreadsFirst(), nullptr);
  ASSERT_TRUE(s.Boot());
  poller::Runtime& rt = s.runtime();
  s.kernel().PostQueuedCompletionStatus(rt.iocphandle, 0, 0x1, 0x7000);  // nothing there
  s.SpawnM("m1", [&](poller::M&) { rt.netpoll(0); });
  EXPECT_EQ(s.Run().outcome, RunResult::Outcome::kStopped);
  ASSERT_TRUE(s.fatal().has_value());
  EXPECT_EQ(s.fatal()->message, "fault");
}

TEST(Netpoll, InvalidModeIsFatal) {
  sim::Simulation s(OnGrid(), ThreadsFirst(), nullptr);
  ASSERT_TRUE(s.Boot());
  Reader bad = ParkReader(s, 'x');
  s.kernel().CompleteIo(bad.fd, bad.op, 1);
  s.SpawnM("m1", [&](poller::M&) { s.runtime().netpoll(0); });
  EXPECT_EQ(s.Run().outcome, RunResult::Outcome::kStopped);
  ASSERT_TRUE(s.fatal().has_value());
  EXPECT_EQ(s.fatal()->message, "runtime: netpoll failed");
  EXPECT_THAT(s.runtime().printed(),
              ::testing::Contains(HasSubstr("returned net_op with invalid mode= 120")));
  EXPECT_EQ(Count(s.runtime(), Branch::kNetpollInvalidMode), 1u);
}

TEST(Netpoll, InvalidKeyIsFatal) {
  sim::Simulation s(OnGrid(), ThreadsFirst(), nullptr);
  ASSERT_TRUE(s.Boot());
  s.kernel().PostQueuedCompletionStatus(s.runtime().iocphandle, 0, 5, 0);
  s.SpawnM("m1", [&](poller::M&) { s.runtime().netpoll(0); });
  EXPECT_EQ(s.Run().outcome, RunResult::Outcome::kStopped);
  ASSERT_TRUE(s.fatal().has_value());
  EXPECT_THAT(s.runtime().printed(),
              ::testing::Contains("runtime: GetQueuedCompletionStatusEx returned net_op with "
                                  "invalid key= 5"));
  EXPECT_EQ(Count(s.runtime(), Branch::kNetpollInvalidKey), 1u);
}

TEST(Netpoll, BreakConsumedByNonBlockingPollIsForwarded) {
  // T1 breaks while nobody waits, T2 polls with delay 0 and consumes it,
  // T3 then blocks: only the forwarded break can wake it.
  sim::Simulation s(OnGrid(), ThreadsFirst(), nullptr);
  ASSERT_TRUE(s.Boot());
  int64_t woke_at = -1;
  s.SpawnM("breaker", [&](poller::M&) { s.runtime().netpollBreak(); });
  s.SpawnM("spinner", [&](poller::M&) { s.runtime().netpoll(0); });
  s.SpawnM("blocker", [&](poller::M&) {
    s.runtime().netpoll(-1);
    woke_at = s.kernel().now();
  });
  EXPECT_EQ(s.Run().outcome, RunResult::Outcome::kCompleted);
  EXPECT_EQ(woke_at, 0);
  EXPECT_EQ(Count(s.runtime(), Branch::kNetpollBreakForwarded), 1u);
  EXPECT_EQ(Count(s.runtime(), Branch::kNetpollBreak), 2u);
  EXPECT_EQ(Count(s.runtime(), Branch::kBreakPosted), 2u);
}

TEST(Netpoll, SecondBreakCoalescesWhileOneIsInFlight) {
  sim::Simulation s(OnGrid(), ThreadsFirst(), nullptr);
  ASSERT_TRUE(s.Boot());
  s.runtime().netpollBreak();
  s.runtime().netpollBreak();
  EXPECT_EQ(s.kernel().PortAt(s.runtime().iocphandle)->queue.size(), 1u);
  EXPECT_EQ(Count(s.runtime(), Branch::kBreakCoalesced), 1u);
  EXPECT_EQ(s.runtime().netpollWakeSig.load(), 1u);
}

TEST(Netpoll, TimerPacketTakenByAnotherM) {
  // M1 arms its timer and blocks; M2 then blocks with no delay. Waiters are
  // released LIFO, so M1's timer packet wakes M2 (which ignores it) and M1
  // sleeps on until its own GQCS timeout at the tick.
  sim::Simulation s(OnGrid(), ThreadsFirst(), nullptr);
  ASSERT_TRUE(s.Boot());
  int64_t m1_at = -1, m2_at = -1;
  s.SpawnM("m1", [&](poller::M&) {
    s.runtime().netpoll(kMs);
    m1_at = s.kernel().now();
  });
  s.SpawnM("m2", [&](poller::M&) {
    auto [list, delta] = s.runtime().netpoll(-1);
    EXPECT_TRUE(list.empty());
    m2_at = s.kernel().now();
  });
  EXPECT_EQ(s.Run().outcome, RunResult::Outcome::kCompleted);
  EXPECT_EQ(m2_at, kMs);
  EXPECT_EQ(m1_at, kTick);
  EXPECT_EQ(Count(s.runtime(), Branch::kNetpollTimer), 1u);
  EXPECT_EQ(Count(s.runtime(), Branch::kNetpollTimeout), 1u);
}

TEST(Netpoll, EntryCountFollowsGomaxprocsWithMinimumEight) {
  for (auto [procs, expected] : {std::pair{1, 64u}, {4, 16u}, {8, 8u}, {16, 8u}, {64, 8u}}) {
    sim::SimulationConfig cfg = OnGrid();
    cfg.runtime.gomaxprocs = procs;
    CallCapture calls;
    sim::Simulation s(cfg, ThreadsFirst(), &calls);
    ASSERT_TRUE(s.Boot());
    for (int i = 0; i < 70; ++i) {
      s.kernel().PostQueuedCompletionStatus(s.runtime().iocphandle, 0, 0x1, 0);  // foreign
    }
    s.SpawnM("m1", [&](poller::M&) { s.runtime().netpoll(0); });
    EXPECT_EQ(s.Run().outcome, RunResult::Outcome::kCompleted);
    const auto gqcs = calls.Named("GetQueuedCompletionStatusEx");
    ASSERT_EQ(gqcs.size(), 1u);
    EXPECT_EQ(gqcs[0].args[1], expected) << "GOMAXPROCS " << procs;
    EXPECT_EQ(gqcs[0].outs[0], expected) << "GOMAXPROCS " << procs;
    EXPECT_EQ(Count(s.runtime(), Branch::kNetpollForeign), expected);
  }
}

TEST(Netpoll, BlockedFlagIsSetOnlyWhileAWaitingPollIsInTheKernel) {
  sim::Simulation s(OnGrid(), ThreadsFirst(), nullptr);
  ASSERT_TRUE(s.Boot());
  poller::M& m1 = s.SpawnM("m1", [&](poller::M& m) {
    EXPECT_FALSE(m.blocked);
    s.runtime().netpoll(-1);
    EXPECT_FALSE(m.blocked);
  });
  s.SpawnThread("observer", [&] {
    s.kernel().Sleep(kMs);
    EXPECT_TRUE(m1.blocked);
    s.runtime().netpollBreak();
  });
  EXPECT_EQ(s.Run().outcome, RunResult::Outcome::kCompleted);
}

}  // namespace
}  // namespace iocpsim
