// What `show` decodes and what the Perfetto export draws, on recorded runs:
// keys by source and pollDesc, OVERLAPPEDs by their I/O, due times, waits
// and handles by kind; arrows from a break's post and a timer's arming to
// the poll that dequeued them.
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "traces/decoder.h"
#include "traces/perfetto.h"
#include "traces/perfetto_flows.h"
#include "traces/reader.h"
#include "traces/record_workload.h"
#include "traces/timeline.h"
#include "traces/writer.h"

namespace iocpsim {
namespace {

using ::testing::HasSubstr;

traces::Trace Recorded(const std::string& scenario, uint64_t seed) {
  traces::StringSink sink;
  EXPECT_TRUE(traces::RecordWorkload(scenario, seed, {}, sink).ok());
  absl::StatusOr<traces::Trace> t = traces::ParseTrace("t", sink.data());
  EXPECT_TRUE(t.ok()) << t.status();
  return t.ok() ? *t : traces::Trace{};
}

std::string Shown(const traces::Trace& t) {
  const traces::TraceDecoder d(t.header, t.events);
  std::string out;
  for (const trace::Event& e : t.events) absl::StrAppend(&out, traces::FormatEvent(e, &d), "\n");
  return out;
}

TEST(Timeline, DecodesWhatAGoDeveloperReads) {
  const std::string s = Shown(Recorded("tests/scenarios/default.textproto", 3));
  EXPECT_THAT(s, HasSubstr("CreateIoCompletionPort(H3, H2, key=ready pd#1 (H3), threads=0)"));
  EXPECT_THAT(s, HasSubstr("(netpoll timer of T1)"));
  EXPECT_THAT(s, HasSubstr("(wait packet of T1)"));
  EXPECT_THAT(s, HasSubstr("SetWaitableTimer(H9, due in 2 ms,"));
  EXPECT_THAT(s, HasSubstr("key=timer"));
  EXPECT_THAT(s, HasSubstr("{ready pd#1 (H3), ov=io#1 on H3}"));
  EXPECT_THAT(s, HasSubstr("{break, ov=0}"));
  EXPECT_THAT(s, HasSubstr("wait=2 ms"));
  EXPECT_THAT(s, HasSubstr("PostQueuedCompletionStatus(H2, bytes=0, key=break, ov=0)"));
  EXPECT_THAT(s, HasSubstr("STATUS_PENDING"));
  EXPECT_THAT(s, HasSubstr("HIGH_RESOLUTION, SYNCHRONIZE|TIMER_QUERY_STATE|TIMER_MODIFY_STATE"));
  // The raw form is what replay's divergences show: unchanged.
  const traces::Trace t = Recorded("tests/scenarios/default.textproto", 3);
  std::string raw;
  for (const trace::Event& e : t.events) absl::StrAppend(&raw, traces::FormatEvent(e), "\n");
  EXPECT_THAT(raw, HasSubstr("key=0x2 ov=0"));
  EXPECT_FALSE(absl::StrContains(raw, "pd#"));
}

TEST(Timeline, ThirtyTwoBitKeysDecodeToo) {
  const std::string s = Shown(Recorded("tests/scenarios/goarch_386.textproto", 1));
  EXPECT_THAT(s, HasSubstr("key=ready pd#1 (H"));
  EXPECT_FALSE(absl::StrContains(s, "ready 0x"));
}

TEST(Timeline, DueTimesRelativeAbsoluteAndPast) {
  trace::Header h;
  h.mutable_backend()->mutable_sim()->set_epoch_filetime(1'000'000);
  const traces::TraceDecoder d(h, {});
  EXPECT_EQ(d.DueTime(-20'000), "in 2 ms");
  EXPECT_EQ(d.DueTime(-5), "in 0.0005 ms");
  EXPECT_EQ(d.DueTime(0), "long past (absolute)");
  EXPECT_EQ(d.DueTime(1'000'000 + 125'000), "at 12.5 ms (absolute)");
  EXPECT_EQ(d.DueTime(INT64_MIN), "in 922337203685477 ms");  // no overflow
  EXPECT_EQ(d.Key(0x2), "break");
  EXPECT_EQ(d.Key(0x3), "timer");
  EXPECT_EQ(d.Key(0x5), "0x5");
  EXPECT_EQ(d.Overlapped(0), "0");
  EXPECT_EQ(d.Overlapped(0x1234), "0x1234");
}

TEST(Timeline, KeysReadAsGoReadsThem) {
  trace::Header h;
  const traces::TraceDecoder d64(h);
  EXPECT_EQ(d64.Key(0x11), "0x11");  // source 17: Go throws on it, not a ready key
  EXPECT_EQ(d64.Key(0x10002), "break 0x10002");  // a break with pointer bits
  h.set_ptr_size(4);
  const traces::TraceDecoder d32(h);
  EXPECT_EQ(d32.Key(0x12), "break 0x12");  // pd 1, source 2
  EXPECT_EQ(d32.Key(0x21), "ready 0x2");
  // An epoch no simulated trace has, and a due time at the top: no overflow.
  h.mutable_backend()->mutable_sim()->set_epoch_filetime(-1);
  EXPECT_EQ(traces::TraceDecoder(h).DueTime(INT64_MAX), "at 922337203685477 ms (absolute)");
}

TEST(Timeline, ShortHostileCallsDecodeWithoutCrashing) {
  // Calls with fewer arguments than their function has, results and outs of
  // any kind: each decodes to something, never reads past what is there.
  std::vector<trace::Event> events;
  for (int f = trace::Function_MIN; f <= trace::Function_MAX; ++f) {
    for (int args = 0; args <= 8; ++args) {
      trace::Event e;
      e.set_thread(1);
      trace::Call* c = e.mutable_call();
      c->set_function(static_cast<trace::Function>(f));
      for (int i = 0; i < args; ++i) c->add_args()->set_raw(~uint64_t{0} - i);
      c->mutable_result()->set_handle(1);
      c->add_outs()->set_handle(2);
      c->add_entries()->set_key(0x2);
      events.push_back(e);
    }
  }
  trace::Header h;
  const traces::TraceDecoder d(h, events);
  for (const trace::Event& e : events) EXPECT_FALSE(traces::FormatEvent(e, &d).empty());
}

TEST(Timeline, FlowsJoinBreaksAndTimersToTheirDequeue) {
  const traces::Trace t = Recorded("tests/scenarios/default.textproto", 3);
  traces::FlowTracker flows;
  int breaks = 0, timers = 0;
  for (const trace::Event& e : t.events) {
    for (const traces::Flow& f : flows.Add(e)) {
      EXPECT_LE(f.from_ns, f.to_ns) << f.name;
      (f.name == "break" ? breaks : timers)++;
    }
  }
  EXPECT_GT(breaks, 0);
  EXPECT_GT(timers, 0);
  // In the export each arrow is a start and a finish with the same id.
  const std::string json = traces::ExportChromeJson(t);
  int starts = 0, finishes = 0;
  for (size_t at = 0; (at = json.find("\"ph\":\"s\"", at)) != std::string::npos; ++at) ++starts;
  for (size_t at = 0; (at = json.find("\"ph\":\"f\"", at)) != std::string::npos; ++at) ++finishes;
  EXPECT_EQ(starts, breaks + timers);
  EXPECT_EQ(finishes, starts);
}

TEST(Timeline, ATimerPacketTakenByAnotherMArrowsAcrossThreads) {
  const traces::Trace t = Recorded("tests/scenarios/timer_taken.textproto", 1);
  traces::FlowTracker flows;
  bool across = false;
  for (const trace::Event& e : t.events) {
    for (const traces::Flow& f : flows.Add(e)) across |= f.name == "timer" && f.from_tid != f.to_tid;
  }
  EXPECT_TRUE(across);
}

}  // namespace
}  // namespace iocpsim
