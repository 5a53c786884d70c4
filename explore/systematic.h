// The bounded-exhaustive search (`explore --strategy=systematic`): every
// schedule of a target with at most Target::preemption_bound preemptions
// (explore/dfs.h), depth first, each run from the start with its leading
// decisions replayed. The workload's own choices use ExploreOptions::
// first_seed, so the tree is fixed.
//
// Shards: the subtrees below the first kSplitDepth decisions are numbered
// in the order the search meets them (classes); shard i of n explores the
// classes c with c % n == i. Every shard runs the first schedule of every
// class to find the next (discovery runs, not counted), so the shards'
// schedules together are exactly the single process's, each once.
//
// Sleep sets (Target::sleep_sets, explore/dfs.h): a run abandoned because
// only sleeping steps could go on is no schedule (SystematicSummary::
// abandoned counts them); sleepers come from decisions at kSplitDepth or
// deeper, so the shards' schedules are still exactly the single process's.
//
// Resuming: with ExploreOptions::checkpoint the frontier is written every
// kChunk schedules and at the end; an existing file is resumed from. The
// report covers the schedules of this session; SystematicSummary::schedules
// counts them all.
#ifndef IOCPSIM_EXPLORE_SYSTEMATIC_H_
#define IOCPSIM_EXPLORE_SYSTEMATIC_H_

#include <string>

#include "absl/status/statusor.h"
#include "explore/explorer.h"

namespace iocpsim::explore {

inline constexpr int kSplitDepth = 8;
inline constexpr int kMaxPreemptionBound = 10;

// What a checkpoint must match to be resumed: the target, the bound, the
// seed and the shard.
std::string CampaignKey(const Target& target, const ExploreOptions& options);

// `target` as LoadTarget returns it. ExploreOptions::schedules bounds the
// schedules this session runs; jobs is unused (each schedule's decisions
// follow from the one before).
absl::StatusOr<ExploreReport> ExploreSystematic(const Target& target,
                                                const ExploreOptions& options);

}  // namespace iocpsim::explore

#endif  // IOCPSIM_EXPLORE_SYSTEMATIC_H_
