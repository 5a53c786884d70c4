// Sleep sets in the systematic search (explore/dfs.h): they prune only
// reorderings of commuting steps, stay off while scripted races are forced,
// and resume from a checkpoint as one whole search.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "explore/checkpoint.h"
#include "explore/explorer.h"
#include "explore/merge.h"
#include "gtest/gtest.h"
#include "poller/mutant.h"
#include "tests/same_campaign.h"
#include "tests/search_fixture.h"

namespace iocpsim {
namespace {

using testing::Options;
using testing::Search;
using testing::TempPath;

// With and without sleep sets the search finds the same violations and
// reaches the same branches and races, in fewer schedules, for the faithful
// poller and for mutants of several bug classes.
TEST(SleepSets, FindWhatTheWholeSearchFinds) {
  int64_t pruned = 0, abandoned = 0;
  for (const char* mutant : {"none", "wakesig-never-reset", "cancel-keeps-queued"}) {
    for (const char* scenario : {"break_collision", "cancel_pending"}) {
      SCOPED_TRACE(::testing::Message() << scenario << " " << mutant);
      explore::Target with = Search(scenario, 2, /*force_races=*/false);
      with.host.runtime.mutant = *poller::ParseMutant(mutant);
      explore::Target without = with;
      without.sleep_sets = false;
      absl::StatusOr<explore::ExploreReport> a = explore::Explore(with, Options());
      absl::StatusOr<explore::ExploreReport> b = explore::Explore(without, Options());
      ASSERT_TRUE(a.ok() && b.ok());
      ASSERT_TRUE(a->systematic->complete && b->systematic->complete);
      EXPECT_TRUE(a->systematic->sleep_sets);
      EXPECT_FALSE(b->systematic->sleep_sets);
      EXPECT_LT(a->runs, b->runs);
      std::set<std::string> found_a, found_b;
      for (const auto& [oracle, f] : a->findings) found_a.insert(oracle);
      for (const auto& [oracle, f] : b->findings) found_b.insert(oracle);
      EXPECT_EQ(found_a, found_b);
      std::set<std::string> reached_a, reached_b;
      for (const auto& [path, f] : a->first_reach) reached_a.insert(path);
      for (const auto& [path, f] : b->first_reach) reached_b.insert(path);
      EXPECT_EQ(reached_a, reached_b);
      for (size_t i = 0; i < a->runs_reaching.size(); ++i) {
        EXPECT_EQ(a->runs_reaching[i] > 0, b->runs_reaching[i] > 0) << "branch " << i;
      }
      pruned += a->systematic->pruned;
      abandoned += a->systematic->abandoned;
    }
  }
  EXPECT_GT(pruned, 0);
  EXPECT_GT(abandoned, 0);
}

TEST(SleepSets, NotWhileScriptedRacesAreForced) {
  absl::StatusOr<explore::ExploreReport> r =
      explore::Explore(Search("break_collision", 2, /*force_races=*/true), Options());
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->systematic->sleep_sets);
  EXPECT_EQ(r->systematic->pruned, 0);
}

TEST(SleepSets, ResumedSessionsAreOneWholeSearch) {
  const explore::Target t = Search("cancel_pending", 2, /*force_races=*/false);
  absl::StatusOr<explore::ExploreReport> whole = explore::Explore(t, Options());
  ASSERT_TRUE(whole.ok());
  ASSERT_GT(whole->systematic->pruned, 0);
  const std::string cp = TempPath("sleep.checkpoint");
  std::remove(cp.c_str());
  std::vector<explore::ExploreReport> sessions;
  bool kept_sleeper = false;
  for (int i = 0; i < 100; ++i) {
    explore::ExploreOptions o = Options(100);
    o.checkpoint = cp;
    absl::StatusOr<explore::ExploreReport> r = explore::Explore(t, o);
    ASSERT_TRUE(r.ok()) << r.status();
    std::ifstream in(cp);
    std::stringstream text;
    text << in.rdbuf();
    absl::StatusOr<explore::Checkpoint> c = explore::ParseCheckpoint("cp", text.str());
    ASSERT_TRUE(c.ok()) << c.status();
    EXPECT_EQ(explore::CheckpointText(*c), text.str());
    sessions.push_back(*r);
    kept_sleeper |= text.str().find("\nsleeper ") != std::string::npos;
    if (r->systematic->complete) break;
  }
  EXPECT_TRUE(kept_sleeper) << "no checkpoint kept a sleeper: resuming did not test them";
  ASSERT_GT(sessions.size(), 2u);
  EXPECT_EQ(sessions.back().systematic->schedules, whole->runs);
  EXPECT_EQ(sessions.back().systematic->pruned, whole->systematic->pruned);
  EXPECT_EQ(sessions.back().systematic->abandoned, whole->systematic->abandoned);
  testing::ExpectSameCampaign(*whole, explore::MergeShards(sessions));
}

}  // namespace
}  // namespace iocpsim
