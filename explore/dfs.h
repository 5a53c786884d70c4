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
//
// Sleep sets (Godefroid, "Partial-Order Methods for the Verification of
// Concurrent Systems", LNCS 1032, 1996) prune schedules that only reorder
// steps that commute. Once an option has been explored at a decision, the
// sibling branches put its step to sleep: it is not taken again until a step
// whose footprint (sim/footprint.h) meets its own has run. A run in which
// only sleeping steps can go is abandoned: all it could reach was reached.
// Two restrictions keep this sound here (docs/exploration.md):
// - a plain sleep set under a preemption bound can prune the only in-bound
//   schedule of a class (Coons, Musuvathi and McKinley, "Bounded
//   Partial-Order Reduction", OOPSLA 2013). So an explored option sends its
//   step to sleep only if it continued the previous actor (moving such a
//   step earlier never adds a preemption) or its subtree was not cut: no
//   option in it over the bound or put to sleep by a sleeper of the first
//   kind whose own subtree was cut, no run in it cut short by a violation
//   or the step limit;
// - sleepers come only from decisions at SleepSets::from_depth or deeper,
//   so a shard (explore/systematic.h) never needs a subtree another ran.
#ifndef IOCPSIM_EXPLORE_DFS_H_
#define IOCPSIM_EXPLORE_DFS_H_

#include <cstdint>
#include <optional>
#include <vector>

#include "sim/footprint.h"
#include "sim/scheduler.h"

namespace iocpsim::sim {
class Simulation;
}

namespace iocpsim::explore {

// A schedule making more decisions than this is refused by the search: its
// frontier (one number per decision) is kept in memory and in checkpoints.
inline constexpr int64_t kMaxDfsDecisions = 100'000;
// Options beyond this many at one decision are never asleep (the mask's width).
inline constexpr uint32_t kMaxSleepOptions = 64;

// A step as the sleep set keeps it: who takes it and what it touches.
struct Sleeper {
  sim::Choice actor;
  sim::Footprint footprint;
  // It sleeps because it continued the previous actor, its subtree having
  // been cut by the bound: it stands only for schedules within the bound, so
  // an option it puts to sleep counts as cut by the bound too.
  bool bounded = false;
};

// One decision of a schedule, as the search saw it.
struct DfsNode {
  uint32_t options = 0;
  uint32_t picked = 0;
  int32_t stay = -1;         // the option continuing the previous actor, -1: none
  int32_t advance = -1;      // the kAdvance option, -1: none
  int32_t preemptions = 0;   // taken before this decision
  uint64_t asleep = 0;       // bit i: option i is asleep here, not to be explored
  // An option here is over the bound, awake, or asleep by a bounded sleeper.
  bool cut = false;
  Sleeper step;              // the option picked, and (with sleep sets) its footprint

  bool Preempts(uint32_t option) const {
    return static_cast<int32_t>(option) == advance || (stay >= 0 && static_cast<int32_t>(option) != stay);
  }
  // Whether taking `option` keeps the schedule within `bound` preemptions.
  bool WithinBound(uint32_t option, int bound) const {
    return preemptions + (Preempts(option) ? 1 : 0) <= bound;
  }
  bool Asleep(uint32_t option) const { return option < kMaxSleepOptions && (asleep >> option & 1) != 0; }
  // The order the search tries the options in: staying first, then by index.
  std::vector<uint32_t> Order() const;
};

// The next option after `picked` in the node's order that is awake and
// keeps the schedule within `bound` preemptions, or -1.
int64_t NextOption(const DfsNode& node, int bound);

// Sleep sets for a DfsStrategy: the search's bound, and for each decision of
// the prefix the options explored there before whose subtrees the bound did
// not cut (their steps sleep in the branch the prefix takes).
struct SleepSets {
  int bound = 0;
  int from_depth = 0;  // decisions above it lend no sleepers
  const std::vector<std::vector<Sleeper>>* explored = nullptr;
};

// Takes `prefix` at its first decisions and then, at each, the first option
// of DfsNode::Order (the previous actor goes on: no preemption) that is
// awake and within the bound; records every decision.
class DfsStrategy : public sim::Strategy {
 public:
  explicit DfsStrategy(std::vector<uint32_t> prefix, std::optional<SleepSets> sleep = std::nullopt)
      : prefix_(std::move(prefix)), sleep_sets_(sleep) {
    nodes_.reserve(prefix_.size() + 64);
  }
  // With sleep sets: the simulation whose kernel reports footprints and
  // whose scheduler an abandoned run stops. Before Run.
  void Attach(sim::Simulation& s);

  size_t Pick(absl::Span<const sim::Choice> options) override;
  void Observe(absl::Span<const sim::Choice> options, size_t picked) override;
  // After the run: settles the last step's footprint.
  void Finish();

  const std::vector<DfsNode>& nodes() const { return nodes_; }
  // A prefix decision found fewer options than it names: the run did not
  // repeat the one that made the prefix (a nondeterministic workload).
  bool diverged() const { return diverged_; }
  // More than kMaxDfsDecisions decisions (the later ones are not recorded).
  bool too_deep() const { return too_deep_; }
  // Only sleeping steps could go on: the run was stopped, and is redundant.
  bool abandoned() const { return abandoned_; }
  // The run was abandoned where an option was over the bound, awake, or
  // asleep by a bounded sleeper.
  bool abandoned_at_cut() const { return abandoned_at_cut_; }

 private:
  // The sleeper of `c`'s step, or nullptr: awake.
  const Sleeper* SleeperOf(const sim::Choice& c) const;
  bool IsAsleep(const sim::Choice& c) const { return SleeperOf(c) != nullptr; }
  // Ends the open step: its footprint goes to its decision's node and
  // filters the sleep set, which takes the step's newly explored siblings.
  void Settle();
  void Abandon(bool at_cut);

  std::vector<uint32_t> prefix_;
  std::optional<SleepSets> sleep_sets_;
  std::vector<DfsNode> nodes_;
  sim::Choice last_{sim::Choice::Kind::kAdvance, -1};  // the previous step's actor
  int32_t preemptions_ = 0;
  bool diverged_ = false;
  bool too_deep_ = false;
  // Sleep sets.
  sim::Scheduler* scheduler_ = nullptr;
  std::vector<Sleeper> asleep_;     // before the next step
  sim::Footprint touched_;          // by the open step, as the kernel reports it
  bool open_ = false;               // a step is under way
  sim::Choice open_actor_;
  int64_t open_node_ = -1;          // its decision's node, -1: a step without one
  int64_t pick_node_ = -1;          // the node Pick just made, for Observe
  bool abandoned_ = false;
  bool abandoned_at_cut_ = false;
};

}  // namespace iocpsim::explore

#endif  // IOCPSIM_EXPLORE_DFS_H_
