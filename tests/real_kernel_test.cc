// The ported poller on the real kernel (the win32 backend), run under Wine in
// CI and on Windows by hand: real overlapped socket I/O, breaks, timeouts,
// foreign packets and the fallback without wait packets.
#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "poller/branches.h"
#include "poller/runtime.h"
#include "tests/sim_fixture.h"
#include "win32/real_process.h"

namespace iocpsim::win32 {
namespace {

using poller::Branch;
using testing::CallCapture;
using testing::Count;

// Generous: only a poller that never wakes fails it.
constexpr int64_t kTimeLimitNs = 20'000'000'000;

RealProcessConfig Config(bool hide_wait_packets = false) {
  RealProcessConfig c;
  c.runtime.gomaxprocs = 4;
  c.nt.hide_wait_packets = hide_wait_packets;
  c.time_limit_ns = kTimeLimitNs;
  return c;
}

// A socket with a goroutine parked on it in `mode`, as internal/poll leaves
// one: pollOpen (netpollopen associates it with the port), an operation
// whose OVERLAPPED the I/O carries, netpollblock.
struct Parked {
  nt::HANDLE fd = 0;
  poller::pollDesc* pd = nullptr;
  poller::g* gp = nullptr;
  nt::uintptr op = 0;
};

Parked Park(RealProcess& p, int32_t mode) {
  poller::Runtime& rt = p.runtime();
  Parked k;
  k.fd = p.env().CreateFile();
  EXPECT_NE(k.fd, 0u) << "loopback socket pair";
  auto [pd, err] = rt.pollOpen(k.fd);
  EXPECT_NE(pd, nullptr) << "pollOpen errno " << err;
  k.pd = pd;
  k.gp = rt.heap().newG(100);
  k.op = rt.heap().newPollOperation(pd, mode);
  EXPECT_FALSE(rt.netpollblock(pd, mode, false, k.gp));  // parked, nothing pending
  return k;
}

// The entries every successful GetQueuedCompletionStatusEx returned.
std::vector<nt::OverlappedEntry> Dequeued(const CallCapture& cap) {
  std::vector<nt::OverlappedEntry> out;
  for (const sim::CallRecord& c : cap.Named("GetQueuedCompletionStatusEx")) {
    if (c.result != 0) out.insert(out.end(), c.entries.begin(), c.entries.end());
  }
  return out;
}

void ExpectDeliveredOnce(const std::vector<poller::g*>& got, const Parked& k,
                         const std::vector<nt::OverlappedEntry>& entries, RealProcess& p) {
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0], k.gp);
  // The packet carried the pollDesc's key and the operation's OVERLAPPED
  // (the Go address the backend's real OVERLAPPED stood for).
  const nt::uintptr key = p.runtime().packNetpollKey(poller::Runtime::netpollSourceReady, k.pd->addr);
  int matching = 0;
  for (const nt::OverlappedEntry& e : entries) {
    if (e.lpCompletionKey == key && e.lpOverlapped == k.op) {
      ++matching;
      EXPECT_EQ(e.Internal, nt::STATUS_SUCCESS);
    }
  }
  EXPECT_EQ(matching, 1);
}

TEST(RealKernel, WsaRecvCompletionDrivesNetpollready) {
  CallCapture cap;
  RealProcess p(Config(), &cap);
  ASSERT_TRUE(p.Boot());
  Parked k = Park(p, 'r');
  ASSERT_EQ(p.real_env().StartRecv(k.fd, k.op, 16), 0);
  std::vector<poller::g*> got;
  p.SpawnM("poller", [&](poller::M&) {
    auto [list, delta] = p.Netpoll(-1);  // blocks until the read completes
    got = list.gs();
  });
  p.SpawnThread("peer", [&] { EXPECT_EQ(p.real_env().PeerSend(k.fd, 16), 0); });
  sim::RunResult r = p.Run();
  EXPECT_EQ(r.outcome, sim::RunResult::Outcome::kCompleted) << r.stop_reason;
  ExpectDeliveredOnce(got, k, Dequeued(cap), p);
  EXPECT_EQ(Count(p.runtime(), Branch::kNetpollReady), 1u);
  EXPECT_EQ(Count(p.runtime(), Branch::kNetpollWaitInfinite), 1u);
}

