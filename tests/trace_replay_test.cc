// Recording, reading back and replaying traces of multi-thread runs.
#include <string>
#include <tuple>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sim/host_profiles.h"
#include "traces/format.h"
#include "traces/header.h"
#include "traces/reader.h"
#include "traces/record_workload.h"
#include "traces/replayer.h"
#include "traces/writer.h"
#include "traces/timeline.h"

namespace iocpsim {
namespace {

using ::testing::HasSubstr;

std::string Record(uint64_t seed, const sim::HostSpec& host = {}) {
  traces::StringSink sink;
  absl::StatusOr<sim::RunResult> r = traces::RecordWorkload("mixed", seed, host, sink);
  EXPECT_TRUE(r.ok()) << r.status();
  return sink.data();
}

sim::HostSpec Profile(const std::string& name) {
  sim::HostSpec h;
  h.profile = name;
  return h;
}

// The default host with its high-resolution timers on their grid: no S46
// latency, as every trace from before format version 5 ran.
sim::HostSpec OnGrid() {
  sim::HostSpec h;
  h.timer_latency_ns = 0;
  return h;
}

traces::Trace Parse(const std::string& bytes) {
  absl::StatusOr<traces::Trace> t = traces::ParseTrace("recorded", bytes);
  EXPECT_TRUE(t.ok()) << t.status();
  return t.ok() ? *std::move(t) : traces::Trace{};
}

// A trace edited in memory, written and read again, as an edited file is.
traces::Trace Rewritten(const traces::Trace& t) {
  traces::StringSink sink;
  traces::TraceWriter w(sink, t.header);
  for (const trace::Event& e : t.events) w.Write(e);
  return Parse(sink.data());
}

TEST(TraceRecord, SameSeedSameBytes) {
  const std::string a = Record(3);
  EXPECT_GT(a.size(), 10'000u);
  EXPECT_EQ(a, Record(3));
  EXPECT_NE(a, Record(4));
}

TEST(TraceRecord, RecordsCallsDecisionsKernelAndPollerEvents) {
  traces::Trace t = Parse(Record(3));
  int calls = 0, decisions = 0, kernel = 0, netpolls = 0, starts = 0, ends = 0;
  for (const trace::Event& e : t.events) {
    calls += e.has_call();
    decisions += e.has_decision();
    kernel += e.has_kernel();
    netpolls += e.has_netpoll();
    starts += e.has_thread_start();
    ends += e.has_end();
  }
  EXPECT_GT(calls, 100);
  EXPECT_GT(decisions, 100);
  EXPECT_GT(kernel, 100);
  EXPECT_GT(netpolls, 50);
  EXPECT_EQ(starts, 4);
  EXPECT_EQ(ends, 1);
  EXPECT_EQ(t.header.workload(), "mixed");
  EXPECT_EQ(t.header.scheduler().seed(), 3u);
  // Handles are identities, counted from 1: the first call creates H1.
  EXPECT_THAT(traces::FormatEvent(t.events[0]), HasSubstr("= H1"));
}

TEST(TraceReplay, ReplayInSimulatorReRecordsTheSameBytes) {
  for (uint64_t seed : {1, 2, 3, 17, 99}) {
    const std::string bytes = Record(seed);
    traces::Trace t = Parse(bytes);
    absl::StatusOr<traces::ReplayReport> r = traces::ReplayInSimulator(t, {});
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_EQ(r->divergences, 0) << "seed " << seed << ": "
                                 << (r->shown.empty() ? "" : r->shown[0].expected + " / " +
                                                                 r->shown[0].got);
    EXPECT_EQ(r->compared, static_cast<int64_t>(t.events.size()));
    EXPECT_EQ(r->rerecorded, bytes) << "seed " << seed;
  }
}

TEST(TraceReplay, ReportsTheFirstDivergenceWithContext) {
  traces::Trace t = Parse(Record(5));
  // Falsify one recorded result: the 3rd NtCancelWaitCompletionPacket.
  int seen = 0;
  int64_t index = -1;
  for (size_t i = 0; i < t.events.size(); ++i) {
    trace::Event& e = t.events[i];
    if (e.has_call() && e.call().function() == trace::Function::NT_CANCEL_WAIT_COMPLETION_PACKET &&
        ++seen == 3) {
      e.mutable_call()->mutable_result()->set_raw(nt::STATUS_PENDING);
      index = static_cast<int64_t>(i);
      break;
    }
  }
  ASSERT_GE(index, 0);
  t = Rewritten(t);
  absl::StatusOr<traces::ReplayReport> r = traces::ReplayInSimulator(t, {});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->divergences, 1);
  ASSERT_EQ(r->shown.size(), 1u);
  EXPECT_EQ(r->shown[0].index, index);
  EXPECT_THAT(r->shown[0].expected, HasSubstr("STATUS_PENDING"));
  EXPECT_THAT(r->shown[0].got, HasSubstr("NtCancelWaitCompletionPacket"));
  EXPECT_THAT(r->shown[0].got, ::testing::Not(HasSubstr("STATUS_PENDING")));
  EXPECT_EQ(r->shown[0].before.size(), 5u);
}

TEST(TraceReplay, KeepGoingCountsEveryDivergence) {
  traces::Trace t = Parse(Record(5));
  int changed = 0;
  for (trace::Event& e : t.events) {
    if (e.has_call() && e.call().function() == trace::Function::SLEEP && changed < 4) {
      e.set_time_ns(e.time_ns() + 1);  // a different wake-up time, four times
      ++changed;
    }
  }
  t = Rewritten(t);
  absl::StatusOr<traces::ReplayReport> stop = traces::ReplayInSimulator(t, {});
  ASSERT_TRUE(stop.ok());
  EXPECT_EQ(stop->divergences, 1);
  traces::ReplayOptions all;
  all.keep_going = true;
  absl::StatusOr<traces::ReplayReport> r = traces::ReplayInSimulator(t, all);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->divergences, 4);
  EXPECT_EQ(r->compared, static_cast<int64_t>(t.events.size()));
}

TEST(TraceReplay, MalformedTracesAreRefusedWithTheEvent) {
  traces::Trace t = Parse(Record(5));
  traces::Trace no_start = t;
  no_start.events.erase(no_start.events.begin() + 0);
  for (size_t i = 0; i < no_start.events.size(); ++i) {
    if (no_start.events[i].has_thread_start()) {
      no_start.events.erase(no_start.events.begin() + static_cast<long>(i));
      break;
    }
  }
  absl::StatusOr<traces::ReplayReport> r = traces::ReplayInSimulator(no_start, {});
  EXPECT_FALSE(r.ok());
  EXPECT_THAT(std::string(r.status().message()), HasSubstr("has no thread_start"));

  traces::Trace short_call = t;
  for (trace::Event& e : short_call.events) {
    if (e.has_call()) {
      e.mutable_call()->mutable_args()->RemoveLast();
      break;
    }
  }
  r = traces::ReplayInSimulator(short_call, {});
  EXPECT_FALSE(r.ok());
  EXPECT_THAT(std::string(r.status().message()), HasSubstr("args, expected"));

  // A handle identity where GetQueuedCompletionStatusEx's count belongs
  // (found by tests/wire_trace_test.cc): it used to be replayed as a
  // made-up handle value, billions of entries, and abort the tool.
  traces::Trace handle_count = t;
  bool edited = false;
  for (trace::Event& e : handle_count.events) {
    if (e.has_call_start() && e.call_start().function() == trace::GET_QUEUED_COMPLETION_STATUS_EX) {
      e.mutable_call_start()->mutable_args(1)->set_handle(9);
      edited = true;
      break;
    }
  }
  ASSERT_TRUE(edited);
  r = traces::ReplayInSimulator(handle_count, {});
  EXPECT_FALSE(r.ok());
  EXPECT_THAT(std::string(r.status().message()),
              HasSubstr("GetQueuedCompletionStatusEx argument 1 is a handle identity"));

  traces::Trace real = t;
  real.header.mutable_backend()->mutable_real()->set_os("Windows");
  r = traces::ReplayInSimulator(real, {});
  EXPECT_FALSE(r.ok());
  EXPECT_THAT(std::string(r.status().message()), HasSubstr("header.backend"));
}

// --- Host profiles in traces ---

// SimHost's fields added in format version 2.
std::tuple<std::string, trace::SimHost::WaiterOrder, bool, uint32_t, bool> Version2Fields(
    const trace::Header& h) {
  const trace::SimHost& s = h.backend().sim();
  return {s.profile(), s.waiter_order(), s.close_leaves_waiters(), s.removed_on_timeout(),
          s.expiries_from_call()};
}

// The default host writes what traces always held plus S46's latency bound:
// format version 5, none of SimHost's version 2 fields, whether or not
// --host=windows was given. With its timers on the grid it writes what
// version 1 wrote.
TEST(TraceHost, DefaultHostIsFormatFiveWithOnlyTheLatency) {
  const std::string bytes = Record(3);
  EXPECT_EQ(bytes, Record(3, Profile("windows")));
  const trace::Header h = Parse(bytes).header;
  EXPECT_EQ(h.format_version(), traces::kLatencyFormatVersion);
  EXPECT_EQ(h.backend().sim().timer_latency_ns(), 100'000);
  EXPECT_EQ(Version2Fields(h), std::make_tuple("", trace::SimHost::LIFO, false, 0u, false));
  const trace::Header grid = Parse(Record(3, OnGrid())).header;
  EXPECT_EQ(grid.format_version(), 1u);
  EXPECT_EQ(grid.backend().sim().timer_latency_ns(), 0);
}

// A trace without the latency field (as every trace before version 5) replays
// byte for byte with its timers on the grid; one with it, byte for byte with
// the same latencies, which come from the header: cleared, the replay
// diverges where the first late timer fires.
TEST(TraceReplay, LatencyComesFromTheHeader) {
  for (const sim::HostSpec& host : {OnGrid(), sim::HostSpec{}}) {
    const std::string bytes = Record(5, host);
    traces::Trace t = Parse(bytes);
    absl::StatusOr<traces::ReplayReport> r = traces::ReplayInSimulator(t, {});
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_EQ(r->divergences, 0);
    EXPECT_EQ(r->rerecorded, bytes);
  }
  traces::Trace late = Parse(Record(5));
  late.header.mutable_backend()->mutable_sim()->set_timer_latency_ns(0);
  absl::StatusOr<traces::ReplayReport> r = traces::ReplayInSimulator(late, {});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_GT(r->divergences, 0);
}

TEST(TraceHost, LatencyOutOfRangeIsRefused) {
  for (int64_t bad : {int64_t{-1}, sim::kMaxTimerLatencyNs + 1}) {
    trace::Header h = Parse(Record(3)).header;
    h.mutable_backend()->mutable_sim()->set_timer_latency_ns(bad);
    absl::StatusOr<sim::SimulationConfig> c = traces::ConfigFromHeader(h);
    ASSERT_FALSE(c.ok()) << bad;
    EXPECT_THAT(std::string(c.status().message()),
                HasSubstr("timer_latency_ns must be between 0 and 1e9"));
  }
}

// A wine8 header names the profile, holds its rules, and is version 2 so
// that older readers refuse it rather than replay it under Windows' rules.
TEST(TraceHost, Wine8IsFormatTwoWithItsRules) {
  const trace::Header h = Parse(Record(3, Profile("wine8"))).header;
  EXPECT_EQ(h.format_version(), 2u);
  EXPECT_EQ(Version2Fields(h), std::make_tuple("wine8", trace::SimHost::FIFO, true, 1u, true));
  EXPECT_FALSE(h.backend().sim().have_nt_create_wait_completion_packet());
  // windows-pre1803 differs only in fields version 1 has.
  EXPECT_EQ(Parse(Record(3, Profile("windows-pre1803"))).header.format_version(), 1u);
}

// Every profile, and one with a flag laid over it, comes back from its
// header as the same KernelConfig.
TEST(TraceHost, HeaderRebuildsTheKernelConfig) {
  std::vector<sim::KernelConfig> hosts;
  for (const sim::HostProfile& p : sim::HostProfiles()) hosts.push_back(p.kernel);
  sim::HostSpec flags = Profile("wine8");
  flags.tick_ns = 2'000'000;
  flags.wait_packets = true;
  flags.timer_latency_ns = 250'000;
  hosts.emplace_back();
  ASSERT_TRUE(sim::ApplyHostSpec(flags, hosts.back()).ok());
  for (const sim::KernelConfig& k : hosts) {
    sim::SimulationConfig c;
    c.kernel = k;
    absl::StatusOr<sim::SimulationConfig> back =
        traces::ConfigFromHeader(traces::SimHeader(c, "mixed", 1));
    ASSERT_TRUE(back.ok()) << back.status();
    EXPECT_TRUE(back->kernel == k) << k.profile;
  }
}

// A trace recorded on wine8 replays bit for bit, the timeouts' count of 1
// [S40] included.
TEST(TraceReplay, Wine8TraceReplaysByteForByte) {
  for (uint64_t seed : {1, 5, 42}) {
    const std::string bytes = Record(seed, Profile("wine8"));
    traces::Trace t = Parse(bytes);
    bool timeout_counted_one = false;
    for (const trace::Event& e : t.events) {
      const trace::Call& c = e.call();
      timeout_counted_one |= e.has_call() &&
                             c.function() == trace::Function::GET_QUEUED_COMPLETION_STATUS_EX &&
                             c.result().raw() == 0 && c.outs_size() == 1 && c.outs(0).raw() == 1;
    }
    EXPECT_TRUE(timeout_counted_one) << "seed " << seed;
    absl::StatusOr<traces::ReplayReport> r = traces::ReplayInSimulator(t, {});
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_EQ(r->divergences, 0) << "seed " << seed << ": "
                                 << (r->shown.empty() ? "" : r->shown[0].got);
    EXPECT_EQ(r->rerecorded, bytes) << "seed " << seed;
  }
}

// The replay takes its rules from the header: the same wine8 trace with
// Windows' rules written in diverges.
TEST(TraceReplay, HeaderRulesDriveTheReplay) {
  traces::Trace t = Parse(Record(5, Profile("wine8")));
  trace::SimHost* host = t.header.mutable_backend()->mutable_sim();
  host->set_removed_on_timeout(0);
  host->set_expiries_from_call(false);
  absl::StatusOr<traces::ReplayReport> r = traces::ReplayInSimulator(t, {});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_GT(r->divergences, 0);

  host->set_waiter_order(static_cast<trace::SimHost::WaiterOrder>(7));
  r = traces::ReplayInSimulator(t, {});
  EXPECT_FALSE(r.ok());
  EXPECT_THAT(std::string(r.status().message()), HasSubstr("waiter_order 7 is unknown"));
}

}  // namespace
}  // namespace iocpsim
