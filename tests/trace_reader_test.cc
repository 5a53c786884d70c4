// Damaged, foreign and other-version traces: every whole event before the
// damage is read, then an error naming the file and byte offset.
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "traces/format.h"
#include "traces/reader.h"
#include "traces/record_workload.h"
#include "traces/trace_view.h"

namespace iocpsim {
namespace {

using ::testing::HasSubstr;

const std::string& Recorded() {
  static const std::string* bytes = [] {
    traces::StringSink sink;
    EXPECT_TRUE(traces::RecordWorkload("mixed", 9, sim::HostSpec{}, sink).ok());
    return new std::string(sink.data());
  }();
  return *bytes;
}

// Reads everything; returns the events read and the error (OK at clean end).
std::pair<int, absl::Status> ReadAll(const std::string& bytes) {
  traces::TraceReader r("t.trace", bytes);
  absl::StatusOr<trace::Header> h = r.ReadHeader();
  if (!h.ok()) return {0, h.status()};
  trace::Event e;
  int n = 0;
  while (true) {
    absl::StatusOr<bool> more = r.Next(&e);
    if (!more.ok()) return {n, more.status()};
    if (!*more) return {n, absl::OkStatus()};
    ++n;
  }
}

TEST(TraceReader, ReadsAWholeTrace) {
  auto [n, st] = ReadAll(Recorded());
  EXPECT_TRUE(st.ok()) << st;
  EXPECT_GT(n, 500);
}

TEST(TraceReader, TruncatedTraceYieldsEveryWholeEventThenTheOffset) {
  auto [all, ok] = ReadAll(Recorded());
  // Cut in the middle of some event: everything before it still reads.
  const std::string cut = Recorded().substr(0, Recorded().size() - 7);
  auto [n, st] = ReadAll(cut);
  EXPECT_EQ(n, all - 1);
  EXPECT_EQ(st.code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(std::string(st.message()), HasSubstr("t.trace: byte offset "));
  EXPECT_THAT(std::string(st.message()), HasSubstr("truncated event"));
  // Every prefix reads without crashing and reports truncation or ends clean.
  for (size_t len = 0; len < 600; ++len) {
    auto [k, s] = ReadAll(Recorded().substr(0, len));
    if (!s.ok()) {
      EXPECT_THAT(std::string(s.message()), HasSubstr("byte offset")) << len;
    }
  }
}

TEST(TraceReader, CorruptEventIsReportedAtItsOffset) {
  std::string bytes = Recorded();
  // Find the offset of the 10th event by reading, then corrupt its body.
  traces::TraceReader r("t.trace", bytes);
  ASSERT_TRUE(r.ReadHeader().ok());
  trace::Event e;
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(*r.Next(&e));
  const uint64_t at = r.offset();
  bytes[at + 1] = '\xff';  // an invalid wire type inside the message
  bytes[at + 2] = '\xff';
  auto [n, st] = ReadAll(bytes);
  EXPECT_EQ(n, 10);
  EXPECT_THAT(std::string(st.message()), HasSubstr(absl::StrCat("byte offset ", at, ": corrupt event")));
}

TEST(TraceReader, ImplausibleLengthIsCorruption) {
  std::string bytes = Recorded().substr(0, 200);
  traces::TraceReader r("t.trace", bytes);
  ASSERT_TRUE(r.ReadHeader().ok());
  const uint64_t at = r.offset();
  bytes.replace(at, 5, "\xff\xff\xff\xff\x0f");
  auto [n, st] = ReadAll(bytes);
  EXPECT_THAT(std::string(st.message()), HasSubstr("implausible"));
}

TEST(TraceReader, NotATrace) {
  auto [n, st] = ReadAll("#!/bin/sh\necho hello\n");
  EXPECT_THAT(std::string(st.message()),
              HasSubstr("t.trace: byte offset 0: not an iocpsim trace"));
  auto [m, empty] = ReadAll("");
  EXPECT_FALSE(empty.ok());
}

TEST(TraceReader, OtherFormatVersionIsRefused) {
  for (uint32_t v : {traces::kFormatVersion + 1, uint32_t{0}}) {
    trace::Header h;
    h.set_format_version(v);
    h.set_tool_version("iocpsim 9.9");
    traces::StringSink sink;
    traces::TraceWriter w(sink, h);
    auto [n, st] = ReadAll(sink.data());
    EXPECT_THAT(std::string(st.message()),
                HasSubstr(absl::StrCat("byte offset 8: trace format version ", v,
                                       " (written by iocpsim 9.9); this iocpsim reads versions 1 "
                                       "to ", traces::kFormatVersion)));
  }
}

// Versions 1 and 2 are read: a trace is written with the oldest version
// that describes it (traces/format.h).
TEST(TraceReader, EveryKnownFormatVersionIsRead) {
  for (uint32_t v = traces::kOldestFormatVersion; v <= traces::kFormatVersion; ++v) {
    trace::Header h;
    h.set_format_version(v);
    traces::StringSink sink;
    traces::TraceWriter w(sink, h);
    traces::TraceReader reader("t.trace", sink.data());
    absl::StatusOr<trace::Header> got = reader.ReadHeader();
    ASSERT_TRUE(got.ok()) << got.status();
    EXPECT_EQ(got->format_version(), v);
  }
}

// The arena reader a replay uses reads what ParseTrace reads, event for
// event and byte for byte, and refuses what it refuses with the same error.
TEST(TraceReader, ArenaViewReadsWhatParseTraceReads) {
  const std::string& bytes = Recorded();
  for (size_t cut : {size_t{0}, size_t{7}, size_t{8}, size_t{40}, bytes.size() / 3,
                     bytes.size() / 2 + 1, bytes.size() - 1, bytes.size()}) {
    std::string damaged = bytes.substr(0, cut);
    if (cut == bytes.size() / 2 + 1) damaged += std::string(30, '\xff');  // corrupt, not cut
    absl::StatusOr<traces::Trace> t = traces::ParseTrace("t.trace", damaged);
    absl::StatusOr<traces::TraceView> v = traces::TraceView::Parse("t.trace", damaged);
    ASSERT_EQ(t.status(), v.status()) << "cut at " << cut;
    if (!t.ok()) continue;
    EXPECT_EQ(t->header.SerializeAsString(), v->header().SerializeAsString());
    ASSERT_EQ(t->events.size(), v->size());
    for (size_t i = 0; i < v->size(); ++i) {
      EXPECT_EQ(t->events[i].SerializeAsString(), (*v)[i].SerializeAsString()) << i;
      EXPECT_EQ(t->EventBytes(i), v->EventBytes(i)) << i;
      EXPECT_EQ(v->EventBytes(i), (*v)[i].SerializeAsString()) << i;
    }
  }
}

TEST(TraceReader, MissingFileNamesIt) {
  absl::StatusOr<traces::Trace> t = traces::LoadTrace("/nonexistent/x.trace");
  EXPECT_FALSE(t.ok());
  EXPECT_THAT(std::string(t.status().message()), HasSubstr("/nonexistent/x.trace"));
}

}  // namespace
}  // namespace iocpsim
