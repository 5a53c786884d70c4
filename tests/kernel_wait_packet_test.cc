// The simulated kernel's wait completion packet rules (sim/SEMANTICS.md
// S18-S29): NtCreate/NtAssociate/NtCancelWaitCompletionPacket against
// waitable timers and I/O completion ports.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "poller/nt_api.h"
#include "poller/nt_types.h"
#include "sim/kernel.h"
#include "sim/kernel_config.h"
#include "sim/scheduler.h"
#include "tests/kernel_rig.h"
#include "tests/sim_fixture.h"

namespace iocpsim {
namespace {

using nt::BOOLEAN;
using nt::HANDLE;
using nt::NTSTATUS;
using nt::OverlappedEntry;
using nt::uintptr;
using State = sim::WaitCompletionPacket::State;
using Outcome = sim::RunResult::Outcome;

using testing::Config;
using testing::Dequeued;
using testing::kBogus;
using testing::kHighRes;
using testing::kManual;
using testing::Rig;

constexpr BOOLEAN kUntouched = 0x5A;

// Runs `in_window` on a simulated thread while packet `w` is in flight: its
// timer (which must be due at exactly 1 ms) has fired and satisfied the
// wait, and the kernel step that moves the packet into the port has not run
// (ThreadsFirst runs the woken thread first). The thread then waits on
// `port` and stores what it gets.
void InFlightWindow(Rig& r, HANDLE w, HANDLE port, std::function<void()> in_window,
                    Dequeued* got) {
  r.sched.Spawn("canceller", [&r, w, port, in_window, got] {
    r.kernel.Sleep(1'000'000);  // wakes in the same instant the timer fires
    ASSERT_EQ(r.StateOf(w), State::kInFlight);
    in_window();
    *got = r.Dequeue(port, 4, nt::INFINITE);
  });
}

// A port, an auto-reset high-resolution timer and a wait packet (objects 1,
// 2 and 3), the packet associated with the timer; `ok` says whether every
// call succeeded and, if not, which failed.
struct PacketOnTimer {
  HANDLE port = 0;
  HANDLE timer = 0;
  HANDLE w = 0;
  ::testing::AssertionResult ok = ::testing::AssertionSuccess();
};

// The packet waits under `key`; the timer is then set `due` (100 ns units,
// negative: relative) ahead, with lPeriod `period`.
PacketOnTimer WaitingPacket(Rig& r, uintptr key, int64_t due = -10'000, nt::LONG period = 0) {
  PacketOnTimer p{r.NewPort(), r.NewTimer(), r.NewPacket()};
  if (NTSTATUS st = r.Associate(p.w, p.port, p.timer, key); st != nt::STATUS_SUCCESS) {
    p.ok = ::testing::AssertionFailure() << "NtAssociateWaitCompletionPacket: " << st;
  } else if (r.Set(p.timer, due, period) != nt::TRUE) {
    p.ok = ::testing::AssertionFailure() << "SetWaitableTimer failed";
  } else if (r.StateOf(p.w) != State::kWaiting) {
    p.ok = ::testing::AssertionFailure() << "the packet is not waiting";
  }
  return p;
}

// The timer is signaled first, so the packet is queued at once under `key`.
PacketOnTimer QueuedPacket(Rig& r, uintptr key) {
  PacketOnTimer p{r.NewPort(), r.NewTimer()};
  if (r.Set(p.timer, r.At(0)) != nt::TRUE) {
    p.ok = ::testing::AssertionFailure() << "SetWaitableTimer failed";
    return p;
  }
  p.w = r.NewPacket();
  if (NTSTATUS st = r.Associate(p.w, p.port, p.timer, key); st != nt::STATUS_SUCCESS) {
    p.ok = ::testing::AssertionFailure() << "NtAssociateWaitCompletionPacket: " << st;
  } else if (r.StateOf(p.w) != State::kQueued) {
    p.ok = ::testing::AssertionFailure() << "the packet is not queued";
  }
  return p;
}

// --- S18: handle errors, in parameter order ---

// S18: NtAssociateWaitCompletionPacket reports the first bad handle:
// STATUS_INVALID_HANDLE if unknown, STATUS_OBJECT_TYPE_MISMATCH if wrong type.
TEST(WaitPacketRules, S18_AssociateHandleErrorsInParameterOrder) {
  Rig r;
  HANDLE port = r.NewPort();
  HANDLE timer = r.NewTimer();
  HANDLE w = r.NewPacket();
  HANDLE closed = r.NewPacket();
  ASSERT_EQ(r.kernel.CloseHandle(closed), nt::TRUE);

  EXPECT_EQ(r.Associate(kBogus, kBogus, kBogus), nt::STATUS_INVALID_HANDLE);
  EXPECT_EQ(r.Associate(closed, port, timer), nt::STATUS_INVALID_HANDLE);
  EXPECT_EQ(r.Associate(timer, kBogus, kBogus), nt::STATUS_OBJECT_TYPE_MISMATCH);
  EXPECT_EQ(r.Associate(port, port, timer), nt::STATUS_OBJECT_TYPE_MISMATCH);
  EXPECT_EQ(r.Associate(w, kBogus, kBogus), nt::STATUS_INVALID_HANDLE);
  EXPECT_EQ(r.Associate(w, timer, kBogus), nt::STATUS_OBJECT_TYPE_MISMATCH);
  EXPECT_EQ(r.Associate(w, w, timer), nt::STATUS_OBJECT_TYPE_MISMATCH);
  EXPECT_EQ(r.Associate(w, port, kBogus), nt::STATUS_INVALID_HANDLE);
  EXPECT_EQ(r.Associate(w, port, 0), nt::STATUS_INVALID_HANDLE);
  EXPECT_EQ(r.StateOf(w), State::kIdle);
  EXPECT_TRUE(r.kernel.TimerAt(timer)->waits.empty());
  EXPECT_EQ(r.Associate(w, port, timer), nt::STATUS_SUCCESS);
}

// S18: NtCancelWaitCompletionPacket: unknown or closed -> STATUS_INVALID_HANDLE,
// another object type -> STATUS_OBJECT_TYPE_MISMATCH.
TEST(WaitPacketRules, S18_CancelHandleErrors) {
  Rig r;
  HANDLE port = r.NewPort();
  HANDLE timer = r.NewTimer();
  HANDLE closed = r.NewPacket();
  ASSERT_EQ(r.kernel.CloseHandle(closed), nt::TRUE);
  EXPECT_EQ(r.kernel.NtCancelWaitCompletionPacket(kBogus, 0), nt::STATUS_INVALID_HANDLE);
  EXPECT_EQ(r.kernel.NtCancelWaitCompletionPacket(closed, 1), nt::STATUS_INVALID_HANDLE);
  EXPECT_EQ(r.kernel.NtCancelWaitCompletionPacket(port, 0), nt::STATUS_OBJECT_TYPE_MISMATCH);
  EXPECT_EQ(r.kernel.NtCancelWaitCompletionPacket(timer, 1), nt::STATUS_OBJECT_TYPE_MISMATCH);
}

// --- S19: the target must be a waitable timer here ---

// S19: a port, a wait packet or a file as the target gives STATUS_INVALID_PARAMETER_3.
TEST(WaitPacketRules, S19_NonTimerTargetIsInvalidParameter3) {
  Rig r;
  HANDLE port = r.NewPort();
  HANDLE other_port = r.NewPort();
  HANDLE w = r.NewPacket();
  HANDLE other_packet = r.NewPacket();
  HANDLE file = r.kernel.CreateFile();
  for (HANDLE target : {port, other_port, other_packet, w, file}) {
    SCOPED_TRACE(target);
    BOOLEAN already = kUntouched;
    EXPECT_EQ(r.Associate(w, port, target, 1, &already), nt::STATUS_INVALID_PARAMETER_3);
    EXPECT_EQ(already, kUntouched);
    EXPECT_EQ(r.StateOf(w), State::kIdle);
  }
  EXPECT_TRUE(r.kernel.PortAt(port)->queue.empty());
  EXPECT_EQ(r.Associate(w, port, r.NewTimer()), nt::STATUS_SUCCESS);
}

// S45: the target is waited on, so its handle needs SYNCHRONIZE (given by
// GENERIC_EXECUTE or GENERIC_ALL too); a refused association changes nothing.
TEST(WaitPacketRules, S45_TargetWithoutSynchronizeIsAccessDenied) {
  Rig r;
  HANDLE port = r.NewPort();
  HANDLE w = r.NewPacket();
  const HANDLE no_sync = r.kernel.CreateWaitableTimerExW(
      0, 0, 0, nt::TIMER_MODIFY_STATE | nt::TIMER_QUERY_STATE);
  BOOLEAN already = kUntouched;
  EXPECT_EQ(r.Associate(w, port, no_sync, 1, &already), nt::STATUS_ACCESS_DENIED);
  EXPECT_EQ(already, kUntouched);
  EXPECT_EQ(r.StateOf(w), State::kIdle);
  for (nt::ACCESS_MASK access : {nt::SYNCHRONIZE, nt::GENERIC_EXECUTE, nt::GENERIC_ALL}) {
    const HANDLE t = r.kernel.CreateWaitableTimerExW(0, 0, 0, access);
    EXPECT_EQ(r.Associate(w, port, t), nt::STATUS_SUCCESS) << access;
    EXPECT_EQ(r.kernel.NtCancelWaitCompletionPacket(w, 1), nt::STATUS_SUCCESS);
  }
}

// S47: a wait packet handle grants the rights it was created with (the
// generic ones mapped); associating and cancelling it need
// WAIT_COMPLETION_PACKET_QUERY_STATE, else STATUS_ACCESS_DENIED and nothing
// changes.
TEST(WaitPacketRules, S47_PacketWithoutQueryStateIsAccessDenied) {
  Rig r;
  HANDLE port = r.NewPort();
  HANDLE timer = r.NewTimer();
  for (nt::ACCESS_MASK access : {nt::ACCESS_MASK{0}, nt::WAIT_COMPLETION_PACKET_MODIFY_STATE,
                                 nt::GENERIC_WRITE, nt::SYNCHRONIZE}) {
    HANDLE w = 0;
    ASSERT_EQ(r.kernel.NtCreateWaitCompletionPacket(&w, access, 0), nt::STATUS_SUCCESS);
    BOOLEAN already = kUntouched;
    EXPECT_EQ(r.Associate(w, port, timer, 1, &already), nt::STATUS_ACCESS_DENIED) << access;
    EXPECT_EQ(already, kUntouched);
    EXPECT_EQ(r.StateOf(w), State::kIdle);
    EXPECT_EQ(r.kernel.NtCancelWaitCompletionPacket(w, 1), nt::STATUS_ACCESS_DENIED) << access;
  }
  for (nt::ACCESS_MASK access : {nt::WAIT_COMPLETION_PACKET_QUERY_STATE, nt::GENERIC_READ,
                                 nt::GENERIC_ALL, nt::MAXIMUM_ALLOWED}) {
    HANDLE w = 0;
    ASSERT_EQ(r.kernel.NtCreateWaitCompletionPacket(&w, access, 0), nt::STATUS_SUCCESS);
    EXPECT_EQ(r.Associate(w, port, timer), nt::STATUS_SUCCESS) << access;
    EXPECT_EQ(r.kernel.NtCancelWaitCompletionPacket(w, 1), nt::STATUS_SUCCESS) << access;
  }
}

// --- S20: a packet in use ---

// S20: re-associating a waiting or queued packet fails with
// STATUS_INVALID_PARAMETER_1, leaving AlreadySignaled and the first association.
TEST(WaitPacketRules, S20_WaitingOrQueuedPacketIsInUse) {
  Rig r;
  HANDLE port = r.NewPort();
  HANDLE other_port = r.NewPort();
  HANDLE quiet = r.NewTimer();
  HANDLE fired = r.NewTimer(kHighRes | kManual);
  r.Signal(fired);
  HANDLE waiting = r.NewPacket();
  HANDLE queued = r.NewPacket();
  ASSERT_EQ(r.Associate(waiting, port, quiet, 1), nt::STATUS_SUCCESS);
  ASSERT_EQ(r.Associate(queued, port, fired, 2), nt::STATUS_SUCCESS);
  ASSERT_EQ(r.StateOf(waiting), State::kWaiting);
  ASSERT_EQ(r.StateOf(queued), State::kQueued);

  for (HANDLE w : {waiting, queued}) {
    for (HANDLE target : {quiet, fired}) {
      BOOLEAN already = kUntouched;
      EXPECT_EQ(r.Associate(w, other_port, target, 9, &already), nt::STATUS_INVALID_PARAMETER_1);
      EXPECT_EQ(already, kUntouched);
    }
  }
  EXPECT_EQ(r.StateOf(waiting), State::kWaiting);
  EXPECT_EQ(r.StateOf(queued), State::kQueued);
  EXPECT_EQ(r.kernel.TimerAt(quiet)->waits.size(), 1u);
  EXPECT_EQ(r.QueuedKeys(port), std::vector<uintptr>{2});
  EXPECT_TRUE(r.kernel.PortAt(other_port)->queue.empty());
  // The first association still delivers, with its own key, to its own port.
  ASSERT_EQ(r.Set(quiet, -10'000), nt::TRUE);
  r.sched.Run();
  EXPECT_EQ(r.QueuedKeys(port), (std::vector<uintptr>{2, 1}));
  EXPECT_TRUE(r.kernel.PortAt(other_port)->queue.empty());
}

// S20: a packet in flight is in use too.
TEST(WaitPacketRules, S20_InFlightPacketIsInUse) {
  Rig r;
  PacketOnTimer p = WaitingPacket(r, 0x11);  // due at 1 ms
  ASSERT_TRUE(p.ok);
  HANDLE signaled = r.NewTimer(kHighRes | kManual);
  r.Signal(signaled);
  BOOLEAN already = kUntouched;
  NTSTATUS st = 0;
  Dequeued got;
  InFlightWindow(
      r, p.w, p.port, [&] { st = r.Associate(p.w, p.port, signaled, 0x22, &already); }, &got);
  EXPECT_EQ(r.sched.Run().outcome, Outcome::kCompleted);
  EXPECT_EQ(st, nt::STATUS_INVALID_PARAMETER_1);
  EXPECT_EQ(already, kUntouched);
  EXPECT_EQ(got.keys(), std::vector<uintptr>{0x11});
  EXPECT_TRUE(r.kernel.TimerAt(signaled)->signaled);  // not consumed
}

// --- S21: an already-signaled target ---

// S21: the wait is satisfied at once: the auto-reset signal is consumed, the
// packet is queued and *AlreadySignaled is TRUE.
TEST(WaitPacketRules, S21_AlreadySignaledTargetQueuesAtOnce) {
  Rig r;
  HANDLE port = r.NewPort();
  HANDLE timer = r.NewTimer();
  r.Signal(timer);
  HANDLE w = r.NewPacket();
  BOOLEAN already = kUntouched;
  EXPECT_EQ(r.kernel.NtAssociateWaitCompletionPacket(w, port, timer, 0xAA, 0xBB,
                                                     nt::STATUS_CANCELLED, 0x1234, &already),
            nt::STATUS_SUCCESS);
  EXPECT_EQ(already, 1);
  EXPECT_FALSE(r.kernel.TimerAt(timer)->signaled);
  EXPECT_TRUE(r.kernel.TimerAt(timer)->waits.empty());
  EXPECT_EQ(r.StateOf(w), State::kQueued);
  Dequeued got = r.Dequeue(port, 2);
  ASSERT_EQ(got.ok, nt::TRUE);
  EXPECT_EQ(got.entries,
            (std::vector<OverlappedEntry>{{0xAA, 0xBB, nt::STATUS_CANCELLED, 0x1234}}));

  // The signal was consumed: the next association waits.
  HANDLE w2 = r.NewPacket();
  EXPECT_EQ(r.Associate(w2, port, timer, 1, &already), nt::STATUS_SUCCESS);
  EXPECT_EQ(already, 0);
  EXPECT_EQ(r.StateOf(w2), State::kWaiting);
}

// S21: a manual-reset timer stays signaled and satisfies every association at once.
TEST(WaitPacketRules, S21_ManualResetTargetStaysSignaled) {
  Rig r;
  HANDLE port = r.NewPort();
  HANDLE timer = r.NewTimer(kHighRes | kManual);
  r.Signal(timer);
  for (uintptr key : {1, 2, 3}) {
    BOOLEAN already = kUntouched;
    EXPECT_EQ(r.Associate(r.NewPacket(), port, timer, key, &already), nt::STATUS_SUCCESS);
    EXPECT_EQ(already, 1);
  }
  EXPECT_TRUE(r.kernel.TimerAt(timer)->signaled);
  EXPECT_EQ(r.QueuedKeys(port), (std::vector<uintptr>{1, 2, 3}));
}

// --- S22: waiting, delivery order, contexts, single shot ---

// S22: an unsignaled target makes the packet wait (*AlreadySignaled FALSE);
// on expiry the entry carries KeyContext, ApcContext, IoStatus, IoStatusInformation.
TEST(WaitPacketRules, S22_PacketWaitsThenCarriesContexts) {
  Rig r;
  HANDLE port = r.NewPort();
  HANDLE timer = r.NewTimer();
  HANDLE w = r.NewPacket();
  BOOLEAN already = kUntouched;
  ASSERT_EQ(r.kernel.NtAssociateWaitCompletionPacket(w, port, timer, 0xCAFE, 0xF00D, 0x103, 77,
                                                     &already),
            nt::STATUS_SUCCESS);
  EXPECT_EQ(already, 0);
  EXPECT_EQ(r.StateOf(w), State::kWaiting);
  EXPECT_TRUE(r.kernel.PortAt(port)->queue.empty());
  ASSERT_EQ(r.Set(timer, -25'000), nt::TRUE);  // 2.5 ms
  Dequeued got;
  r.sched.Spawn("poller", [&] { got = r.Dequeue(port, 2, nt::INFINITE); });
  EXPECT_EQ(r.sched.Run().outcome, Outcome::kCompleted);
  EXPECT_EQ(got.ok, nt::TRUE);
  EXPECT_EQ(got.at, 2'500'000);
  EXPECT_EQ(got.entries, (std::vector<OverlappedEntry>{{0xCAFE, 0xF00D, 0x103, 77}}));
  EXPECT_EQ(r.StateOf(w), State::kIdle);
}

// S22: an auto-reset timer satisfies one wait per expiry, in association order.
TEST(WaitPacketRules, S22_AutoResetSatisfiesOneWaitInOrder) {
  Rig r;
  HANDLE port = r.NewPort();
  HANDLE timer = r.NewTimer();
  HANDLE a = r.NewPacket(), b = r.NewPacket(), c = r.NewPacket();
  ASSERT_EQ(r.Associate(b, port, timer, 0xB), nt::STATUS_SUCCESS);
  ASSERT_EQ(r.Associate(a, port, timer, 0xA), nt::STATUS_SUCCESS);
  ASSERT_EQ(r.Associate(c, port, timer, 0xC), nt::STATUS_SUCCESS);
  ASSERT_EQ(r.Set(timer, -10'000), nt::TRUE);
  r.sched.Run();
  EXPECT_EQ(r.QueuedKeys(port), std::vector<uintptr>{0xB});
  EXPECT_FALSE(r.kernel.TimerAt(timer)->signaled);
  EXPECT_EQ(r.StateOf(a), State::kWaiting);
  EXPECT_EQ(r.StateOf(c), State::kWaiting);
  ASSERT_EQ(r.Set(timer, -10'000), nt::TRUE);
  r.sched.Run();
  EXPECT_EQ(r.QueuedKeys(port), (std::vector<uintptr>{0xB, 0xA}));
  EXPECT_EQ(r.StateOf(c), State::kWaiting);
}

// S22: a manual-reset timer satisfies every wait, in association order.
TEST(WaitPacketRules, S22_ManualResetSatisfiesAllInOrder) {
  Rig r;
  HANDLE port = r.NewPort();
  HANDLE timer = r.NewTimer(kHighRes | kManual);
  for (uintptr key : {3, 1, 2}) ASSERT_EQ(r.Associate(r.NewPacket(), port, timer, key), 0u);
  ASSERT_EQ(r.Set(timer, -10'000), nt::TRUE);
  r.sched.Run();
  EXPECT_EQ(r.QueuedKeys(port), (std::vector<uintptr>{3, 1, 2}));
  EXPECT_TRUE(r.kernel.TimerAt(timer)->signaled);
  EXPECT_TRUE(r.kernel.TimerAt(timer)->waits.empty());
  EXPECT_EQ(r.Grep("wait-satisfied").size(), 3u);
}

// S22: the association is single-shot: later expiries of a periodic timer
// queue nothing more.
TEST(WaitPacketRules, S22_AssociationIsSingleShot) {
  Rig r;
  PacketOnTimer p = WaitingPacket(r, 0x5, -10'000, 1);  // at 1 ms, then every 1 ms
  ASSERT_TRUE(p.ok);
  int got = 0;
  r.sched.Spawn("poller", [&] {
    Dequeued d = r.Dequeue(p.port, 4, nt::INFINITE);
    ASSERT_EQ(d.ok, nt::TRUE);
    got += static_cast<int>(d.n);
    r.kernel.Sleep(3'500'000);  // expiries at 2, 3 and 4 ms
    r.kernel.CloseHandle(p.timer);
  });
  EXPECT_EQ(r.sched.Run().end_ns, 4'500'000);
  EXPECT_EQ(got, 1);
  EXPECT_EQ(r.Grep("timer-fired").size(), 4u);
  EXPECT_EQ(r.Grep("wait-satisfied").size(), 1u);
  EXPECT_TRUE(r.kernel.PortAt(p.port)->queue.empty());
  EXPECT_EQ(r.StateOf(p.w), State::kIdle);
}

// --- S23: cancelling an idle packet ---

// S23: a never-associated packet and one already picked up give STATUS_CANCELLED.
TEST(WaitPacketRules, S23_CancelIdlePacketIsCancelled) {
  Rig r;
  HANDLE port = r.NewPort();
  HANDLE timer = r.NewTimer();
  HANDLE w = r.NewPacket();
  EXPECT_EQ(r.kernel.NtCancelWaitCompletionPacket(w, 0), nt::STATUS_CANCELLED);
  EXPECT_EQ(r.kernel.NtCancelWaitCompletionPacket(w, 1), nt::STATUS_CANCELLED);

  r.Signal(timer);
  ASSERT_EQ(r.Associate(w, port, timer, 7), nt::STATUS_SUCCESS);
  Dequeued got = r.Dequeue(port, 1);
  ASSERT_EQ(got.ok, nt::TRUE);
  ASSERT_EQ(got.keys(), std::vector<uintptr>{7});
  EXPECT_EQ(r.kernel.NtCancelWaitCompletionPacket(w, 1), nt::STATUS_CANCELLED);
  EXPECT_EQ(r.kernel.NtCancelWaitCompletionPacket(w, 0), nt::STATUS_CANCELLED);
}

// S23: a packet handed straight to a waiting thread counts as picked up.
TEST(WaitPacketRules, S23_HandedOffPacketIsPickedUp) {
  Rig r;
  PacketOnTimer p = WaitingPacket(r, 7);
  ASSERT_TRUE(p.ok);
  NTSTATUS st = 0;
  r.sched.Spawn("poller", [&] {
    ASSERT_EQ(r.Dequeue(p.port, 1, nt::INFINITE).ok, nt::TRUE);
    st = r.kernel.NtCancelWaitCompletionPacket(p.w, 1);
  });
  r.sched.Run();
  EXPECT_EQ(st, nt::STATUS_CANCELLED);
  EXPECT_EQ(r.Grep("packet-handed-off").size(), 1u);
}

// --- S24: cancelling a waiting packet ---

// S24: STATUS_SUCCESS; the wait is gone (the expiry queues nothing) and the
// packet can be associated again.
TEST(WaitPacketRules, S24_CancelWaitingPacket) {
  Rig r;
  PacketOnTimer p = WaitingPacket(r, 1);
  ASSERT_TRUE(p.ok);
  EXPECT_EQ(r.kernel.NtCancelWaitCompletionPacket(p.w, 0), nt::STATUS_SUCCESS);
  EXPECT_EQ(r.StateOf(p.w), State::kIdle);
  EXPECT_TRUE(r.kernel.TimerAt(p.timer)->waits.empty());
  EXPECT_EQ(r.kernel.NtCancelWaitCompletionPacket(p.w, 0), nt::STATUS_CANCELLED);
  r.sched.Run();
  EXPECT_TRUE(r.kernel.PortAt(p.port)->queue.empty());
  EXPECT_TRUE(r.kernel.TimerAt(p.timer)->signaled);  // the expiry happened; nobody waited

  // Reusable: RemoveSignaledPacket TRUE cancels a waiting packet just the same.
  HANDLE timer2 = r.NewTimer();
  ASSERT_EQ(r.Associate(p.w, p.port, timer2, 2), nt::STATUS_SUCCESS);
  EXPECT_EQ(r.kernel.NtCancelWaitCompletionPacket(p.w, 1), nt::STATUS_SUCCESS);
  BOOLEAN already = kUntouched;
  ASSERT_EQ(r.Associate(p.w, p.port, timer2, 3, &already), nt::STATUS_SUCCESS);
  EXPECT_EQ(already, 0);
  ASSERT_EQ(r.Set(timer2, -10'000), nt::TRUE);
  r.sched.Run();
  EXPECT_EQ(r.QueuedKeys(p.port), std::vector<uintptr>{3});
}

// --- S25: the in-flight window ---

// S25: after the target signals, the packet is in flight until a kernel step
// the scheduler delays; a cancel then returns STATUS_PENDING (with either
// RemoveSignaledPacket) and the packet is still delivered.
TEST(WaitPacketRules, S25_CancelInFlightIsPending) {
  Rig r;
  PacketOnTimer p = WaitingPacket(r, 0x77);  // due at 1 ms
  ASSERT_TRUE(p.ok);
  std::vector<NTSTATUS> st;
  Dequeued got;
  InFlightWindow(r, p.w, p.port, [&] {
    st.push_back(r.kernel.NtCancelWaitCompletionPacket(p.w, 1));
    st.push_back(r.kernel.NtCancelWaitCompletionPacket(p.w, 0));
    EXPECT_EQ(r.StateOf(p.w), State::kInFlight);
    EXPECT_TRUE(r.kernel.PortAt(p.port)->queue.empty());
  }, &got);
  EXPECT_EQ(r.sched.Run().outcome, Outcome::kCompleted);
  EXPECT_EQ(st, (std::vector<NTSTATUS>{nt::STATUS_PENDING, nt::STATUS_PENDING}));
  EXPECT_EQ(got.keys(), std::vector<uintptr>{0x77});
  EXPECT_EQ(r.Grep("wait-satisfied"),
            std::vector<std::string>{"1.000000 kernel wait-satisfied obj=3 key=0x77 ov=0"});
  EXPECT_EQ(r.StateOf(p.w), State::kIdle);
}

// S25: with kernel steps first, the window closes at once: the packet is
// queued before any thread runs.
TEST(WaitPacketRules, S25_KernelFirstClosesTheWindow) {
  Rig r(Config(), testing::KernelFirst());
  PacketOnTimer p = WaitingPacket(r, 1);  // due at 1 ms
  ASSERT_TRUE(p.ok);
  State seen = State::kIdle;
  NTSTATUS st = 0;
  r.sched.Spawn("t", [&] {
    r.kernel.Sleep(1'000'000);
    seen = r.StateOf(p.w);
    st = r.kernel.NtCancelWaitCompletionPacket(p.w, 0);
  });
  r.sched.Run();
  r.sched.Teardown();
  EXPECT_EQ(seen, State::kQueued);
  EXPECT_EQ(st, nt::STATUS_PENDING);  // [S26] queued, not removed
}

// --- S26: cancelling a queued packet ---

// S26: RemoveSignaledPacket TRUE removes the queued packet: STATUS_SUCCESS.
TEST(WaitPacketRules, S26_CancelQueuedRemove) {
  Rig r;
  HANDLE port = r.NewPort();
  HANDLE timer = r.NewTimer(kHighRes | kManual);
  r.Signal(timer);
  HANDLE w = r.NewPacket();
  ASSERT_EQ(r.kernel.PostQueuedCompletionStatus(port, 0, 0x1, 0), nt::TRUE);
  ASSERT_EQ(r.Associate(w, port, timer, 0x2), nt::STATUS_SUCCESS);
  ASSERT_EQ(r.kernel.PostQueuedCompletionStatus(port, 0, 0x3, 0), nt::TRUE);
  ASSERT_EQ(r.QueuedKeys(port), (std::vector<uintptr>{1, 2, 3}));
  EXPECT_EQ(r.kernel.NtCancelWaitCompletionPacket(w, 1), nt::STATUS_SUCCESS);
  EXPECT_EQ(r.QueuedKeys(port), (std::vector<uintptr>{1, 3}));
  EXPECT_EQ(r.StateOf(w), State::kIdle);
  EXPECT_EQ(r.kernel.NtCancelWaitCompletionPacket(w, 1), nt::STATUS_CANCELLED);
  EXPECT_EQ(r.Associate(w, port, timer, 0x4), nt::STATUS_SUCCESS);  // reusable
  EXPECT_EQ(r.QueuedKeys(port), (std::vector<uintptr>{1, 3, 4}));
}

// S26: RemoveSignaledPacket FALSE leaves it queued: STATUS_PENDING.
TEST(WaitPacketRules, S26_CancelQueuedKeep) {
  Rig r;
  PacketOnTimer p = QueuedPacket(r, 0x2);
  ASSERT_TRUE(p.ok);
  EXPECT_EQ(r.kernel.NtCancelWaitCompletionPacket(p.w, 0), nt::STATUS_PENDING);
  EXPECT_EQ(r.kernel.NtCancelWaitCompletionPacket(p.w, 0), nt::STATUS_PENDING);
  EXPECT_EQ(r.StateOf(p.w), State::kQueued);
  EXPECT_EQ(r.QueuedKeys(p.port), std::vector<uintptr>{2});
  Dequeued got = r.Dequeue(p.port, 1);
  ASSERT_EQ(got.ok, nt::TRUE);
  EXPECT_EQ(got.keys(), std::vector<uintptr>{2});
  EXPECT_EQ(r.kernel.NtCancelWaitCompletionPacket(p.w, 0), nt::STATUS_CANCELLED);
}

// --- S27: object lifetimes ---

// S27: closing an armed timer's last handle with no waits disarms it.
TEST(WaitPacketRules, S27_ClosingTimerWithoutWaitsDisarmsIt) {
  Rig r;
  HANDLE timer = r.NewTimer();
  int64_t due = -10'000;
  ASSERT_EQ(r.kernel.SetWaitableTimer(timer, &due, 5, 0, 0, nt::FALSE), nt::TRUE);
  const sim::Timer* t = r.kernel.TimerAt(timer);
  ASSERT_EQ(r.kernel.CloseHandle(timer), nt::TRUE);
  EXPECT_FALSE(t->armed);
  sim::RunResult res = r.sched.Run();
  EXPECT_EQ(res.end_ns, 0);  // nothing left to happen
  EXPECT_TRUE(r.Grep("timer-fired").empty());
}

// S27: a timer whose handle is closed lives on while a wait refers to it:
// it fires and delivers, then is disarmed (it was periodic).
TEST(WaitPacketRules, S27_TimerLivesWhileAWaitRefersToIt) {
  Rig r;
  PacketOnTimer p = WaitingPacket(r, 0x9, -20'000, 5);  // at 2 ms, then every 5 ms
  ASSERT_TRUE(p.ok);
  const sim::Timer* t = r.kernel.TimerAt(p.timer);
  ASSERT_EQ(r.kernel.CloseHandle(p.timer), nt::TRUE);
  EXPECT_TRUE(t->armed);
  sim::RunResult res = r.sched.Run();
  EXPECT_EQ(res.end_ns, 2'000'000);
  EXPECT_EQ(r.QueuedKeys(p.port), std::vector<uintptr>{0x9});
  EXPECT_FALSE(t->armed);  // no handle, no wait left: the period is dropped
  EXPECT_EQ(r.Grep("timer-fired").size(), 1u);
}

// S27: cancelling the last wait on a handle-less timer disarms it too.
TEST(WaitPacketRules, S27_LastWaitGoneDisarmsClosedTimer) {
  Rig r;
  PacketOnTimer p = WaitingPacket(r, 0);
  ASSERT_TRUE(p.ok);
  const sim::Timer* t = r.kernel.TimerAt(p.timer);
  ASSERT_EQ(r.kernel.CloseHandle(p.timer), nt::TRUE);
  ASSERT_TRUE(t->armed);
  EXPECT_EQ(r.kernel.NtCancelWaitCompletionPacket(p.w, 0), nt::STATUS_SUCCESS);
  EXPECT_FALSE(t->armed);
  EXPECT_EQ(r.sched.Run().end_ns, 0);
  EXPECT_TRUE(r.Grep("timer-fired").empty());
}

// S27: closing a waiting packet's last handle cancels its wait; the timer
// still fires (its handle is open) but queues nothing.
TEST(WaitPacketRules, S27_ClosingWaitingPacketCancelsWait) {
  Rig r;
  PacketOnTimer p = WaitingPacket(r, 1);
  ASSERT_TRUE(p.ok);
  ASSERT_EQ(r.kernel.CloseHandle(p.w), nt::TRUE);
  EXPECT_TRUE(r.kernel.TimerAt(p.timer)->waits.empty());
  EXPECT_EQ(r.sched.Run().end_ns, 1'000'000);
  EXPECT_EQ(r.Grep("timer-fired").size(), 1u);
  EXPECT_TRUE(r.Grep("wait-satisfied").empty());
  EXPECT_TRUE(r.kernel.PortAt(p.port)->queue.empty());
  EXPECT_TRUE(r.kernel.TimerAt(p.timer)->signaled);  // nobody consumed it
}

// S27: a queued packet whose handle is closed is still delivered.
TEST(WaitPacketRules, S27_ClosedQueuedPacketStillDelivered) {
  Rig r;
  PacketOnTimer p = QueuedPacket(r, 0x31);
  ASSERT_TRUE(p.ok);
  ASSERT_EQ(r.kernel.CloseHandle(p.w), nt::TRUE);
  Dequeued got = r.Dequeue(p.port, 1);
  ASSERT_EQ(got.ok, nt::TRUE);
  EXPECT_EQ(got.keys(), std::vector<uintptr>{0x31});
}

// S27: a packet in flight whose handle is closed is still delivered.
TEST(WaitPacketRules, S27_ClosedInFlightPacketStillDelivered) {
  Rig r;
  PacketOnTimer p = WaitingPacket(r, 0x32);  // due at 1 ms
  ASSERT_TRUE(p.ok);
  Dequeued got;
  const sim::WaitCompletionPacket* obj = r.kernel.WaitPacketAt(p.w);
  InFlightWindow(r, p.w, p.port, [&] { EXPECT_EQ(r.kernel.CloseHandle(p.w), nt::TRUE); }, &got);
  EXPECT_EQ(r.sched.Run().outcome, Outcome::kCompleted);
  EXPECT_EQ(got.keys(), std::vector<uintptr>{0x32});
  EXPECT_EQ(obj->state, State::kIdle);
}

// --- S28: ntdll without wait completion packets (Wine 8) ---

// S28: the lookups fail and calls return STATUS_PROCEDURE_NOT_FOUND, doing nothing.
TEST(WaitPacketRules, S28_MissingProceduresOnWine8) {
  sim::KernelConfig cfg = Config();
  cfg.SetWaitPacketsAvailable(false);
  Rig r(cfg);
  EXPECT_FALSE(r.kernel.HaveOptionalProc(nt::OptionalProc::kNtCreateWaitCompletionPacket));
  EXPECT_FALSE(r.kernel.HaveOptionalProc(nt::OptionalProc::kNtAssociateWaitCompletionPacket));
  EXPECT_FALSE(r.kernel.HaveOptionalProc(nt::OptionalProc::kNtCancelWaitCompletionPacket));
  HANDLE h = 0x7777;
  EXPECT_EQ(r.kernel.NtCreateWaitCompletionPacket(&h, 0, 0), nt::STATUS_PROCEDURE_NOT_FOUND);
  EXPECT_EQ(h, 0x7777u);
  HANDLE port = r.NewPort();
  HANDLE timer = r.NewTimer();
  r.Signal(timer);
  BOOLEAN already = kUntouched;
  EXPECT_EQ(r.Associate(kBogus, port, timer, 1, &already), nt::STATUS_PROCEDURE_NOT_FOUND);
  EXPECT_EQ(already, kUntouched);
  EXPECT_EQ(r.kernel.NtCancelWaitCompletionPacket(kBogus, 1), nt::STATUS_PROCEDURE_NOT_FOUND);
  EXPECT_EQ(r.kernel.LiveHandles().size(), 2u);
  EXPECT_TRUE(r.kernel.TimerAt(timer)->signaled);
}

// S28: each procedure is looked up on its own.
TEST(WaitPacketRules, S28_EachProcedureLookedUpSeparately) {
  sim::KernelConfig cfg = Config();
  cfg.have_NtAssociateWaitCompletionPacket = false;
  Rig r(cfg);
  EXPECT_TRUE(r.kernel.HaveOptionalProc(nt::OptionalProc::kNtCreateWaitCompletionPacket));
  EXPECT_FALSE(r.kernel.HaveOptionalProc(nt::OptionalProc::kNtAssociateWaitCompletionPacket));
  EXPECT_TRUE(r.kernel.HaveOptionalProc(nt::OptionalProc::kNtCancelWaitCompletionPacket));
  HANDLE w = r.NewPacket();
  EXPECT_EQ(r.Associate(w, r.NewPort(), r.NewTimer()), nt::STATUS_PROCEDURE_NOT_FOUND);
  EXPECT_EQ(r.kernel.NtCancelWaitCompletionPacket(w, 0), nt::STATUS_CANCELLED);
}

// --- S29: not modelled ---

// S29: named timers, security/object attributes and completion routines are refused.
TEST(WaitPacketRules, S29_UnmodelledFeaturesRefused) {
  Rig r;
  EXPECT_EQ(r.kernel.CreateWaitableTimerExW(0, 0x2000, 0, 0), 0u);  // named
  EXPECT_EQ(r.kernel.GetLastError(), nt::ERROR_NOT_SUPPORTED);
  ASSERT_EQ(r.kernel.CloseHandle(kBogus), nt::FALSE);
  EXPECT_EQ(r.kernel.CreateWaitableTimerExW(0x1000, 0, 0, 0), 0u);  // security attributes
  EXPECT_EQ(r.kernel.GetLastError(), nt::ERROR_NOT_SUPPORTED);
  HANDLE h = 0x7777;
  EXPECT_EQ(r.kernel.NtCreateWaitCompletionPacket(&h, 0, 0x3000), nt::STATUS_NOT_SUPPORTED);
  EXPECT_EQ(h, 0x7777u);
  EXPECT_TRUE(r.kernel.LiveHandles().empty());

  HANDLE timer = r.NewTimer();
  ASSERT_EQ(r.Set(timer, -20'000), nt::TRUE);
  int64_t due = -50'000;
  ASSERT_EQ(r.kernel.CloseHandle(kBogus), nt::FALSE);
  EXPECT_EQ(r.kernel.SetWaitableTimer(timer, &due, 0, 0x4000, 0, nt::FALSE), nt::FALSE);
  EXPECT_EQ(r.kernel.GetLastError(), nt::ERROR_NOT_SUPPORTED);
  EXPECT_EQ(r.kernel.TimerAt(timer)->fire_at, 2'000'000);  // unchanged
  EXPECT_TRUE(r.kernel.TimerAt(timer)->armed);
}

}  // namespace
}  // namespace iocpsim
