// The model check of a trace recorded on a real kernel (traces/check_real.h):
// recorded outcomes the model allows pass, and each kind it does not allow
// is named. The traces are written here by hand, as the real backend would
// record them.
#include <cstdint>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "poller/nt_types.h"
#include "sim/kernel_config.h"
#include "traces/check_real.h"
#include "traces/header.h"

namespace iocpsim::traces {
namespace {

using ::testing::HasSubstr;
using trace::Function;

constexpr int64_t kMs = 1'000'000;

trace::Value H(uint32_t id) {
  trace::Value v;
  v.set_handle(id);
  return v;
}
trace::Value R(uint64_t raw) {
  trace::Value v;
  v.set_raw(raw);
  return v;
}

// A real run's trace: set-up made port H1; threads T1 and T2.
class RealTrace {
 public:
  RealTrace() {
    t_.header = RealHeader("Wine 8.0", "x64", poller::RuntimeConfig{}, "hand-written", 1);
    Call(0, Function::CREATE_IO_COMPLETION_PORT,
         {R(~uint64_t{0}), H(0), R(0), R(0xFFFFFFFF)}, H(1), 0, 0);
    for (int id : {1, 2}) {
      trace::Event& e = t_.events.emplace_back();
      e.set_thread(id);
      e.mutable_thread_start()->set_name(id == 1 ? "m1" : "device");
      e.mutable_thread_start()->set_is_m(id == 1);
    }
  }

  trace::Call& Call(int thread, Function f, std::vector<trace::Value> args, trace::Value result,
                    int64_t start_ns, int64_t end_ns, uint32_t last_error = 0) {
    trace::Event& e = t_.events.emplace_back();
    e.set_thread(thread);
    e.set_time_ns(end_ns);
    trace::Call* c = e.mutable_call();
    c->set_function(f);
    for (const trace::Value& a : args) *c->add_args() = a;
    *c->mutable_result() = result;
    c->set_start_ns(start_ns);
    c->set_last_error(last_error);
    return *c;
  }
  void Post(int thread, uint64_t key, int64_t start, int64_t end) {
    Call(thread, Function::POST_QUEUED_COMPLETION_STATUS, {H(1), R(0), R(key), R(0)}, R(1), start,
         end);
  }
  void Timeout(uint32_t ms, int64_t start, int64_t end) {
    Call(1, Function::GET_QUEUED_COMPLETION_STATUS_EX, {H(1), R(8), R(ms), R(0)}, R(0), start, end,
         nt::WAIT_TIMEOUT)
        .add_outs()
        ->set_raw(0);
  }
  void Dequeue(std::vector<uint64_t> keys, int64_t start, int64_t end) {
    trace::Call& c = Call(1, Function::GET_QUEUED_COMPLETION_STATUS_EX, {H(1), R(8), R(5), R(0)},
                          R(1), start, end);
    c.add_outs()->set_raw(keys.size());
    for (uint64_t k : keys) c.add_entries()->set_key(k);
  }

  ReplayReport Check(int64_t tick_ns = kMs) {
    sim::KernelConfig host;
    host.tick_ns = tick_ns;
    ReplayOptions o;
    o.keep_going = true;
    absl::StatusOr<ReplayReport> r = CheckInSimulator(t_, host, o);
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? *r : ReplayReport{};
  }

  Trace& trace() { return t_; }

