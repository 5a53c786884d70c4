// The poller before commit cf52e709 (variant lowres) beside today's: its
// own wait computation and cap, no wait packet anywhere, a timer key it does
// not know, and how scenarios, traces and replay carry the variant.
#include <string>

#include "gtest/gtest.h"
#include "poller/runtime.h"
#include "poller/variant.h"
#include "proto/scenario.pb.h"
#include "sim/simulation.h"
#include "sim/workloads/scenario_loader.h"
#include "sim/workloads/workload.h"
#include "tests/sim_fixture.h"
#include "traces/format.h"
#include "traces/header.h"
#include "traces/reader.h"
#include "traces/record_workload.h"
#include "traces/replayer.h"
#include "traces/writer.h"

namespace iocpsim {
namespace {

using poller::Branch;
using poller::Variant;
using testing::CallCapture;
using testing::ThreadsFirst;

sim::SimulationConfig LowRes() {
  sim::SimulationConfig c = testing::TestConfig();
  c.runtime.variant = Variant::kLowRes;
  return c;
}

// One M runs `body` after start-up; returns the calls the poller made.
CallCapture RunM(const sim::SimulationConfig& c, std::function<void(sim::Simulation&)> body,
                 poller::BranchCounts* branches = nullptr) {
  CallCapture calls;
  sim::Simulation s(c, ThreadsFirst(), &calls);
  EXPECT_TRUE(s.Boot());
  s.SpawnM("m1", [&](poller::M&) { body(s); });
  s.Run();
  if (branches != nullptr) *branches = s.runtime().branches();
  return calls;
}

TEST(LowRes, SetsUpNoWaitPacketOnAFullHost) {
  sim::Simulation s(LowRes(), ThreadsFirst(), nullptr);
  ASSERT_TRUE(s.Boot());
  EXPECT_TRUE(s.runtime().haveHighResTimer);  // usleep's timer is older than cf52e709
  EXPECT_FALSE(s.runtime().haveHighResSleep);
  EXPECT_TRUE(s.runtime()._NtCreateWaitCompletionPacket == nullptr);
  s.SpawnM("m1", [&](poller::M& m) {
    EXPECT_NE(m.highResTimer, 0u);
    EXPECT_EQ(m.waitIocpTimer, 0u);
    EXPECT_EQ(m.waitIocpHandle, 0u);
  });
  EXPECT_EQ(s.Run().outcome, sim::RunResult::Outcome::kCompleted);
  EXPECT_FALSE(s.HighResSleepApplies());
}

TEST(LowRes, WaitsComeFromTheDelayAlone) {
  poller::BranchCounts b{};
  CallCapture calls = RunM(LowRes(), [](sim::Simulation& s) {
    s.Netpoll(0);
    s.Netpoll(1);                 // under 1 ms: 1
    s.Netpoll(2'500'000);         // 2 ms, rounded down
    s.Netpoll(999'999'999'999'999);  // just under the cap: delay / 1e6
  }, &b);
  std::vector<sim::CallRecord> gqcs = calls.Named("GetQueuedCompletionStatusEx");
  ASSERT_EQ(gqcs.size(), 4u);
  EXPECT_EQ(gqcs[0].args[2], 0u);
  EXPECT_EQ(gqcs[1].args[2], 1u);
  EXPECT_EQ(gqcs[2].args[2], 2u);
  EXPECT_EQ(gqcs[3].args[2], 999'999'999u);
  EXPECT_TRUE(calls.Named("NtCancelWaitCompletionPacket").empty());
  EXPECT_TRUE(calls.Named("SetWaitableTimer").empty());
  EXPECT_EQ(b[static_cast<int>(Branch::kNetpollDelayCapped)], 0u);
}

TEST(LowRes, CapsTheWaitNotTheDelay) {
  // Before cf52e709 the cap was on the wait: 1e9 ms for any delay >= 1e15.
  poller::BranchCounts b{};
  CallCapture calls = RunM(LowRes(), [](sim::Simulation& s) {
    s.Netpoll(1'000'000'000'000'000);
    s.Netpoll(INT64_MAX);
  }, &b);
  std::vector<sim::CallRecord> gqcs = calls.Named("GetQueuedCompletionStatusEx");
  ASSERT_EQ(gqcs.size(), 2u);
  EXPECT_EQ(gqcs[0].args[2], 1'000'000'000u);
  EXPECT_EQ(gqcs[1].args[2], 1'000'000'000u);
  EXPECT_EQ(b[static_cast<int>(Branch::kNetpollDelayCapped)], 2u);
}

TEST(LowRes, TimerKeyIsAnInvalidKey) {
  // netpollSourceTimer came with cf52e709: before it, key 3 is unknown.
  for (Variant v : {Variant::kHighRes, Variant::kLowRes}) {
    sim::SimulationConfig c = testing::TestConfig();
    c.runtime.variant = v;
    sim::Simulation s(c, ThreadsFirst(), nullptr);
    ASSERT_TRUE(s.Boot());
    s.SpawnM("m1", [&](poller::M&) {
      s.nt().PostQueuedCompletionStatus(s.runtime().iocphandle, 0, poller::kTimerKey, 0);
      s.Netpoll(0);
    });
    s.Run();
    EXPECT_EQ(s.fatal().has_value(), v == Variant::kLowRes) << poller::VariantName(v);
    if (v == Variant::kLowRes) {
      EXPECT_EQ(s.fatal()->message, "runtime: netpoll failed");
    }
  }
}

TEST(LowRes, HighResOnlyBranchesAndMutants) {
  EXPECT_FALSE(poller::BranchInVariant(Branch::kQueueTimerPending, Variant::kLowRes));
  EXPECT_TRUE(poller::BranchInVariant(Branch::kNetpollDelayCapped, Variant::kLowRes));
  EXPECT_FALSE(poller::MutantInVariant(poller::Mutant::kPendingFatal, Variant::kLowRes));
  EXPECT_TRUE(poller::MutantInVariant(poller::Mutant::kSubmsZeroWait, Variant::kLowRes));
  for (const poller::VariantInfo& i : poller::Variants()) {
    EXPECT_EQ(poller::ParseVariant(i.name), i.variant);
  }
  EXPECT_FALSE(poller::ParseVariant("faithful").has_value());
}

TEST(LowRes, AMutantOfCodeItLacksIsRefused) {
  absl::StatusOr<std::unique_ptr<workloads::Workload>> w = workloads::MakeWorkload("mixed");
  ASSERT_TRUE(w.ok());
  sim::SimulationConfig base;
  base.runtime.mutant = poller::Mutant::kCancelledNoRearm;
  absl::StatusOr<sim::SimulationConfig> c = workloads::RunConfig(**w, base, {}, Variant::kLowRes);
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("lowres poller does not have"), std::string::npos);
  EXPECT_TRUE(workloads::RunConfig(**w, base, {}, Variant::kHighRes).ok());
}

TEST(LowRes, ScenarioNamesItsPoller) {
  absl::StatusOr<scenario::Scenario> sc = workloads::ParseScenario(
      "t.textproto", "poller: \"lowres\"\nm { name: \"a\" step { netpoll: 0 } }\n");
  ASSERT_TRUE(sc.ok()) << sc.status();
  std::unique_ptr<workloads::Workload> w = workloads::MakeScenarioWorkload(*sc);
  absl::StatusOr<sim::SimulationConfig> c = workloads::RunConfig(*w, {}, {});
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->runtime.variant, Variant::kLowRes);
  // The command line's --poller is the later word.
  c = workloads::RunConfig(*w, {}, {}, Variant::kHighRes);
  EXPECT_EQ(c->runtime.variant, Variant::kHighRes);

  absl::StatusOr<scenario::Scenario> bad = workloads::ParseScenario(
      "t.textproto", "m { name: \"a\" step { netpoll: 0 } }\npoller: \"go1.20\"\n");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("t.textproto:2: poller: is \"go1.20\""), std::string::npos)
      << bad.status();
}

// On the default host with its timers on the grid (no S46 latency, whose
// version 5 would mask the poller's).
std::string Record(std::optional<Variant> v) {
  traces::StringSink sink;
  sim::HostSpec on_grid;
  on_grid.timer_latency_ns = 0;
  EXPECT_TRUE(traces::RecordWorkload("mixed", 3, on_grid, sink, v).ok());
  return sink.data();
}

TEST(LowRes, TracesSayWhichPollerRanAndReplayIt) {
  absl::StatusOr<traces::Trace> high = traces::ParseTrace("high", Record(std::nullopt));
  absl::StatusOr<traces::Trace> low = traces::ParseTrace("low", Record(Variant::kLowRes));
  ASSERT_TRUE(high.ok() && low.ok());
  // Today's poller writes what older versions wrote; lowres needs version 4.
  EXPECT_EQ(high->header.poller(), "");
  EXPECT_LT(high->header.format_version(), traces::kPollerFormatVersion);
  EXPECT_EQ(low->header.poller(), "lowres");
  EXPECT_EQ(low->header.format_version(), traces::kPollerFormatVersion);
  EXPECT_EQ(*traces::VariantFromHeader(low->header), Variant::kLowRes);
  EXPECT_NE(high->events.size(), low->events.size());  // different pollers, different runs

  absl::StatusOr<traces::ReplayReport> r = traces::ReplayInSimulator(*low, {});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->divergences, 0);
  EXPECT_EQ(r->rerecorded, Record(Variant::kLowRes));  // bit for bit

  trace::Header h = low->header;
  h.set_poller("go1.20");
  EXPECT_FALSE(traces::ConfigFromHeader(h).ok());
  h.set_poller("lowres");
  h.set_poller_variant("pending-fatal");
  EXPECT_FALSE(traces::ConfigFromHeader(h).ok());
}

}  // namespace
}  // namespace iocpsim
