// The simulated kernel's waitable timer rules (sim/SEMANTICS.md S13-S17, S46).
// Expiries are read from the kernel's "timer-fired" events, which carry the
// exact virtual time.
#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "poller/nt_types.h"
#include "sim/kernel.h"
#include "sim/kernel_config.h"
#include "sim/scheduler.h"
#include "sim/strategy.h"
#include "tests/kernel_rig.h"
#include "tests/sim_fixture.h"

namespace iocpsim {
namespace {

using nt::BOOLEAN;
using nt::DWORD;
using nt::HANDLE;

using testing::Config;
using testing::kHighRes;
using testing::kManual;
using testing::kTick;
using testing::OneMsTick;
using testing::Rig;

std::string FiredAt(const char* ms, int obj = 1) {
  return std::string(ms) + " kernel timer-fired obj=" + std::to_string(obj);
}

// The expiries of a lone timer with `flags` on host `config`, set at virtual
// time 0 to `due` (100 ns units, negative: relative), once the run ends.
std::vector<std::string> FiredAfter(const sim::KernelConfig& config, DWORD flags, int64_t due) {
  Rig r(config);
  HANDLE t = r.NewTimer(flags);
  EXPECT_EQ(r.Set(t, due), nt::TRUE);
  r.sched.Run();
  return r.Fired();
}

using Outcome = sim::RunResult::Outcome;

// --- S13: CreateWaitableTimerExW flags ---

// S13: MANUAL_RESET and HIGH_RESOLUTION, alone or together, are accepted.
TEST(TimerRules, S13_AcceptedFlags) {
  Rig r;
  for (DWORD flags : {0u, kManual, kHighRes, kManual | kHighRes}) {
    SCOPED_TRACE(flags);
    HANDLE h = r.NewTimer(flags);
    ASSERT_NE(h, 0u);
    const sim::Timer* t = r.kernel.TimerAt(h);
    ASSERT_NE(t, nullptr);
    EXPECT_EQ(t->manual_reset, (flags & kManual) != 0);
    EXPECT_EQ(t->high_resolution, (flags & kHighRes) != 0);
    EXPECT_FALSE(t->signaled);
    EXPECT_FALSE(t->armed);
  }
  EXPECT_EQ(r.kernel.LiveHandles().size(), 4u);
  EXPECT_EQ(r.kernel.GetLastError(), 0u);
}

// S13: any other flag fails with ERROR_INVALID_PARAMETER and creates nothing.
TEST(TimerRules, S13_UnknownFlagsAreInvalidParameter) {
  Rig r;
  for (DWORD flags : {0x4u, 0x8u, 0x80000000u, kManual | kHighRes | 0x4u}) {
    SCOPED_TRACE(flags);
    r.SetError6();
    EXPECT_EQ(r.NewTimer(flags), 0u);
    EXPECT_EQ(r.kernel.GetLastError(), nt::ERROR_INVALID_PARAMETER);
  }
  EXPECT_TRUE(r.kernel.LiveHandles().empty());
}

// S13: before Windows 10 1803 the high-resolution flag is ERROR_INVALID_PARAMETER.
TEST(TimerRules, S13_HighResolutionRefusedOnOldHosts) {
  sim::KernelConfig cfg = Config();
  cfg.high_resolution_timers = false;
  Rig r(cfg);
  for (DWORD flags : {kHighRes, kManual | kHighRes}) {
    r.SetError6();
    EXPECT_EQ(r.NewTimer(flags), 0u);
    EXPECT_EQ(r.kernel.GetLastError(), nt::ERROR_INVALID_PARAMETER);
  }
  EXPECT_NE(r.NewTimer(0), 0u);
  EXPECT_NE(r.NewTimer(kManual), 0u);
  EXPECT_EQ(r.kernel.LiveHandles().size(), 2u);
}

// --- S14: due time units ---

// S14: a negative due time is relative to now, in 100 ns units.
TEST(TimerRules, S14_NegativeDueTimeIsRelative) {
  Rig r;
  HANDLE t = r.NewTimer(kHighRes);
  ASSERT_EQ(r.Set(t, -15'000), nt::TRUE);  // 1.5 ms from 0
  EXPECT_EQ(r.kernel.TimerAt(t)->fire_at, 1'500'000);
  int64_t fire_at = -1;
  r.sched.Spawn("setter", [&] {
    r.kernel.Sleep(4'000'000);
    ASSERT_EQ(r.Set(t, -10'000), nt::TRUE);  // 1 ms from 4 ms
    fire_at = r.kernel.TimerAt(t)->fire_at;
  });
  EXPECT_EQ(r.sched.Run().outcome, Outcome::kCompleted);
  EXPECT_EQ(fire_at, 5'000'000);
  EXPECT_EQ(r.Fired(), (std::vector<std::string>{FiredAt("1.500000"), FiredAt("5.000000")}));
}

// S14: a positive due time is an absolute FILETIME; virtual 0 is 2024-01-01T00:00:00Z.
TEST(TimerRules, S14_PositiveDueTimeIsAbsoluteFiletime) {
  Rig r;
  EXPECT_EQ(r.kernel.config().epoch_filetime, 133'485'408'000'000'000);
  HANDLE t = r.NewTimer(kHighRes);
  int64_t fire_at = -1;
  r.sched.Spawn("setter", [&] {
    r.kernel.Sleep(1'000'000);
    // 2024-01-01T00:00:00.003Z, set at 1 ms: fires at 3 ms, not 4 ms.
    ASSERT_EQ(r.Set(t, 133'485'408'000'030'000), nt::TRUE);
    fire_at = r.kernel.TimerAt(t)->fire_at;
  });
  EXPECT_EQ(r.sched.Run().outcome, Outcome::kCompleted);
  EXPECT_EQ(fire_at, 3'000'000);
  EXPECT_EQ(r.Fired(), std::vector<std::string>{FiredAt("3.000000")});
}

// S14: zero is an absolute time too (1601-01-01), long past: it signals at once.
TEST(TimerRules, S14_ZeroDueTimeIsAbsolute) {
  Rig r;
  HANDLE t = r.NewTimer(kHighRes);
  ASSERT_EQ(r.Set(t, 0), nt::TRUE);
  EXPECT_TRUE(r.kernel.TimerAt(t)->signaled);
  EXPECT_FALSE(r.kernel.TimerAt(t)->armed);
  EXPECT_EQ(r.Fired(), std::vector<std::string>{FiredAt("0.000000")});
}

// --- S15: setting cancels; auto-reset vs manual-reset ---

// S15: setting a timer replaces its pending due time.
TEST(TimerRules, S15_SetCancelsPendingDueTime) {
  Rig r;
  HANDLE t = r.NewTimer(kHighRes);
  ASSERT_EQ(r.Set(t, -100'000), nt::TRUE);  // 10 ms
  r.sched.Spawn("resetter", [&] {
    r.kernel.Sleep(5'000'000);
    ASSERT_EQ(r.Set(t, -100'000), nt::TRUE);  // now 15 ms
    r.kernel.Sleep(20'000'000);
  });
  sim::RunResult res = r.sched.Run();
  EXPECT_EQ(res.outcome, Outcome::kCompleted);
  EXPECT_EQ(res.end_ns, 25'000'000);
  EXPECT_EQ(r.Fired(), std::vector<std::string>{FiredAt("15.000000")});
}

// S15: setting a signaled timer makes it non-signaled (manual and auto-reset).
TEST(TimerRules, S15_SetMakesTimerNonSignaled) {
  Rig r;
  for (DWORD flags : {kManual, 0u}) {
    SCOPED_TRACE(flags);
    HANDLE t = r.NewTimer(flags | kHighRes);
    ASSERT_EQ(r.Set(t, r.At(0)), nt::TRUE);  // due now: signaled
    ASSERT_TRUE(r.kernel.TimerAt(t)->signaled);
    ASSERT_EQ(r.Set(t, -10'000), nt::TRUE);
    EXPECT_FALSE(r.kernel.TimerAt(t)->signaled);
    EXPECT_TRUE(r.kernel.TimerAt(t)->armed);
    EXPECT_EQ(r.kernel.TimerAt(t)->fire_at, 1'000'000);
  }
}

// S15: an auto-reset timer resets when a wait on it is satisfied; a
// manual-reset one stays signaled; with no wait, both stay signaled.
TEST(TimerRules, S15_AutoResetResetsOnSatisfiedWaitManualStays) {
  Rig r;
  HANDLE port = r.NewPort();
  HANDLE autot = r.NewTimer(kHighRes);
  HANDLE manual = r.NewTimer(kHighRes | kManual);
  HANDLE idle = r.NewTimer(kHighRes);
  HANDLE wa = r.NewPacket();
  HANDLE wm = r.NewPacket();
  BOOLEAN sig = 0x5A;
  ASSERT_EQ(r.Associate(wa, port, autot, 1, &sig), nt::STATUS_SUCCESS);
  ASSERT_EQ(sig, 0);
  ASSERT_EQ(r.Associate(wm, port, manual, 2, &sig), nt::STATUS_SUCCESS);
  ASSERT_EQ(sig, 0);
  for (HANDLE t : {autot, manual, idle}) ASSERT_EQ(r.Set(t, -10'000), nt::TRUE);

  EXPECT_EQ(r.sched.Run().end_ns, 1'000'000);
  EXPECT_FALSE(r.kernel.TimerAt(autot)->signaled);  // consumed by the wait
  EXPECT_TRUE(r.kernel.TimerAt(manual)->signaled);
  EXPECT_TRUE(r.kernel.TimerAt(idle)->signaled);    // nothing waited on it
  EXPECT_EQ(r.kernel.PortAt(port)->queue.size(), 2u);
}

// --- S16: lPeriod ---

// S16: lPeriod 0 fires once and leaves the timer unarmed.
TEST(TimerRules, S16_ZeroPeriodIsOneShot) {
  Rig r;
  HANDLE t = r.NewTimer(kHighRes);
  ASSERT_EQ(r.Set(t, -10'000, 0), nt::TRUE);
  r.sched.Spawn("watcher", [&] { r.kernel.Sleep(50'000'000); });
  EXPECT_EQ(r.sched.Run().end_ns, 50'000'000);
  EXPECT_EQ(r.Fired(), std::vector<std::string>{FiredAt("1.000000")});
  EXPECT_FALSE(r.kernel.TimerAt(t)->armed);
  EXPECT_TRUE(r.kernel.TimerAt(t)->signaled);
}

// S16: lPeriod > 0 (ms) re-arms every period after each expiry.
TEST(TimerRules, S16_PositivePeriodRearms) {
  Rig r;
  HANDLE t = r.NewTimer(kHighRes);
  ASSERT_EQ(r.Set(t, -10'000, 3), nt::TRUE);  // 1 ms, then every 3 ms
  int64_t next_at_close = -1;
  r.sched.Spawn("watcher", [&] {
    r.kernel.Sleep(11'000'000);
    EXPECT_TRUE(r.kernel.TimerAt(t)->armed);
    next_at_close = r.kernel.TimerAt(t)->fire_at;
    ASSERT_EQ(r.kernel.CloseHandle(t), nt::TRUE);  // [S27] ends it
  });
  sim::RunResult res = r.sched.Run();
  EXPECT_EQ(res.outcome, Outcome::kCompleted);
  EXPECT_EQ(res.end_ns, 11'000'000);
  EXPECT_EQ(next_at_close, 13'000'000);
  EXPECT_EQ(r.Fired(), (std::vector<std::string>{FiredAt("1.000000"), FiredAt("4.000000"),
                                                  FiredAt("7.000000"), FiredAt("10.000000")}));
}

// S16: a negative period or a NULL lpDueTime fails with ERROR_INVALID_PARAMETER
// and leaves the timer as it was.
TEST(TimerRules, S16_NegativePeriodOrNullDueIsInvalidParameter) {
  Rig r;
  HANDLE t = r.NewTimer(kHighRes);
  ASSERT_EQ(r.Set(t, -20'000), nt::TRUE);  // 2 ms
  r.SetError6();
  EXPECT_EQ(r.Set(t, -50'000, -1), nt::FALSE);
  EXPECT_EQ(r.kernel.GetLastError(), nt::ERROR_INVALID_PARAMETER);
  r.SetError6();
  EXPECT_EQ(r.kernel.SetWaitableTimer(t, nullptr, 0, 0, 0, nt::FALSE), nt::FALSE);
  EXPECT_EQ(r.kernel.GetLastError(), nt::ERROR_INVALID_PARAMETER);
  EXPECT_TRUE(r.kernel.TimerAt(t)->armed);
  EXPECT_EQ(r.kernel.TimerAt(t)->fire_at, 2'000'000);
  EXPECT_EQ(r.kernel.TimerAt(t)->period_ns, 0);
  r.sched.Run();
  EXPECT_EQ(r.Fired(), std::vector<std::string>{FiredAt("2.000000")});
}

// --- S17: expiry granularity ---

// S17: a high-resolution timer expires on the first multiple of the timer
// resolution at or after its due time.
TEST(TimerRules, S17_HighResolutionRoundsUpToResolution) {
  Rig r;
  HANDLE a = r.NewTimer(kHighRes);  // obj 1
  HANDLE b = r.NewTimer(kHighRes);  // obj 2
  HANDLE c = r.NewTimer(kHighRes);  // obj 3
  ASSERT_EQ(r.Set(a, -12'000), nt::TRUE);  // 1.2 ms -> 1.5 ms
  ASSERT_EQ(r.Set(b, -15'000), nt::TRUE);  // 1.5 ms exactly
  ASSERT_EQ(r.Set(c, -15'001), nt::TRUE);  // 1.5001 ms -> 2 ms
  EXPECT_EQ(r.kernel.TimerAt(a)->fire_at, 1'500'000);
  EXPECT_EQ(r.kernel.TimerAt(b)->fire_at, 1'500'000);
  EXPECT_EQ(r.kernel.TimerAt(c)->fire_at, 2'000'000);
  r.sched.Run();
  EXPECT_EQ(r.Fired(), (std::vector<std::string>{FiredAt("1.500000", 1), FiredAt("1.500000", 2),
                                                  FiredAt("2.000000", 3)}));
}

// S17: the resolution is the configured one (here 1 ms).
TEST(TimerRules, S17_HighResolutionUsesConfiguredResolution) {
  sim::KernelConfig cfg = Config();
  cfg.timer_resolution_ns = 1'000'000;
  EXPECT_EQ(FiredAfter(cfg, kHighRes, -12'000), std::vector<std::string>{FiredAt("2.000000")});
}

// S17: an ordinary timer expires on the first clock tick at or after its due time.
TEST(TimerRules, S17_OrdinaryTimerRoundsUpToTick) {
  Rig r;
  HANDLE a = r.NewTimer(0);
  HANDLE b = r.NewTimer(kManual);
  HANDLE c = r.NewTimer(0);
  ASSERT_EQ(r.Set(a, -12'000), nt::TRUE);   // 1.2 ms -> 15.625 ms
  ASSERT_EQ(r.Set(b, -156'250), nt::TRUE);  // 15.625 ms exactly
  ASSERT_EQ(r.Set(c, -156'251), nt::TRUE);  // just after -> 31.25 ms
  EXPECT_EQ(r.kernel.TimerAt(a)->fire_at, kTick);
  EXPECT_EQ(r.kernel.TimerAt(b)->fire_at, kTick);
  EXPECT_EQ(r.kernel.TimerAt(c)->fire_at, 2 * kTick);
  r.sched.Run();
  EXPECT_EQ(r.Fired(), (std::vector<std::string>{FiredAt("15.625000", 1),
                                                  FiredAt("15.625000", 2),
                                                  FiredAt("31.250000", 3)}));
}

// S17: after timeBeginPeriod(1) an ordinary timer rounds to the 1 ms tick.
TEST(TimerRules, S17_OrdinaryTimerOnOneMsTick) {
  EXPECT_EQ(FiredAfter(OneMsTick(), 0, -12'000), std::vector<std::string>{FiredAt("2.000000")});
}

// S17: a due time already past (or exactly now) signals at once, inside
// SetWaitableTimer, with no scheduler step.
TEST(TimerRules, S17_PastDueSignalsInsideSetWaitableTimer) {
  Rig r;
  HANDLE past = r.NewTimer(0);
  HANDLE now = r.NewTimer(kHighRes);
  ASSERT_EQ(r.Set(past, r.At(0) - 10'000), nt::TRUE);  // 1 ms before virtual 0
  EXPECT_TRUE(r.kernel.TimerAt(past)->signaled);
  EXPECT_FALSE(r.kernel.TimerAt(past)->armed);
  ASSERT_EQ(r.Set(now, r.At(0)), nt::TRUE);
  EXPECT_TRUE(r.kernel.TimerAt(now)->signaled);
  EXPECT_EQ(r.Fired(),
            (std::vector<std::string>{FiredAt("0.000000", 1), FiredAt("0.000000", 2)}));

  // From a thread at 5 ms: an absolute time of 4 ms is past.
  HANDLE late = r.NewTimer(kHighRes);
  bool signaled_on_return = false;
  r.sched.Spawn("setter", [&] {
    r.kernel.Sleep(5'000'000);
    ASSERT_EQ(r.Set(late, r.At(4'000'000)), nt::TRUE);
    signaled_on_return = r.kernel.TimerAt(late)->signaled;
  });
  r.sched.Run();
  EXPECT_TRUE(signaled_on_return);
  EXPECT_EQ(r.Fired().back(), FiredAt("5.000000", 3));
}

// S17 with S16: a periodic timer set in the past signals at once and next
// expires one period later.
TEST(TimerRules, S17_PastDuePeriodicSignalsAndRearms) {
  Rig r;
  HANDLE t = r.NewTimer(kHighRes | kManual);
  ASSERT_EQ(r.Set(t, r.At(0), 2), nt::TRUE);
  EXPECT_TRUE(r.kernel.TimerAt(t)->signaled);
  EXPECT_TRUE(r.kernel.TimerAt(t)->armed);
  EXPECT_EQ(r.kernel.TimerAt(t)->fire_at, 2'000'000);
  r.sched.Spawn("closer", [&] {
    r.kernel.Sleep(5'000'000);
    r.kernel.CloseHandle(t);
  });
  r.sched.Run();
  EXPECT_EQ(r.Fired(), (std::vector<std::string>{FiredAt("0.000000"), FiredAt("2.000000"),
                                                  FiredAt("4.000000")}));
}

// --- S46: high-resolution expiries come a seeded latency after the grid ---

constexpr int64_t kLatency = 100'000;  // the windows profile's bound

sim::KernelConfig Late(int64_t bound = kLatency) {
  sim::KernelConfig c = Config();
  c.timer_latency_ns = bound;
  return c;
}

// How late past its 1.5 ms grid point a high-resolution timer set at 0 for
// 1.2 ms fires in a run seeded with `seed`, read from its timer-fired event.
int64_t LatencyOf(uint64_t seed, const sim::KernelConfig& config = Late()) {
  Rig r(config, testing::ThreadsFirst(), testing::Options(), testing::Logging::kOn, seed);
  HANDLE t = r.NewTimer(kHighRes);
  EXPECT_EQ(r.Set(t, -12'000), nt::TRUE);
  EXPECT_EQ(r.kernel.TimerAt(t)->grid_at, 1'500'000);
  r.sched.Run();
  EXPECT_EQ(r.Fired().size(), 1u);
  return r.kernel.now() - 1'500'000;  // the run ends as the timer fires
}

// S46: over many seeds each expiry is between 0 and the bound late, and the
// latencies vary: removed, they would all be 0; unseeded, all one value.
TEST(TimerRules, S46_HighResolutionExpiryIsLateWithinItsBound) {
  std::set<int64_t> seen;
  for (uint64_t seed = 1; seed <= 200; ++seed) {
    const int64_t l = LatencyOf(seed);
    EXPECT_GE(l, 0) << "seed " << seed;
    EXPECT_LE(l, kLatency) << "seed " << seed;
    seen.insert(l);
  }
  EXPECT_GT(seen.size(), 100u);           // drawn, not fixed
  EXPECT_GT(*seen.rbegin(), kLatency / 2);  // uniform over the bound: the top half is reached
  EXPECT_LT(*seen.begin(), kLatency / 2);
}

// S46: the latency is the seed's: the same seed gives the same latency, and
// a bound of 0 puts the expiry on the grid.
TEST(TimerRules, S46_SameSeedSameLatencyNoneWithoutBound) {
  for (uint64_t seed : {1, 2, 77}) {
    EXPECT_EQ(LatencyOf(seed), LatencyOf(seed)) << "seed " << seed;
    EXPECT_EQ(LatencyOf(seed, Late(0)), 0) << "seed " << seed;
  }
  EXPECT_NE(LatencyOf(1), LatencyOf(2));
}

// S46: ordinary timers keep the tick [S17], and a periodic high-resolution
// timer re-arms from its grid point [S16], so latencies do not accumulate.
TEST(TimerRules, S46_OnlyHighResolutionExpiriesAreLateAndPeriodsKeepTheGrid) {
  EXPECT_EQ(FiredAfter(Late(), 0, -10'000), (std::vector<std::string>{FiredAt("15.625000")}));
  Rig r(Late(), testing::ThreadsFirst(), testing::Options(), testing::Logging::kOn, 3);
  HANDLE t = r.NewTimer(kHighRes);
  ASSERT_EQ(r.Set(t, -10'000, 3), nt::TRUE);  // 1 ms, then every 3 ms
  std::vector<int64_t> grid;
  r.sched.Spawn("watcher", [&] {
    for (int i = 0; i < 4; ++i) {
      grid.push_back(r.kernel.TimerAt(t)->grid_at);
      const int64_t late = r.kernel.TimerAt(t)->fire_at - grid.back();
      EXPECT_GE(late, 0);
      EXPECT_LE(late, kLatency);
      r.kernel.Sleep(3'000'000);
    }
    r.kernel.CloseHandle(t);
  });
  r.sched.Run();
  EXPECT_EQ(grid, (std::vector<int64_t>{1'000'000, 4'000'000, 7'000'000, 10'000'000}));
}

// S46: the latencies come from a stream of the seed of their own, so drawing
// them leaves the scheduler's picks alone: three threads arming timers pick
// alike whether each arming draws a latency or not.
TEST(TimerRules, S46_LatencyDrawsLeaveTheSchedulersPicksAlone) {
  auto run = [](int64_t bound, std::vector<int64_t>* fire_at) {
    std::vector<size_t> picks;
    auto random = std::make_shared<sim::RandomStrategy>(9, 0);
    Rig r(Late(bound),
          std::make_unique<testing::FunctionStrategy>(
              [random, &picks](absl::Span<const sim::Choice> o) {
                picks.push_back(random->Pick(o));
                return picks.back();
              }),
          testing::Options(), testing::Logging::kOff, 9);
    for (int i = 0; i < 3; ++i) {
      r.sched.Spawn("armer", [&r, fire_at] {
        HANDLE t = r.NewTimer(kHighRes);
        for (int k = 0; k < 20; ++k) {
          EXPECT_EQ(r.Set(t, -12'000), nt::TRUE);
          fire_at->push_back(r.kernel.TimerAt(t)->fire_at);
        }
      });
    }
    EXPECT_EQ(r.sched.Run().outcome, Outcome::kCompleted);
    return picks;
  };
  std::vector<int64_t> on_grid, late;
  const std::vector<size_t> picks = run(0, &on_grid);
  EXPECT_GT(picks.size(), 60u);
  EXPECT_EQ(run(kLatency, &late), picks);
  EXPECT_NE(late, on_grid);  // the latencies were drawn
}

// --- S48: wake timers ---

// S48: fResume TRUE makes a timer armed for later a wake timer (a kernel
// event, which the wake-timer oracle judges); one already due is signaled
// at once and wakes nothing, unless it is periodic (its next period). A
// host that ignores the flag (Wine 8) arms the same timer, with no wake
// timer, and says so in the last error.
TEST(TimerRules, S48_ResumeArmsAWakeTimerUnlessTheHostIgnoresIt) {
  for (bool ignored : {false, true}) {
    SCOPED_TRACE(ignored);
    sim::KernelConfig c = Config();
    c.wake_timers_ignored = ignored;
    Rig r(c);
    const HANDLE t = r.NewTimer();
    r.SetError6();
    const int64_t later = -10'000;  // 1 ms
    ASSERT_EQ(r.kernel.SetWaitableTimer(t, &later, 0, 0, 0, nt::TRUE), nt::TRUE);
    EXPECT_EQ(r.kernel.GetLastError(), ignored ? nt::ERROR_TIMER_RESUME_IGNORED : 6u);
    EXPECT_TRUE(r.kernel.TimerAt(t)->armed);
    const int64_t now = r.At(0);
    ASSERT_EQ(r.kernel.SetWaitableTimer(t, &now, 0, 0, 0, nt::TRUE), nt::TRUE);
    ASSERT_EQ(r.Set(t, later), nt::TRUE);  // fResume FALSE: no wake timer
    EXPECT_EQ(r.Grep("wake-timer-armed").size(), ignored ? 0u : 1u);
    ASSERT_EQ(r.kernel.SetWaitableTimer(t, &now, 5, 0, 0, nt::TRUE), nt::TRUE);  // periodic
    EXPECT_EQ(r.Grep("wake-timer-armed").size(), ignored ? 0u : 2u);
  }
}

}  // namespace
}  // namespace iocpsim
