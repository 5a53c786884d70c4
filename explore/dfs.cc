#include "explore/dfs.h"

namespace iocpsim::explore {

std::vector<uint32_t> DfsNode::Order() const {
  std::vector<uint32_t> order;
  order.reserve(options);
  if (stay >= 0) order.push_back(static_cast<uint32_t>(stay));
  for (uint32_t i = 0; i < options; ++i) {
    if (static_cast<int32_t>(i) != stay) order.push_back(i);
  }
  return order;
}

int64_t NextOption(const DfsNode& node, int bound) {
  const std::vector<uint32_t> order = node.Order();
  bool after = false;
  for (uint32_t o : order) {
    if (after && node.preemptions + (node.Preempts(o) ? 1 : 0) <= bound) return o;
    after |= o == node.picked;
  }
  return -1;
}

size_t DfsStrategy::Pick(absl::Span<const sim::Choice> options) {
  DfsNode n;
  n.options = static_cast<uint32_t>(options.size());
  n.preemptions = preemptions_;
  for (size_t i = 0; i < options.size(); ++i) {
    if (options[i].kind == sim::Choice::Kind::kAdvance) n.advance = static_cast<int32_t>(i);
    if (last_.kind != sim::Choice::Kind::kAdvance && options[i] == last_) {
      n.stay = static_cast<int32_t>(i);
    }
  }
  const size_t at = nodes_.size();
  if (at < prefix_.size()) {
    n.picked = prefix_[at];
    if (n.picked >= n.options) {
      diverged_ = true;
      n.picked = 0;
    }
  } else {
    n.picked = n.Order().front();
  }
  preemptions_ += n.Preempts(n.picked) ? 1 : 0;
  if (static_cast<int64_t>(at) < kMaxDfsDecisions) {
    nodes_.push_back(n);
  } else {
    too_deep_ = true;
  }
  return n.picked;
}

void DfsStrategy::Observe(absl::Span<const sim::Choice> options, size_t picked) {
  last_ = options[picked];
}

}  // namespace iocpsim::explore
