// What the simulated kernel notes a step touched (sim/footprint.h), which
// the systematic search's sleep sets trust to let two steps commute: every
// object a call or a kernel step reaches, directly or through another
// object, and the shared counters it moves.
#include <cstdint>
#include <initializer_list>

#include "gtest/gtest.h"
#include "poller/nt_types.h"
#include "sim/footprint.h"
#include "tests/kernel_rig.h"

namespace iocpsim {
namespace {

using sim::Footprint;
using testing::Rig;

TEST(Footprint, DisjointKeysCommuteAndOverflowTouchesEverything) {
  Footprint a, b;
  a.Touch(1);
  a.Touch(1);
  EXPECT_EQ(a.keys().size(), 1u);
  b.Touch(2);
  EXPECT_FALSE(a.Conflicts(b));
  b.Touch(1);
  EXPECT_TRUE(a.Conflicts(b));
  Footprint big;
  for (uint64_t k = 0; k <= Footprint::kMaxKeys; ++k) big.Touch(100 + k);
  EXPECT_TRUE(big.all());
  EXPECT_TRUE(big.Conflicts(Footprint()));
  EXPECT_TRUE(Footprint().Conflicts(big));
}

Footprint Of(std::initializer_list<uint64_t> keys) {
  Footprint f;
  for (uint64_t k : keys) f.Touch(k);
  return f;
}

// Objects 1, 2 and 3: a port, a timer and a wait packet.
struct Objects {
  nt::HANDLE port, timer, w;
};

Objects Make(Rig& r) {
  return {r.NewPort(), r.NewTimer(), r.NewPacket()};
}

TEST(Footprint, AssociatingTouchesThePacketItsPortAndItsTarget) {
  Rig r;
  Objects o = Make(r);
  Footprint f;
  r.kernel.SetFootprint(&f);
  ASSERT_EQ(r.Associate(o.w, o.port, o.timer), nt::STATUS_SUCCESS);
  for (uint64_t id : {1, 2, 3}) EXPECT_TRUE(f.Conflicts(Of({id}))) << "object " << id;
}

TEST(Footprint, AFiringTimerReachesItsWaitPacketsAndTheReadyQueue) {
  Rig r;
  Objects o = Make(r);
  ASSERT_EQ(r.Associate(o.w, o.port, o.timer), nt::STATUS_SUCCESS);
  Footprint f;
  r.kernel.SetFootprint(&f);
  // Already due: the timer signals at once and the packet goes in flight.
  ASSERT_EQ(r.Set(o.timer, r.At(0)), nt::TRUE);
  for (uint64_t k : {uint64_t{2}, uint64_t{3}, Footprint::kReady}) {
    EXPECT_TRUE(f.Conflicts(Of({k}))) << "key " << k;
  }
  // The delivery, a kernel step, reaches the packet and the port, not the
  // timer: it commutes with setting another timer.
  f.Clear();
  ASSERT_TRUE(r.kernel.HasReadyWork());
  r.kernel.RunReadyWork();
  EXPECT_FALSE(f.Conflicts(Of({2})));
  EXPECT_TRUE(f.Conflicts(Of({1})));
  EXPECT_TRUE(f.Conflicts(Of({3})));
  const nt::HANDLE other = r.NewTimer();  // object 4
  Footprint set;
  r.kernel.SetFootprint(&set);
  ASSERT_EQ(r.Set(other, -10'000), nt::TRUE);
  EXPECT_FALSE(set.Conflicts(f));
  EXPECT_TRUE(set.Conflicts(Of({Footprint::kSeq})));  // it schedules a timed event
}

TEST(Footprint, CancellingAQueuedPacketReachesItsPort) {
  Rig r;
  Objects o = Make(r);
  ASSERT_EQ(r.Set(o.timer, r.At(0)), nt::TRUE);
  ASSERT_EQ(r.Associate(o.w, o.port, o.timer), nt::STATUS_SUCCESS);  // queued at once
  Footprint f;
  r.kernel.SetFootprint(&f);
  // Only the wait packet's handle is passed; its port is reached through it.
  ASSERT_EQ(r.kernel.NtCancelWaitCompletionPacket(o.w, 1), nt::STATUS_SUCCESS);
  EXPECT_TRUE(f.Conflicts(Of({1})));
}

TEST(Footprint, ClosingAHandleTouchesEverything) {
  Rig r;
  Objects o = Make(r);
  Footprint f;
  r.kernel.SetFootprint(&f);
  ASSERT_EQ(r.kernel.CloseHandle(o.timer), nt::TRUE);
  EXPECT_TRUE(f.all());
}

// [S36] While a port limits how many of its threads run, whether the
// kernel can hand a packet over depends on every thread: each thread step
// then touches everything. Without such a port it touches what it reaches.
TEST(Footprint, ALimitedPortMakesEveryThreadStepTouchEverything) {
  for (nt::DWORD concurrency : {testing::kAnyThreads, nt::DWORD{1}}) {
    Rig r;
    const nt::HANDLE port = r.kernel.CreateIoCompletionPort(~nt::HANDLE{0}, 0, 0, concurrency);
    Footprint f;
    r.kernel.SetFootprint(&f);
    r.sched.Spawn("opener", [&r] { r.kernel.CreateFile(); });
    r.sched.Run();
    EXPECT_EQ(f.all(), concurrency == 1) << "concurrency " << concurrency;
    r.kernel.SetFootprint(nullptr);
    (void)port;
  }
}

TEST(Footprint, WithoutASinkNothingIsNoted) {
  Rig r;
  Footprint f;
  r.kernel.SetFootprint(&f);
  r.kernel.SetFootprint(nullptr);
  Make(r);
  EXPECT_TRUE(f.keys().empty());
  EXPECT_FALSE(f.all());
}

}  // namespace
}  // namespace iocpsim
