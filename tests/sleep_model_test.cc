// The sleep model (model/sleep_model.h) against the published figures:
// BenchmarkSleep-12 before and after commit cf52e709, and go.dev/issue/44343's
// 1 ms sleep. docs/sleep-model.md explains each expectation.
#include "gtest/gtest.h"
#include "model/published.h"
#include "model/sleep_model.h"

namespace iocpsim {
namespace {

using model::SleepModelConfig;
using model::SleepModelResult;
using poller::Variant;

SleepModelResult Model(Variant v, int64_t sleep_ns, int32_t gomaxprocs, int64_t interrupt_ns = 0) {
  SleepModelConfig c;
  c.variant = v;
  c.sleep_ns = sleep_ns;
  c.gomaxprocs = gomaxprocs;
  c.interrupt_ns = interrupt_ns;
  absl::StatusOr<SleepModelResult> r = model::RunSleepModel(c);
  EXPECT_TRUE(r.ok()) << r.status();
  return r.ok() ? *r : SleepModelResult{};
}

constexpr int32_t kProcs = model::kBenchmarkSleepGomaxprocs;

TEST(SleepModel, OldPollerReproducesBenchmarkSleep) {
  // A round lasts one 15.625 ms tick and completes 12 ops: 1302 us/op.
  const SleepModelResult r = Model(Variant::kLowRes, 1, kProcs);
  EXPECT_EQ(r.MedianRoundNs(), 15'625'000);
  EXPECT_NEAR(r.PerOpNs(kProcs) / 1e3, model::kBenchmarkSleepOldUs,
              0.10 * model::kBenchmarkSleepOldUs);
  EXPECT_EQ(r.spins, 0);
}

TEST(SleepModel, NewPollerGainsNothingWhileNanotimeMovesByTicks) {
  // dt = -1/100 = 0: the timer is due before it is set, netpoll returns at
  // once, and nanotime moves only at the next tick.
  const SleepModelResult old = Model(Variant::kLowRes, 1, kProcs);
  const SleepModelResult now = Model(Variant::kHighRes, 1, kProcs);
  EXPECT_EQ(now.round_ns, old.round_ns);
  EXPECT_GT(now.spins, 0);
}

TEST(SleepModel, NewPollerWithFasterInterruptsLeavesTheRestToCpu) {
  // With the clock interrupting every 1 ms, a round is 1 ms: 83.3 us/op of
  // the published 250.7; the remaining ~167 us/op is CPU work.
  const SleepModelResult r = Model(Variant::kHighRes, 1, kProcs, 1'000'000);
  EXPECT_EQ(r.MedianRoundNs(), 1'000'000);
  EXPECT_NEAR(r.PerOpNs(kProcs), 1e6 / kProcs, 1);
  EXPECT_LT(r.PerOpNs(kProcs) / 1e3, model::kBenchmarkSleepNewUs);
  // The old poller does not care how often the clock interrupts.
  EXPECT_EQ(Model(Variant::kLowRes, 1, kProcs, 1'000'000).MedianRoundNs(), 15'625'000);
}

TEST(SleepModel, OneMillisecondSleepsOnTheOldPollerTakeATick) {
  const SleepModelResult old = Model(Variant::kLowRes, 1'000'000, 1);
  EXPECT_NEAR(old.MedianRoundNs() / 1e6, model::kSleep1msMedianMs, 0.10 * model::kSleep1msMedianMs);
  const SleepModelResult now = Model(Variant::kHighRes, 1'000'000, 1);
  EXPECT_EQ(now.MedianRoundNs(), 1'000'000);  // the high-resolution timer's expiry
}

TEST(SleepModel, LongerSleepsOnTheOldPollerRoundToTicks) {
  // 20 ms is 2 ticks from the last one (Sleep's tick rule [S10]).
  EXPECT_EQ(Model(Variant::kLowRes, 20'000'000, 1).MedianRoundNs(), 31'250'000);
  EXPECT_EQ(Model(Variant::kHighRes, 20'000'000, 1).MedianRoundNs(), 20'000'000);
}

TEST(SleepModel, IsDeterministic) {
  const SleepModelResult a = Model(Variant::kHighRes, 700'000, 4, 500'000);
  const SleepModelResult b = Model(Variant::kHighRes, 700'000, 4, 500'000);
  EXPECT_EQ(a.round_ns, b.round_ns);
  EXPECT_EQ(a.netpolls, b.netpolls);
}

TEST(SleepModel, RefusesOutOfRangeSettings) {
  SleepModelConfig c;
  c.rounds = 0;
  EXPECT_FALSE(model::RunSleepModel(c).ok());
  c.rounds = model::kMaxRounds + 1;
  EXPECT_FALSE(model::RunSleepModel(c).ok());
  c = SleepModelConfig{};
  c.sleep_ns = 0;
  EXPECT_FALSE(model::RunSleepModel(c).ok());
  c = SleepModelConfig{};
  c.interrupt_ns = 10;
  EXPECT_FALSE(model::RunSleepModel(c).ok());
  c = SleepModelConfig{};
  c.interrupt_ns = 20'000'000;  // slower than the 15.625 ms tick
  EXPECT_FALSE(model::RunSleepModel(c).ok());
  c = SleepModelConfig{};
  c.host.profile = "windows-95";
  EXPECT_FALSE(model::RunSleepModel(c).ok());
}

}  // namespace
}  // namespace iocpsim
