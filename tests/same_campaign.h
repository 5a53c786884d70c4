// Whether two reports of one campaign agree on what it found: the
// violations and where each was first met, the coverage totals and the
// first schedule reaching each path (tests of shards and resumed searches).
#ifndef IOCPSIM_TESTS_SAME_CAMPAIGN_H_
#define IOCPSIM_TESTS_SAME_CAMPAIGN_H_

#include "explore/explorer.h"
#include "gtest/gtest.h"

namespace iocpsim::testing {

inline void ExpectSameCampaign(const explore::ExploreReport& whole,
                               const explore::ExploreReport& parts) {
  EXPECT_EQ(whole.runs, parts.runs);
  EXPECT_EQ(whole.outcomes, parts.outcomes);
  ASSERT_EQ(whole.findings.size(), parts.findings.size());
  for (const auto& [oracle, f] : whole.findings) {
    ASSERT_EQ(parts.findings.count(oracle), 1u) << oracle;
    const explore::Finding& g = parts.findings.at(oracle);
    EXPECT_EQ(f.seed, g.seed) << oracle;
    EXPECT_EQ(f.at, g.at) << oracle;
    EXPECT_EQ(f.runs_hitting, g.runs_hitting) << oracle;
    EXPECT_EQ(f.minimized_picks, g.minimized_picks) << oracle;
  }
  EXPECT_EQ(whole.runs_reaching, parts.runs_reaching);
  EXPECT_EQ(whole.hits, parts.hits);
  EXPECT_EQ(whole.timer_taken_runs, parts.timer_taken_runs);
  EXPECT_EQ(whole.left_queued_runs, parts.left_queued_runs);
  EXPECT_EQ(whole.race_runs, parts.race_runs);
  EXPECT_EQ(whole.unforced_races, parts.unforced_races);
  EXPECT_EQ(whole.early_empty, parts.early_empty);
  ASSERT_EQ(whole.first_reach.size(), parts.first_reach.size());
  for (const auto& [path, reach] : whole.first_reach) {
    ASSERT_EQ(parts.first_reach.count(path), 1u) << path;
    EXPECT_EQ(reach.at, parts.first_reach.at(path).at) << path;
  }
}

}  // namespace iocpsim::testing

#endif  // IOCPSIM_TESTS_SAME_CAMPAIGN_H_
