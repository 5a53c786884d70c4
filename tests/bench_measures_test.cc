// The units of work the speed figures are made of (bench/measures.h) do
// what their names say; their speed is measured elsewhere, never asserted.
#include "bench/measures.h"
#include "gtest/gtest.h"

namespace iocpsim {
namespace {

TEST(BenchMeasures, TheIdleProcessCoversMostOfAnHour) {
  // 60 polls of 60 s; a read landing on a timer's expiry leaves its timer
  // packet for the next poll, which then returns at once.
  absl::StatusOr<int64_t> ns = bench::VirtualNs("bench/scenarios/idle_heavy.textproto");
  ASSERT_TRUE(ns.ok()) << ns.status();
  EXPECT_GE(*ns, 3'000'000'000'000);
  EXPECT_LE(*ns, 3'600'000'000'000);
}

TEST(BenchMeasures, ARecordedRunReplaysWithoutDivergence) {
  absl::StatusOr<explore::Target> t = bench::ScenarioTarget("tests/scenarios/default.textproto");
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_FALSE(bench::ScenarioTarget("tests/scenarios/none.textproto").ok());
  absl::StatusOr<std::string> plain = bench::RunScenario(*t, 3, false);
  absl::StatusOr<std::string> trace = bench::RunScenario(*t, 3, true);
  ASSERT_TRUE(plain.ok() && trace.ok());
  EXPECT_TRUE(plain->empty());
  EXPECT_GT(trace->size(), 1000u);
  EXPECT_TRUE(bench::Replay(*trace).ok());
  EXPECT_FALSE(bench::Replay(trace->substr(0, trace->size() / 2) + "x").ok());
}

TEST(BenchMeasures, AMissingScenarioIsAnError) {
  EXPECT_FALSE(bench::ExploreSchedules("tests/scenarios/none.textproto", 10, 1).ok());
  EXPECT_TRUE(bench::ExploreSchedules("tests/scenarios/cancel_pending.textproto", 10, 2).ok());
}

TEST(BenchMeasures, EitherPollerCanBeMeasured) {
  EXPECT_TRUE(bench::ExploreSchedules("tests/scenarios/default.textproto", 10, 1,
                                      poller::Variant::kLowRes).ok());
  absl::StatusOr<explore::Target> t =
      bench::ScenarioTarget("tests/scenarios/default.textproto", poller::Variant::kLowRes);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->poller, poller::Variant::kLowRes);
  bench::NetpollCycles(100, poller::Variant::kLowRes);
}

TEST(BenchMeasures, TheLoopsRun) {
  bench::FiberSwitches(100);
  bench::KernelCalls(100);
  bench::NetpollCycles(100);
#if defined(__linux__)
  EXPECT_GT(bench::PeakKiB(), 0);  // /proc/self/status
#endif
}

}  // namespace
}  // namespace iocpsim
