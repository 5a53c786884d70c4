// The simulated kernel's handle and I/O completion port rules (sim/SEMANTICS.md
// S1-S12, S30, S33-S37), one or more tests per rule, driven directly against
// SimKernel.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "poller/nt_types.h"
#include "sim/kernel.h"
#include "sim/kernel_config.h"
#include "sim/scheduler.h"
#include "tests/kernel_rig.h"
#include "tests/sim_fixture.h"

namespace iocpsim {
namespace {

using nt::BOOL;
using nt::BOOLEAN;
using nt::DWORD;
using nt::HANDLE;
using nt::OverlappedEntry;
using nt::uintptr;
using nt::ULONG;

using testing::Config;
using testing::Dequeued;
using testing::kAnyThreads;
using testing::kBogus;
using testing::kInvalidHandle;
using testing::kTick;
using testing::OneMsTick;
using testing::QueuedKeys;
using testing::Rig;
using Outcome = sim::RunResult::Outcome;

// Runs the given thread whenever it is runnable, else the first option.
std::unique_ptr<sim::Strategy> PreferThread(int id) {
  return std::make_unique<testing::FunctionStrategy>([id](absl::Span<const sim::Choice> o) {
    for (size_t i = 0; i < o.size(); ++i) {
      if (o[i].kind == sim::Choice::Kind::kThread && o[i].thread == id) return i;
    }
    return size_t{0};
  });
}

// --- S1: CloseHandle of an unknown or closed handle ---

// S1: FALSE with ERROR_INVALID_HANDLE for unknown, NULL and already-closed handles.
TEST(IocpRules, S1_CloseUnknownOrClosedHandle) {
  Rig r;
  EXPECT_EQ(r.kernel.GetLastError(), 0u);
  EXPECT_EQ(r.kernel.CloseHandle(kBogus), nt::FALSE);
  EXPECT_EQ(r.kernel.GetLastError(), nt::ERROR_INVALID_HANDLE);

  r.SetError87();
  EXPECT_EQ(r.kernel.CloseHandle(0), nt::FALSE);
  EXPECT_EQ(r.kernel.GetLastError(), nt::ERROR_INVALID_HANDLE);

  HANDLE port = r.NewPort();
  HANDLE file = r.kernel.CreateFile();
  ASSERT_EQ(port, 0x100u);
  EXPECT_EQ(r.kernel.CloseHandle(port), nt::TRUE);
  r.SetError87();
  EXPECT_EQ(r.kernel.CloseHandle(port), nt::FALSE);  // already closed
  EXPECT_EQ(r.kernel.GetLastError(), nt::ERROR_INVALID_HANDLE);
  // Misaligned and below-base values are unknown too.
  r.SetError87();
  EXPECT_EQ(r.kernel.CloseHandle(file + 2), nt::FALSE);
  EXPECT_EQ(r.kernel.GetLastError(), nt::ERROR_INVALID_HANDLE);
  r.SetError87();
  EXPECT_EQ(r.kernel.CloseHandle(0xFC), nt::FALSE);
  EXPECT_EQ(r.kernel.GetLastError(), nt::ERROR_INVALID_HANDLE);
  ASSERT_EQ(r.kernel.LiveHandles().size(), 1u);
  EXPECT_EQ(r.kernel.LiveHandles()[0].handle, file);
}

// --- S2: unknown, closed or wrong-type handles in Win32 calls ---

// S2: every Win32 entry point given a bad handle fails with ERROR_INVALID_HANDLE.
TEST(IocpRules, S2_BadHandleIsInvalidHandle) {
  Rig r;
  HANDLE port = r.NewPort();
  HANDLE file = r.kernel.CreateFile();
  HANDLE timer = r.kernel.CreateWaitableTimerExW(0, 0, 0, 0);
  HANDLE closed = r.NewPort();
  ASSERT_EQ(r.kernel.CloseHandle(closed), nt::TRUE);
  OverlappedEntry e[1];
  ULONG n = 77;
  int64_t due = -10'000;

  for (HANDLE bad : {kBogus, closed, timer, file}) {
    SCOPED_TRACE(bad);
    r.SetError87();
    EXPECT_EQ(r.kernel.PostQueuedCompletionStatus(bad, 1, 2, 3), nt::FALSE);
    EXPECT_EQ(r.kernel.GetLastError(), nt::ERROR_INVALID_HANDLE);

    r.SetError87();
    EXPECT_EQ(r.kernel.GetQueuedCompletionStatusEx(bad, e, 1, &n, 0, nt::FALSE), nt::FALSE);
    EXPECT_EQ(r.kernel.GetLastError(), nt::ERROR_INVALID_HANDLE);

    // As the port of an association.
    r.SetError87();
    EXPECT_EQ(r.kernel.CreateIoCompletionPort(file, bad, 1, 0), 0u);
    EXPECT_EQ(r.kernel.GetLastError(), nt::ERROR_INVALID_HANDLE);
  }
  for (HANDLE bad : {kBogus, closed, timer, port}) {
    SCOPED_TRACE(bad);
    // As the file of an association, with and without an existing port.
    r.SetError87();
    EXPECT_EQ(r.kernel.CreateIoCompletionPort(bad, port, 1, 0), 0u);
    EXPECT_EQ(r.kernel.GetLastError(), nt::ERROR_INVALID_HANDLE);
    r.SetError87();
    EXPECT_EQ(r.kernel.CreateIoCompletionPort(bad, 0, 1, 0), 0u);
    EXPECT_EQ(r.kernel.GetLastError(), nt::ERROR_INVALID_HANDLE);
    // As the file of an I/O (the real backend's closed socket fails alike).
    r.SetError87();
    EXPECT_FALSE(r.kernel.CompleteIo(bad, 0x10, 1));
    EXPECT_EQ(r.kernel.GetLastError(), nt::ERROR_INVALID_HANDLE);
  }
  for (HANDLE bad : {kBogus, closed, port, file}) {
    SCOPED_TRACE(bad);
    r.SetError87();
    EXPECT_EQ(r.kernel.SetWaitableTimer(bad, &due, 0, 0, 0, nt::FALSE), nt::FALSE);
    EXPECT_EQ(r.kernel.GetLastError(), nt::ERROR_INVALID_HANDLE);
  }
  // Nothing was created or associated by the failures.
  EXPECT_EQ(r.kernel.LiveHandles().size(), 3u);
  EXPECT_EQ(r.kernel.CreateIoCompletionPort(file, port, 9, 0), port);
}

// --- S3: creating a port ---

// S3: CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, ...) creates an empty port.
TEST(IocpRules, S3_CreatePort) {
  Rig r;
  HANDLE p1 = r.kernel.CreateIoCompletionPort(kInvalidHandle, 0, 0x55, kAnyThreads);
  HANDLE p2 = r.kernel.CreateIoCompletionPort(kInvalidHandle, 0, 0, 0);
  ASSERT_EQ(p1, 0x100u);
  ASSERT_EQ(p2, 0x104u);
  ASSERT_NE(r.kernel.PortAt(p1), nullptr);
  ASSERT_NE(r.kernel.PortAt(p2), nullptr);
  EXPECT_NE(r.kernel.PortAt(p1), r.kernel.PortAt(p2));
  EXPECT_TRUE(r.kernel.PortAt(p1)->queue.empty());
  EXPECT_TRUE(r.kernel.PortAt(p1)->waiters.empty());
  EXPECT_FALSE(r.kernel.PortAt(p1)->closed);
  EXPECT_EQ(r.kernel.GetLastError(), 0u);
}

// S3: a non-NULL ExistingCompletionPort with INVALID_HANDLE_VALUE is ERROR_INVALID_PARAMETER.
TEST(IocpRules, S3_ExistingPortWithInvalidHandleIsInvalidParameter) {
  Rig r;
  HANDLE port = r.NewPort();
  r.SetError6();
  EXPECT_EQ(r.kernel.CreateIoCompletionPort(kInvalidHandle, port, 1, 0), 0u);
  EXPECT_EQ(r.kernel.GetLastError(), nt::ERROR_INVALID_PARAMETER);
  r.SetError6();
  EXPECT_EQ(r.kernel.CreateIoCompletionPort(kInvalidHandle, kBogus, 1, 0), 0u);
  EXPECT_EQ(r.kernel.GetLastError(), nt::ERROR_INVALID_PARAMETER);
  EXPECT_EQ(r.kernel.LiveHandles().size(), 1u);
}

// --- S4: associating a file ---

// S4: association returns the port handle and packets carry the association's key.
TEST(IocpRules, S4_AssociateReturnsPortAndKey) {
  Rig r;
  HANDLE port = r.NewPort();
  HANDLE file = r.kernel.CreateFile();
  EXPECT_EQ(r.kernel.CreateIoCompletionPort(file, port, 0xC0FFEE, 0), port);
  EXPECT_EQ(r.kernel.LiveHandles().size(), 2u);  // no new handle
  ASSERT_TRUE(r.kernel.CompleteIo(file, 0x1000, 5));
  ASSERT_EQ(r.kernel.PortAt(port)->queue.size(), 1u);
  EXPECT_EQ(r.kernel.PortAt(port)->queue.front().key, 0xC0FFEEu);
}

// S4: with ExistingCompletionPort NULL, a port is created and the file associated.
TEST(IocpRules, S4_NullPortCreatesAndAssociates) {
  Rig r;
  HANDLE file = r.kernel.CreateFile();
  ASSERT_EQ(file, 0x100u);
  HANDLE port = r.kernel.CreateIoCompletionPort(file, 0, 0x42, kAnyThreads);
  EXPECT_EQ(port, 0x104u);
  ASSERT_NE(r.kernel.PortAt(port), nullptr);
  ASSERT_TRUE(r.kernel.CompleteIo(file, 0x2000, 9));
  OverlappedEntry e[2];
  ULONG n = 0;
  ASSERT_EQ(r.kernel.GetQueuedCompletionStatusEx(port, e, 2, &n, 0, nt::FALSE), nt::TRUE);
  ASSERT_EQ(n, 1u);
  EXPECT_EQ(e[0], (OverlappedEntry{0x42, 0x2000, 0, 9}));
}

// --- S5: one port per handle ---

// S5: a second association fails with ERROR_INVALID_PARAMETER; the first stays.
TEST(IocpRules, S5_SecondAssociationFails) {
  Rig r;
  HANDLE p1 = r.NewPort();
  HANDLE p2 = r.NewPort();
  HANDLE file = r.kernel.CreateFile();
  ASSERT_EQ(r.kernel.CreateIoCompletionPort(file, p1, 1, 0), p1);

  r.SetError6();
  EXPECT_EQ(r.kernel.CreateIoCompletionPort(file, p1, 2, 0), 0u);  // same port
  EXPECT_EQ(r.kernel.GetLastError(), nt::ERROR_INVALID_PARAMETER);
  r.SetError6();
  EXPECT_EQ(r.kernel.CreateIoCompletionPort(file, p2, 3, 0), 0u);  // another port
  EXPECT_EQ(r.kernel.GetLastError(), nt::ERROR_INVALID_PARAMETER);
  r.SetError6();
  EXPECT_EQ(r.kernel.CreateIoCompletionPort(file, 0, 4, 0), 0u);  // a new port
  EXPECT_EQ(r.kernel.GetLastError(), nt::ERROR_INVALID_PARAMETER);
  EXPECT_EQ(r.kernel.LiveHandles().size(), 3u);  // no port was created

  ASSERT_TRUE(r.kernel.CompleteIo(file, 0x10, 1));
  EXPECT_EQ(r.QueuedKeys(p1), std::vector<uintptr>{1});
  EXPECT_TRUE(r.kernel.PortAt(p2)->queue.empty());
}

// --- S6: completions queue packets only on associated files ---

// S6: the packet carries key, OVERLAPPED, status and bytes; unassociated files queue nothing.
TEST(IocpRules, S6_CompletionQueuesPacketOnlyWhenAssociated) {
  Rig r;
  HANDLE port = r.NewPort();
  HANDLE file = r.kernel.CreateFile();
  HANDLE loose = r.kernel.CreateFile();
  ASSERT_EQ(r.kernel.CreateIoCompletionPort(file, port, 0x77, 0), port);

  EXPECT_TRUE(r.kernel.CompleteIo(loose, 0x9000, 3));
  EXPECT_TRUE(r.kernel.PortAt(port)->queue.empty());

  EXPECT_TRUE(r.kernel.CompleteIo(file, 0x1000, 42, nt::STATUS_CANCELLED));
  EXPECT_TRUE(r.kernel.CompleteIo(file, 0x2000, 7));
  EXPECT_TRUE(r.kernel.CompleteIo(loose, 0x9000, 3));
  OverlappedEntry e[4];
  ULONG n = 0;
  ASSERT_EQ(r.kernel.GetQueuedCompletionStatusEx(port, e, 4, &n, 0, nt::FALSE), nt::TRUE);
  ASSERT_EQ(n, 2u);
  EXPECT_EQ(e[0], (OverlappedEntry{0x77, 0x1000, nt::STATUS_CANCELLED, 42}));
  EXPECT_EQ(e[1], (OverlappedEntry{0x77, 0x2000, nt::STATUS_SUCCESS, 7}));
}

// --- S7: FIFO, min(queued, ulCount) at once ---

// S7: packets come out in posting order, at most ulCount per call.
TEST(IocpRules, S7_FifoAndPartialDequeue) {
  Rig r;
  HANDLE port = r.NewPort();
  for (uintptr k = 1; k <= 5; ++k) {
    ASSERT_EQ(r.kernel.PostQueuedCompletionStatus(port, static_cast<DWORD>(10 * k), k, 0x100 * k),
              nt::TRUE);
  }
  OverlappedEntry e[8];
  const OverlappedEntry sentinel{0xEE, 0xEE, 0xEE, 0xEE};
  for (auto& x : e) x = sentinel;
  ULONG n = 0;
  ASSERT_EQ(r.kernel.GetQueuedCompletionStatusEx(port, e, 2, &n, 0, nt::FALSE), nt::TRUE);
  ASSERT_EQ(n, 2u);
  EXPECT_EQ(e[0], (OverlappedEntry{1, 0x100, 0, 10}));
  EXPECT_EQ(e[1], (OverlappedEntry{2, 0x200, 0, 20}));
  EXPECT_EQ(e[2], sentinel);

  ASSERT_EQ(r.kernel.GetQueuedCompletionStatusEx(port, e, 8, &n, 0, nt::FALSE), nt::TRUE);
  ASSERT_EQ(n, 3u);
  EXPECT_EQ(e[0], (OverlappedEntry{3, 0x300, 0, 30}));
  EXPECT_EQ(e[1], (OverlappedEntry{4, 0x400, 0, 40}));
  EXPECT_EQ(e[2], (OverlappedEntry{5, 0x500, 0, 50}));
  EXPECT_EQ(e[3], sentinel);
  EXPECT_TRUE(r.kernel.PortAt(port)->queue.empty());
}

// S7: with packets queued, an INFINITE wait returns them at once without
// waiting to fill the array.
TEST(IocpRules, S7_ReturnsQueuedWithoutWaitingToFill) {
  Rig r;
  HANDLE port = r.NewPort();
  ASSERT_EQ(r.kernel.PostQueuedCompletionStatus(port, 0, 1, 0), nt::TRUE);
  ASSERT_EQ(r.kernel.PostQueuedCompletionStatus(port, 0, 2, 0), nt::TRUE);
  ULONG n = 0;
  BOOL ok = nt::FALSE;
  OverlappedEntry e[8];
  r.sched.Spawn("reader", [&] {
    ok = r.kernel.GetQueuedCompletionStatusEx(port, e, 8, &n, nt::INFINITE, nt::FALSE);
    // A packet posted now is not picked up by the call that already returned.
    r.kernel.PostQueuedCompletionStatus(port, 0, 3, 0);
  });
  sim::RunResult res = r.sched.Run();
  EXPECT_EQ(res.outcome, Outcome::kCompleted);
  EXPECT_EQ(res.end_ns, 0);
  EXPECT_EQ(ok, nt::TRUE);
  ASSERT_EQ(n, 2u);
  EXPECT_EQ(e[0].lpCompletionKey, 1u);
  EXPECT_EQ(e[1].lpCompletionKey, 2u);
  EXPECT_EQ(r.QueuedKeys(port), std::vector<uintptr>{3});
  EXPECT_TRUE(r.Grep("packet-handed-off").empty());
}

// --- S8: ulCount == 0 ---

// S8: ulCount == 0 fails with ERROR_INVALID_PARAMETER, removes nothing and,
// on an empty port with an INFINITE timeout, does not block.
TEST(IocpRules, S8_ZeroCountIsInvalidParameter) {
  Rig r;
  HANDLE port = r.NewPort();
  OverlappedEntry e[1];
  ULONG n = 0;
  ASSERT_EQ(r.kernel.PostQueuedCompletionStatus(port, 0, 5, 0), nt::TRUE);
  r.SetError6();
  EXPECT_EQ(r.kernel.GetQueuedCompletionStatusEx(port, e, 0, &n, 0, nt::FALSE), nt::FALSE);
  EXPECT_EQ(r.kernel.GetLastError(), nt::ERROR_INVALID_PARAMETER);
  EXPECT_EQ(r.QueuedKeys(port), std::vector<uintptr>{5});

  HANDLE empty = r.NewPort();
  BOOL ok = nt::TRUE;
  DWORD err = 0;
  r.sched.Spawn("t", [&] {
    ok = r.kernel.GetQueuedCompletionStatusEx(empty, e, 0, &n, nt::INFINITE, nt::FALSE);
    err = r.kernel.GetLastError();
  });
  sim::RunResult res = r.sched.Run();
  EXPECT_EQ(res.outcome, Outcome::kCompleted);
  EXPECT_EQ(ok, nt::FALSE);
  EXPECT_EQ(err, nt::ERROR_INVALID_PARAMETER);
}

// --- S9: LIFO release ---

// S9: three waiters (T1, T2, T3 in that order); three packets go to T3, T2, T1.
TEST(IocpRules, S9_WaitersReleasedLifo) {
  Rig r;
  EXPECT_EQ(testing::KeysByWaiter(r), (std::vector<uintptr>{0xC, 0xB, 0xA}));  // T1's first
  EXPECT_EQ(r.Grep("packet-handed-off"),
            (std::vector<std::string>{
                "0.000000 kernel packet-handed-off T3 obj=1 key=0xa ov=0",
                "0.000000 kernel packet-handed-off T2 obj=1 key=0xb ov=0",
                "0.000000 kernel packet-handed-off T1 obj=1 key=0xc ov=0",
            }));
  EXPECT_TRUE(r.Grep("packet-queued").empty());
}

// --- S34: a released thread also takes already-queued packets ---

// S34: the waiter gets the handed-off packet plus up to ulCount-1 queued ones,
// without waiting again; the rest stay queued.
TEST(IocpRules, S34_ReleasedThreadTakesHandedPacketPlusQueued) {
  Rig r(Config(), PreferThread(2));
  HANDLE port = r.NewPort();
  Dequeued got;
  r.sched.Spawn("waiter", [&] { got = r.Dequeue(port, 3, nt::INFINITE); });
  r.sched.Spawn("poster", [&] {
    r.kernel.Sleep(1'000'000);  // lets the waiter block first
    // The poster is preferred: all four posts happen before the waiter runs.
    for (uintptr key = 1; key <= 4; ++key) r.kernel.PostQueuedCompletionStatus(port, 0, key, 0);
  });
  sim::RunResult res = r.sched.Run();
  EXPECT_EQ(res.outcome, Outcome::kCompleted);
  EXPECT_EQ(got.ok, nt::TRUE);
  EXPECT_EQ(got.at, 1'000'000);
  EXPECT_EQ(got.n, 3u);
  EXPECT_EQ(got.keys(), (std::vector<uintptr>{1, 2, 3}));
  EXPECT_EQ(r.QueuedKeys(port), std::vector<uintptr>{4});
  EXPECT_EQ(r.Grep("packet-handed-off"),
            std::vector<std::string>{"1.000000 kernel packet-handed-off T1 obj=1 key=0x1 ov=0"});
  EXPECT_EQ(r.Grep("packet-queued").size(), 3u);
}

// --- S10: timeouts end on a clock tick ---

// S10: a 1 ms timeout on the default 15.625 ms clock ends at 15.625 ms, even
// though high-resolution timers exist.
TEST(IocpRules, S10_TimeoutEndsOnNextTick) {
  Rig r(Config());  // 15.625 ms tick, 0.5 ms high-resolution timers
  HANDLE port = r.NewPort();
  std::vector<int64_t> ends;
  r.sched.Spawn("waiter", [&] {
    OverlappedEntry e[1];
    ULONG n = 0;
    EXPECT_EQ(r.kernel.GetQueuedCompletionStatusEx(port, e, 1, &n, 1, nt::FALSE), nt::FALSE);
    ends.push_back(r.kernel.now());
    // 15.625 + 20 = 35.625 ms -> the tick at 46.875 ms.
    EXPECT_EQ(r.kernel.GetQueuedCompletionStatusEx(port, e, 1, &n, 20, nt::FALSE), nt::FALSE);
    ends.push_back(r.kernel.now());
  });
  EXPECT_EQ(r.sched.Run().outcome, Outcome::kCompleted);
  EXPECT_EQ(ends, (std::vector<int64_t>{kTick, 3 * kTick}));
}

// S10: a wait under one tick ends at the tick after the last one: started
// on a tick, a full tick later; started a nanosecond after, at the next.
TEST(IocpRules, S10_DeadlineOnTickEndsOnThatTick) {
  Rig r(Config());  // 15.625 ms tick
  HANDLE port = r.NewPort();
  std::vector<int64_t> ends;
  r.sched.Spawn("waiter", [&] {
    OverlappedEntry e[1];
    ULONG n = 0;
    r.kernel.Sleep(625'000);  // last tick 0: one tick, 15.625 ms
    r.kernel.GetQueuedCompletionStatusEx(port, e, 1, &n, 15, nt::FALSE);
    ends.push_back(r.kernel.now());
    r.kernel.Sleep(1);  // last tick 15.625 ms: one tick, 31.25 ms
    r.kernel.GetQueuedCompletionStatusEx(port, e, 1, &n, 15, nt::FALSE);
    ends.push_back(r.kernel.now());
  });
  EXPECT_EQ(r.sched.Run().outcome, Outcome::kCompleted);
  EXPECT_EQ(ends, (std::vector<int64_t>{kTick, 2 * kTick}));
}

// S10: after timeBeginPeriod(1) (1 ms tick) a wait is counted in whole ticks
// from the last tick, so it can end up to a tick sooner than asked.
TEST(IocpRules, S10_OneMsTick) {
  Rig r(OneMsTick());
  HANDLE port = r.NewPort();
  int64_t end = -1;
  r.sched.Spawn("waiter", [&] {
    OverlappedEntry e[1];
    ULONG n = 0;
    r.kernel.Sleep(2'500'000);
    // Three ticks from the last tick (2 ms): 5 ms, half a ms before 2.5 + 3.
    r.kernel.GetQueuedCompletionStatusEx(port, e, 1, &n, 3, nt::FALSE);
    end = r.kernel.now();
  });
  EXPECT_EQ(r.sched.Run().outcome, Outcome::kCompleted);
  EXPECT_EQ(end, 5'000'000);
}

// --- S11: the timeout result ---

// S11: on timeout: FALSE, WAIT_TIMEOUT, *ulNumEntriesRemoved = 0, entries untouched.
TEST(IocpRules, S11_TimeoutReturnsWaitTimeout) {
  Rig r(OneMsTick());
  HANDLE port = r.NewPort();
  BOOL ok = nt::TRUE;
  DWORD err = 0;
  ULONG n = 99;
  const OverlappedEntry sentinel{0xEE, 0xEE, 0xEE, 0xEE};
  OverlappedEntry e[2] = {sentinel, sentinel};
  int64_t end = -1;
  r.sched.Spawn("waiter", [&] {
    ok = r.kernel.GetQueuedCompletionStatusEx(port, e, 2, &n, 5, nt::FALSE);
    err = r.kernel.GetLastError();
    end = r.kernel.now();
  });
  EXPECT_EQ(r.sched.Run().outcome, Outcome::kCompleted);
  EXPECT_EQ(ok, nt::FALSE);
  EXPECT_EQ(err, nt::WAIT_TIMEOUT);
  EXPECT_EQ(n, 0u);
  EXPECT_EQ(e[0], sentinel);
  EXPECT_EQ(e[1], sentinel);
  EXPECT_EQ(end, 5'000'000);
  EXPECT_TRUE(r.kernel.PortAt(port)->waiters.empty());
  EXPECT_EQ(r.Grep("wait-timed-out"),
            std::vector<std::string>{"5.000000 kernel wait-timed-out T1 obj=1"});
}

// S11: dwMilliseconds == 0 on an empty port returns WAIT_TIMEOUT at once,
// from setup code and from a simulated thread (which does not block).
TEST(IocpRules, S11_ZeroTimeoutOnEmptyPortReturnsAtOnce) {
  Rig r;
  HANDLE port = r.NewPort();
  OverlappedEntry e[1];
  ULONG n = 99;
  EXPECT_EQ(r.kernel.GetQueuedCompletionStatusEx(port, e, 1, &n, 0, nt::FALSE), nt::FALSE);
  EXPECT_EQ(r.kernel.GetLastError(), nt::WAIT_TIMEOUT);
  EXPECT_EQ(n, 0u);

  ULONG tn = 99;
  DWORD terr = 0;
  r.sched.Spawn("poller", [&] {
    OverlappedEntry te[1];
    EXPECT_EQ(r.kernel.GetQueuedCompletionStatusEx(port, te, 1, &tn, 0, nt::FALSE), nt::FALSE);
    terr = r.kernel.GetLastError();
  });
  sim::RunResult res = r.sched.Run();
  EXPECT_EQ(res.outcome, Outcome::kCompleted);
  EXPECT_EQ(res.steps, 2);  // start, then the call: never blocked
  EXPECT_EQ(res.end_ns, 0);
  EXPECT_EQ(tn, 0u);
  EXPECT_EQ(terr, nt::WAIT_TIMEOUT);
  EXPECT_TRUE(r.log.lines().empty());
}

// --- S12: closing a port ---

// S12: closing the port's last handle ends every waiter with FALSE and
// ERROR_ABANDONED_WAIT_0; their timeouts never fire.
TEST(IocpRules, S12_ClosingPortAbandonsWaiters) {
  Rig r(OneMsTick());
  HANDLE port = r.NewPort();
  Dequeued res1, res2;
  res1.ok = res2.ok = nt::TRUE;  // until the waiters return
  r.sched.Spawn("w1", [&] { res1 = r.Dequeue(port, 1, nt::INFINITE); });
  r.sched.Spawn("w2", [&] { res2 = r.Dequeue(port, 1, 100); });
  r.sched.Spawn("closer", [&] {
    r.kernel.Sleep(3'000'000);
    EXPECT_EQ(r.kernel.CloseHandle(port), nt::TRUE);
  });
  sim::RunResult run = r.sched.Run();
  EXPECT_EQ(run.outcome, Outcome::kCompleted);
  EXPECT_EQ(run.end_ns, 3'000'000);  // w2's 100 ms timeout is gone
  for (const Dequeued* res : {&res1, &res2}) {
    EXPECT_EQ(res->ok, nt::FALSE);
    EXPECT_EQ(res->err, nt::ERROR_ABANDONED_WAIT_0);
    EXPECT_EQ(res->n, 0u);
    EXPECT_EQ(res->at, 3'000'000);
  }
  EXPECT_EQ(r.Grep("wait-abandoned"),
            (std::vector<std::string>{"3.000000 kernel wait-abandoned T2 obj=1",
                                      "3.000000 kernel wait-abandoned T1 obj=1"}));
  EXPECT_TRUE(r.Grep("wait-timed-out").empty());
}

// S12: queued packets are discarded on close, and later completions dropped.
TEST(IocpRules, S12_QueuedPacketsDiscardedLaterDropped) {
  Rig r;
  HANDLE port = r.NewPort();  // object 1
  HANDLE file = r.kernel.CreateFile();
  ASSERT_EQ(r.kernel.CreateIoCompletionPort(file, port, 7, 0), port);
  ASSERT_TRUE(r.kernel.CompleteIo(file, 0x10, 1));
  ASSERT_EQ(r.kernel.PostQueuedCompletionStatus(port, 0, 8, 0), nt::TRUE);
  // A wait packet queued in the port, and one still waiting on a timer.
  HANDLE timer = r.NewTimer();  // high-resolution
  ASSERT_EQ(r.Set(timer, r.At(0)), nt::TRUE);  // signaled
  HANDLE queued = r.NewPacket();
  HANDLE waiting = r.NewPacket();
  BOOLEAN sig = 0;
  ASSERT_EQ(r.Associate(queued, port, timer, 9, &sig), nt::STATUS_SUCCESS);
  ASSERT_EQ(sig, 1);
  ASSERT_EQ(r.Associate(waiting, port, timer, 10, &sig), nt::STATUS_SUCCESS);
  ASSERT_EQ(sig, 0);
  ASSERT_EQ(r.Set(timer, -10'000), nt::TRUE);  // 1 ms

  const sim::IoCompletion* obj = r.kernel.PortAt(port);
  ASSERT_EQ(QueuedKeys(obj), (std::vector<uintptr>{7, 8, 9}));
  ASSERT_EQ(r.kernel.CloseHandle(port), nt::TRUE);
  EXPECT_TRUE(obj->closed);
  EXPECT_TRUE(obj->queue.empty());
  EXPECT_EQ(r.kernel.PortAt(port), nullptr);
  // The discarded wait packet is no longer in use.
  EXPECT_EQ(r.kernel.WaitPacketAt(queued)->state, sim::WaitCompletionPacket::State::kIdle);
  EXPECT_EQ(r.kernel.NtCancelWaitCompletionPacket(queued, 1), nt::STATUS_CANCELLED);

  // Later completions: the file's and the waiting packet's are dropped.
  EXPECT_TRUE(r.kernel.CompleteIo(file, 0x20, 2));
  EXPECT_TRUE(obj->queue.empty());
  EXPECT_EQ(r.sched.Run().end_ns, 1'000'000);
  EXPECT_TRUE(obj->queue.empty());
  EXPECT_EQ(r.Grep("packet-dropped"),
            (std::vector<std::string>{"0.000000 kernel packet-dropped obj=1 key=0x7 ov=0x20",
                                      "1.000000 kernel packet-dropped obj=1 key=0xa ov=0"}));
  EXPECT_EQ(r.kernel.WaitPacketAt(waiting)->state, sim::WaitCompletionPacket::State::kIdle);
  // The closed handle is gone for every call.
  OverlappedEntry e[1];
  ULONG n = 0;
  r.SetError87();
  EXPECT_EQ(r.kernel.GetQueuedCompletionStatusEx(port, e, 1, &n, 0, nt::FALSE), nt::FALSE);
  EXPECT_EQ(r.kernel.GetLastError(), nt::ERROR_INVALID_HANDLE);
}

// --- S30: handle values ---

// S30: handles are multiples of 4 from 0x100; closed slots are reused last-freed-first.
TEST(IocpRules, S30_HandleValuesAndReuse) {
  Rig r;
  HANDLE a = r.NewPort();
  HANDLE b = r.kernel.CreateFile();
  HANDLE c = r.kernel.CreateWaitableTimerExW(0, 0, 0, 0);
  HANDLE d = 0;
  ASSERT_EQ(r.kernel.NtCreateWaitCompletionPacket(&d, 0, 0), nt::STATUS_SUCCESS);
  EXPECT_EQ(a, 0x100u);
  EXPECT_EQ(b, 0x104u);
  EXPECT_EQ(c, 0x108u);
  EXPECT_EQ(d, 0x10Cu);
  ASSERT_EQ(r.kernel.CloseHandle(b), nt::TRUE);
  ASSERT_EQ(r.kernel.CloseHandle(a), nt::TRUE);
  ASSERT_EQ(r.kernel.CloseHandle(c), nt::TRUE);
  EXPECT_EQ(r.kernel.CreateFile(), 0x108u);  // c freed last
  EXPECT_EQ(r.NewPort(), 0x100u);            // then a
  EXPECT_EQ(r.kernel.CreateFile(), 0x104u);  // then b
  EXPECT_EQ(r.kernel.CreateFile(), 0x110u);  // then fresh slots
  std::vector<HANDLE> live;
  for (const sim::HandleInfo& h : r.kernel.LiveHandles()) live.push_back(h.handle);
  EXPECT_EQ(live, (std::vector<HANDLE>{0x100, 0x104, 0x108, 0x10C, 0x110}));
}

// --- S33: 32-bit targets ---

// S33: with ptr_size 4, INVALID_HANDLE_VALUE is 0xFFFFFFFF and handles, keys
// and OVERLAPPED pointers are 32 bits wide.
TEST(IocpRules, S33_ThirtyTwoBitTarget) {
  sim::KernelConfig cfg;
  cfg.ptr_size = 4;
  Rig r(cfg);
  HANDLE port = r.kernel.CreateIoCompletionPort(0xFFFFFFFF, 0, 0, kAnyThreads);
  ASSERT_EQ(port, 0x100u);
  ASSERT_NE(r.kernel.PortAt(port), nullptr);
  // Bits above 32 do not exist on the target: the handle still names the port.
  ASSERT_EQ(r.kernel.PostQueuedCompletionStatus(0x7'0000'0000 | port, 5, 0x1'2345'6789,
                                                0xAB'CDEF'0123'4567),
            nt::TRUE);
  HANDLE file = r.kernel.CreateFile();
  ASSERT_EQ(r.kernel.CreateIoCompletionPort(file, port, 0xFFFF'FFFF'8000'0001, 0), port);
  ASSERT_TRUE(r.kernel.CompleteIo(file, 0x1'0000'2000, 6));
  OverlappedEntry e[2];
  ULONG n = 0;
  ASSERT_EQ(r.kernel.GetQueuedCompletionStatusEx(port, e, 2, &n, 0, nt::FALSE), nt::TRUE);
  ASSERT_EQ(n, 2u);
  EXPECT_EQ(e[0], (OverlappedEntry{0x2345'6789, 0x0123'4567, 0, 5}));
  EXPECT_EQ(e[1], (OverlappedEntry{0x8000'0001, 0x2000, 0, 6}));
  // A port handle given with stray high bits comes back as the target sees it.
  HANDLE file2 = r.kernel.CreateFile();
  EXPECT_EQ(r.kernel.CreateIoCompletionPort(file2, 0x7'0000'0000 | port, 3, 0), port);
  EXPECT_EQ(r.kernel.CloseHandle(0x7'0000'0000 | file2), nt::TRUE);
}

// S33: with ptr_size 8, 0xFFFFFFFF is an ordinary (unknown) handle and keys keep 64 bits.
TEST(IocpRules, S33_SixtyFourBitTargetKeepsHighBits) {
  sim::KernelConfig cfg;
  cfg.ptr_size = 8;
  Rig r(cfg);
  EXPECT_EQ(r.kernel.CreateIoCompletionPort(0xFFFFFFFF, 0, 0, kAnyThreads), 0u);
  EXPECT_EQ(r.kernel.GetLastError(), nt::ERROR_INVALID_HANDLE);
  HANDLE port = r.NewPort();
  ASSERT_EQ(r.kernel.PostQueuedCompletionStatus(port, 5, 0x1'2345'6789, 0xAB'CDEF'0123'4567),
            nt::TRUE);
  OverlappedEntry e[1];
  ULONG n = 0;
  ASSERT_EQ(r.kernel.GetQueuedCompletionStatusEx(port, e, 1, &n, 0, nt::FALSE), nt::TRUE);
  EXPECT_EQ(e[0], (OverlappedEntry{0x1'2345'6789, 0xAB'CDEF'0123'4567, 0, 5}));
  EXPECT_EQ(r.kernel.PostQueuedCompletionStatus(0x7'0000'0000 | port, 5, 1, 1), nt::FALSE);
}

// --- S35: user-mode APCs ---

// S35: without APCs an alertable wait times out or takes a packet like a
// non-alertable one.
TEST(IocpRules, S35_AlertableWaitWithoutApcs) {
  Rig r(OneMsTick());
  HANDLE port = r.NewPort();
  std::vector<DWORD> errs;
  std::vector<int64_t> at;
  uintptr key = 0;
  r.sched.Spawn("waiter", [&] {
    OverlappedEntry e[1];
    ULONG n = 99;
    EXPECT_EQ(r.kernel.GetQueuedCompletionStatusEx(port, e, 1, &n, 4, nt::TRUE), nt::FALSE);
    errs.push_back(r.kernel.GetLastError());
    at.push_back(r.kernel.now());
    EXPECT_EQ(n, 0u);
    EXPECT_EQ(r.kernel.GetQueuedCompletionStatusEx(port, e, 1, &n, nt::INFINITE, nt::TRUE),
              nt::TRUE);
    at.push_back(r.kernel.now());
    EXPECT_EQ(n, 1u);
    key = e[0].lpCompletionKey;
  });
  r.sched.Spawn("poster", [&] {
    r.kernel.Sleep(6'000'000);
    r.kernel.PostQueuedCompletionStatus(port, 0, 0x33, 0);
  });
  EXPECT_EQ(r.sched.Run().outcome, Outcome::kCompleted);
  EXPECT_EQ(errs, std::vector<DWORD>{nt::WAIT_TIMEOUT});
  EXPECT_EQ(at, (std::vector<int64_t>{4'000'000, 6'000'000}));
  EXPECT_EQ(key, 0x33u);
}

// S35: an APC ends an alertable wait at once: FALSE, WAIT_IO_COMPLETION, the
// count a timeout leaves (0 on Windows, 1 on Wine 8); its timeout is gone.
TEST(IocpRules, S35_ApcEndsAnAlertableWait) {
  for (const uint32_t removed : {0u, 1u}) {
    sim::KernelConfig c = OneMsTick();
    c.removed_on_timeout = removed;
    Rig r(c);
    HANDLE port = r.NewPort();
    Dequeued got;
    r.sched.Spawn("waiter", [&] {
      OverlappedEntry e[1];
      got.ok = r.kernel.GetQueuedCompletionStatusEx(port, e, 1, &got.n, 100, nt::TRUE);
      got.err = r.kernel.GetLastError();
      got.at = r.kernel.now();
    });
    r.sched.Spawn("apc", [&] {
      r.kernel.Sleep(2'000'000);
      EXPECT_TRUE(r.kernel.QueueUserApc(1));
    });
    sim::RunResult run = r.sched.Run();
    EXPECT_EQ(run.outcome, Outcome::kCompleted);
    EXPECT_EQ(run.end_ns, 2'000'000);  // the 100 ms timeout never fires
    EXPECT_EQ(got.ok, nt::FALSE);
    EXPECT_EQ(got.err, nt::WAIT_IO_COMPLETION);
    EXPECT_EQ(got.n, removed);
    EXPECT_EQ(got.at, 2'000'000);
    EXPECT_TRUE(r.kernel.PortAt(port)->waiters.empty());
    EXPECT_EQ(r.Grep("wait-alerted"),
              std::vector<std::string>{"2.000000 kernel wait-alerted T1 obj=1"});
  }
}

// S35: a non-alertable wait leaves the APC queued; the thread's next
// alertable call with nothing to dequeue runs it and returns at once, even
// with a zero timeout; one with an entry queued takes the entry first.
TEST(IocpRules, S35_ApcWaitsForAnAlertableCall) {
  Rig r(OneMsTick());
  HANDLE port = r.NewPort();
  std::vector<BOOL> ok;
  std::vector<DWORD> errs;
  std::vector<int64_t> at;
  r.sched.Spawn("waiter", [&] {
    OverlappedEntry e[1];
    ULONG n = 0;
    auto call = [&](DWORD ms, BOOL alertable) {
      ok.push_back(r.kernel.GetQueuedCompletionStatusEx(port, e, 1, &n, ms, alertable));
      errs.push_back(ok.back() ? 0 : r.kernel.GetLastError());
      at.push_back(r.kernel.now());
    };
    call(5, nt::FALSE);  // the APC comes at 1 ms: it times out at 5
    r.kernel.PostQueuedCompletionStatus(port, 0, 7, 0);
    call(0, nt::TRUE);   // the entry first
    call(0, nt::TRUE);   // then the APC
    call(0, nt::TRUE);   // and it ran: nothing left
  });
  r.sched.Spawn("apc", [&] {
    r.kernel.Sleep(1'000'000);
    EXPECT_TRUE(r.kernel.QueueUserApc(1));
  });
  EXPECT_EQ(r.sched.Run().outcome, Outcome::kCompleted);
  EXPECT_EQ(ok, (std::vector<BOOL>{nt::FALSE, nt::TRUE, nt::FALSE, nt::FALSE}));
  EXPECT_EQ(errs, (std::vector<DWORD>{nt::WAIT_TIMEOUT, 0, nt::WAIT_IO_COMPLETION,
                                      nt::WAIT_TIMEOUT}));
  EXPECT_EQ(at, (std::vector<int64_t>{5'000'000, 5'000'000, 5'000'000, 5'000'000}));
  EXPECT_TRUE(r.Grep("wait-alerted").empty());  // no wait was ended: none blocked
}

// S35: a thread not yet associated with the port (it has never dequeued
// from it or waited on it) runs its APCs before taking a queued entry; the
// call that does so does not associate it, the next one takes the entry.
// On Wine 8 the entry goes first all the same.
TEST(IocpRules, S35_ApcsFirstOnAPortNotYetAssociated) {
  for (const bool after_entries : {false, true}) {
    sim::KernelConfig c = Config();
    c.apcs_after_entries = after_entries;
    Rig r(c);
    HANDLE port = r.NewPort();
    std::vector<DWORD> errs;
    r.sched.Spawn("fresh", [&] {
      ASSERT_TRUE(r.kernel.QueueUserApc(1));  // to itself
      ASSERT_TRUE(r.kernel.QueueUserApc(1));
      r.kernel.PostQueuedCompletionStatus(port, 0, 7, 0);
      OverlappedEntry e[1];
      ULONG n = 0;
      for (int i = 0; i < 2; ++i) {
        const BOOL ok = r.kernel.GetQueuedCompletionStatusEx(port, e, 1, &n, 0, nt::TRUE);
        errs.push_back(ok ? 0 : r.kernel.GetLastError());
      }
      EXPECT_EQ(e[0].lpCompletionKey, 7u);
    });
    EXPECT_EQ(r.sched.Run().outcome, Outcome::kCompleted);
    // Both APCs ran in one call.
    EXPECT_EQ(errs, after_entries ? (std::vector<DWORD>{0, nt::WAIT_IO_COMPLETION})
                                  : (std::vector<DWORD>{nt::WAIT_IO_COMPLETION, 0}));
  }
}

// S35: QueueUserAPC to a thread that has ended fails with ERROR_GEN_FAILURE;
// to one that never existed, with ERROR_INVALID_HANDLE.
TEST(IocpRules, S35_ApcToAnEndedOrUnknownThread) {
  Rig r;
  std::vector<DWORD> errs;
  r.sched.Spawn("short", [] {});
  r.sched.Spawn("apc", [&] {
    r.kernel.Sleep(1'000'000);
    for (int thread : {1, 3, 0}) {
      EXPECT_FALSE(r.kernel.QueueUserApc(thread)) << thread;
      errs.push_back(r.kernel.GetLastError());
    }
  });
  EXPECT_EQ(r.sched.Run().outcome, Outcome::kCompleted);
  EXPECT_EQ(errs, (std::vector<DWORD>{nt::ERROR_GEN_FAILURE, nt::ERROR_INVALID_HANDLE,
                                      nt::ERROR_INVALID_HANDLE}));
}

// --- S36: NumberOfConcurrentThreads ---

// S36: with as many of its threads running as its concurrency value, a port
// hands a new packet to no waiter and gives a zero-timeout poll nothing;
// when the running thread blocks, the kernel releases a waiter with it.
// Concurrency 0 means the host's processors; Wine 8 has no limit.
TEST(IocpRules, S36_ConcurrencyValueHoldsPacketsWhileThreadsRun) {
  struct Host {
    DWORD concurrency;
    uint32_t processors;
    bool limited;
  };
  for (const Host h : {Host{1, 2, true}, Host{0, 1, true}, Host{1, 2, false}}) {
    sim::KernelConfig c = Config();
    c.processors = h.processors;
    c.concurrency_limited = h.limited;
    Rig r(c, PreferThread(4));
    HANDLE port = r.kernel.CreateIoCompletionPort(kInvalidHandle, 0, 0, h.concurrency);
    ASSERT_EQ(port, 0x100u);
    Dequeued got[3];  // by thread id
    for (int i = 1; i <= 2; ++i) {
      r.sched.Spawn("worker", [&, i] {
        got[i] = r.Dequeue(port, 1, nt::INFINITE);
        r.kernel.Sleep(1'000'000);  // blocks: no longer running
      });
    }
    Dequeued polled;
    size_t queued = 0;
    r.sched.Spawn("poller", [&] {
      r.kernel.Sleep(2'500'000);
      polled = r.Dequeue(port, 1, 0);
    });
    Dequeued held;
    r.sched.Spawn("poster", [&] {  // runs whenever it can
      r.kernel.Sleep(1'000'000);
      r.kernel.PostQueuedCompletionStatus(port, 0, 1, 0);  // to T2, which then runs
      r.kernel.PostQueuedCompletionStatus(port, 0, 2, 0);
      held = r.Dequeue(port, 1, 0);  // T2 still runs
      queued = r.kernel.PortAt(port)->queue.size();
      r.kernel.Sleep(1'000'000);
      r.kernel.PostQueuedCompletionStatus(port, 0, 3, 0);
    });
    EXPECT_EQ(r.sched.Run().outcome, Outcome::kCompleted);
    EXPECT_EQ(got[2].keys(), std::vector<uintptr>{1});
    EXPECT_EQ(got[1].keys(), std::vector<uintptr>{2});
    EXPECT_EQ(held.err, nt::WAIT_TIMEOUT);
    EXPECT_EQ(polled.keys(), std::vector<uintptr>{3});  // nobody runs by then
    // Limited, key 2 waits in the queue (and from a poll) until T2 blocks.
    EXPECT_EQ(queued, h.limited ? 1u : 0u);
    EXPECT_EQ(r.Grep("packet-queued").size(), h.limited ? 2u : 1u);
  }
}

// --- S37: the last error ---

// S37: per-thread last error; failures set it, successes and NT calls leave it.
TEST(IocpRules, S37_LastErrorPerThread) {
  Rig r;
  HANDLE port = r.NewPort();
  r.SetError6();  // the setup thread's own last error
  std::vector<DWORD> t1, t2, t3;
  r.sched.Spawn("t1", [&] {
    t1.push_back(r.kernel.GetLastError());  // 0: a fresh thread
    EXPECT_EQ(r.kernel.CloseHandle(kBogus), nt::FALSE);
    t1.push_back(r.kernel.GetLastError());  // 6
    r.kernel.Sleep(1'000'000);              // t2 fails with 87 meanwhile
    t1.push_back(r.kernel.GetLastError());  // still 6
    EXPECT_EQ(r.kernel.PostQueuedCompletionStatus(port, 0, 1, 0), nt::TRUE);
    t1.push_back(r.kernel.GetLastError());  // a success leaves it: 6
    HANDLE w = 0;
    EXPECT_EQ(r.kernel.NtCreateWaitCompletionPacket(&w, nt::GENERIC_ALL, 0), nt::STATUS_SUCCESS);
    EXPECT_EQ(r.kernel.NtCancelWaitCompletionPacket(kBogus, 0), nt::STATUS_INVALID_HANDLE);
    EXPECT_EQ(r.kernel.NtAssociateWaitCompletionPacket(w, port, port, 0, 0, 0, 0, nullptr),
              nt::STATUS_INVALID_PARAMETER_3);
    t1.push_back(r.kernel.GetLastError());  // NT calls leave it: 6
  });
  r.sched.Spawn("t2", [&] {
    t2.push_back(r.kernel.GetLastError());  // 0, not t1's or setup's
    OverlappedEntry e[1];
    ULONG n = 0;
    EXPECT_EQ(r.kernel.GetQueuedCompletionStatusEx(port, e, 0, &n, 0, nt::FALSE), nt::FALSE);
    t2.push_back(r.kernel.GetLastError());  // 87
  });
  r.sched.Spawn("t3", [&] {
    // Only failing NT calls: the last error stays 0.
    HANDLE w = 0;
    EXPECT_EQ(r.kernel.NtCancelWaitCompletionPacket(kBogus, 0), nt::STATUS_INVALID_HANDLE);
    EXPECT_EQ(r.kernel.NtCreateWaitCompletionPacket(&w, 0, 0x1000), nt::STATUS_NOT_SUPPORTED);
    EXPECT_EQ(r.kernel.NtAssociateWaitCompletionPacket(kBogus, port, port, 0, 0, 0, 0, nullptr),
              nt::STATUS_INVALID_HANDLE);
    t3.push_back(r.kernel.GetLastError());
  });
  EXPECT_EQ(r.sched.Run().outcome, Outcome::kCompleted);
  EXPECT_EQ(t1, (std::vector<DWORD>{0, 6, 6, 6, 6}));
  EXPECT_EQ(t2, (std::vector<DWORD>{0, 87}));
  EXPECT_EQ(t3, std::vector<DWORD>{0});
  EXPECT_EQ(r.kernel.GetLastError(), nt::ERROR_INVALID_HANDLE);  // setup's, untouched
  // A successful Win32 call from setup code leaves the setup error too.
  EXPECT_NE(r.NewPort(), 0u);
  EXPECT_EQ(r.kernel.GetLastError(), nt::ERROR_INVALID_HANDLE);
}

}  // namespace
}  // namespace iocpsim
