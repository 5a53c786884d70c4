// The two directions between the simulator and a real kernel, under Wine in
// CI (Windows binaries only):
// - every bundled scenario runs on the real kernel, recorded; the trace is
//   then checked against the simulator's model of the host, with no outcome
//   the model does not allow;
// - traces recorded in the simulator replay on the real kernel, with what the
//   host lacks reported as unsupported and timing it cannot be forced into as
//   not reproducible, never as a pass.
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "sim/host_profiles.h"
#include "sim/kernel_config.h"
#include "traces/check_real.h"
#include "traces/reader.h"
#include "traces/record_workload.h"
#include "tests/corpus.h"
#include "win32/host.h"
#include "win32/real_replay.h"
#include "win32/real_run.h"

namespace iocpsim::win32 {
namespace {

traces::Trace Parse(const std::string& bytes) {
  absl::StatusOr<traces::Trace> t = traces::ParseTrace("recorded", bytes);
  EXPECT_TRUE(t.ok()) << t.status();
  return t.ok() ? *std::move(t) : traces::Trace{};
}

// The model of this host: the profile a trace recorded here names.
sim::KernelConfig ModelOfThisHost() {
  trace::RealHost host;
  host.set_os(DescribeHost().os);
  absl::StatusOr<sim::KernelConfig> c = sim::HostProfileConfig(traces::ProfileOfRealHost(host));
  EXPECT_TRUE(c.ok()) << c.status();
  return c.ok() ? *c : sim::KernelConfig{};
}

std::string Shown(const traces::ReplayReport& r) {
  std::string s;
  for (const traces::Divergence& d : r.shown) {
    s += "event " + std::to_string(d.index) + " " + d.kind + "\n  expected: " + d.expected +
         "\n  got: " + d.got + "\n";
  }
  return s;
}

TEST(RoundTrip, EveryScenarioRunsOnTheRealKernelAndTheModelAllowsIt) {
  const std::vector<std::string>& scenarios = testing::ScenarioCorpus();
  ASSERT_GE(scenarios.size(), 10u);
  // Not in real time: waits of 11.5 days; and injected faults (fault_*),
  // which only the simulated kernel makes.
  const std::set<std::string> skipped = {"delay_past_cap", "wine8_past_cap"};
  for (const std::string& path : scenarios) {
    SCOPED_TRACE(path);
    const std::string stem = std::filesystem::path(path).stem().string();
    if (skipped.count(stem) || stem.rfind("fault_", 0) == 0) continue;
    traces::StringSink sink;
    RealProcessConfig config;
    config.time_limit_ns = 20'000'000'000;
    absl::StatusOr<RealRunOutcome> run = RunOnRealKernel(path, 1, config, &sink);
    ASSERT_TRUE(run.ok()) << run.status();
    EXPECT_EQ(run->result.outcome == sim::RunResult::Outcome::kStopped, run->expect_fatal)
        << run->result.stop_reason;
    EXPECT_NE(run->result.outcome, sim::RunResult::Outcome::kStepLimit) << run->result.stop_reason;
    EXPECT_EQ(run->tally.duplicates, 0);

    traces::Trace t = Parse(sink.data());
    ASSERT_TRUE(t.header.backend().has_real());
    EXPECT_EQ(t.header.poller(), stem == "lowres" ? "lowres" : "");  // the scenario's poller ran
    traces::ReplayOptions o;
    o.keep_going = true;
    absl::StatusOr<traces::ReplayReport> r = traces::CheckInSimulator(t, ModelOfThisHost(), o);
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_GT(r->compared, 5);
    EXPECT_EQ(r->divergences, 0) << Shown(*r);
  }
}

traces::Trace RecordInSimulator(const std::string& scenario, bool wait_packets) {
  sim::HostSpec host;
  host.wait_packets = wait_packets;
  traces::StringSink sink;
  absl::StatusOr<sim::RunResult> r = traces::RecordWorkload(scenario, 3, host, sink);
  EXPECT_TRUE(r.ok()) << r.status();
  return Parse(sink.data());
}

TEST(RoundTrip, ASimulatedRaceReplaysOnTheRealKernelAsUnsupportedOrNotReproducible) {
  if (!DescribeHost().wine) GTEST_SKIP() << "Wine lacks the wait packets this checks for";
  traces::Trace t = RecordInSimulator("tests/scenarios/cancel_pending.textproto", true);
  traces::ReplayOptions o;
  o.keep_going = true;
  RealReplayLimits limits;
  limits.time_limit_ns = 10'000'000'000;
  absl::StatusOr<traces::ReplayReport> r = ReplayOnRealKernel(t, o, limits);
  ASSERT_TRUE(r.ok()) << r.status();
  // Wine's ntdll has no wait packets: every such call, and what used their
  // handles, is unsupported; none is a pass, none a divergence.
  EXPECT_GT(r->unsupported, 0);
  EXPECT_GT(r->divergences, 0);
  EXPECT_EQ(r->divergences, r->unsupported + r->not_reproducible) << Shown(*r);
}

TEST(RoundTrip, ASimulatedRunWithoutWaitPacketsReplaysWithoutDivergence) {
  traces::Trace t = RecordInSimulator("tests/scenarios/socket_lifecycle.textproto", false);
  traces::ReplayOptions o;
  o.keep_going = true;
  absl::StatusOr<traces::ReplayReport> r = ReplayOnRealKernel(t, o);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_GT(r->compared, 10);
  EXPECT_EQ(r->unsupported, 0);
  // Only timing may differ on a real clock, and it is said so.
  EXPECT_EQ(r->divergences, r->not_reproducible) << Shown(*r);
}

// An I/O status no real socket can be made to complete with on demand is
// what this backend cannot do: unsupported, not a divergence.
TEST(RoundTrip, AnIoStatusTheBackendCannotProduceIsUnsupported) {
  traces::Trace t = RecordInSimulator("tests/scenarios/socket_lifecycle.textproto", false);
  int64_t index = -1;
  for (size_t i = 0; i < t.events.size() && index < 0; ++i) {
    trace::Event& e = t.events[i];
    if (e.has_call() && e.call().function() == trace::Function::COMPLETE_IO) {
      e.mutable_call()->mutable_args(3)->set_raw(0xC000020C);  // STATUS_CONNECTION_DISCONNECTED
      index = static_cast<int64_t>(i);
    }
  }
  ASSERT_GE(index, 0);
  traces::ReplayOptions o;
  o.keep_going = true;
  absl::StatusOr<traces::ReplayReport> r = ReplayOnRealKernel(t, o);
  ASSERT_TRUE(r.ok()) << r.status();
  bool found = false;
  for (const traces::Divergence& d : r->shown) {
    if (d.index == index) {
      found = true;
      EXPECT_EQ(d.kind, "unsupported") << Shown(*r);
    }
  }
  EXPECT_TRUE(found) << Shown(*r);
  EXPECT_GE(r->unsupported, 1);
}

// Bad input: a handle the trace never created would name one of the
// replaying process's own handles on a real kernel; it is refused with the
// event, before anything runs.
TEST(RoundTrip, HandlesTheTraceDidNotCreateAreRefused) {
  for (bool raw : {true, false}) {
    traces::Trace t = RecordInSimulator("tests/scenarios/socket_lifecycle.textproto", false);
    for (size_t i = 0; i < t.events.size(); ++i) {
      trace::Event& e = t.events[i];
      if (e.has_call() && e.call().function() == trace::Function::CLOSE_HANDLE) {
        trace::Value* v = e.mutable_call()->mutable_args(0);
        if (raw) {
          v->set_raw(0x4);
        } else {
          v->set_handle(999);
        }
        absl::StatusOr<traces::ReplayReport> r = ReplayOnRealKernel(t, traces::ReplayOptions{});
        ASSERT_FALSE(r.ok());
        EXPECT_NE(std::string(r.status().message()).find(absl::StrCat("event ", i, ": CloseHandle")),
                  std::string::npos)
            << r.status();
        break;
      }
    }
  }
}

TEST(RoundTrip, ATraceOfA32BitProcessIsRefused) {
  traces::Trace t;
  t.header.set_ptr_size(4);
  absl::StatusOr<traces::ReplayReport> r = ReplayOnRealKernel(t, traces::ReplayOptions{});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(std::string(r.status().message()).find("64-bit"), std::string::npos);
}

}  // namespace
}  // namespace iocpsim::win32
