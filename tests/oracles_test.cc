// The oracles judge what Go's scheduler would see: each fires on the mutant
// meant for it and stays silent on the faithful poller, including on
// schedules that only look like a bug (a completion after the last poll).
#include <algorithm>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <memory>
#include <string>

#include "explore/explorer.h"
#include "gtest/gtest.h"
#include "poller/mutant.h"
#include "poller/variant.h"
#include "sim/workloads/scenario_loader.h"

namespace iocpsim {
namespace {

explore::Target ScenarioTarget(const std::string& text,
                               poller::Mutant m = poller::Mutant::kNone) {
  absl::StatusOr<scenario::Scenario> sc = workloads::ParseScenario("s.textproto", text);
  EXPECT_TRUE(sc.ok()) << sc.status();
  explore::Target t;
  t.workload = "s.textproto";
  t.scenario = std::make_shared<const scenario::Scenario>(*sc);
  t.host.runtime.mutant = m;
  return t;
}

explore::Target FileTarget(const std::string& file, poller::Mutant m = poller::Mutant::kNone) {
  explore::Target t;
  t.workload = file;
  t.host.runtime.mutant = m;
  return t;
}

// The oracles that fired in `n` schedules from seed 1 (RunSchedule, so that
// a scenario given as text needs no file).
std::map<std::string, int> Fired(const explore::Target& t, int n) {
  std::map<std::string, int> fired;
  for (int seed = 1; seed <= n; ++seed) {
    absl::StatusOr<explore::ScheduleOutcome> o = explore::RunSchedule(t, seed, nullptr, nullptr);
    EXPECT_TRUE(o.ok()) << o.status();
    if (o.ok() && o->violation) ++fired[o->violation->oracle];
  }
  return fired;
}

// PCT starves the thread that completes the read until the poller's last
// poll has returned: the completion comes after every poll that could take
// it, which is the scenario's end, not a lost delivery.
TEST(DeliveryOracle, CompletionAfterTheLastPollIsNotLost) {
  explore::Target t = FileTarget("tests/scenarios/foreign_entry.textproto");
  t.strategy = explore::StrategyKind::kPct;
  absl::StatusOr<explore::ScheduleOutcome> o = explore::RunSchedule(t, 15246, nullptr, nullptr);
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_FALSE(o->violation.has_value()) << o->violation->oracle << ": " << o->violation->detail;
  // The same by construction: the read completes after the only poll.
  EXPECT_TRUE(Fired(ScenarioTarget(R"(
    socket { name: "conn" }
    m { name: "a" step { netpoll: 1000000 } }
    event { at_ns: 5000000 complete: "conn" })"), 50).empty());
}

// Per goroutine: the kernel dequeued the read's completion, but netpoll
// readied the writer's slot, so the reader stays parked.
TEST(DeliveryOracle, CatchesAGoroutineLeftParked) {
  for (const char* file : {"tests/scenarios/default.textproto",
                           "tests/scenarios/idle_poller.textproto"}) {
    EXPECT_EQ(Fired(FileTarget(file, poller::Mutant::kModeSwapped), 20)["delivery"], 20) << file;
    EXPECT_TRUE(Fired(FileTarget(file), 100).empty()) << file;
  }
}

// netpoll(-1) that returns at once with nothing is a busy loop as much as
// a sub-millisecond delay waited as 0 ms is.
TEST(BusyWaitOracle, CoversInfiniteWaits) {
  const std::string file = "tests/scenarios/idle_poller.textproto";
  EXPECT_GE(Fired(FileTarget(file, poller::Mutant::kInfiniteZeroWait), 40)["busy-wait"], 20);
  explore::Target pct = FileTarget(file);
  pct.strategy = explore::StrategyKind::kPct;
  EXPECT_TRUE(Fired(FileTarget(file), 200).empty());
  EXPECT_TRUE(Fired(pct, 200).empty());
}

// Virtual time saturates at 2^62 ns: every timer then fires at once, and a
// poller's waits end "early" only because the clock can go no further. That
// is not a busy loop. (Built past the loader, whose limits keep scenarios
// far from the ceiling.)
TEST(BusyWaitOracle, TheClockCeilingIsNotABusyWait) {
  scenario::Scenario sc;
  scenario::MSpec* m = sc.add_m();
  m->set_name("a");
  m->add_step()->set_sleep_ns(INT64_MAX);
  scenario::Step* poll = m->add_step();
  poll->set_netpoll(1'000'000'000'000'000);
  poll->set_repeat(20);
  explore::Target t;
  t.workload = "s.textproto";
  t.scenario = std::make_shared<const scenario::Scenario>(sc);
  const std::map<std::string, int> fired = Fired(t, 5);
  EXPECT_TRUE(fired.empty()) << fired.begin()->first;
}

// A blocking netpoll that re-posts the break it consumed wakes itself (or
// the next poller) for nothing, again and again.
TEST(BusyWaitOracle, CatchesBreakPingPong) {
  EXPECT_GE(Fired(FileTarget("tests/scenarios/default.textproto",
                             poller::Mutant::kBreakPingPong), 40)["busy-wait"], 20);
  explore::Target mixed;
  mixed.host.runtime.mutant = poller::Mutant::kBreakPingPong;
  EXPECT_GE(Fired(mixed, 40)["busy-wait"], 20);
}

// A livelock that runs out the step limit is a violation, never a pass:
// with the busy-wait bound out of reach, the ping-pong meets the limit.
TEST(LivenessOracle, StepLimitIsAViolation) {
  explore::Target t = ScenarioTarget(R"(
    host { preemption: false }  # no time jump past the deadline ends the loop
    m { name: "a" step { poll_until: 1000000000 } }
    event { at_ns: 1000000 netpoll_break: true })", poller::Mutant::kBreakPingPong);
  t.oracles.busy_wait_run = 1 << 30;
  t.host.scheduler.max_steps = 20'000;
  EXPECT_GE(Fired(t, 20)["liveness"], 10);
  t.host.runtime.mutant = poller::Mutant::kNone;
  EXPECT_TRUE(Fired(t, 100).empty());
}

// The same parked goroutine, idle at the end: not a violation when no poll
// was left to take the completion (the scenario's end), as in the test above.
TEST(LivenessOracle, IdleAfterEveryDeliveryPasses) {
  explore::Target t = FileTarget("tests/scenarios/idle_poller.textproto");
  absl::StatusOr<explore::ScheduleOutcome> o = explore::RunSchedule(t, 1, nullptr, nullptr);
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_EQ(o->outcome, "idle");
  EXPECT_FALSE(o->violation.has_value());
}

// A race the scenario scripts but no schedule forces fails the exploration:
// here the M's one short poll_until queues far fewer than 1000 timers (the
// loader cannot tell: poll_until polls as often as it must).
TEST(UnforcedRace, FailsTheExploration) {
  const std::string path = ::testing::TempDir() + "/unforced.textproto";
  std::ofstream(path) << R"(m { name: "a" step { poll_until: 1000 } }
race { cancel_answers { m: "a" nth: 1000 status: CANCELLED } })";
  explore::ExploreOptions o;
  o.schedules = 20;
  o.minimize_budget = 5;
  absl::StatusOr<explore::ExploreReport> r = explore::Explore(FileTarget(path), o);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_TRUE(r->findings.empty());
  ASSERT_EQ(r->unforced_races.size(), 1u);
  EXPECT_EQ(r->unforced_races[0], "cancel answers STATUS_CANCELLED on a #1000");
  // The bundled scenario forces its race: nothing to report.
  r = explore::Explore(FileTarget("tests/scenarios/cancel_cancelled.textproto"), o);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_TRUE(r->unforced_races.empty());
}

// On a host where Go uses no wait packets a race on them cannot happen: it
// is said so, and neither forced nor failed.
TEST(UnforcedRace, ARaceOnWaitPacketsDoesNotApplyWithoutThem) {
  explore::ExploreOptions o;
  o.schedules = 20;
  o.minimize_budget = 5;
  for (const char* host : {"wine8", "windows-pre1803"}) {
    explore::Target t = FileTarget("tests/scenarios/cancel_cancelled.textproto");
    t.host_flags.profile = host;
    absl::StatusOr<explore::ExploreReport> r = explore::Explore(t, o);
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_TRUE(r->findings.empty()) << host;
    EXPECT_TRUE(r->unforced_races.empty()) << host;
    EXPECT_EQ(r->inapplicable_races,
              (std::set<std::string>{"cancel answers STATUS_CANCELLED on poller #2"}))
        << host;
  }
}

// Go's netpollWakeSig lets one break packet into the port at a time. An I/O
// entry that falls through to the break case resets it with a break still
// queued, and the next netpollBreak posts a second one.
TEST(BreakCoalescingOracle, CatchesASecondBreakQueued) {
  const std::string file = "tests/scenarios/gomaxprocs_large.textproto";
  EXPECT_GE(Fired(FileTarget(file, poller::Mutant::kReadyFallsThrough), 60)["break-coalescing"], 10);
  EXPECT_TRUE(Fired(FileTarget(file), 200).empty());
}

// One poll takes a's completion, returning its reader, and b's, whose
// socket closed in between (netpollunblock finds pdNil): counting b's
// pollDesc off netpollWaiters too leaves the count one short of the
// goroutines parked, though netpoll returned a goroutine (so empty-with-delta
// cannot see it).
TEST(WaitersCountOracle, CatchesADeltaForNobody) {
  const char* text = R"(
    socket { name: "a" }
    socket { name: "b" }
    m { name: "poller" step { sleep_ns: 3000000 } step { netpoll: 0 } }
    m { name: "app" step { sleep_ns: 1000000 label: "x" } step { close_socket: "b" } }
    event { at_ns: 1000000 complete: "a" }
    event { after: "x" complete: "b" })";
  // (In the schedules where b closes before its read completes, nothing is dequeued for it.)
  EXPECT_GE(Fired(ScenarioTarget(text, poller::Mutant::kWaitersDrift), 40)["waiters-count"], 5);
  EXPECT_TRUE(Fired(ScenarioTarget(text), 100).empty());
}

// STATUS_PENDING excuses a fallback poll only in the documented race (the
// timer packet in flight). Asking not to remove a queued packet gets
// STATUS_PENDING for it too, which is the poller's mistake, not the race.
TEST(RaceAttributionOracle, PendingOutsideTheRaceIsAViolation) {
  const std::string file = "tests/scenarios/short_timers.textproto";
  EXPECT_GE(Fired(FileTarget(file, poller::Mutant::kCancelKeepsQueued), 20)["race-attribution"], 10);
  EXPECT_TRUE(Fired(FileTarget(file), 200).empty());
  // The scripted race forces STATUS_PENDING with the packet in flight: no violation.
  EXPECT_TRUE(Fired(FileTarget("tests/scenarios/cancel_pending.textproto"), 200).empty());
}

// netpoll(0) is findRunnable's and the spinning Ms' non-blocking poll.
TEST(NonblockingOracle, CatchesAZeroDelayPollThatWaits) {
  const std::string file = "tests/scenarios/default.textproto";
  EXPECT_EQ(Fired(FileTarget(file, poller::Mutant::kZeroPollWaits), 20)["nonblocking"], 20);
}

// The goroutines follow poll_runtime_pollWait: netpoll readied a reader,
// so netpollblock must resume it ready; one resumed not ready parks again
// and its completion is lost. The lazy readers, whose I/O completes while
// they run, and a failed association stay clean on the faithful poller.
TEST(GoroutineOracle, CatchesAWakeReportedNotReady) {
  const std::string file = "tests/scenarios/default.textproto";
  EXPECT_EQ(Fired(FileTarget(file, poller::Mutant::kResumeNotReady), 20)["goroutine"], 20);
  for (const char* clean : {"tests/scenarios/lazy_readers.textproto",
                            "tests/scenarios/fault_open.textproto",
                            "tests/scenarios/writers.textproto"}) {
    EXPECT_TRUE(Fired(FileTarget(clean), 200).empty()) << clean;
  }
}

// Readiness netpoll left in the pollDesc while the goroutine ran must reach
// it: a netpollblock that consumes it and reports not ready parks the
// goroutine for ever, though no completion is lost in the kernel.
TEST(LivenessOracle, CatchesReadinessLostWhileTheGoroutineRan) {
  const std::string file = "tests/scenarios/lazy_readers.textproto";
  EXPECT_GE(Fired(FileTarget(file, poller::Mutant::kReadinessSwallowed), 40)["liveness"], 10);
  EXPECT_TRUE(Fired(FileTarget(file), 200).empty());
}

// Every M gets usleep's high-resolution timer where the host has them, and
// netpoll's timer and wait packet where it also has wait packets; the
// version before cf52e709 gets no wait packet, and a host without
// high-resolution timers none of them.
TEST(MResourcesOracle, CatchesAnMWithoutItsUsleepTimer) {
  const std::string file = "tests/scenarios/default.textproto";
  EXPECT_EQ(Fired(FileTarget(file, poller::Mutant::kNoUsleepTimer), 20)["m-resources"], 20);
  for (const char* host : {"windows", "windows-pre1803", "wine8"}) {
    for (poller::Variant v : {poller::Variant::kHighRes, poller::Variant::kLowRes}) {
      explore::Target t = FileTarget(file);
      t.host_flags.profile = host;
      t.host.runtime.variant = v;
      EXPECT_TRUE(Fired(t, 50).empty()) << host << " " << poller::VariantName(v);
    }
  }
}

// Every netpoll timeout the mutant arms is a wake timer; the faithful
// poller arms none, and on windows-pre1803 (no high-resolution timer, so
// Go never uses the wait packet) the mutant's timer is never set.
TEST(WakeTimerOracle, CatchesTimersSetWithResume) {
  const std::string file = "tests/scenarios/default.textproto";
  EXPECT_EQ(Fired(FileTarget(file, poller::Mutant::kWakeTimer), 20)["wake-timer"], 20);
  explore::Target old_host = FileTarget(file, poller::Mutant::kWakeTimer);
  old_host.host_flags.profile = "windows-pre1803";
  EXPECT_EQ(Fired(old_host, 20).count("wake-timer"), 0u);
  EXPECT_EQ(Fired(FileTarget(file), 20).count("wake-timer"), 0u);
}

// Without a wait packet netpoll waits in GetQueuedCompletionStatusEx alone:
// it must return when the kernel ends Go's wait for the delay (at least
// 1 ms) on the host's ticks, not a tick or a millisecond later.
TEST(LateReturnOracle, HoldsTheFallbackToTheKernelsEndOfGosWait) {
  for (const char* host : {"windows-pre1803", "wine8"}) {
    explore::Target late = FileTarget("tests/scenarios/default.textproto",
                                      poller::Mutant::kSubmsTwoMs);
    late.host_flags.profile = host;
    EXPECT_GE(Fired(late, 20)["late-return"], 10) << host;
    explore::Target faithful = FileTarget("tests/scenarios/default.textproto");
    faithful.host_flags.profile = host;
    EXPECT_TRUE(Fired(faithful, 100).empty()) << host;
  }
}

// A fault the poller must not survive: the expected fatal error that never
// comes, or another one, is a violation (an error path swallowed or misread).
TEST(FatalOracle, ExpectedFatalErrorsAreChecked) {
  const char* base = R"(
    m { name: "a" step { poll_until: 2000000 repeat: 2 } }
    fault { call: "SetWaitableTimer" nth: 1 error: 6 }
  )";
  EXPECT_TRUE(Fired(ScenarioTarget(std::string(base) +
                                   R"(expect { fatal_contains: "netpoll failed" })"), 20)
                  .empty());
  EXPECT_EQ(Fired(ScenarioTarget(std::string(base) +
                                 R"(expect { fatal_contains: "netpollinit" })"), 20)["fatal"], 20);
  // CloseHandle's result is ignored by Go: nothing throws.
  EXPECT_EQ(Fired(ScenarioTarget(R"(
    m { name: "a" step { poll_until: 2000000 } }
    fault { call: "CloseHandle" nth: 2 error: 6 }
    expect { fatal: true })"), 20)["fatal"], 20);
}

// The reports list every oracle (a JUnit test case each): the list must
// name exactly those oracles.cc can fire.
TEST(Oracles, NamesListEveryOracleFired) {
  std::ifstream in("explore/oracles.cc");
  ASSERT_TRUE(in) << "explore/oracles.cc is not in the runfiles";
  const std::string src((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::set<std::string> fired;
  const std::string call = "Violate(\"";
  for (size_t at = src.find(call); at != std::string::npos; at = src.find(call, at + 1)) {
    const size_t begin = at + call.size();
    fired.insert(src.substr(begin, src.find('"', begin) - begin));
  }
  const std::vector<std::string>& names = explore::OracleNames();
  EXPECT_EQ(std::set<std::string>(names.begin(), names.end()), fired);
  EXPECT_TRUE(std::is_sorted(names.begin(), names.end()));
}

}  // namespace
}  // namespace iocpsim
