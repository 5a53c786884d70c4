// Shards' reports as one: what the same campaign run in one process reports.
// Counts add up; each finding and first reach is the shard's whose schedule
// comes first (explore::Position), as the single process meets it first.
#ifndef IOCPSIM_EXPLORE_MERGE_H_
#define IOCPSIM_EXPLORE_MERGE_H_

#include <vector>

#include "explore/explorer.h"

namespace iocpsim::explore {

// `shards` are the reports of shards 0..n-1 of one campaign (same target and
// options but the shard). FirstReach::run is left 0: a shard's count of its
// own schedules says nothing of the whole.
ExploreReport MergeShards(const std::vector<ExploreReport>& shards);

}  // namespace iocpsim::explore

#endif  // IOCPSIM_EXPLORE_MERGE_H_
