// A replay read off the wire (traces/wire_trace.h) answers exactly as the
// replay of the parsed trace: on faithful traces, on other encodings of the
// same events, and on damaged ones.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sim/prng.h"
#include "traces/format.h"
#include "traces/reader.h"
#include "traces/record_workload.h"
#include "traces/replayer.h"
#include "traces/trace_view.h"
#include "traces/wire_trace.h"
#include "traces/writer.h"

namespace iocpsim {
namespace {

using traces::ReplayPath;

std::string Record(const std::string& workload, uint64_t seed, const std::string& host) {
  traces::StringSink sink;
  sim::HostSpec h;
  h.profile = host;
  absl::StatusOr<sim::RunResult> r = traces::RecordWorkload(workload, seed, h, sink);
  EXPECT_TRUE(r.ok()) << r.status();
  return sink.data();
}

std::vector<std::string> Recorded() {
  std::vector<std::string> out;
  for (const char* host : {"windows", "windows-pre1803", "wine8"}) {
    for (uint64_t seed : {1, 2}) out.push_back(Record("mixed", seed, host));
  }
  return out;
}

// Everything a replay answers, as one string.
std::string Answer(const absl::StatusOr<traces::ReplayReport>& r) {
  if (!r.ok()) return absl::StrCat("error: ", r.status().ToString());
  std::string s = absl::StrCat("compared ", r->compared, " divergences ", r->divergences,
                               " bytes ", r->rerecorded.size(), "\n");
  for (const traces::Divergence& d : r->shown) {
    absl::StrAppend(&s, d.index, " ", d.kind, "\n  want ", d.expected, "\n  got ", d.got, "\n");
    for (const std::string& b : d.before) absl::StrAppend(&s, "  before ", b, "\n");
  }
  return s + r->rerecorded;
}

// The replay of the parsed trace, its errors naming the file as the wire
// path's do.
std::string ParsedAnswer(const std::string& bytes, const traces::ReplayOptions& o) {
  absl::StatusOr<traces::TraceView> t = traces::TraceView::Parse("t.trace", bytes);
  if (!t.ok()) return Answer(t.status());
  absl::StatusOr<traces::ReplayReport> r = traces::ReplayInSimulator(*t, o);
  if (!r.ok()) {
    return Answer(absl::Status(r.status().code(), absl::StrCat("t.trace: ", r.status().message())));
  }
  return Answer(r);
}

std::string WireAnswer(const std::string& bytes, const traces::ReplayOptions& o,
                       ReplayPath* path = nullptr) {
  absl::StatusOr<traces::WireTrace> w = traces::WireTrace::Read("t.trace", bytes);
  if (!w.ok()) return Answer(w.status());
  return Answer(traces::ReplayInSimulator(*w, o, path));
}

TEST(WireTrace, ScansWhatProtobufParses) {
  int decisions = 0, picks = 0;
  for (const std::string& bytes : Recorded()) {
    absl::StatusOr<traces::WireTrace> w = traces::WireTrace::Read("t.trace", bytes);
    absl::StatusOr<traces::Trace> t = traces::ParseTrace("t.trace", bytes);
    ASSERT_TRUE(w.ok() && t.ok());
    ASSERT_EQ(w->size(), t->events.size());
    for (size_t i = 0; i < w->size(); ++i) {
      const trace::Event& e = t->events[i];
      std::optional<traces::ScannedEvent> s = traces::ScanEvent(w->EventBytes(i));
      ASSERT_TRUE(s.has_value()) << i;
      EXPECT_EQ(s->kind, e.kind_case()) << i;
      EXPECT_EQ(s->thread, e.thread()) << i;
      EXPECT_EQ(s->time_ns, e.time_ns()) << i;
      if (!e.has_decision()) continue;
      ++decisions;
      std::optional<traces::ScannedDecision> d = traces::ScanDecision(s->body);
      ASSERT_TRUE(d.has_value()) << i;
      EXPECT_EQ(d->options, static_cast<uint32_t>(e.decision().options_size())) << i;
      EXPECT_EQ(d->picked, e.decision().picked()) << i;
      const trace::Option& o = e.decision().options(static_cast<int>(e.decision().picked()));
      EXPECT_EQ(d->picked_kind, o.kind()) << i;
      EXPECT_EQ(d->picked_thread, o.thread()) << i;
      picks += d->picked != 0;
    }
  }
  EXPECT_GT(decisions, 1000);
  EXPECT_GT(picks, 100);  // not only first options: the pick is really read
}

TEST(WireTrace, ScannersReadOnlyTheRecordersEncoding) {
  trace::Event e;
  e.set_time_ns(5);
  e.set_thread(-3);
  trace::Option* o = e.mutable_decision()->add_options();
  o->set_kind(trace::Option::ADVANCE);
  e.mutable_decision()->add_options()->set_thread(7);
  e.mutable_decision()->set_picked(1);
  const std::string good = e.SerializeAsString();
  std::optional<traces::ScannedEvent> s = traces::ScanEvent(good);
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->thread, -3);
  std::optional<traces::ScannedDecision> d = traces::ScanDecision(s->body);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->picked_thread, 7);
  EXPECT_EQ(d->picked_kind, trace::Option::THREAD);

