// Extreme values in traces (issue 9): times at the ends of int64, durations
// that overflow and step counts near 2^62 are shown exactly, exported
// without overflow, and refused by replay; a trace cut before its end
// replays within a bound of its own size.
#include <cstdint>
#include <limits>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "traces/perfetto.h"
#include "traces/reader.h"
#include "traces/record_workload.h"
#include "traces/replayer.h"
#include "traces/time_text.h"
#include "traces/timeline.h"

namespace iocpsim {
namespace {

using ::testing::HasSubstr;
constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
constexpr int64_t kMax = std::numeric_limits<int64_t>::max();

traces::Trace Recorded() {
  traces::StringSink sink;
  EXPECT_TRUE(traces::RecordWorkload("mixed", 5, {}, sink).ok());
  absl::StatusOr<traces::Trace> t = traces::ParseTrace("recorded", sink.data());
  EXPECT_TRUE(t.ok()) << t.status();
  return *std::move(t);
}

trace::Event& FirstCall(traces::Trace& t) {
  for (trace::Event& e : t.events) {
    if (e.has_call()) return e;
  }
  ADD_FAILURE() << "no call";
  return t.events[0];
}

TEST(TimeText, EveryInt64IsExact) {
  EXPECT_EQ(traces::FixedPoint(-500000, 1000000, 6, 0), "-0.500000");
  EXPECT_EQ(traces::FixedPoint(1500000, 1000000, 6, 4), "   1.500000");
  EXPECT_EQ(traces::FixedPoint(kMin, 1000, 3, 0), "-9223372036854775.808");
  EXPECT_EQ(traces::FixedPoint(kMax, 1000, 3, 0), "9223372036854775.807");
  EXPECT_EQ(traces::SaturatingSub(kMax, -1), kMax);
  EXPECT_EQ(traces::SaturatingSub(kMin, 1), kMin);
  EXPECT_EQ(traces::SaturatingSub(5, 7), -2);
}

TEST(TraceExtremes, ShowPrintsNegativeTimesWithTheirSign) {
  trace::Event e;
  e.set_time_ns(-500000);
  e.mutable_thread_end();
  EXPECT_THAT(traces::FormatEvent(e), HasSubstr("-0.500000"));
  e.set_time_ns(kMin);
  EXPECT_THAT(traces::FormatEvent(e), HasSubstr("-9223372036854.775808"));
}

TEST(TraceExtremes, ShowEscapesControlCharacters) {
  trace::Event e;
  e.set_thread(1);
  e.mutable_thread_start()->set_name("x\033[2J\\y");
  const std::string line = traces::FormatEvent(e);
  EXPECT_THAT(line, HasSubstr("thread x\\x1b[2J\\\\y"));
  EXPECT_EQ(line.find('\033'), std::string::npos);
}

TEST(TraceExtremes, ExportSurvivesInt64MinTimesAndOverflowingDurations) {
  traces::Trace t = Recorded();
  trace::Event& call = FirstCall(t);
  call.set_time_ns(kMin);
  call.mutable_call()->set_start_ns(kMax);  // the duration overflows
  const std::string json = traces::ExportChromeJson(t);
  EXPECT_THAT(json, HasSubstr("\"ts\":9223372036854775.807,\"dur\":-9223372036854775.808"));
}

TEST(TraceExtremes, ReplayRefusesTimesAndStepCountsOutOfRange) {
  traces::Trace t = Recorded();
  traces::Trace steps = t;
  steps.events.back().mutable_end()->set_steps(int64_t{1} << 62);
  absl::StatusOr<traces::ReplayReport> r = traces::ReplayInSimulator(steps, {});
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(std::string(r.status().message()), HasSubstr("end.steps 4611686018427387904"));
  traces::Trace time = t;
  FirstCall(time).set_time_ns(kMin);
  r = traces::ReplayInSimulator(time, {});
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(std::string(r.status().message()), HasSubstr("time_ns -9223372036854775808"));
  traces::Trace header = t;
  header.header.mutable_scheduler()->set_max_steps(kMax);
  EXPECT_FALSE(traces::ReplayInSimulator(header, {}).ok());
}

// export writes each event as it comes (issue 9: a large trace must not be
// held as JSON in memory): every Add reaches the sink before Finish.
TEST(TraceExtremes, ExportStreamsEventByEvent) {
  const traces::Trace t = Recorded();
  traces::StringSink sink;
  traces::ChromeJsonWriter json(t.header, sink);
  size_t before = sink.data().size();
  int calls = 0, grew = 0;
  for (const trace::Event& e : t.events) {
    json.Add(e);
    calls += e.has_call();
    grew += e.has_call() && sink.data().size() > before;  // each call is a slice
    before = sink.data().size();
  }
  EXPECT_GT(calls, 0);
  EXPECT_EQ(grew, calls);
  json.Finish();
  EXPECT_EQ(sink.data(), traces::ExportChromeJson(t));
}

// The steps a keep-going replay of `t` took, from its re-recording's end
// (-1 if it has none); `shown` gets how many divergences it printed.
int64_t ReplayedSteps(const traces::Trace& t, size_t* shown = nullptr) {
  traces::ReplayOptions all;
  all.keep_going = true;
  absl::StatusOr<traces::ReplayReport> r = traces::ReplayInSimulator(t, all);
  EXPECT_TRUE(r.ok()) << r.status();
  if (!r.ok()) return -1;
  if (shown != nullptr) *shown = r->shown.size();
  absl::StatusOr<traces::Trace> again = traces::ParseTrace("again", r->rerecorded);
  EXPECT_TRUE(again.ok()) << again.status();
  if (!again.ok() || again->events.empty() || !again->events.back().has_end()) {
    ADD_FAILURE() << "the re-recording has no end event";
    return -1;
  }
  return again->events.back().end().steps();
}

// Threads recorded alive stay parked, yielding, when their script ends: a
// trace cut before its end event must not leave them to run to the
// header's step limit (10 million here).
TEST(TraceExtremes, ATraceWithoutItsEndReplaysInStepsBoundedByItsSize) {
  traces::Trace t = Recorded();
  t.events.resize(t.events.size() / 2);
  size_t shown = 0;
  EXPECT_LE(ReplayedSteps(t, &shown), 2 * static_cast<int64_t>(t.events.size()) + 1000);
  EXPECT_LE(shown, 20u);
}

// An end event may claim any step count up to the limit; the replay is
// bounded by what the trace holds, not by the claim.
TEST(TraceExtremes, AClaimedStepCountDoesNotStretchTheReplay) {
  traces::Trace t = Recorded();
  t.events.resize(t.events.size() / 2);
  trace::Event end;
  end.mutable_end()->set_steps(100'000'000);
  t.events.push_back(end);
  EXPECT_LE(ReplayedSteps(t), 2 * static_cast<int64_t>(t.events.size()) + 1000);
}

}  // namespace
}  // namespace iocpsim
