// Exploration catches every poller mutant with the oracle meant for it, the
// faithful poller passes, and results do not depend on jobs or shards.
#include <cstdio>
#include <fstream>
#include <string>

#include "explore/explorer.h"
#include "explore/schedule_file.h"
#include "gtest/gtest.h"
#include "poller/mutant.h"
#include "traces/reader.h"
#include "traces/replayer.h"

namespace iocpsim {
namespace {

explore::Target Mixed(poller::Mutant m = poller::Mutant::kNone) {
  explore::Target t;
  t.host.runtime.mutant = m;
  return t;
}

explore::ExploreOptions Schedules(int64_t n, int jobs = 2) {
  explore::ExploreOptions o;
  o.schedules = n;
  o.jobs = jobs;
  o.minimize_budget = 60;
  return o;
}

TEST(Explore, FaithfulPollerPassesRandomAndPct) {
  absl::StatusOr<explore::ExploreReport> r = explore::Explore(Mixed(), Schedules(400));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->runs, 400);
  EXPECT_TRUE(r->findings.empty()) << r->findings.begin()->second.violation.detail;
  explore::Target pct = Mixed();
  pct.strategy = explore::StrategyKind::kPct;
  r = explore::Explore(pct, Schedules(200));
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->findings.empty()) << r->findings.begin()->second.violation.detail;
}

struct Expected {
  const char* mutant;
  const char* oracle;
};

class MutantCaught : public ::testing::TestWithParam<Expected> {};

TEST_P(MutantCaught, ByItsOracle) {
  std::optional<poller::Mutant> m = poller::ParseMutant(GetParam().mutant);
  ASSERT_TRUE(m.has_value());
  absl::StatusOr<explore::ExploreReport> r = explore::Explore(Mixed(*m), Schedules(500));
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->findings.count(GetParam().oracle), 1u) << GetParam().mutant;
  const explore::Finding& f = r->findings.at(GetParam().oracle);
  EXPECT_LE(f.minimized_decisions, f.decisions);
  // The minimized schedule still violates the same oracle.
  absl::StatusOr<explore::ScheduleOutcome> first =
      explore::RunSchedule(Mixed(*m), f.seed, nullptr, nullptr);
  ASSERT_TRUE(first.ok());
  std::vector<uint32_t> min = explore::Minimize(Mixed(*m), f.seed, first->picks,
                                                GetParam().oracle, 60);
  absl::StatusOr<explore::ScheduleOutcome> again =
      explore::RunSchedule(Mixed(*m), f.seed, &min, nullptr);
  ASSERT_TRUE(again.ok());
  ASSERT_TRUE(again->violation.has_value());
  EXPECT_EQ(again->violation->oracle, GetParam().oracle);
}

INSTANTIATE_TEST_SUITE_P(
    AllMutants, MutantCaught,
    ::testing::Values(Expected{"no-break-forward", "lost-wakeup"},
                      Expected{"wakesig-never-reset", "wakesig-stuck"},
                      Expected{"pending-fatal", "fatal"},
                      Expected{"foreign-deref", "fatal"},
                      Expected{"cancelled-no-rearm", "late-return"},
                      Expected{"subms-zero-wait", "busy-wait"},
                      Expected{"mode-swapped", "delivery"},
                      Expected{"break-ping-pong", "busy-wait"}),
    [](const ::testing::TestParamInfo<Expected>& i) {
      std::string n = i.param.mutant;
      for (char& c : n) c = c == '-' ? '_' : c;
      return n;
    });

