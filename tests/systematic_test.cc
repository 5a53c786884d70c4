// The systematic search (explore/systematic.h): preemptions counted as
// explore/dfs.h defines them, every schedule within the bound run exactly
// once, resumed sessions adding up to one whole search, and every scripted
// race reached without being forced.
#include <cstdio>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "explore/checkpoint.h"
#include "explore/dfs.h"
#include "explore/explorer.h"
#include "explore/merge.h"
#include "gtest/gtest.h"
#include "tests/same_campaign.h"
#include "tests/search_fixture.h"

namespace iocpsim {
namespace {

using testing::Options;
using testing::Search;
using testing::TempPath;

using explore::DfsNode;
using explore::NextOption;

TEST(DfsNode, StayingIsFreeAndSwitchingAwayOrJumpingTimeCostsOne) {
  DfsNode n;
  n.options = 3;
  n.stay = 1;
  n.advance = 2;
  EXPECT_EQ(n.Order(), (std::vector<uint32_t>{1, 0, 2}));
  EXPECT_FALSE(n.Preempts(1));
  EXPECT_TRUE(n.Preempts(0));
  EXPECT_TRUE(n.Preempts(2));
  n.picked = 1;
  EXPECT_EQ(NextOption(n, 1), 0);
  EXPECT_EQ(NextOption(n, 0), -1);  // no preemption to spend
  n.picked = 0;
  EXPECT_EQ(NextOption(n, 1), 2);
  n.picked = 2;
  EXPECT_EQ(NextOption(n, 5), -1);  // the last option
  n.picked = 1;
  n.preemptions = 1;
  EXPECT_EQ(NextOption(n, 1), -1);  // spent before this decision
}

TEST(DfsNode, WhenThePreviousActorCannotRunEveryThreadIsFree) {
  DfsNode n;
  n.options = 3;
  n.advance = 2;
  EXPECT_FALSE(n.Preempts(0));
  EXPECT_FALSE(n.Preempts(1));
  EXPECT_TRUE(n.Preempts(2));
  EXPECT_EQ(NextOption(n, 0), 1);
}

// The decisions of every schedule of a search, run by hand as it does.
std::vector<std::vector<uint32_t>> AllSchedules(const explore::Target& t) {
  std::vector<std::vector<uint32_t>> all;
  std::vector<uint32_t> next;
  for (;;) {
    explore::DfsStrategy dfs(next);
    absl::StatusOr<explore::ScheduleOutcome> o = explore::RunScheduleWith(t, 1, dfs);
    EXPECT_TRUE(o.ok());
    std::vector<uint32_t> picks;
    for (const DfsNode& n : dfs.nodes()) picks.push_back(n.picked);
    all.push_back(picks);
    int64_t i = static_cast<int64_t>(dfs.nodes().size()) - 1;
    while (i >= 0 && NextOption(dfs.nodes()[i], t.preemption_bound) < 0) --i;
    if (i < 0) return all;
    next.assign(picks.begin(), picks.begin() + i);
    next.push_back(static_cast<uint32_t>(NextOption(dfs.nodes()[i], t.preemption_bound)));
  }
}

TEST(Systematic, RunsEveryScheduleWithinTheBoundOnce) {
  int64_t before = 0;
  for (int bound : {0, 1, 2}) {
    const explore::Target t = Search("timer_before_associate", bound);
    absl::StatusOr<explore::ExploreReport> r = explore::Explore(t, Options());
    ASSERT_TRUE(r.ok()) << r.status();
    ASSERT_TRUE(r->systematic.has_value());
    EXPECT_TRUE(r->systematic->complete);
    EXPECT_EQ(r->systematic->schedules, r->runs);
    EXPECT_TRUE(r->findings.empty());
    // A larger bound admits more schedules, each distinct.
    EXPECT_GT(r->runs, before) << "bound " << bound;
    before = r->runs;
    const std::vector<std::vector<uint32_t>> all = AllSchedules(t);
    EXPECT_EQ(static_cast<int64_t>(all.size()), r->runs);
    EXPECT_EQ(std::set<std::vector<uint32_t>>(all.begin(), all.end()).size(), all.size());
  }
}

TEST(Systematic, StopsAtTheScheduleLimitIncomplete) {
  absl::StatusOr<explore::ExploreReport> r =
      explore::Explore(Search("cancel_cancelled", 2), Options(50));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->runs, 50);
  EXPECT_FALSE(r->systematic->complete);
}

TEST(Systematic, ResumedSessionsAreOneWholeSearch) {
  const explore::Target t = Search("cancel_cancelled", 1);
  absl::StatusOr<explore::ExploreReport> whole = explore::Explore(t, Options());
  ASSERT_TRUE(whole.ok());
  const std::string cp = TempPath("resume.checkpoint");
  std::remove(cp.c_str());
  std::vector<explore::ExploreReport> sessions;
  std::string first_checkpoint;
  for (int i = 0; i < 100; ++i) {
    explore::ExploreOptions o = Options(300);
    o.checkpoint = cp;
    absl::StatusOr<explore::ExploreReport> r = explore::Explore(t, o);
    ASSERT_TRUE(r.ok()) << r.status();
    if (i == 0) {
      std::ifstream in(cp);
      std::stringstream text;
      text << in.rdbuf();
      first_checkpoint = text.str();
    }
    sessions.push_back(*r);
    if (r->systematic->complete) break;
  }
  ASSERT_EQ(sessions.size(), 3u);  // 828 schedules, 300 a session
  EXPECT_EQ(sessions.back().systematic->schedules, whole->runs);
  testing::ExpectSameCampaign(*whole, explore::MergeShards(sessions));
  // The checkpoint is deterministic text that parses back to itself.
  absl::StatusOr<explore::Checkpoint> c = explore::ParseCheckpoint("cp", first_checkpoint);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(explore::CheckpointText(*c), first_checkpoint);
  EXPECT_EQ(c->schedules, 300);
  EXPECT_FALSE(c->complete);
  // A finished search resumed runs nothing more.
  explore::ExploreOptions o = Options();
  o.checkpoint = cp;
  absl::StatusOr<explore::ExploreReport> again = explore::Explore(t, o);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->runs, 0);
  EXPECT_TRUE(again->systematic->complete);
  // Another search's checkpoint (another bound) is refused.
  absl::StatusOr<explore::ExploreReport> other = explore::Explore(Search("cancel_cancelled", 2), o);
  ASSERT_FALSE(other.ok());
  EXPECT_NE(other.status().message().find("a checkpoint of another search"), std::string::npos);
}

