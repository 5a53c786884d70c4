// Scheduling strategies for exploration, beside sim::RandomStrategy.
#ifndef IOCPSIM_EXPLORE_STRATEGIES_H_
#define IOCPSIM_EXPLORE_STRATEGIES_H_

#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "sim/prng.h"
#include "sim/scheduler.h"

namespace iocpsim::explore {

// PCT (Burckhardt et al., "A Randomized Scheduler with Probabilistic
// Guarantees of Finding Bugs", ASPLOS 2010): random distinct priorities per
// thread (the kernel counts as one), always the highest-priority option,
// and depth-1 change points at random decisions in [1, expected_steps]: at
// the i-th the chosen thread drops to priority i, below all others. Finds a
// bug of depth d with probability >= 1/(n k^(d-1)) when k bounds the
// decisions of a run (explore passes 2000, above the bundled runs' counts).
class PctStrategy : public sim::Strategy {
 public:
  PctStrategy(uint64_t seed, int depth, int64_t expected_steps, uint32_t preempt_ppm);
  size_t Pick(absl::Span<const sim::Choice> options) override;

 private:
  int64_t Priority(const sim::Choice& c);

  sim::Prng prng_;
  uint32_t preempt_ppm_;
  std::set<int64_t> change_points_;
  std::map<int, int64_t> priority_;  // by thread id; 0 is the kernel
  int64_t step_ = 0;
  int64_t changes_ = 0;  // change points passed
};

// Swarm scheduling (after swarm testing: Groce et al., "Swarm Testing",
// ISSTA 2012): each schedule draws its own configuration from its seed, so
// that a campaign mixes very different schedules instead of many alike. A
// run draws how often time may jump past runnable threads (kSwarmPpm: from
// never-ish to a quarter of the decisions) and a weight per thread and for
// the kernel (kSwarmWeights, drawn when the thread is first offered); each
// decision then picks in proportion to the weights. Races that need one M
// held back while time passes and another runs (a timer packet taken by
// another M, a break forwarded) come up in some configurations far more
// often than under uniform choice.
class SwarmStrategy : public sim::Strategy {
 public:
  explicit SwarmStrategy(uint64_t seed);
  size_t Pick(absl::Span<const sim::Choice> options) override;

 private:
  uint64_t Weight(const sim::Choice& c);

  sim::Prng prng_;
  uint32_t preempt_ppm_;
  std::map<int, uint64_t> weight_;  // by thread id; 0 is the kernel
};

// Replays picked indexes; past the list, or where an index does not fit the
// options, it takes the first option.
class DecisionListStrategy : public sim::Strategy {
 public:
  explicit DecisionListStrategy(std::vector<uint32_t> picks) : picks_(std::move(picks)) {}
  size_t Pick(absl::Span<const sim::Choice> options) override;

 private:
  std::vector<uint32_t> picks_;
  size_t next_ = 0;
};

// Remembers what another strategy picked.
class RecordingStrategy : public sim::Strategy {
 public:
  explicit RecordingStrategy(std::unique_ptr<sim::Strategy> inner) : inner_(std::move(inner)) {}
  size_t Pick(absl::Span<const sim::Choice> options) override;
  void Observe(absl::Span<const sim::Choice> options, size_t picked) override {
    inner_->Observe(options, picked);
  }
  const std::vector<uint32_t>& picks() const { return picks_; }

 private:
  std::unique_ptr<sim::Strategy> inner_;
  std::vector<uint32_t> picks_;
};

}  // namespace iocpsim::explore

#endif  // IOCPSIM_EXPLORE_STRATEGIES_H_