// A scenario file is read once (issue 9): removed or rewritten while the
// exploration runs, it changes nothing.
TEST(Explore, ReadsAScenarioFileOnce) {
  const std::string path = ::testing::TempDir() + "/once.textproto";
  std::ofstream(path) << "m { name: \"a\" step { poll_until: 1000000 } }\n";
  explore::Target t;
  t.workload = path;
  explore::ExploreOptions o;
  o.schedules = 3'000;
  o.jobs = 1;
  o.progress = [&](int64_t done, int64_t, int64_t) {
    if (done >= 1'000) std::remove(path.c_str());
  };
  absl::StatusOr<explore::ExploreReport> r = explore::Explore(t, o);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->runs, 3'000);
}

TEST(Explore, EveryMutantIsListed) {
  // Every enumerator after kNone, in order, each found again by its name.
  ASSERT_EQ(poller::Mutants().size(), 21u);
  for (size_t i = 0; i < poller::Mutants().size(); ++i) {
    const poller::MutantInfo& m = poller::Mutants()[i];
    EXPECT_EQ(static_cast<size_t>(m.mutant), i + 1) << m.name;
    EXPECT_EQ(poller::ParseMutant(m.name), m.mutant) << m.name;
  }
}

TEST(Explore, ResultsDoNotDependOnJobs) {
  const explore::Target t = Mixed(poller::Mutant::kPendingFatal);
  absl::StatusOr<explore::ExploreReport> one = explore::Explore(t, Schedules(120, 1));
  absl::StatusOr<explore::ExploreReport> two = explore::Explore(t, Schedules(120, 2));
  ASSERT_TRUE(one.ok() && two.ok());
  ASSERT_EQ(one->findings.count("fatal"), 1u);
  ASSERT_EQ(two->findings.count("fatal"), 1u);
  EXPECT_EQ(one->hits, two->hits);
  EXPECT_EQ(one->outcomes, two->outcomes);
  ASSERT_EQ(one->findings.size(), two->findings.size());
  EXPECT_EQ(one->findings.at("fatal").seed, two->findings.at("fatal").seed);
  EXPECT_EQ(one->findings.at("fatal").runs_hitting, two->findings.at("fatal").runs_hitting);
}

TEST(Explore, ShardsSplitTheSchedules) {
  int64_t runs = 0, fatal = 0;
  for (int shard = 0; shard < 3; ++shard) {
    explore::ExploreOptions o = Schedules(100);
    o.shard_index = shard;
    o.shard_count = 3;
    absl::StatusOr<explore::ExploreReport> r =
        explore::Explore(Mixed(poller::Mutant::kPendingFatal), o);
    ASSERT_TRUE(r.ok());
    runs += r->runs;
    if (r->findings.count("fatal")) fatal += r->findings.at("fatal").runs_hitting;
  }
  absl::StatusOr<explore::ExploreReport> all =
      explore::Explore(Mixed(poller::Mutant::kPendingFatal), Schedules(100));
  EXPECT_EQ(runs, 100);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->findings.count("fatal"), 1u);
  EXPECT_EQ(fatal, all->findings.at("fatal").runs_hitting);
}

TEST(Explore, FindingTracesReplayAndReproduce) {
  const std::string dir = ::testing::TempDir();
  explore::ExploreOptions o = Schedules(200);
  o.out_dir = dir;
  absl::StatusOr<explore::ExploreReport> r =
      explore::Explore(Mixed(poller::Mutant::kSubmsZeroWait), o);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->findings.count("busy-wait"), 1u);
  const explore::Finding& f = r->findings.at("busy-wait");
  for (const std::string& path : {f.trace_path, f.minimized_path}) {
    absl::StatusOr<traces::Trace> t = traces::LoadTrace(path);
    ASSERT_TRUE(t.ok()) << t.status();
    EXPECT_EQ(t->header.poller_variant(), "subms-zero-wait");
    absl::StatusOr<traces::ReplayReport> rep = traces::ReplayInSimulator(*t, {});
    ASSERT_TRUE(rep.ok()) << rep.status();
    EXPECT_EQ(rep->divergences, 0) << path;
  }
  // The schedule file holds the minimized decisions, and they reproduce the
  // violation: no seed draws them, so `run --schedule` needs the file.
  EXPECT_TRUE(f.minimized_reproduces);
  absl::StatusOr<std::vector<uint32_t>> picks = explore::LoadSchedule(f.schedule_path);
  ASSERT_TRUE(picks.ok()) << picks.status();
  EXPECT_EQ(*picks, f.minimized_picks);
  absl::StatusOr<explore::ScheduleOutcome> again =
      explore::RunSchedule(Mixed(poller::Mutant::kSubmsZeroWait), f.seed, &*picks, nullptr);
  ASSERT_TRUE(again.ok());
  ASSERT_TRUE(again->violation.has_value());
  EXPECT_EQ(again->violation->oracle, "busy-wait");
}

}  // namespace
}  // namespace iocpsim
