// The decisions of the systematic search: a depth-first walk over the
// options at each scheduling point, bounded by preemptions as in CHESS's
// iterative context bounding (Musuvathi and Qadeer, "Iterative Context
// Bounding for Systematic Testing of Multithreaded Programs", PLDI 2007).
//
// A step's actor is the thread it resumes, the kernel (its ready work) or
// nobody (kAdvance, a jump of virtual time). Taking an option is a
// preemption when it is kAdvance while anything could run (it preempts every
// runnable thread: a timer firing "early" costs one), or when the previous
// step's thread, or the kernel after a kernel step, could run again and
// another option is taken. When the previous actor cannot run (it blocked,
// finished, or time jumped) every option is free, as in CHESS. Time jumps
// the scheduler makes because nothing can run are no decision at all.
#ifndef IOCPSIM_EXPLORE_DFS_H_
#define IOCPSIM_EXPLORE_DFS_H_

#include <cstdint>
#include <vector>

#include "sim/scheduler.h"

namespace iocpsim::explore {

// A schedule making more decisions than this is refused by the search: its
// frontier (one number per decision) is kept in memory and in checkpoints.
inline constexpr int64_t kMaxDfsDecisions = 100'000;

// One decision of a schedule, as the search saw it.
struct DfsNode {
  uint32_t options = 0;
  uint32_t picked = 0;
  int32_t stay = -1;         // the option continuing the previous actor, -1: none
  int32_t advance = -1;      // the kAdvance option, -1: none
  int32_t preemptions = 0;   // taken before this decision

  bool Preempts(uint32_t option) const {
    return static_cast<int32_t>(option) == advance || (stay >= 0 && static_cast<int32_t>(option) != stay);
  }
  // The order the search tries the options in: staying first, then by index.
  std::vector<uint32_t> Order() const;
};

// The next option after `picked` in the node's order that keeps the
// schedule within `bound` preemptions, or -1.
int64_t NextOption(const DfsNode& node, int bound);

// Takes `prefix` at its first decisions and then, at each, the first option
// of DfsNode::Order (the previous actor goes on: no preemption); records
// every decision.
class DfsStrategy : public sim::Strategy {
 public:
  explicit DfsStrategy(std::vector<uint32_t> prefix) : prefix_(std::move(prefix)) {}
  size_t Pick(absl::Span<const sim::Choice> options) override;
  void Observe(absl::Span<const sim::Choice> options, size_t picked) override;

  const std::vector<DfsNode>& nodes() const { return nodes_; }
  // A prefix decision found fewer options than it names: the run did not
  // repeat the one that made the prefix (a nondeterministic workload).
  bool diverged() const { return diverged_; }
  // More than kMaxDfsDecisions decisions (the later ones are not recorded).
  bool too_deep() const { return too_deep_; }

 private:
  std::vector<uint32_t> prefix_;
  std::vector<DfsNode> nodes_;
  sim::Choice last_{sim::Choice::Kind::kAdvance, -1};  // the previous step's actor
  int32_t preemptions_ = 0;
  bool diverged_ = false;
  bool too_deep_ = false;
};

}  // namespace iocpsim::explore

#endif  // IOCPSIM_EXPLORE_DFS_H_