TEST(Checkpoint, DamagedFilesAreRefusedWithTheirLine) {
  const std::string head =
      "campaign x\ncomplete 0\nclass 0\nindex 0\nschedules 0\ndiscovery 0\nnext_length 2\nnext \n";
  for (const std::string& bad : {head + "sleep_sets 1\ncut -\nsleeper 2 T1 whole 5\n",  // past the frontier
                                 head + "sleep_sets 1\ncut -\nsleeper 0 X1 whole 5\n",  // no such actor
                                 head + "sleep_sets 1\ncut -\nsleeper 0 T1 maybe 5\n",  // no such rule
                                 head + "sleep_sets 1\ncut -\nsleeper 0 kernel whole 5,x\n",
                                 head + "sleep_sets 1\ncut 7\n",
                                 head + "sleeper 0 T1 whole 5\n",  // no sleep_sets line
                                 head + "pruned -1\n"}) {
    absl::StatusOr<explore::Checkpoint> c = explore::ParseCheckpoint("f", bad);
    EXPECT_FALSE(c.ok()) << bad;
    EXPECT_EQ(c.status().message().substr(0, 2), "f:") << c.status();
  }
  absl::StatusOr<explore::Checkpoint> good =
      explore::ParseCheckpoint("f", head + "sleep_sets 1\ncut 1\nsleeper 1 T2 bounded 5,1099511627778\n");
  ASSERT_TRUE(good.ok()) << good.status();
  ASSERT_EQ(good->explored.size(), 2u);
  ASSERT_EQ(good->explored[1].size(), 1u);
  EXPECT_EQ(good->explored[1][0].actor, (sim::Choice{sim::Choice::Kind::kThread, 2}));
  EXPECT_TRUE(good->explored[1][0].bounded);
  EXPECT_EQ(good->cut, (std::vector<bool>{false, true}));
  for (const char* text : {"", "campaign x\ncomplete 2\nclass 0\nindex 0\nschedules 0\ndiscovery 0\n"
                               "next_length 0\nnext \n",
                           "campaign x\ncomplete 0\nclass 0\nindex 0\nschedules 0\ndiscovery 0\n"
                           "next_length 1\nnext 3:1\n"}) {
    absl::StatusOr<explore::Checkpoint> c = explore::ParseCheckpoint("f", text);
    EXPECT_FALSE(c.ok()) << text;
    EXPECT_EQ(c.status().message().substr(0, 2), "f:") << c.status();
  }
}

// Issue 10, item 3: without the race director, the search reaches every
// scripted race of the race scenarios on its own.
TEST(Systematic, ReachesEveryScriptedRaceUnforced) {
  for (const char* s : {"cancel_pending", "cancel_cancelled", "timer_before_associate",
                        "timer_taken", "break_collision", "break_consumed"}) {
    absl::StatusOr<explore::ExploreReport> r =
        explore::Explore(Search(s, 2, /*force=*/false), Options(2000));
    ASSERT_TRUE(r.ok()) << s;
    ASSERT_FALSE(r->race_runs.empty()) << s;
    for (const auto& [race, runs] : r->race_runs) EXPECT_GT(runs, 0) << s << ": " << race;
    EXPECT_TRUE(r->unforced_races.empty()) << s;
  }
}

}  // namespace
}  // namespace iocpsim
