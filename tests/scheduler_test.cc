// Scheduling points and virtual time (sim/SEMANTICS.md S31, S32), the
// Scheduler itself, and sim::Fiber.
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "poller/nt_api.h"
#include "poller/nt_types.h"
#include "sim/fiber.h"
#include "sim/kernel.h"
#include "sim/scheduler.h"
#include "tests/kernel_rig.h"
#include "tests/sim_fixture.h"

namespace iocpsim {
namespace {

using nt::HANDLE;
using nt::OverlappedEntry;
using nt::ULONG;
using sim::Choice;
using Outcome = sim::RunResult::Outcome;

using testing::kBogus;
using testing::Options;
using testing::Rig;

// Picks the listed threads in order at each decision (0 once the script is
// spent, or if the scripted thread is not an option).
std::unique_ptr<sim::Strategy> Script(std::vector<int> threads) {
  auto pos = std::make_shared<size_t>(0);
  return std::make_unique<testing::FunctionStrategy>(
      [threads = std::move(threads), pos](absl::Span<const Choice> o) {
        if (*pos >= threads.size()) return size_t{0};
        const int want = threads[(*pos)++];
        for (size_t i = 0; i < o.size(); ++i) {
          if (o[i].kind == Choice::Kind::kThread && o[i].thread == want) return i;
        }
        return size_t{0};
      });
}

// --- S31: scheduling points ---

// S31: the scheduling point comes before the call acts: T1 enters
// PostQueuedCompletionStatus first, but T2's dequeue runs while T1 is parked
// at the point, and finds the port empty.
TEST(SchedulingRules, S31_SchedulingPointBeforeTheCallActs) {
  std::vector<size_t> queue_at_decision;
  Rig* rig = nullptr;
  HANDLE port = 0;
  auto strategy = std::make_unique<testing::FunctionStrategy>(
      [&, script = std::vector<int>{1, 2, 2}, pos = size_t{0}](
          absl::Span<const Choice> o) mutable {
        queue_at_decision.push_back(rig->kernel.PortAt(port)->queue.size());
        int want = pos < script.size() ? script[pos++] : 0;
        for (size_t i = 0; i < o.size(); ++i) {
          if (o[i].kind == Choice::Kind::kThread && o[i].thread == want) return i;
        }
        return size_t{0};
      });
  Rig r(std::move(strategy));
  rig = &r;
  port = r.NewPort();
  nt::BOOL got = nt::TRUE;
  nt::DWORD err = 0;
  r.sched.Spawn("poster", [&] { r.kernel.PostQueuedCompletionStatus(port, 0, 1, 0); });
  r.sched.Spawn("reader", [&] {
    OverlappedEntry e[1];
    ULONG n = 0;
    got = r.kernel.GetQueuedCompletionStatusEx(port, e, 1, &n, 0, nt::FALSE);
    err = r.kernel.GetLastError();
  });
  sim::RunResult res = r.sched.Run();
  EXPECT_EQ(res.outcome, Outcome::kCompleted);
  EXPECT_EQ(got, nt::FALSE);
  EXPECT_EQ(err, nt::WAIT_TIMEOUT);
  // Decisions: T1 to its point; T2 to its point; T2's call (port still empty).
  EXPECT_EQ(queue_at_decision, (std::vector<size_t>{0, 0, 0}));
  EXPECT_EQ(res.decisions, 3);
  EXPECT_EQ(res.steps, 4);  // the last step (T1's post) had no alternative
  EXPECT_EQ(r.kernel.PortAt(port)->queue.size(), 1u);
}

// S31: each kernel call is one scheduling point; GetLastError and
// HaveOptionalProc are not.
TEST(SchedulingRules, S31_GetLastErrorAndProcLookupAreNotSchedulingPoints) {
  Rig r;
  HANDLE port = r.NewPort();
  const uint64_t calls_before = r.kernel.calls();
  r.sched.Spawn("t", [&] {
    r.kernel.CloseHandle(kBogus);
    for (int i = 0; i < 5; ++i) r.kernel.GetLastError();
    for (int i = 0; i < 3; ++i) {
      r.kernel.HaveOptionalProc(nt::OptionalProc::kNtCreateWaitCompletionPacket);
    }
    r.kernel.PostQueuedCompletionStatus(port, 0, 1, 0);
    OverlappedEntry e[1];
    ULONG n = 0;
    r.kernel.GetQueuedCompletionStatusEx(port, e, 1, &n, 0, nt::FALSE);
  });
  sim::RunResult res = r.sched.Run();
  EXPECT_EQ(res.outcome, Outcome::kCompleted);
  EXPECT_EQ(res.steps, 4);  // start + 3 kernel calls
  EXPECT_EQ(r.kernel.calls() - calls_before, 3u);
}

// S31: two threads alternate at every kernel call when the strategy says so.
TEST(SchedulingRules, S31_ThreadsInterleaveAtEveryKernelCall) {
  Rig r(Script({1, 2, 1, 2, 1, 2, 1, 2}));
  HANDLE port = r.NewPort();
  for (int id = 1; id <= 2; ++id) {
    r.sched.Spawn("t", [&, id] {
      for (int i = 0; i < 3; ++i) r.kernel.PostQueuedCompletionStatus(port, 0, 10 * id + i, 0);
    });
  }
  EXPECT_EQ(r.sched.Run().outcome, Outcome::kCompleted);
  EXPECT_EQ(r.QueuedKeys(port), (std::vector<nt::uintptr>{10, 20, 11, 21, 12, 22}));
}

// --- S32: virtual time ---

// S32: kernel calls take no virtual time.
TEST(SchedulingRules, S32_KernelCallsTakeNoTime) {
  Rig r;
  HANDLE port = r.NewPort();
  std::vector<int64_t> seen;
  r.sched.Spawn("busy", [&] {
    for (int i = 0; i < 100; ++i) {
      r.kernel.PostQueuedCompletionStatus(port, 0, i, 0);
      OverlappedEntry e[1];
      ULONG n = 0;
      r.kernel.GetQueuedCompletionStatusEx(port, e, 1, &n, 0, nt::FALSE);
    }
    seen.push_back(r.kernel.now());
  });
  sim::RunResult res = r.sched.Run();
  EXPECT_EQ(res.steps, 201);
  EXPECT_EQ(res.end_ns, 0);
  EXPECT_EQ(seen, std::vector<int64_t>{0});
}

// S32: time stands still while any thread can run, then jumps exactly to
// each next timed event.
TEST(SchedulingRules, S32_TimeJumpsToNextEventWhenNoThreadCanRun) {
  Rig r;
  HANDLE port = r.NewPort();
  std::vector<int64_t> woke, busy;
  r.sched.Spawn("s7", [&] {
    r.kernel.Sleep(7'000'001);
    woke.push_back(r.kernel.now());
  });
  r.sched.Spawn("s3", [&] {
    r.kernel.Sleep(3'000'000);
    woke.push_back(r.kernel.now());
  });
  r.sched.Spawn("busy", [&] {
    for (int i = 0; i < 50; ++i) {
      r.kernel.PostQueuedCompletionStatus(port, 0, i, 0);
      busy.push_back(r.kernel.now());
    }
  });
  sim::RunResult res = r.sched.Run();
  EXPECT_EQ(res.outcome, Outcome::kCompleted);
  EXPECT_EQ(res.end_ns, 7'000'001);
  EXPECT_EQ(woke, (std::vector<int64_t>{3'000'000, 7'000'001}));
  EXPECT_EQ(busy, std::vector<int64_t>(50, 0));
  EXPECT_EQ(r.Grep("time-advanced"), (std::vector<std::string>{"3.000000 kernel time-advanced",
                                                               "7.000001 kernel time-advanced"}));
}

// S32: with preemption on, the scheduler may jump time while a thread is
// still runnable; the running thread then sees the later time.
TEST(SchedulingRules, S32_PreemptionJumpsTimeEarly) {
  sim::SchedulerOptions opts = Options();
  opts.preemption = true;
  int posts = 0;
  bool advanced = false;
  auto strategy = std::make_unique<testing::FunctionStrategy>([&](absl::Span<const Choice> o) {
    if (!advanced && posts >= 1 && o.back().kind == Choice::Kind::kAdvance) {
      advanced = true;
      return o.size() - 1;
    }
    return size_t{0};
  });
  Rig r(std::move(strategy), opts);
  HANDLE port = r.NewPort();
  int64_t sleeper_woke = -1;
  std::vector<int64_t> seen;
  r.sched.Spawn("sleeper", [&] {
    r.kernel.Sleep(5'000'000);
    sleeper_woke = r.kernel.now();
  });
  r.sched.Spawn("busy", [&] {
    for (int i = 0; i < 3; ++i) {
      r.kernel.PostQueuedCompletionStatus(port, 0, i, 0);
      ++posts;
      seen.push_back(r.kernel.now());
    }
  });
  sim::RunResult res = r.sched.Run();
  EXPECT_EQ(res.outcome, Outcome::kCompleted);
  EXPECT_TRUE(advanced);
  EXPECT_EQ(seen, (std::vector<int64_t>{0, 5'000'000, 5'000'000}));
  EXPECT_EQ(sleeper_woke, 5'000'000);
}

// S32: without preemption, kAdvance is never offered while a thread can run.
TEST(SchedulingRules, S32_NoAdvanceOptionWithoutPreemption) {
  bool saw_advance = false;
  auto strategy = std::make_unique<testing::FunctionStrategy>([&](absl::Span<const Choice> o) {
    for (const Choice& c : o) saw_advance |= c.kind == Choice::Kind::kAdvance;
    return size_t{0};
  });
  Rig r(std::move(strategy));
  HANDLE port = r.NewPort();
  r.sched.Spawn("sleeper", [&] { r.kernel.Sleep(5'000'000); });
  r.sched.Spawn("busy", [&] {
    for (int i = 0; i < 3; ++i) r.kernel.PostQueuedCompletionStatus(port, 0, i, 0);
  });
  sim::RunResult res = r.sched.Run();
  EXPECT_GT(res.decisions, 0);
  EXPECT_FALSE(saw_advance);
  EXPECT_EQ(res.end_ns, 5'000'000);
}

// --- The Scheduler ---

// Ids count from 1 in spawn order; ThreadsFirst runs them lowest id first,
// another strategy in another order.
TEST(Scheduler, SpawnOrder) {
  for (bool reverse : {false, true}) {
    SCOPED_TRACE(reverse);
    auto strategy = reverse ? std::make_unique<testing::FunctionStrategy>(
                                  [](absl::Span<const Choice> o) { return o.size() - 1; })
                            : testing::ThreadsFirst();
    Rig r(std::move(strategy));
    HANDLE port = r.NewPort();
    std::vector<int> started;
    for (const char* name : {"a", "b", "c"}) {
      int id = r.sched.Spawn(name, [&, name] {
        started.push_back(name[0] - 'a' + 1);
        r.kernel.PostQueuedCompletionStatus(port, 0, 0, 0);
      });
      EXPECT_EQ(r.sched.thread(id).name, name);
    }
    EXPECT_EQ(r.sched.thread_count(), 3u);
    EXPECT_EQ(r.sched.thread(1).name, "a");
    EXPECT_EQ(r.sched.thread(3).id, 3);
    EXPECT_FALSE(r.sched.thread(1).started);
    sim::RunResult res = r.sched.Run();
    EXPECT_EQ(res.outcome, Outcome::kCompleted);
    EXPECT_TRUE(res.blocked.empty());
    EXPECT_EQ(started, reverse ? (std::vector<int>{3, 2, 1}) : (std::vector<int>{1, 2, 3}));
    for (int id = 1; id <= 3; ++id) {
      EXPECT_EQ(r.sched.thread(id).state, sim::SimThread::State::kFinished);
    }
  }
}

// Block parks a thread until another thread's Wake, which bumps its
// wait_generation; Wake of a runnable thread does nothing.
TEST(Scheduler, BlockAndWake) {
  Rig r;
  std::vector<std::string> trace;
  uint64_t gen_before = 0, gen_after = 0;
  sim::SimThread::State state_while_blocked = sim::SimThread::State::kRunnable;
  r.sched.Spawn("sleeper", [&] {
    trace.push_back("1a");
    EXPECT_EQ(r.sched.current(), &r.sched.thread(1));
    r.sched.Block();
    trace.push_back("1b");
  });
  r.sched.Spawn("waker", [&] {
    sim::SimThread& t1 = r.sched.thread(1);
    state_while_blocked = t1.state;
    gen_before = t1.wait_generation;
    r.sched.Wake(t1);
    gen_after = t1.wait_generation;
    r.sched.Wake(t1);  // already runnable: no effect
    EXPECT_EQ(t1.wait_generation, gen_after);
    trace.push_back("2");
  });
  EXPECT_EQ(r.sched.current(), nullptr);
  sim::RunResult res = r.sched.Run();
  EXPECT_EQ(res.outcome, Outcome::kCompleted);
  EXPECT_EQ(trace, (std::vector<std::string>{"1a", "2", "1b"}));
  EXPECT_EQ(state_while_blocked, sim::SimThread::State::kBlocked);
  EXPECT_EQ(gen_after, gen_before + 1);
  EXPECT_EQ(res.steps, 3);
}

// Stop ends the run at the stopping thread's next scheduling point; the
// first reason wins; other threads never run.
TEST(Scheduler, StopEndsTheRun) {
  Rig r;
  HANDLE port = r.NewPort();
  bool before = false, after = false, other_ran = false;
  r.sched.Spawn("fatal", [&] {
    before = true;
    r.sched.Stop("fatal error: boom");
    r.sched.Stop("second reason");
    r.kernel.PostQueuedCompletionStatus(port, 0, 1, 0);  // the point where the run ends
    after = true;
  });
  r.sched.Spawn("other", [&] { other_ran = true; });
  sim::RunResult res = r.sched.Run();
  EXPECT_EQ(res.outcome, Outcome::kStopped);
  EXPECT_EQ(res.stop_reason, "fatal error: boom");
  EXPECT_EQ(res.steps, 1);
  EXPECT_TRUE(before);
  EXPECT_FALSE(after);
  EXPECT_FALSE(other_ran);
  EXPECT_TRUE(r.kernel.PortAt(port)->queue.empty());  // the post never acted
  r.sched.Teardown();
  EXPECT_FALSE(after);
  EXPECT_EQ(r.sched.thread(1).state, sim::SimThread::State::kFinished);
}

// kIdle: threads remain blocked with nothing left that could wake them.
TEST(Scheduler, IdleWhenBlockedThreadsCannotBeWoken) {
  Rig r;
  HANDLE port = r.NewPort();
  r.sched.Spawn("done", [&] { r.kernel.Sleep(2'000'000); });
  r.sched.Spawn("stuck", [&] {
    OverlappedEntry e[1];
    ULONG n = 0;
    r.kernel.GetQueuedCompletionStatusEx(port, e, 1, &n, nt::INFINITE, nt::FALSE);
  });
  sim::RunResult res = r.sched.Run();
  EXPECT_EQ(res.outcome, Outcome::kIdle);
  EXPECT_EQ(res.blocked, std::vector<int>{2});
  EXPECT_EQ(res.end_ns, 2'000'000);
  EXPECT_EQ(r.sched.thread(2).state, sim::SimThread::State::kBlocked);
}

// kStepLimit: max_steps scheduling points pass, then the run ends.
TEST(Scheduler, StepLimit) {
  sim::SchedulerOptions opts = Options();
  opts.max_steps = 5;
  Rig r(testing::ThreadsFirst(), opts);
  HANDLE port = r.NewPort();
  int calls = 0;
  r.sched.Spawn("spinner", [&] {
    for (;;) {
      r.kernel.PostQueuedCompletionStatus(port, 0, 0, 0);
      ++calls;
    }
  });
  sim::RunResult res = r.sched.Run();
  EXPECT_EQ(res.outcome, Outcome::kStepLimit);
  EXPECT_EQ(res.steps, 5);
  EXPECT_EQ(calls, 4);  // step 1 reaches the first call; steps 2-5 complete one each
  EXPECT_EQ(r.kernel.PortAt(port)->queue.size(), 4u);
  r.sched.Teardown();  // unwinds the endless loop
  EXPECT_EQ(r.sched.thread(1).state, sim::SimThread::State::kFinished);
  EXPECT_EQ(calls, 4);
}

// Teardown unwinds a blocked thread's stack: destructors run, the code after
// the blocking call does not.
TEST(Scheduler, TeardownUnwindsBlockedThread) {
  struct Guard {
    bool* flag;
    ~Guard() { *flag = true; }
  };
  Rig r;
  HANDLE port = r.NewPort();
  bool destroyed = false, returned = false;
  r.sched.Spawn("blocked", [&] {
    Guard g{&destroyed};
    OverlappedEntry e[1];
    ULONG n = 0;
    r.kernel.GetQueuedCompletionStatusEx(port, e, 1, &n, nt::INFINITE, nt::FALSE);
    returned = true;
  });
  r.sched.Spawn("never", [&] { r.kernel.Sleep(1); });
  ASSERT_EQ(r.sched.Run().outcome, Outcome::kIdle);
  EXPECT_FALSE(destroyed);
  r.sched.Teardown();
  EXPECT_TRUE(destroyed);
  EXPECT_FALSE(returned);
  EXPECT_EQ(r.sched.thread(1).state, sim::SimThread::State::kFinished);
  EXPECT_EQ(r.sched.current(), nullptr);
  r.sched.Teardown();  // a second teardown has nothing to do
}

// --- sim::Fiber ---

// Resume runs the fiber to its next Suspend; control ping-pongs.
TEST(Fiber, ResumeSuspendPingPong) {
  std::vector<int> trace;
  std::unique_ptr<sim::Fiber> f;
  f = std::make_unique<sim::Fiber>([&] {
    for (int i = 0; i < 3; ++i) {
      trace.push_back(10 + i);
      f->Suspend();
    }
    trace.push_back(99);
  });
  for (int i = 0; i < 4; ++i) {
    EXPECT_FALSE(f->finished());
    trace.push_back(i);
    f->Resume();
  }
  EXPECT_TRUE(f->finished());
  EXPECT_EQ(trace, (std::vector<int>{0, 10, 1, 11, 2, 12, 3, 99}));
}

// Many fibers, each with its own stack, interleaved round-robin: locals
// survive every switch.
TEST(Fiber, ManyFibers) {
  constexpr int kFibers = 200;
  constexpr int kRounds = 5;
  std::vector<std::unique_ptr<sim::Fiber>> fibers;
  std::vector<int> trace;
  std::vector<int64_t> sums(kFibers, 0);
  for (int id = 0; id < kFibers; ++id) {
    fibers.push_back(std::make_unique<sim::Fiber>(
        [&, id] {
          volatile int64_t local[64];  // some stack per fiber
          for (int j = 0; j < 64; ++j) local[j] = id * 1000 + j;
          for (int round = 0; round < kRounds; ++round) {
            trace.push_back(id);
            fibers[id]->Suspend();
            for (int j = 0; j < 64; ++j) {
              if (local[j] != id * 1000 + j) sums[id] = -1;
            }
            if (sums[id] >= 0) sums[id] += local[round];
          }
        },
        64 * 1024));
  }
  for (int round = 0; round <= kRounds; ++round) {
    for (auto& f : fibers) f->Resume();
  }
  std::vector<int> want;
  for (int round = 0; round < kRounds; ++round) {
    for (int id = 0; id < kFibers; ++id) want.push_back(id);
  }
  EXPECT_EQ(trace, want);
  for (int id = 0; id < kFibers; ++id) {
    EXPECT_TRUE(fibers[id]->finished());
    EXPECT_EQ(sums[id], 5 * id * 1000 + (0 + 1 + 2 + 3 + 4)) << id;
  }
}

// A body that never suspends finishes in its first Resume; a fiber never
// resumed can be destroyed.
TEST(Fiber, BodyThatFinishes) {
  int value = 0;
  sim::Fiber f([&] { value = 42; });
  EXPECT_FALSE(f.finished());
  EXPECT_EQ(value, 0);  // the body runs only on Resume
  f.Resume();
  EXPECT_TRUE(f.finished());
  EXPECT_EQ(value, 42);
  sim::Fiber unused([&] { value = -1; });
  EXPECT_FALSE(unused.finished());
}

}  // namespace
}  // namespace iocpsim
