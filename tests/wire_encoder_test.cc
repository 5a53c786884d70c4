// The recorder writes the trace's wire format itself (traces/wire_encoder.h).
// Its bytes must be exactly those protobuf writes for the same event, or
// traces would change and old readers could misread new ones.
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "poller/nt_types.h"
#include "proto/trace.pb.h"
#include "sim/host_profiles.h"
#include "traces/reader.h"
#include "traces/record_workload.h"
#include "traces/recorder.h"
#include "traces/writer.h"

namespace iocpsim::traces {
namespace {

// Every event one recorder emits, as bytes.
struct Collected {
  std::vector<std::string> messages;
  std::vector<std::string> framed;
  TraceRecorder recorder{[this](const RecordedEvent& e) {
    messages.emplace_back(e.message);
    framed.emplace_back(e.framed);
  }};
};

std::string Framed(const std::string& message) {
  std::string out;
  uint64_t n = message.size();
  while (n >= 0x80) {
    out.push_back(static_cast<char>(n | 0x80));
    n >>= 7;
  }
  out.push_back(static_cast<char>(n));
  return out + message;
}

void ExpectLast(const Collected& c, const trace::Event& want) {
  ASSERT_FALSE(c.messages.empty());
  EXPECT_EQ(c.messages.back(), want.SerializeAsString()) << want.ShortDebugString();
  EXPECT_EQ(c.framed.back(), Framed(c.messages.back()));
}

// Lengths around each varint size's edge, at both levels of nesting.
TEST(WireEncoderTest, ThreadsWithLongNamesAndEmptyKinds) {
  Collected c;
  trace::Event want;
  for (size_t n : {0, 1, 120, 124, 125, 126, 127, 128, 129, 200, 255, 256, 300, 16377, 16380,
                   16383, 16384, 20000, 2100000}) {
    const std::string name(n, 'n');
    c.recorder.OnThreadStart(7, name, n % 2 == 0);
    want.Clear();
    want.set_thread(7);
    want.mutable_thread_start()->set_name(name);
    want.mutable_thread_start()->set_is_m(n % 2 == 0);
    ExpectLast(c, want);
  }

  c.recorder.OnThreadEnd(0, 0);  // every field zero: still a ThreadEnd
  want.Clear();
  want.mutable_thread_end();
  ExpectLast(c, want);
}

TEST(WireEncoderTest, DecisionsLongerThanOneLengthByte) {
  Collected c;
  std::vector<sim::Choice> options;
  for (int i = -1; i < 60; ++i) {
    sim::Choice o;
    o.kind = i % 3 == 0 ? sim::Choice::Kind::kKernel
                        : (i % 3 == 1 ? sim::Choice::Kind::kAdvance : sim::Choice::Kind::kThread);
    o.thread = i;
    options.push_back(o);
  }
  c.recorder.OnDecision(int64_t{1} << 62, options, 59);
  trace::Event want;
  want.set_time_ns(int64_t{1} << 62);
  trace::Decision* d = want.mutable_decision();
  for (const sim::Choice& o : options) {
    trace::Option* w = d->add_options();
    w->set_kind(o.kind == sim::Choice::Kind::kKernel    ? trace::Option::KERNEL
                : o.kind == sim::Choice::Kind::kAdvance ? trace::Option::ADVANCE
                                                        : trace::Option::THREAD);
    w->set_thread(o.thread < 0 ? 0 : o.thread);
  }
  d->set_picked(59);
  ExpectLast(c, want);
}

TEST(WireEncoderTest, ExtremeAndNegativeNumbers) {
  Collected c;
  sim::KernelEvent k;
  k.kind = sim::KernelEvent::Kind::kTimerArmed;
  k.thread = 3;
  k.object = ~uint64_t{0};
  k.key = 0;
  k.overlapped = uint64_t{1} << 63;
  k.value = -5;  // a ten-byte varint
  c.recorder.OnKernelEvent(-1, k);
  trace::Event want;
  want.set_time_ns(-1);
  want.set_thread(3);
  trace::KernelEvent* w = want.mutable_kernel();
  w->set_kind(trace::KernelEvent::TIMER_ARMED);
  w->set_object(~uint64_t{0});
  w->set_overlapped(uint64_t{1} << 63);
  w->set_value(-5);
  ExpectLast(c, want);

  sim::NetpollReturn r;
  r.thread = 2;
  r.delay = -1;
  r.goroutines = 0;
  r.delta = -2147483647 - 1;  // int32's least: sign-extended to ten bytes
  c.recorder.OnNetpoll(9, r);
  want.Clear();
  want.set_time_ns(9);
  want.set_thread(2);
  want.mutable_netpoll()->set_delay(-1);
  want.mutable_netpoll()->set_delta(r.delta);
  ExpectLast(c, want);
}

TEST(WireEncoderTest, FatalWithEmptyAndHugeStrings) {
  Collected c;
  const std::string message(20000, 'm');  // a three-byte length, two levels deep
  c.recorder.OnFatal(5, 1, message, {"", "runtime: x", ""});
  trace::Event want;
  want.set_time_ns(5);
  want.set_thread(1);
  want.mutable_fatal()->set_message(message);
  want.mutable_fatal()->add_printed("");
  want.mutable_fatal()->add_printed("runtime: x");
  want.mutable_fatal()->add_printed("");
  ExpectLast(c, want);

  c.recorder.OnRunEnd(6, sim::RunSummary{"", 0, 0, ""});
  want.Clear();
  want.set_time_ns(6);
  want.mutable_end();
  ExpectLast(c, want);
}

// Zero arguments and results are written (a Value's oneof is set), handles
// become identities, and GetQueuedCompletionStatusEx's entries follow.
constexpr uint64_t kInvalidHandle = ~uint64_t{0};  // INVALID_HANDLE_VALUE

TEST(WireEncoderTest, CallsKeepZeroValuesAndHandles) {
  Collected c;
  sim::CallRecord create;
  create.thread = 0;
  create.name = "CreateIoCompletionPort";
  create.args = {kInvalidHandle, uint64_t{0}, uint64_t{0}, uint64_t{0}};
  create.result = 0x40;
  c.recorder.OnCall(create);
  trace::Event want;
  trace::Call* w = want.mutable_call();
  w->set_function(trace::CREATE_IO_COMPLETION_PORT);
  w->add_args()->set_raw(kInvalidHandle);  // never created: raw
  w->add_args()->set_handle(0);                      // NULL handle
  w->add_args()->set_raw(0);
  w->add_args()->set_raw(0);
  w->mutable_result()->set_handle(1);
  ExpectLast(c, want);
  EXPECT_EQ(ToMessage(RecordedEvent{trace::Event::kCall, c.messages.back(), ""})
                .call()
                .args(2)
                .v_case(),
            trace::Value::kRaw);

  sim::CallRecord get;
  get.thread = 4;
  get.start_ns = 100;
  get.end_ns = 300;
  get.name = "GetQueuedCompletionStatusEx";
  get.args = {0x40, 0x1000, 64, 0x2000, ~uint64_t{0}, 0};
  get.result = 1;
  get.outs = {2};
  get.entries = {nt::OverlappedEntry{3, 0, 0, 0}, nt::OverlappedEntry{0, 0xdead, 5, 70000}};
  get.last_error = 0;
  c.recorder.OnCall(get);
  want.Clear();
  want.set_time_ns(300);
  want.set_thread(4);
  w = want.mutable_call();
  w->set_function(trace::GET_QUEUED_COMPLETION_STATUS_EX);
  w->add_args()->set_handle(1);
  for (uint64_t a : {uint64_t{0x1000}, uint64_t{64}, uint64_t{0x2000}, ~uint64_t{0}, uint64_t{0}}) {
    w->add_args()->set_raw(a);
  }
  w->mutable_result()->set_raw(1);
  w->add_outs()->set_raw(2);
  trace::Entry* e = w->add_entries();
  e->set_key(3);
  e = w->add_entries();
  e->set_overlapped(0xdead);
  e->set_internal(5);
  e->set_bytes(70000);
  w->set_start_ns(100);
  ExpectLast(c, want);
}

// Whole runs: every event parses and protobuf writes it back byte for byte.
TEST(WireEncoderTest, RecordedRunsAreWhatProtobufWrites) {
  for (const char* host : {"windows", "wine8", "windows-pre1803"}) {
    for (uint64_t seed = 1; seed <= 10; ++seed) {
      StringSink sink;
      sim::HostSpec spec;
      spec.profile = host;
      ASSERT_TRUE(RecordWorkload("mixed", seed, spec, sink).ok());
      absl::StatusOr<Trace> t = ParseTrace("run", sink.data());
      ASSERT_TRUE(t.ok()) << t.status();
      ASSERT_GT(t->events.size(), 100u);
      for (size_t i = 0; i < t->events.size(); ++i) {
        ASSERT_EQ(t->events[i].SerializeAsString(), t->EventBytes(i))
            << host << " seed " << seed << " event " << i;
      }
    }
  }
}

}  // namespace
}  // namespace iocpsim::traces