TEST(RealKernel, WsaSendCompletionDrivesNetpollready) {
  CallCapture cap;
  RealProcess p(Config(), &cap);
  ASSERT_TRUE(p.Boot());
  Parked k = Park(p, 'w');
  std::vector<poller::g*> got;
  p.SpawnM("poller", [&](poller::M&) {
    ASSERT_EQ(p.real_env().StartSend(k.fd, k.op, 64), 0);
    auto [list, delta] = p.Netpoll(-1);
    got = list.gs();
  });
  sim::RunResult r = p.Run();
  EXPECT_EQ(r.outcome, sim::RunResult::Outcome::kCompleted) << r.stop_reason;
  ExpectDeliveredOnce(got, k, Dequeued(cap), p);
  // The writer's pollDesc was readied in mode 'w': wg, not rg.
  EXPECT_EQ(k.pd->rg.load(), poller::pdNil);
}

TEST(RealKernel, CancelledReadIsDeliveredWithItsStatus) {
  CallCapture cap;
  RealProcess p(Config(), &cap);
  ASSERT_TRUE(p.Boot());
  Parked k = Park(p, 'r');
  ASSERT_TRUE(p.env().CompleteIo(k.fd, k.op, 8, nt::STATUS_CANCELLED));
  std::vector<poller::g*> got;
  p.SpawnM("poller", [&](poller::M&) { got = p.Netpoll(-1).first.gs(); });
  p.Run();
  ASSERT_EQ(got.size(), 1u);
  bool cancelled = false;
  for (const nt::OverlappedEntry& e : Dequeued(cap)) {
    cancelled |= e.lpOverlapped == k.op && e.Internal == nt::STATUS_CANCELLED;
  }
  EXPECT_TRUE(cancelled);
}

TEST(RealKernel, NetpollBreakWakesBlockedPoller) {
  RealProcess p(Config());
  ASSERT_TRUE(p.Boot());
  bool returned = false;
  size_t n = 1;
  p.SpawnM("poller", [&](poller::M&) {
    n = p.Netpoll(-1).first.size();
    returned = true;
  });
  p.SpawnThread("waker", [&] {
    p.env().Sleep(20'000'000);  // let the poller block first (either order wakes it)
    p.runtime().netpollBreak();
  });
  sim::RunResult r = p.Run();
  EXPECT_EQ(r.outcome, sim::RunResult::Outcome::kCompleted) << r.stop_reason;
  EXPECT_TRUE(returned);
  EXPECT_EQ(n, 0u);
  EXPECT_EQ(Count(p.runtime(), Branch::kNetpollBreak), 1u);
  EXPECT_EQ(p.runtime().netpollWakeSig.load(), 0u);
}

TEST(RealKernel, BreaksCoalesceIntoOnePacket) {
  RealProcess p(Config());
  ASSERT_TRUE(p.Boot());
  p.SpawnM("m", [&](poller::M&) {
    p.runtime().netpollBreak();
    p.runtime().netpollBreak();  // netpollWakeSig is set: no second packet
    p.runtime().netpollBreak();
    p.Netpoll(0);                // takes the one packet (and forwards it: delay 0)
  });
  p.Run();
  EXPECT_EQ(Count(p.runtime(), Branch::kBreakPosted), 2u);  // first, then the forward
  EXPECT_EQ(Count(p.runtime(), Branch::kBreakCoalesced), 2u);
  EXPECT_EQ(Count(p.runtime(), Branch::kNetpollBreak), 1u);
  EXPECT_EQ(Count(p.runtime(), Branch::kNetpollBreakForwarded), 1u);
}

TEST(RealKernel, TimeoutIsHonouredWithinHostResolution) {
  RealProcess p(Config());
  ASSERT_TRUE(p.Boot());
  constexpr int64_t kDelay = 50'000'000;
  // A wait ends on the host's clock tick: up to one tick (15.625 ms by
  // default on Windows) early, and never before that.
  constexpr int64_t kTick = 15'625'000;
  int64_t elapsed = 0;
  size_t n = 1;
  p.SpawnM("poller", [&](poller::M&) {
    const int64_t start = p.now();
    n = p.Netpoll(kDelay).first.size();
    elapsed = p.now() - start;
  });
  p.Run();
  EXPECT_EQ(n, 0u);
  EXPECT_GE(elapsed, kDelay - kTick);
  EXPECT_LT(elapsed, kTimeLimitNs);
  // Woken by the timeout or (with wait packets) by the timer's packet.
  EXPECT_EQ(Count(p.runtime(), Branch::kNetpollTimeout) + Count(p.runtime(), Branch::kNetpollTimer),
            1u);
}

