#include "explore/strategies.h"

#include <iterator>

namespace iocpsim::explore {

PctStrategy::PctStrategy(uint64_t seed, int depth, int64_t expected_steps, uint32_t preempt_ppm)
    : prng_(seed), preempt_ppm_(preempt_ppm) {
  for (int i = 1; i < depth; ++i) {
    change_points_.insert(1 + static_cast<int64_t>(prng_.Below(expected_steps)));
  }
}

int64_t PctStrategy::Priority(const sim::Choice& c) {
  const int key = c.kind == sim::Choice::Kind::kKernel ? 0 : c.thread;
  auto it = priority_.find(key);
  if (it == priority_.end()) {
    // A fresh, random, distinct high priority.
    // Above every change-point priority (1..depth-1), distinct per key.
    it = priority_.emplace(key, (int64_t{1} << 40) +
                                    static_cast<int64_t>(prng_.Below(uint64_t{1} << 20)) * (1 << 20) +
                                    key).first;
  }
  return it->second;
}

size_t PctStrategy::Pick(absl::Span<const sim::Choice> options) {
  ++step_;
  size_t n = options.size();
  if (options.back().kind == sim::Choice::Kind::kAdvance) {
    if (prng_.Below(1'000'000) < preempt_ppm_) return n - 1;
    --n;
  }
  size_t best = 0;
  for (size_t i = 1; i < n; ++i) {
    if (Priority(options[i]) > Priority(options[best])) best = i;
  }
  if (change_points_.count(step_) > 0) {
    const sim::Choice& c = options[best];
    // The i-th change point gives priority i: below every initial one.
    priority_[c.kind == sim::Choice::Kind::kKernel ? 0 : c.thread] = ++changes_;
    best = 0;
    for (size_t i = 1; i < n; ++i) {
      if (Priority(options[i]) > Priority(options[best])) best = i;
    }
  }
  return best;
}

namespace {

constexpr uint32_t kSwarmPpm[] = {5'000, 20'000, 80'000, 250'000};
constexpr uint64_t kSwarmWeights[] = {1, 4, 16};

}  // namespace

SwarmStrategy::SwarmStrategy(uint64_t seed)
    : prng_(seed), preempt_ppm_(kSwarmPpm[prng_.Below(std::size(kSwarmPpm))]) {}

uint64_t SwarmStrategy::Weight(const sim::Choice& c) {
  const int key = c.kind == sim::Choice::Kind::kKernel ? 0 : c.thread;
  auto it = weight_.find(key);
  if (it == weight_.end()) {
    it = weight_.emplace(key, kSwarmWeights[prng_.Below(std::size(kSwarmWeights))]).first;
  }
  return it->second;
}

size_t SwarmStrategy::Pick(absl::Span<const sim::Choice> options) {
  size_t n = options.size();
  if (options.back().kind == sim::Choice::Kind::kAdvance) {
    if (prng_.Below(1'000'000) < preempt_ppm_) return n - 1;
    --n;
  }
  uint64_t total = 0;
  for (size_t i = 0; i < n; ++i) total += Weight(options[i]);
  uint64_t x = prng_.Below(total);
  for (size_t i = 0; i < n; ++i) {
    const uint64_t w = Weight(options[i]);
    if (x < w) return i;
    x -= w;
  }
  return n - 1;
}

size_t DecisionListStrategy::Pick(absl::Span<const sim::Choice> options) {
  if (next_ >= picks_.size()) return 0;
  const uint32_t p = picks_[next_++];
  return p < options.size() ? p : 0;
}

size_t RecordingStrategy::Pick(absl::Span<const sim::Choice> options) {
  const size_t p = inner_->Pick(options);
  picks_.push_back(static_cast<uint32_t>(p));
  return p;
}

}  // namespace iocpsim::explore
