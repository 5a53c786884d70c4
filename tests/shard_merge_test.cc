// Issue 10, item 5: a campaign split over shards (as Bazel test shards run
// it, locally or on remote execution) finds what the same campaign finds in
// one process: the same violations with the same first schedules, the same
// coverage totals and first reaches, for every strategy.
#include <string>
#include <vector>

#include "explore/explorer.h"
#include "explore/merge.h"
#include "gtest/gtest.h"
#include "poller/mutant.h"
#include "tests/same_campaign.h"

namespace iocpsim {
namespace {

struct Case {
  explore::StrategyKind strategy;
  const char* scenario;
  const char* mutant;
  int64_t schedules;
  bool force_races = true;
  int preemption_bound = 1;
};

class ShardMerge : public ::testing::TestWithParam<Case> {};

TEST_P(ShardMerge, ShardsTogetherAreTheSingleProcess) {
  explore::Target t;
  t.workload = GetParam().scenario;
  t.strategy = GetParam().strategy;
  t.preemption_bound = GetParam().preemption_bound;
  t.force_races = GetParam().force_races;
  t.host.runtime.mutant = *poller::ParseMutant(GetParam().mutant);
  explore::ExploreOptions o;
  o.schedules = GetParam().schedules;
  o.jobs = 2;
  o.minimize_budget = 20;
  absl::StatusOr<explore::ExploreReport> whole = explore::Explore(t, o);
  ASSERT_TRUE(whole.ok()) << whole.status();
  ASSERT_FALSE(whole->findings.empty()) << "the case must find something to compare";
  if (!t.force_races && t.strategy == explore::StrategyKind::kSystematic) {
    ASSERT_GT(whole->systematic->pruned, 0) << "the case must prune with sleep sets";
  }
  for (int n : {2, 3}) {
    std::vector<explore::ExploreReport> shards;
    for (int i = 0; i < n; ++i) {
      explore::ExploreOptions s = o;
      s.shard_count = n;
      s.shard_index = i;
      absl::StatusOr<explore::ExploreReport> r = explore::Explore(t, s);
      ASSERT_TRUE(r.ok()) << r.status();
      EXPECT_GT(r->runs, 0) << "shard " << i << " of " << n << " ran nothing";
      shards.push_back(*std::move(r));
    }
    SCOPED_TRACE(::testing::Message() << n << " shards");
    const explore::ExploreReport merged = explore::MergeShards(shards);
    testing::ExpectSameCampaign(*whole, merged);
    if (whole->systematic) {
      EXPECT_EQ(whole->systematic->pruned, merged.systematic->pruned);
      EXPECT_EQ(whole->systematic->abandoned, merged.systematic->abandoned);
    }
  }
}

INSTANTIATE_TEST_SUITE_P(
    EveryStrategy, ShardMerge,
    ::testing::Values(
        Case{explore::StrategyKind::kSwarm, "tests/scenarios/cancel_cancelled.textproto",
             "wakesig-never-reset", 300},
        Case{explore::StrategyKind::kRandom, "tests/scenarios/cancel_cancelled.textproto",
             "no-break-forward", 300},
        Case{explore::StrategyKind::kPct, "tests/scenarios/cancel_pending.textproto",
             "pending-fatal", 300},
        // The whole search (714 schedules at one preemption), two oracles
        // first met in different subtrees.
        Case{explore::StrategyKind::kSystematic, "tests/scenarios/cancel_cancelled.textproto",
             "wakesig-never-reset", 1'000'000},
        // Sleep sets (the races unforced, two preemptions): a shard keeps
        // only the sleepers of its own subtrees.
        Case{explore::StrategyKind::kSystematic, "tests/scenarios/cancel_pending.textproto",
             "wakesig-never-reset", 1'000'000, /*force_races=*/false, /*preemption_bound=*/2}),
    [](const ::testing::TestParamInfo<Case>& info) {
      return std::string(explore::StrategyKindName(info.param.strategy)) +
             (info.param.force_races ? "" : "_sleep_sets");
    });

}  // namespace
}  // namespace iocpsim
