// The scenario language: malformed files are reported by file, line and
// field; every bundled scenario runs clean on the faithful poller with its
// races forced; the corpus catches every mutant; scenario traces replay.
#include <algorithm>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "explore/explorer.h"
#include "google/protobuf/text_format.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "poller/branches.h"
#include "poller/mutant.h"
#include "sim/host_profiles.h"
#include "sim/workloads/scenario_host.h"
#include "sim/workloads/scenario_loader.h"
#include "tests/corpus.h"
#include "traces/format.h"
#include "traces/reader.h"
#include "traces/replayer.h"
#include "traces/writer.h"

namespace iocpsim {
namespace {

using ::testing::HasSubstr;

const std::vector<std::string>& Corpus() { return testing::ScenarioCorpus(); }

std::string ErrorOf(const std::string& text) {
  absl::StatusOr<scenario::Scenario> s = workloads::ParseScenario("s.textproto", text);
  EXPECT_FALSE(s.ok()) << text;
  return std::string(s.status().message());
}

TEST(ScenarioLoader, SyntaxErrorsNameFileLineAndColumn) {
  EXPECT_EQ(ErrorOf("m { name: \"a\"\n  step { netpol: 5 } }\n"),
            "s.textproto:2:16: Message type \"iocpsim.scenario.Step\" has no field named "
            "\"netpol\".");
  EXPECT_THAT(ErrorOf("m { name: \"a\" step { netpoll: \"x\" } }"), HasSubstr("s.textproto:1:"));
}

TEST(ScenarioLoader, MeaningErrorsNameFileLineAndField) {
  EXPECT_EQ(ErrorOf("m { name: \"a\" step { netpoll: 1 } }\n\nrace { cancel_answers { m: \"b\" } }"),
            "s.textproto:3: race[0].cancel_answers.m: no m is named \"b\"");
  EXPECT_EQ(ErrorOf("m { name: \"a\" step { netpoll: 1 } }\nevent {\n  at_ns: 5\n  complete: \"x\"\n}"),
            "s.textproto:4: event[0].complete: no socket is named \"x\"");
  EXPECT_EQ(ErrorOf("m { name: \"a\" step { netpoll: 1 } }\nevent { at_ns: 5 apc: \"b\" }"),
            "s.textproto:2: event[0].apc: no m is named \"b\"");
  EXPECT_EQ(ErrorOf("m { name: \"a\"\n step { poll_until: -1 } }"),
            "s.textproto:2: m[0].step[0].poll_until: must be in (0, 1e15]");
  EXPECT_THAT(ErrorOf("m { name: \"a\" }\nm { name: \"a\" }"),
              HasSubstr("s.textproto:2: m[1]: needs a name of its own"));
  EXPECT_THAT(ErrorOf("m { name: \"a\" step { } }"), HasSubstr("m[0].step[0]: says nothing"));
  EXPECT_THAT(ErrorOf("m { name: \"a\" step { netpoll: 1 } }\nevent { after: \"nope\" netpoll_break: true }"),
              HasSubstr("s.textproto:2: event[0].after: no step is labelled \"nope\""));
  EXPECT_THAT(ErrorOf("host { tick_ms: 0 }\nm { name: \"a\" }"), HasSubstr("host.tick_ms: must be between 0.001 and 1e6"));
  EXPECT_THAT(ErrorOf("host { timer_latency_ms: -0.5 }\nm { name: \"a\" }"),
              HasSubstr("host.timer_latency_ms: must be between 0 and 1000"));
  EXPECT_THAT(ErrorOf("host { timer_latency_ms: 1001 }\nm { name: \"a\" }"),
              HasSubstr("host.timer_latency_ms: must be between 0 and 1000"));
  EXPECT_THAT(ErrorOf("m { name: \"a\"\n step { close_socket: \"s\" } }"),
              HasSubstr("s.textproto:2: m[0].step[0].close_socket: no socket is named \"s\""));
  EXPECT_THAT(ErrorOf(""), HasSubstr("at least one m"));
  // A misuse names a socket, a writer for the write mode, and needs the
  // throw expected.
  const std::string expect = "expect { fatal_contains: \"double wait\" }\n";
  EXPECT_THAT(ErrorOf(expect + "m { name: \"a\"\n step { misuse { socket: \"s\" } } }"),
              HasSubstr("s.textproto:3: m[0].step[0].misuse.socket: no socket is named \"s\""));
  EXPECT_THAT(ErrorOf(expect + "socket { name: \"s\" }\nm { name: \"a\"\n"
                      " step { misuse { socket: \"s\" write: true } } }"),
              HasSubstr("m[0].step[0].misuse.write: socket \"s\" has no writer"));
  EXPECT_THAT(ErrorOf("socket { name: \"s\" }\nm { name: \"a\"\n"
                      " step { misuse { socket: \"s\" } } }"),
              HasSubstr("m[0].step[0].misuse: a misuse makes the runtime throw; the scenario "
                        "must expect it"));
  EXPECT_THAT(ErrorOf(expect + "socket { name: \"s\" }\nm { name: \"a\"\n"
                      " step { misuse { kind: 7 socket: \"s\" } } }"),
              HasSubstr("m[0].step[0].misuse.kind: 7 is not a kind of misuse"));
  EXPECT_THAT(ErrorOf("m { name: \"a\" }\nm { name: \"b\" }\n"
                      "race { timer_packet_taken { owner: \"a\" taker: \"a\" } }"),
              HasSubstr("s.textproto:3: race[0].timer_packet_taken: owner and taker are the same m"));
}

TEST(ScenarioLoader, UnknownHostProfileListsTheValidOnes) {
  EXPECT_EQ(ErrorOf("m { name: \"a\" }\nhost {\n  profile: \"wine9\"\n}"),
            "s.textproto:3: host.profile: unknown host \"wine9\" (hosts: windows, "
            "windows-pre1803, wine8)");
}

TEST(ScenarioLoader, MissingFileIsNamed) {
  absl::StatusOr<scenario::Scenario> s = workloads::LoadScenario("/nonexistent/s.textproto");
  EXPECT_THAT(std::string(s.status().message()), HasSubstr("/nonexistent/s.textproto"));
}

// --- The host: the scenario's profile and settings, then the command line's ---

// The host one schedule of `text` ran on, with `flags` as the command line's.
sim::KernelConfig HostOf(const std::string& text, const sim::HostSpec& flags = {}) {
  absl::StatusOr<scenario::Scenario> sc = workloads::ParseScenario("s.textproto", text);
  EXPECT_TRUE(sc.ok()) << sc.status();
  explore::Target t;
  t.workload = "s.textproto";
  t.scenario = std::make_shared<const scenario::Scenario>(*sc);
  t.host_flags = flags;
  absl::StatusOr<explore::ScheduleOutcome> o = explore::RunSchedule(t, 1, nullptr, nullptr);
  EXPECT_TRUE(o.ok()) << o.status();
  return o.ok() ? o->host : sim::KernelConfig{};
}

sim::KernelConfig Profile(const std::string& name) { return *sim::HostProfileConfig(name); }

constexpr char kOneM[] = "m { name: \"a\" step { netpoll: 0 } }\n";

TEST(ScenarioHost, ProfileThenItsSettings) {
  EXPECT_TRUE(HostOf(kOneM) == Profile("windows"));
  EXPECT_TRUE(HostOf(absl::StrCat(kOneM, "host { profile: \"wine8\" }")) == Profile("wine8"));
  EXPECT_TRUE(HostOf(absl::StrCat(kOneM, "host { profile: \"windows-pre1803\" }")) ==
              Profile("windows-pre1803"));
  // Settings change the profile's, whichever order the file writes them in.
  sim::KernelConfig want = Profile("wine8");
  want.tick_ns = 2'000'000;
  want.SetWaitPacketsAvailable(true);
  EXPECT_TRUE(
      HostOf(absl::StrCat(kOneM, "host { tick_ms: 2 wait_packets: true profile: \"wine8\" }")) ==
      want);
}

// The command line's single flags change the scenario's host; its --host
// replaces the scenario's profile and settings alike.
TEST(ScenarioHost, CommandLineOverridesTheScenario) {
  const std::string wine_3ms = absl::StrCat(kOneM, "host { profile: \"wine8\" tick_ms: 3 }");
  sim::HostSpec tick;
  tick.tick_ns = 1'500'000;
  sim::KernelConfig want = Profile("wine8");
  want.tick_ns = 1'500'000;
  EXPECT_TRUE(HostOf(wine_3ms, tick) == want);

  sim::HostSpec host;
  host.profile = "windows";
  EXPECT_TRUE(HostOf(wine_3ms, host) == Profile("windows"));
  host.high_res_timers = false;
  want = Profile("windows");
  want.high_resolution_timers = false;
  EXPECT_TRUE(HostOf(wine_3ms, host) == want);

  sim::HostSpec unknown;
  unknown.profile = "beos";
  explore::Target t;
  t.workload = "tests/scenarios/default.textproto";
  t.host_flags = unknown;
  absl::StatusOr<explore::ScheduleOutcome> o = explore::RunSchedule(t, 1, nullptr, nullptr);
  EXPECT_THAT(std::string(o.status().message()), HasSubstr("unknown host \"beos\""));
}

// A scenario written with the command line's host runs as the flags did, so
// that a minimized scenario reproduces a finding on its own.
TEST(ScenarioHost, CommandLineHostWrittenIntoAScenario) {
  absl::StatusOr<scenario::Scenario> sc = workloads::ParseScenario(
      "s.textproto",
      absl::StrCat(kOneM, "host { profile: \"wine8\" tick_ms: 3 preemption: false }"));
  ASSERT_TRUE(sc.ok()) << sc.status();
  sim::HostSpec flags;
  flags.profile = "windows-pre1803";
  flags.timer_resolution_ns = 250'000;
  flags.timer_latency_ns = 50'000;
  scenario::Scenario written = *sc;
  workloads::LayHostSpec(flags, &written);
  EXPECT_EQ(written.host().profile(), "windows-pre1803");
  EXPECT_FALSE(written.host().has_tick_ms());
  EXPECT_EQ(written.host().timer_resolution_ms(), 0.25);
  EXPECT_EQ(written.host().timer_latency_ms(), 0.05);
  EXPECT_FALSE(written.host().preemption());  // the scheduler's, not the host's
  std::string text;
  ASSERT_TRUE(google::protobuf::TextFormat::PrintToString(written, &text));
  EXPECT_TRUE(HostOf(text) == HostOf(absl::StrCat(kOneM, "host { profile: \"wine8\" }"), flags));

  scenario::Scenario untouched = *sc;
  workloads::LayHostSpec(sim::HostSpec{}, &untouched);
  EXPECT_EQ(untouched.SerializeAsString(), sc->SerializeAsString());
}

explore::ExploreOptions Schedules(int64_t n) {
  explore::ExploreOptions o;
  o.schedules = n;
  o.jobs = 2;
  o.minimize_budget = 40;
  return o;
}

TEST(ScenarioCorpus, FaithfulPollerPassesWithEveryRaceForced) {
  for (const std::string& file : Corpus()) {
    explore::Target t;
    t.workload = file;
    absl::StatusOr<explore::ExploreReport> r = explore::Explore(t, Schedules(60));
    ASSERT_TRUE(r.ok()) << file << ": " << r.status();
    EXPECT_TRUE(r->findings.empty())
        << file << ": " << r->findings.begin()->first << ": "
        << r->findings.begin()->second.violation.detail;
    for (const auto& [race, runs] : r->race_runs) {
      EXPECT_GE(runs, 25) << file << ": race \"" << race << "\" forced in only " << runs
                          << " of 60 schedules";
    }
  }
}

TEST(ScenarioCorpus, IsFound) { ASSERT_GE(Corpus().size(), 25u); }

// The corpus reaches every branch of netpoll, netpollQueueTimer,
// netpollBreak, minit and mdestroy, but those Go never takes, each with its
// reason (poller::BranchUnreachable).
TEST(ScenarioCorpus, ReachesEveryBranch) {
  std::vector<int64_t> reached(poller::kBranchCount, 0);
  for (const std::string& file : Corpus()) {
    explore::Target t;
    t.workload = file;
    absl::StatusOr<explore::ExploreReport> r = explore::Explore(t, Schedules(20));
    ASSERT_TRUE(r.ok()) << file << ": " << r.status();
    for (int b = 0; b < poller::kBranchCount; ++b) reached[b] += r->runs_reaching[b];
  }
  for (int b = 0; b < poller::kBranchCount; ++b) {
    const auto branch = static_cast<poller::Branch>(b);
    EXPECT_EQ(reached[b] == 0, !poller::BranchUnreachable(branch).empty())
        << poller::BranchName(branch) << " reached in " << reached[b] << " runs";
  }
}

TEST(ScenarioCorpus, CatchesEveryMutantWithItsOracle) {
  const std::map<std::string, std::string> expected = {
      {"no-break-forward", "lost-wakeup"}, {"wakesig-never-reset", "wakesig-stuck"},
      {"pending-fatal", "fatal"},          {"foreign-deref", "fatal"},
      {"cancelled-no-rearm", "late-return"}, {"subms-zero-wait", "busy-wait"},
      {"mode-swapped", "delivery"},        {"infinite-zero-wait", "busy-wait"},
      {"break-ping-pong", "busy-wait"},    {"ready-falls-through", "break-coalescing"},
      {"waiters-drift", "empty-with-delta"}, {"cancel-keeps-queued", "race-attribution"},
      {"zero-poll-waits", "nonblocking"},  {"resume-not-ready", "goroutine"},
      {"readiness-swallowed", "liveness"}, {"no-usleep-timer", "m-resources"},
      {"subms-two-ms", "late-return"},    {"park-while-closing", "goroutine"},
      {"double-wait-at-nil", "goroutine"}, {"port-concurrency-zero", "port-concurrency"},
      {"wake-timer", "wake-timer"}};
  for (const poller::MutantInfo& m : poller::Mutants()) {
    ASSERT_EQ(expected.count(m.name), 1u) << m.name;
    std::set<std::string> oracles;
    for (const std::string& file : Corpus()) {
      if (oracles.count(expected.at(m.name))) break;  // caught: the rest adds nothing
      explore::Target t;
      t.workload = file;
      t.host.runtime.mutant = m.mutant;
      absl::StatusOr<explore::ExploreReport> r = explore::Explore(t, Schedules(40));
      ASSERT_TRUE(r.ok()) << file << ": " << r.status();
      for (const auto& [oracle, f] : r->findings) oracles.insert(oracle);
    }
    EXPECT_EQ(oracles.count(expected.at(m.name)), 1u)
        << "mutant " << m.name << " was not caught by " << expected.at(m.name);
  }
}

TEST(ScenarioCorpus, FindingsOfAFatalRunReplay) {
  // A fatal error stops the run with other threads blocked mid-call; their
  // calls are in the trace from their start, so both traces replay exactly.
  explore::Target t;
  t.workload = "tests/scenarios/default.textproto";
  t.host.runtime.mutant = poller::Mutant::kPendingFatal;
  explore::ExploreOptions o = Schedules(10);
  o.out_dir = ::testing::TempDir();
  absl::StatusOr<explore::ExploreReport> r = explore::Explore(t, o);
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->findings.count("fatal"), 1u);
  const explore::Finding& f = r->findings.at("fatal");
  EXPECT_FALSE(f.minimized_scenario_path.empty());
  EXPECT_TRUE(workloads::LoadScenario(f.minimized_scenario_path).ok());
  for (const std::string& path : {f.trace_path, f.minimized_path}) {
    absl::StatusOr<traces::Trace> trace = traces::LoadTrace(path);
    ASSERT_TRUE(trace.ok()) << trace.status();
    bool has_fatal = false;
    for (const trace::Event& e : trace->events) has_fatal |= e.has_fatal();
    EXPECT_TRUE(has_fatal) << path << " does not show the violation";
    absl::StatusOr<traces::ReplayReport> rep = traces::ReplayInSimulator(*trace, {});
    ASSERT_TRUE(rep.ok()) << rep.status();
    EXPECT_EQ(rep->divergences, 0) << path << ": " << (rep->shown.empty() ? "" : rep->shown[0].got);
  }
}

TEST(ScenarioCorpus, ScenarioTracesReplayByteForByte) {
  for (const std::string& file : Corpus()) {
    explore::Target t;
    t.workload = file;
    traces::StringSink sink;
    absl::StatusOr<explore::ScheduleOutcome> o = explore::RunSchedule(t, 7, nullptr, &sink);
    ASSERT_TRUE(o.ok()) << file << ": " << o.status();
    traces::TraceReader reader(file, sink.data());
    traces::Trace trace;
    trace.header = *reader.ReadHeader();
    trace::Event e;
    while (*reader.Next(&e)) trace.events.push_back(e);
    absl::StatusOr<traces::ReplayReport> r = traces::ReplayInSimulator(trace, {});
    ASSERT_TRUE(r.ok()) << file << ": " << r.status();
    EXPECT_EQ(r->divergences, 0) << file << ": " << (r->shown.empty() ? "" : r->shown[0].got);
    EXPECT_EQ(r->rerecorded, sink.data()) << file;
  }
}

// With gopark_switch each park is a Gopark call of its M (format 6), and a
// replay issues it again: the same switch points, byte for byte. Without
// it there is none, and the trace is what older versions wrote.
TEST(ScenarioCorpus, GoparkSwitchesAreRecordedAndReplayed) {
  for (const auto& [file, switches] :
       std::vector<std::pair<std::string, bool>>{{"tests/scenarios/gopark_window.textproto", true},
                                                 {"tests/scenarios/default.textproto", false}}) {
    explore::Target t;
    t.workload = file;
    traces::StringSink sink;
    ASSERT_TRUE(explore::RunSchedule(t, 3, nullptr, &sink).ok()) << file;
    absl::StatusOr<traces::Trace> trace = traces::ParseTrace(file, sink.data());
    ASSERT_TRUE(trace.ok()) << trace.status();
    int parks = 0;
    for (const trace::Event& e : trace->events) {
      parks += e.has_call() && e.call().function() == trace::Function::GOPARK;
      if (e.has_call() && e.call().function() == trace::Function::GOPARK) {
        EXPECT_GT(e.thread(), 0) << file;  // an M's, never set-up's
      }
    }
    EXPECT_EQ(parks > 0, switches) << file;
    EXPECT_EQ(trace->header.format_version() == traces::kGoparkFormatVersion, switches) << file;
    absl::StatusOr<traces::ReplayReport> r = traces::ReplayInSimulator(*trace, {});
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_EQ(r->rerecorded, sink.data()) << file;
  }
}

// A scenario's apc events are QueueUserApc calls to the M's thread (format
// 7), and a replay issues them again, byte for byte. Go's waits are not
// alertable: no wait ends for them.
TEST(ScenarioCorpus, ApcsAreRecordedAndReplayed) {
  explore::Target t;
  t.workload = "tests/scenarios/foreign_apc.textproto";
  traces::StringSink sink;
  ASSERT_TRUE(explore::RunSchedule(t, 3, nullptr, &sink).ok());
  absl::StatusOr<traces::Trace> trace = traces::ParseTrace(t.workload, sink.data());
  ASSERT_TRUE(trace.ok()) << trace.status();
  EXPECT_EQ(trace->header.format_version(), traces::kApcFormatVersion);
  std::vector<uint64_t> targets;
  for (const trace::Event& e : trace->events) {
    if (e.has_call() && e.call().function() == trace::Function::QUEUE_USER_APC) {
      targets.push_back(e.call().args(0).raw());
      EXPECT_EQ(e.call().result().raw(), 1u);
    }
    EXPECT_FALSE(e.has_kernel() && e.kernel().kind() == trace::KernelEvent::WAIT_ALERTED);
  }
  std::sort(targets.begin(), targets.end());
  EXPECT_EQ(targets, (std::vector<uint64_t>{1, 1, 2}));  // the poller twice, the spinner
  absl::StatusOr<traces::ReplayReport> r = traces::ReplayInSimulator(*trace, {});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->rerecorded, sink.data());
}

}  // namespace
}  // namespace iocpsim