  // The same message in other valid encodings, and damage: all refused.
  const std::string thread_first = "\x10\x02\x08\x05" + good.substr(good.find('\x2a'));
  const std::string unknown_field = good + "\x68\x01";  // field 13, varint
  const std::string repeated_time = "\x08\x01" + good;
  EXPECT_FALSE(traces::ScanEvent(thread_first).has_value());
  EXPECT_FALSE(traces::ScanEvent(unknown_field).has_value());
  EXPECT_FALSE(traces::ScanEvent(repeated_time).has_value());
  EXPECT_FALSE(traces::ScanEvent(good.substr(0, good.size() - 1)).has_value());
  EXPECT_FALSE(traces::ScanEvent(std::string("\x00", 1) + good).has_value());
  const std::string picked_first = "\x10\x01" + std::string(s->body.substr(0, s->body.size() - 2));
  EXPECT_FALSE(traces::ScanDecision(picked_first).has_value());
  EXPECT_FALSE(traces::ScanDecision(std::string(s->body) + "\x18\x01").has_value());
  EXPECT_FALSE(traces::ScanDecision(std::string(s->body) + std::string("\x00", 1)).has_value());
  EXPECT_FALSE(traces::ScanDecision("\x0a\x02\x08").has_value());  // an option cut short
}

TEST(WireTrace, FaithfulTracesReplayFromTheWireAlone) {
  for (const std::string& bytes : Recorded()) {
    ReplayPath path = ReplayPath::kParsed;
    const std::string wire = WireAnswer(bytes, {}, &path);
    EXPECT_EQ(path, ReplayPath::kWire);
    EXPECT_EQ(wire, ParsedAnswer(bytes, {}));
    EXPECT_THAT(wire, ::testing::StartsWith("compared "));
    EXPECT_THAT(wire, ::testing::HasSubstr(" divergences 0 "));
  }
}

// An event written by another writer (fields out of number order) replays
// as the parsed trace does: by re-encoding it.
TEST(WireTrace, AnotherEncodingIsParsed) {
  const std::string bytes = Record("mixed", 3, "windows");
  absl::StatusOr<traces::Trace> t = traces::ParseTrace("t.trace", bytes);
  ASSERT_TRUE(t.ok());
  traces::StringSink sink;
  traces::TraceWriter w(sink, t->header);
  size_t reordered = 0;
  for (size_t i = 0; i < t->events.size(); ++i) {
    const trace::Event& e = t->events[i];
    if (!e.has_decision() || e.time_ns() == 0 || reordered > 3) {
      w.Write(e);
      continue;
    }
    // The kind first, then time: valid protobuf, not the recorder's order.
    trace::Event kind_only = e;
    kind_only.clear_time_ns();
    std::string body = kind_only.SerializeAsString();
    trace::Event time_only;
    time_only.set_time_ns(e.time_ns());
    body += time_only.SerializeAsString();
    ASSERT_LT(body.size(), 128u);  // a one-byte length prefix
    w.WriteFramed(absl::StrCat(std::string(1, static_cast<char>(body.size())), body));
    ++reordered;
  }
  ASSERT_GT(reordered, 0u);
  ReplayPath path = ReplayPath::kWire;
  const std::string wire = WireAnswer(sink.data(), {}, &path);
  EXPECT_EQ(path, ReplayPath::kParsed);
  EXPECT_EQ(wire, ParsedAnswer(sink.data(), {}));
  EXPECT_THAT(wire, ::testing::HasSubstr(" divergences 0 "));
}

// Damage anywhere (a byte replaced, bytes cut off) gets the parsed trace's
// answer: the same error, or the same divergences.
TEST(WireTrace, DamagedTracesGetTheParsedAnswer) {
  sim::Prng prng(20261130);
  int errors = 0, diverged = 0, passed = 0;
  for (const std::string& bytes : Recorded()) {
    for (int k = 0; k < 60; ++k) {
      std::string damaged = bytes;
      const size_t at = traces::kMagicSize + prng.Below(bytes.size() - traces::kMagicSize);
      if (k % 10 == 9) {
        damaged.resize(at);
      } else {
        damaged[at] = static_cast<char>(prng.Below(256));
      }
      for (bool keep_going : {false, true}) {
        traces::ReplayOptions o;
        o.keep_going = keep_going;
        const std::string wire = WireAnswer(damaged, o);
        ASSERT_EQ(wire, ParsedAnswer(damaged, o)) << "byte " << at << " keep_going " << keep_going;
        errors += wire.rfind("error", 0) == 0;
        diverged += wire.find(" divergences 0 ") == std::string::npos &&
                    wire.rfind("error", 0) != 0;
        passed += wire.find(" divergences 0 ") != std::string::npos;
      }
    }
  }
  // The damage reaches every outcome.
  EXPECT_GT(errors, 50);
  EXPECT_GT(diverged, 50);
  EXPECT_GT(passed, 5);
}

}  // namespace
}  // namespace iocpsim