TEST(RealKernel, ForeignPacketsAreIgnored) {
  RealProcess p(Config());
  ASSERT_TRUE(p.Boot());
  poller::Runtime& rt = p.runtime();
  // go.dev/issue/58870: a library's packet whose key reads as
  // netpollSourceReady, with its own OVERLAPPED (whose trailer is no
  // pollOperation) or none at all.
  const nt::uintptr foreign = rt.heap().newForeign(std::vector<uint8_t>(12, 0xEE));
  ASSERT_TRUE(p.nt().PostQueuedCompletionStatus(rt.iocphandle, 0, 0x1, foreign));
  ASSERT_TRUE(p.nt().PostQueuedCompletionStatus(rt.iocphandle, 0, 0x1, 0));
  size_t n = 1;
  p.SpawnM("poller", [&](poller::M&) { n = p.Netpoll(0).first.size(); });
  sim::RunResult r = p.Run();
  EXPECT_EQ(r.outcome, sim::RunResult::Outcome::kCompleted) << r.stop_reason;
  EXPECT_EQ(n, 0u);
  EXPECT_EQ(Count(rt, Branch::kNetpollForeign), 2u);
  EXPECT_FALSE(p.fatal().has_value());
}

// Go's loadOptionalSyscalls must agree with what ntdll exports; Wine 8's
// ntdll has none of the three, Windows 8+ has all.
TEST(RealKernel, OptionalSyscallsFollowNtdll) {
  RealProcess p(Config());
  ASSERT_TRUE(p.Boot());
  poller::Runtime& rt = p.runtime();
  const bool have = p.real_nt().HaveOptionalProc(nt::OptionalProc::kNtCreateWaitCompletionPacket);
  EXPECT_EQ(rt._NtCreateWaitCompletionPacket != nullptr, have);
  EXPECT_EQ(rt.haveHighResSleep, have && rt.haveHighResTimer);
}

void RunTimedPolls(RealProcess& p, poller::M** m) {
  p.SpawnM("poller", [&p, m](poller::M& self) {
    *m = &self;
    for (int i = 0; i < 3; ++i) p.Netpoll(2'000'000);
    EXPECT_NE(self.waitIocpHandle == 0, p.runtime().haveHighResSleep);
  });
  sim::RunResult r = p.Run();
  EXPECT_EQ(r.outcome, sim::RunResult::Outcome::kCompleted) << r.stop_reason;
}

TEST(RealKernel, FallbackWithoutWaitPacketsUsesTheTimeoutOnly) {
  CallCapture cap;
  RealProcess p(Config(/*hide_wait_packets=*/true), &cap);
  ASSERT_TRUE(p.Boot());
  EXPECT_FALSE(p.runtime().haveHighResSleep);
  poller::M* m = nullptr;
  RunTimedPolls(p, &m);
  EXPECT_TRUE(cap.Named("NtCreateWaitCompletionPacket").empty());
  EXPECT_TRUE(cap.Named("NtCancelWaitCompletionPacket").empty());
  EXPECT_TRUE(cap.Named("SetWaitableTimer").empty());
  EXPECT_EQ(Count(p.runtime(), Branch::kNetpollTimeout), 3u);
  // A 2 ms delay waits 2 ms on the port.
  for (const sim::CallRecord& c : cap.Named("GetQueuedCompletionStatusEx")) {
    EXPECT_EQ(c.args[2], 2u);  // (port, count, milliseconds, alertable)
  }
}

TEST(RealKernel, HighResolutionTimerPathWhereTheHostHasWaitPackets) {
  CallCapture cap;
  RealProcess p(Config(), &cap);
  ASSERT_TRUE(p.Boot());
  if (!p.runtime().haveHighResSleep) {
    GTEST_SKIP() << "this host's ntdll has no wait completion packets (Wine 8): "
                    "FallbackWithoutWaitPacketsUsesTheTimeoutOnly covers it";
  }
  poller::M* m = nullptr;
  RunTimedPolls(p, &m);
  EXPECT_EQ(cap.Named("NtCancelWaitCompletionPacket").size(), 3u);
  EXPECT_GE(Count(p.runtime(), Branch::kQueueTimerSuccess) +
                Count(p.runtime(), Branch::kQueueTimerCancelled) +
                Count(p.runtime(), Branch::kQueueTimerPending),
            3u);
}

