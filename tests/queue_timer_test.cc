// Every outcome of NtCancelWaitCompletionPacket in the ported
// netpollQueueTimer, and its failure branches, against the simulated kernel,
// its high-resolution timers on their grid (OnGrid) so each test names the
// instant they fire.
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "poller/runtime.h"
#include "sim/simulation.h"
#include "tests/sim_fixture.h"

namespace iocpsim {
namespace {

using ::testing::Contains;
using poller::Branch;
using sim::RunResult;
using testing::CallCapture;
using testing::Count;
using testing::OnGrid;
using testing::ThreadsFirst;

constexpr int64_t kMs = 1'000'000;

TEST(QueueTimer, FreshPacketAnswersCancelledAndArms) {
  CallCapture calls;
  sim::Simulation s(OnGrid(), ThreadsFirst(), &calls);
  ASSERT_TRUE(s.Boot());
  s.SpawnM("m1", [&](poller::M& m) {
    EXPECT_FALSE(s.runtime().netpollQueueTimer(2'345'678));
    const sim::Timer* t = s.kernel().TimerAt(m.waitIocpTimer);
    ASSERT_NE(t, nullptr);
    EXPECT_TRUE(t->armed);
    EXPECT_EQ(t->fire_at, 2'500'000);  // 2.3456 ms up to the 0.5 ms grid
    EXPECT_EQ(s.kernel().WaitPacketAt(m.waitIocpHandle)->state,
              sim::WaitCompletionPacket::State::kWaiting);
    s.runtime().netpollBreak();  // so the leftover association is harmless
  });
  EXPECT_EQ(s.Run().outcome, RunResult::Outcome::kCompleted);
  EXPECT_EQ(Count(s.runtime(), Branch::kQueueTimerCancelled), 1u);
  ASSERT_EQ(calls.Named("SetWaitableTimer").size(), 1u);
  EXPECT_EQ(static_cast<int64_t>(calls.Named("SetWaitableTimer")[0].args[1]), -23456);
  const auto assoc = calls.Named("NtAssociateWaitCompletionPacket");
  ASSERT_EQ(assoc.size(), 1u);
  EXPECT_EQ(assoc[0].args[3], 3u);  // key: packNetpollKey(netpollSourceTimer, nil)
  EXPECT_EQ(assoc[0].outs[0], 0u);  // not already signaled
}

TEST(QueueTimer, PendingWaitIsCancelledWithSuccess) {
  // A break ends the first poll before the timer fires; the next poll finds
  // the association still waiting and cancels it.
  sim::Simulation s(OnGrid(), ThreadsFirst(), nullptr);
  ASSERT_TRUE(s.Boot());
  s.SpawnM("m1", [&](poller::M&) {
    s.runtime().netpoll(5 * kMs);
    EXPECT_EQ(s.kernel().now(), kMs);
    s.runtime().netpoll(2 * kMs);
    EXPECT_EQ(s.kernel().now(), 3 * kMs);  // the second timer, not the first
  });
  s.SpawnThread("breaker", [&] {
    s.kernel().Sleep(kMs);
    s.runtime().netpollBreak();
  });
  EXPECT_EQ(s.Run().outcome, RunResult::Outcome::kCompleted);
  EXPECT_EQ(Count(s.runtime(), Branch::kQueueTimerSuccess), 1u);
  EXPECT_EQ(Count(s.runtime(), Branch::kNetpollTimer), 1u);
}

TEST(QueueTimer, QueuedTimerPacketIsRemovedWithSuccess) {
  // The timer fires after a break woke the M, so its packet waits in the
  // port; the next netpollQueueTimer removes it (RemoveSignaledPacket).
  sim::Simulation s(OnGrid(), ThreadsFirst(), nullptr);
  ASSERT_TRUE(s.Boot());
  s.SpawnM("m1", [&](poller::M&) {
    s.runtime().netpoll(kMs);  // woken by the break at 0.2 ms
    s.kernel().Sleep(2 * kMs);  // meanwhile the timer fires at 1 ms
    EXPECT_EQ(s.kernel().PortAt(s.runtime().iocphandle)->queue.size(), 1u);
    s.runtime().netpoll(kMs);
    EXPECT_EQ(Count(s.runtime(), Branch::kQueueTimerSuccess), 1u);
  });
  s.SpawnThread("breaker", [&] {
    s.kernel().Sleep(200'000);
    s.runtime().netpollBreak();
  });
  EXPECT_EQ(s.Run().outcome, RunResult::Outcome::kCompleted);
  // Only the re-armed timer's packet was ever dequeued.
  EXPECT_EQ(Count(s.runtime(), Branch::kNetpollTimer), 1u);
}

TEST(QueueTimer, InFlightPacketAnswersPendingAndFallsBackToTheTick) {
  // Timer expiry and the GQCS timeout land together at 1 ms (1 ms tick). The
  // kernel fires the timer (packet in flight), then ends the wait; the M runs
  // before the packet is delivered and polls again: STATUS_PENDING.
  sim::SimulationConfig cfg = OnGrid();
  cfg.kernel.tick_ns = kMs;
  CallCapture calls;
  sim::Simulation s(cfg, ThreadsFirst(), &calls);
  ASSERT_TRUE(s.Boot());
  s.SpawnM("m1", [&](poller::M&) {
    s.runtime().netpoll(kMs);
    EXPECT_EQ(s.kernel().now(), kMs);
    auto [list, delta] = s.runtime().netpoll(kMs);
    EXPECT_TRUE(list.empty());
  });
  EXPECT_EQ(s.Run().outcome, RunResult::Outcome::kCompleted);
  EXPECT_EQ(Count(s.runtime(), Branch::kQueueTimerPending), 1u);
  // No timer was armed the second time: one SetWaitableTimer in all.
  EXPECT_EQ(calls.Named("SetWaitableTimer").size(), 1u);
  const auto cancels = calls.Named("NtCancelWaitCompletionPacket");
  ASSERT_EQ(cancels.size(), 2u);
  EXPECT_EQ(cancels[1].result, nt::STATUS_PENDING);
  // The late packet still arrived and ended the second poll.
  EXPECT_EQ(Count(s.runtime(), Branch::kNetpollTimer), 1u);
}

TEST(QueueTimer, AlreadySignaledReturnsTrue) {
  sim::Simulation s(OnGrid(), ThreadsFirst(), nullptr);
  ASSERT_TRUE(s.Boot());
  s.SpawnM("m1", [&](poller::M&) { EXPECT_TRUE(s.runtime().netpollQueueTimer(99)); });
  EXPECT_EQ(s.Run().outcome, RunResult::Outcome::kCompleted);
  EXPECT_EQ(Count(s.runtime(), Branch::kQueueTimerAlreadySignaled), 1u);
}

// Runs m1's body, expects it to die with `message` after printing `printed`.
void ExpectFatal(sim::Simulation& s, const std::string& message, const std::string& printed) {
  EXPECT_EQ(s.Run().outcome, RunResult::Outcome::kStopped);
  ASSERT_TRUE(s.fatal().has_value());
  EXPECT_EQ(s.fatal()->message, message);
  EXPECT_THAT(s.runtime().printed(), Contains(printed));
}

TEST(QueueTimer, CancelFailureIsFatal) {
  sim::Simulation s(OnGrid(), ThreadsFirst(), nullptr);
  ASSERT_TRUE(s.Boot());
  s.SpawnM("m1", [&](poller::M& m) {
    s.kernel().CloseHandle(m.waitIocpHandle);
    s.runtime().netpoll(kMs);
  });
  ExpectFatal(s, "runtime: netpoll failed",
              "runtime: NtCancelWaitCompletionPacket failed; errno= 3221225480");  // 0xC0000008
  EXPECT_EQ(Count(s.runtime(), Branch::kQueueTimerCancelFailed), 1u);
}

TEST(QueueTimer, SetWaitableTimerFailureIsFatal) {
  sim::Simulation s(OnGrid(), ThreadsFirst(), nullptr);
  ASSERT_TRUE(s.Boot());
  s.SpawnM("m1", [&](poller::M& m) {
    s.kernel().CloseHandle(m.waitIocpTimer);
    s.runtime().netpoll(kMs);
  });
  ExpectFatal(s, "runtime: netpoll failed", "runtime: SetWaitableTimer failed; errno= 6");
}

TEST(QueueTimer, AssociateFailureIsFatal) {
  sim::Simulation s(OnGrid(), ThreadsFirst(), nullptr);
  ASSERT_TRUE(s.Boot());
  s.SpawnM("m1", [&](poller::M&) {
    s.kernel().CloseHandle(s.runtime().iocphandle);
    s.runtime().netpoll(kMs);
  });
  ExpectFatal(s, "runtime: netpoll failed",
              "runtime: NtAssociateWaitCompletionPacket failed; errno= 3221225480");
}

}  // namespace
}  // namespace iocpsim
