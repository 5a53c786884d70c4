// The per-M timer setup from os_windows.go (seed commit cf52e709):
// loadOptionalSyscalls, initHighResTimer, minit, mdestroy, and the fallback
// when the host lacks wait completion packets.
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "poller/runtime.h"
#include "sim/simulation.h"
#include "tests/sim_fixture.h"

namespace iocpsim {
namespace {

using poller::Branch;
using sim::RunResult;
using testing::CallCapture;
using testing::Count;
using testing::ThreadsFirst;

TEST(OsWindows, FullHostEnablesHighResSleep) {
  sim::Simulation s(sim::SimulationConfig{}, ThreadsFirst(), nullptr);
  ASSERT_TRUE(s.Boot());
  EXPECT_TRUE(s.runtime()._NtCreateWaitCompletionPacket != nullptr);
  EXPECT_TRUE(s.runtime()._NtAssociateWaitCompletionPacket != nullptr);
  EXPECT_TRUE(s.runtime()._NtCancelWaitCompletionPacket != nullptr);
  EXPECT_TRUE(s.runtime().haveHighResTimer);
  EXPECT_TRUE(s.runtime().haveHighResSleep);
  EXPECT_EQ(s.kernel().LiveHandles().size(), 1u);  // the probe timer was closed
}

// A throw outside any M, as a wrong poller could make while a workload opens
// its first sockets (here a second waiter on one pollDesc), is a fatal
// error of the start-up, not a crash of the tool.
TEST(OsWindows, AThrowAtSetUpIsAStartUpFatal) {
  sim::Simulation s(sim::SimulationConfig{}, ThreadsFirst(), nullptr);
  ASSERT_TRUE(s.Boot());
  EXPECT_TRUE(s.SetUp([] {}));
  auto [pd, err] = s.runtime().pollOpen(s.env().CreateFile());
  ASSERT_NE(pd, nullptr);
  poller::g* first = s.runtime().heap().newG(1);
  poller::g* second = s.runtime().heap().newG(2);
  EXPECT_FALSE(s.SetUp([&] {
    s.runtime().netpollblock(pd, 'r', false, first);
    s.runtime().netpollblock(pd, 'r', false, second);
  }));
  ASSERT_TRUE(s.fatal().has_value());
  EXPECT_EQ(s.fatal()->thread, 0);
  EXPECT_THAT(s.fatal()->message, ::testing::HasSubstr("double wait"));
}

TEST(OsWindows, WineLikeHostFallsBack) {
  sim::SimulationConfig cfg;
  cfg.kernel.SetWaitPacketsAvailable(false);
  sim::Simulation s(cfg, ThreadsFirst(), nullptr);
  ASSERT_TRUE(s.Boot());
  EXPECT_TRUE(s.runtime()._NtCreateWaitCompletionPacket == nullptr);
  EXPECT_TRUE(s.runtime().haveHighResTimer);
  EXPECT_FALSE(s.runtime().haveHighResSleep);
}

TEST(OsWindows, PreHighResolutionHostHasNeither) {
  sim::SimulationConfig cfg;
  cfg.kernel.high_resolution_timers = false;
  sim::Simulation s(cfg, ThreadsFirst(), nullptr);
  ASSERT_TRUE(s.Boot());
  EXPECT_FALSE(s.runtime().haveHighResTimer);
  EXPECT_FALSE(s.runtime().haveHighResSleep);
  s.SpawnM("m1", [&](poller::M& m) {
    EXPECT_EQ(m.highResTimer, 0u);
    EXPECT_EQ(m.waitIocpTimer, 0u);
    EXPECT_EQ(m.waitIocpHandle, 0u);
  });
  EXPECT_EQ(s.Run().outcome, RunResult::Outcome::kCompleted);
}

TEST(OsWindows, CreateWithoutAssociateIsFatal) {
  sim::SimulationConfig cfg;
  cfg.kernel.have_NtAssociateWaitCompletionPacket = false;
  sim::Simulation s(cfg, ThreadsFirst(), nullptr);
  EXPECT_FALSE(s.Boot());
  EXPECT_EQ(s.fatal()->message,
            "NtCreateWaitCompletionPacket exists but NtAssociateWaitCompletionPacket does not");
}

TEST(OsWindows, CreateWithoutCancelIsFatal) {
  sim::SimulationConfig cfg;
  cfg.kernel.have_NtCancelWaitCompletionPacket = false;
  sim::Simulation s(cfg, ThreadsFirst(), nullptr);
  EXPECT_FALSE(s.Boot());
  EXPECT_EQ(s.fatal()->message,
            "NtCreateWaitCompletionPacket exists but NtCancelWaitCompletionPacket does not");
}

TEST(OsWindows, MinitCreatesAndMdestroyClosesThePerMHandles) {
  CallCapture calls;
  sim::Simulation s(sim::SimulationConfig{}, ThreadsFirst(), &calls);
  ASSERT_TRUE(s.Boot());
  poller::M* seen = nullptr;
  s.SpawnM("m1", [&](poller::M& m) {
    seen = &m;
    EXPECT_NE(m.highResTimer, 0u);
    ASSERT_NE(s.kernel().TimerAt(m.waitIocpTimer), nullptr);
    EXPECT_TRUE(s.kernel().TimerAt(m.waitIocpTimer)->high_resolution);
    EXPECT_FALSE(s.kernel().TimerAt(m.waitIocpTimer)->manual_reset);
    EXPECT_NE(s.kernel().WaitPacketAt(m.waitIocpHandle), nullptr);
    EXPECT_EQ(s.kernel().LiveHandles().size(), 4u);
  });
  EXPECT_EQ(s.Run().outcome, RunResult::Outcome::kCompleted);
  EXPECT_EQ(seen->highResTimer, 0u);
  EXPECT_EQ(seen->waitIocpTimer, 0u);
  EXPECT_EQ(seen->waitIocpHandle, 0u);
  EXPECT_EQ(s.kernel().LiveHandles().size(), 1u);
  // createHighResTimer's flags and access, as Go passes them.
  const auto creates = calls.Named("CreateWaitableTimerExW");
  ASSERT_EQ(creates.size(), 3u);  // probe, usleep timer, netpoll timer
  EXPECT_EQ(creates[2].args[2], nt::CREATE_WAITABLE_TIMER_HIGH_RESOLUTION);
  EXPECT_EQ(creates[2].args[3],
            nt::SYNCHRONIZE | nt::TIMER_QUERY_STATE | nt::TIMER_MODIFY_STATE);
  EXPECT_EQ(calls.Named("NtCreateWaitCompletionPacket")[0].args[0], nt::GENERIC_ALL);
  EXPECT_EQ(calls.Named("CloseHandle").size(), 4u);  // probe + three per M
}

TEST(OsWindows, WithoutWaitPacketsNetpollUsesOnlyTheTick) {
  sim::SimulationConfig cfg;
  cfg.kernel.SetWaitPacketsAvailable(false);
  CallCapture calls;
  sim::Simulation s(cfg, ThreadsFirst(), &calls);
  ASSERT_TRUE(s.Boot());
  s.SpawnM("m1", [&](poller::M& m) {
    EXPECT_NE(m.highResTimer, 0u);  // usleep still gets its timer
    EXPECT_EQ(m.waitIocpHandle, 0u);
    s.runtime().netpoll(1'000'000);
    EXPECT_EQ(s.kernel().now(), 15'625'000);
  });
  EXPECT_EQ(s.Run().outcome, RunResult::Outcome::kCompleted);
  EXPECT_TRUE(calls.Named("NtCancelWaitCompletionPacket").empty());
  EXPECT_TRUE(calls.Named("SetWaitableTimer").empty());
  EXPECT_EQ(Count(s.runtime(), Branch::kNetpollTimeout), 1u);
}

}  // namespace
}  // namespace iocpsim