// A poller blocked with delay -1 and nothing left that could wake it: the
// run is idle, as the simulator says, not cut off by the time limit.
TEST(RealKernel, ARunWithNothingLeftToWakeItIsIdle) {
  RealProcess p(Config());
  ASSERT_TRUE(p.Boot());
  p.SpawnM("idle", [&](poller::M&) { p.Netpoll(-1); });
  sim::RunResult r = p.Run();
  EXPECT_EQ(r.outcome, sim::RunResult::Outcome::kIdle) << r.stop_reason;
  EXPECT_LT(r.end_ns, kTimeLimitNs);
}

// Bad input: more threads than the backend runs is an error, not a crash,
// and nothing starts.
TEST(RealKernel, TooManyThreadsIsAnError) {
  RealProcess p(Config());
  bool ran = false;
  for (size_t i = 0; i <= RealProcessConfig::kMaxThreads; ++i) {
    p.SpawnThread("t", [&] { ran = true; });
  }
  EXPECT_FALSE(p.status().ok());
  sim::RunResult r = p.Run();
  EXPECT_EQ(r.outcome, sim::RunResult::Outcome::kStopped);
  EXPECT_NE(r.stop_reason.find("at most 1024"), std::string::npos) << r.stop_reason;
  EXPECT_FALSE(ran);
}

// A thread sleeping far past the time limit is torn down with the rest.
TEST(RealKernel, TheTimeLimitEndsALongSleep) {
  RealProcessConfig c = Config();
  c.time_limit_ns = 200'000'000;
  RealProcess p(c);
  p.SpawnThread("sleeper", [&] { p.env().Sleep(3'600'000'000'000); });  // an hour
  sim::RunResult r = p.Run();
  EXPECT_EQ(r.outcome, sim::RunResult::Outcome::kStepLimit);
  EXPECT_NE(r.stop_reason.find("T1 in Sleep"), std::string::npos) << r.stop_reason;
}

TEST(RealKernel, FatalErrorTearsTheOtherThreadsDown) {
  RealProcess p(Config());
  ASSERT_TRUE(p.Boot());
  p.SpawnM("blocked", [&](poller::M&) { p.Netpoll(-1); });  // nothing will wake it
  p.SpawnM("thrower", [&](poller::M&) { p.runtime().netpollarm(nullptr, 'r'); });
  sim::RunResult r = p.Run();
  EXPECT_EQ(r.outcome, sim::RunResult::Outcome::kStopped);
  ASSERT_TRUE(p.fatal().has_value());
  EXPECT_EQ(p.fatal()->message, "runtime: unused");
}

// Threads run Go and model code one at a time, taking turns at their kernel
// calls (RealNtApi::ModelTurn); a replay's threads, which wait for each
// other outside calls, do without. On its first pass between calls each
// thread waits up to `wait` for another to join it there: without turns the
// first one in sleeps until the OS runs a second (no timing luck needed, even
// on one busy core); with turns none may ever join.
int MostRunningAtOnce(bool model_turns, absl::Duration wait) {
  RealProcessConfig c = Config();
  c.model_turns = model_turns;
  RealProcess p(c);
  std::atomic<int> running{0};
  std::atomic<int> most{0};
  for (int t = 0; t < 4; ++t) {
    p.SpawnThread("t", [&] {
      for (int i = 0; i < 20; ++i) {
        const int now = ++running;
        int seen = most.load();
        while (now > seen && !most.compare_exchange_weak(seen, now)) {
        }
        const absl::Time deadline = absl::Now() + (i == 0 ? wait : absl::ZeroDuration());
        while (most.load() < 2 && absl::Now() < deadline) absl::SleepFor(absl::Milliseconds(1));
        --running;
        p.env().Gopark();  // a call: the turn passes
      }
    });
  }
  EXPECT_EQ(p.Run().outcome, sim::RunResult::Outcome::kCompleted);
  return most.load();
}

TEST(RealKernel, ThreadsTakeTurnsBetweenTheirCalls) {
  EXPECT_EQ(MostRunningAtOnce(true, absl::Milliseconds(20)), 1);
  // The check can see an overlap; the generous wait ends as soon as it does.
  EXPECT_GT(MostRunningAtOnce(false, absl::Seconds(10)), 1);
}

}  // namespace
}  // namespace iocpsim::win32
