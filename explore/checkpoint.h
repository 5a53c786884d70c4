// The systematic search's frontier, in a text file: enough to resume the
// depth-first walk where it stopped (the search is stateless: the next
// schedule's leading decisions say where it is). Deterministic: the same
// search stopped at the same schedule writes the same bytes.
#ifndef IOCPSIM_EXPLORE_CHECKPOINT_H_
#define IOCPSIM_EXPLORE_CHECKPOINT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "explore/dfs.h"

namespace iocpsim::explore {

// Checkpoints larger than this are refused (docs/limits.md): a frontier of
// kMaxDfsDecisions decisions fits well within.
inline constexpr uint64_t kMaxCheckpointBytes = uint64_t{4} << 20;

struct Checkpoint {
  // What is searched (target, bound, shard): a checkpoint of another
  // search is refused rather than resumed into the wrong tree.
  std::string campaign;
  bool complete = false;
  int64_t cls = 0;        // the next schedule's class (explore::Position)
  int64_t index = 0;      // ... and its index in the class
  int64_t schedules = 0;  // this shard's schedules run so far
  int64_t discovery = 0;  // runs spent finding other shards' classes
  std::vector<uint32_t> next;  // the next schedule's leading decisions
  // With sleep sets (explore/dfs.h), per decision of `next`: the options
  // explored there that sleep in the next branch, and whether the subtree of
  // the option under way has been cut so far. Both empty, or as long as
  // `next`.
  std::vector<std::vector<Sleeper>> explored;
  std::vector<bool> cut;
  int64_t pruned = 0;     // SystematicSummary::pruned so far
  int64_t abandoned = 0;  // SystematicSummary::abandoned so far
};

std::string CheckpointText(const Checkpoint& c);
// An error names the file and line.
absl::StatusOr<Checkpoint> ParseCheckpoint(const std::string& path, const std::string& text);
// The checkpoint at `path`, or nothing when there is no such file.
absl::StatusOr<std::optional<Checkpoint>> LoadCheckpoint(const std::string& path);

}  // namespace iocpsim::explore

#endif  // IOCPSIM_EXPLORE_CHECKPOINT_H_