 private:
  Trace t_;
};

std::string Why(const ReplayReport& r) { return r.shown.empty() ? "" : r.shown[0].got; }

TEST(CheckReal, TimeoutOnAnEmptyPortIsAllowed) {
  RealTrace t;
  t.Timeout(5, 1 * kMs, 6 * kMs + 100'000);
  ReplayReport r = t.Check();
  EXPECT_EQ(r.divergences, 0) << Why(r);
  EXPECT_EQ(r.compared, 2);
}

TEST(CheckReal, TimeoutWithAPacketQueuedIsNot) {
  RealTrace t;
  t.Post(2, 0x2, 100'000, 200'000);
  t.Timeout(5, 1 * kMs, 6 * kMs);
  ReplayReport r = t.Check();
  ASSERT_EQ(r.divergences, 1);
  EXPECT_THAT(Why(r), HasSubstr("cannot time out"));
  EXPECT_EQ(r.shown[0].index, 4);
}

TEST(CheckReal, APostThatRacedTheTimeoutIsAllowed) {
  RealTrace t;
  // Returned 0.5 ms before the wait returned, but after it could expire.
  t.Post(2, 0x2, 5 * kMs, 5 * kMs + 500'000);
  t.Timeout(5, 1 * kMs, 6 * kMs);
  EXPECT_EQ(t.Check().divergences, 0);
}

TEST(CheckReal, ADescheduledWaiterMayMissAPostAfterItsExpiry) {
  RealTrace t;
  t.Post(2, 0x2, 10 * kMs, 11 * kMs);  // after the 5 ms wait could expire
  t.Timeout(5, 1 * kMs, 30 * kMs);     // ... though it returned much later
  EXPECT_EQ(t.Check().divergences, 0);
}

TEST(CheckReal, AWaiterWokenByALaterPacketMustHaveHadTheEarlierOne) {
  RealTrace t;
  t.Post(2, 0x2, 50 * kMs, 51 * kMs);
  t.Post(2, 0x3, 60 * kMs, 61 * kMs);
  t.Dequeue({0x3}, 0, 100 * kMs);  // 0x2 was queued before 0x3 could be
  ReplayReport r = t.Check();
  ASSERT_EQ(r.divergences, 1);
  EXPECT_THAT(Why(r), HasSubstr("FIFO"));
}

TEST(CheckReal, AnOverlappingDequeueMayHaveTakenThePacket) {
  RealTrace t;
  t.Post(2, 0x2, 100'000, 200'000);
  t.Timeout(0, 1 * kMs, 2 * kMs);  // T1 found nothing: ...
  // ... T2, blocked since before, took the packet but returned later.
  t.Call(2, Function::GET_QUEUED_COMPLETION_STATUS_EX, {H(1), R(8), R(nt::INFINITE), R(0)}, R(1),
         50'000, 3 * kMs)
      .add_entries()
      ->set_key(0x2);
  EXPECT_EQ(t.Check().divergences, 0) << Why(t.Check());
}

TEST(CheckReal, OverlappingPostsMayLeaveInEitherOrder) {
  RealTrace t;
  t.Post(2, 0x2, 100'000, 900'000);  // slow to return: raced the next post
  t.Post(1, 0x3, 300'000, 400'000);
  t.Dequeue({0x3, 0x2}, 2 * kMs, 3 * kMs);
  EXPECT_EQ(t.Check().divergences, 0) << Why(t.Check());
  RealTrace apart;
  apart.Post(2, 0x2, 100'000, 200'000);  // surely first
  apart.Post(1, 0x3, 300'000, 400'000);
  apart.Dequeue({0x3, 0x2}, 2 * kMs, 3 * kMs);
  EXPECT_EQ(apart.Check().divergences, 1);
}

TEST(CheckReal, ATimeoutMayEndUpToOneTickEarlyNotMore) {
  RealTrace early;
  early.Timeout(50, 0, 30 * kMs);  // 20 ms early
  ReplayReport r = early.Check(15'625'000);
  ASSERT_EQ(r.divergences, 1);
  EXPECT_THAT(Why(r), HasSubstr("lasts at least"));
  RealTrace within;
  within.Timeout(50, 0, 40 * kMs);  // 10 ms early: within a 15.625 ms tick
  EXPECT_EQ(within.Check(15'625'000).divergences, 0);
  EXPECT_EQ(within.Check(1 * kMs).divergences, 1);  // but not within a 1 ms tick
}

TEST(CheckReal, AnInfiniteWaitDoesNotTimeOut) {
  RealTrace t;
  t.Timeout(nt::INFINITE, 0, 5 * kMs);
  ReplayReport r = t.Check();
  ASSERT_EQ(r.divergences, 1);
  EXPECT_THAT(Why(r), HasSubstr("INFINITE"));
}

TEST(CheckReal, APacketPostedByAnOverlappingCallIsAllowed) {
  RealTrace t;
  // The waiter recorded its return before the poster recorded its own.
  t.Dequeue({0x2}, 1 * kMs, 3 * kMs);
  t.Post(2, 0x2, 2 * kMs, 4 * kMs);
  ReplayReport r = t.Check();
  EXPECT_EQ(r.divergences, 0) << Why(r);
  EXPECT_EQ(r.compared, 3);
}

TEST(CheckReal, APacketNobodyPostedIsNot) {
  RealTrace t;
  t.Dequeue({0x2}, 1 * kMs, 3 * kMs);
  t.Post(2, 0x2, 3'500'000, 4 * kMs);  // began after the dequeue returned
  ReplayReport r = t.Check();
  ASSERT_GE(r.divergences, 1);
  EXPECT_THAT(Why(r), HasSubstr("no packet"));
}

TEST(CheckReal, PacketsLeaveTheQueueInFifoOrder) {
  RealTrace t;
  t.Post(2, 0x2, 100'000, 200'000);
  t.Post(2, 0x3, 300'000, 400'000);
  t.Dequeue({0x3}, 10 * kMs, 11 * kMs);
  ReplayReport r = t.Check();
  ASSERT_EQ(r.divergences, 1);
  EXPECT_THAT(Why(r), HasSubstr("FIFO"));
  RealTrace in_order;
  in_order.Post(2, 0x2, 100'000, 200'000);
  in_order.Post(2, 0x3, 300'000, 400'000);
  in_order.Dequeue({0x2, 0x3}, 10 * kMs, 11 * kMs);
  EXPECT_EQ(in_order.Check().divergences, 0);
}

TEST(CheckReal, AnIoPacketMayArriveLateButNotForever) {
  for (int64_t dequeue_at : {2 * kMs, 1500 * kMs}) {
    RealTrace t;
    t.Call(2, Function::CREATE_FILE, {}, H(2), 100'000, 200'000);
    t.Call(2, Function::CREATE_IO_COMPLETION_PORT, {H(2), H(1), R(0xc0), R(0)}, H(1), 300'000,
           400'000);
    t.Call(2, Function::COMPLETE_IO, {H(2), R(0x1000), R(16), R(0)}, R(1), 1 * kMs,
           1'100'000);
    t.Timeout(0, dequeue_at, dequeue_at + 10'000);
    ReplayReport r = t.Check();
    EXPECT_EQ(r.divergences, dequeue_at < 100 * kMs ? 0 : 1) << dequeue_at << ": " << Why(r);
  }
}

// A socket's close and a CompleteIo on it, each returning at `*_end`; the
// CompleteIo succeeded or failed with ERROR_INVALID_HANDLE.
ReplayReport CloseAndComplete(int64_t close_start, int64_t close_end, int64_t io_start,
                              int64_t io_end, bool io_ok) {
  RealTrace t;
  t.Call(2, Function::CREATE_FILE, {}, H(2), 100'000, 200'000);
  t.Call(2, Function::CREATE_IO_COMPLETION_PORT, {H(2), H(1), R(0xc0), R(0)}, H(1), 300'000,
         400'000);
  auto close = [&] { t.Call(1, Function::CLOSE_HANDLE, {H(2)}, R(1), close_start, close_end); };
  auto complete = [&] {
    t.Call(2, Function::COMPLETE_IO, {H(2), R(0x1000), R(16), R(0)}, R(io_ok ? 1 : 0), io_start,
           io_end, io_ok ? 0 : nt::ERROR_INVALID_HANDLE);
  };
  if (close_end < io_end) {
    close();
    complete();
  } else {
    complete();
    close();
  }
  return t.Check();
}

TEST(CheckReal, ACloseAndACompleteIoThatOverlappedTookEffectInTheOrderItsOutcomeSays) {
  // The close returned first, but the CompleteIo, begun before that, succeeded.
  ReplayReport r = CloseAndComplete(2 * kMs, 3 * kMs, 1 * kMs, 4 * kMs, true);
  EXPECT_EQ(r.divergences, 0) << Why(r);
  EXPECT_EQ(r.compared, 5);  // each call once
  // The CompleteIo returned first, but failed: the close, begun before, came first.
  r = CloseAndComplete(1 * kMs, 4 * kMs, 2 * kMs, 3 * kMs, false);
  EXPECT_EQ(r.divergences, 0) << Why(r);
  // In the order they returned, as any two calls.
  EXPECT_EQ(CloseAndComplete(1 * kMs, 2 * kMs, 3 * kMs, 4 * kMs, false).divergences, 0);
  EXPECT_EQ(CloseAndComplete(3 * kMs, 4 * kMs, 1 * kMs, 2 * kMs, true).divergences, 0);
}

TEST(CheckReal, ACompleteIoApartFromTheCloseMustFollowItsOrder) {
  // Begun after the close returned: the socket was closed.
  ReplayReport r = CloseAndComplete(1 * kMs, 2 * kMs, 3 * kMs, 4 * kMs, true);
  ASSERT_EQ(r.divergences, 1);
  EXPECT_THAT(Why(r), HasSubstr("= FALSE err=ERROR_INVALID_HANDLE"));
  // Returned before the close began: the socket was open.
  r = CloseAndComplete(3 * kMs, 4 * kMs, 1 * kMs, 2 * kMs, false);
  ASSERT_EQ(r.divergences, 1);
  EXPECT_THAT(Why(r), HasSubstr("= TRUE"));
}

TEST(CheckReal, CallsThatDoNotHingeOnTimingMustMatchExactly) {
  RealTrace t;
  t.Call(1, Function::CLOSE_HANDLE, {H(1)}, R(0), 1 * kMs, 2 * kMs, nt::ERROR_INVALID_HANDLE);
  ReplayReport r = t.Check();
  ASSERT_EQ(r.divergences, 1);
  EXPECT_THAT(Why(r), HasSubstr("CloseHandle(H1) = TRUE"));
  // Success leaves the last error undefined: not compared.
  RealTrace ok;
  ok.Call(1, Function::CLOSE_HANDLE, {H(1)}, R(1), 1 * kMs, 2 * kMs, 183);
  EXPECT_EQ(ok.Check().divergences, 0);
}

TEST(CheckReal, StopsAtTheFirstUnlessKeepGoing) {
  RealTrace t;
  t.Timeout(nt::INFINITE, 0, 5 * kMs);
  t.Timeout(nt::INFINITE, 6 * kMs, 7 * kMs);
  sim::KernelConfig host;
  absl::StatusOr<ReplayReport> r = CheckInSimulator(t.trace(), host, ReplayOptions{});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->divergences, 1);
  EXPECT_EQ(t.Check().divergences, 2);
}

TEST(CheckReal, RefusesASimulatedRun) {
  RealTrace t;
  t.trace().header.mutable_backend()->mutable_sim();
  absl::StatusOr<ReplayReport> r = CheckInSimulator(t.trace(), sim::KernelConfig{}, ReplayOptions{});
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().message(), HasSubstr("not a run on a real kernel"));
}

}  // namespace
}  // namespace iocpsim::traces
