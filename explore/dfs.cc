#include "explore/dfs.h"

#include <algorithm>
#include <utility>

#include "sim/simulation.h"

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
    if (after && !node.Asleep(o) && node.WithinBound(o, bound)) {
      return o;
    }
    after |= o == node.picked;
  }
  return -1;
}

void DfsStrategy::Attach(sim::Simulation& s) {
  if (!sleep_sets_) return;
  scheduler_ = &s.scheduler();
  s.kernel().SetFootprint(&touched_);
}

const Sleeper* DfsStrategy::SleeperOf(const sim::Choice& c) const {
  auto it = std::find_if(asleep_.begin(), asleep_.end(),
                         [&c](const Sleeper& s) { return s.actor == c; });
  return it != asleep_.end() ? &*it : nullptr;
}

void DfsStrategy::Abandon(bool at_cut) {
  abandoned_ = true;
  abandoned_at_cut_ = at_cut;
  scheduler_->Stop("sleep set: only sleeping steps can go on");
}

void DfsStrategy::Settle() {
  if (!open_) return;
  open_ = false;
  sim::Footprint step = std::move(touched_);
  touched_.Clear();  // a moved-from vector is valid but unspecified
  // A thread's step runs runtime code too, whose memory is not tracked; a
  // time jump fires whatever falls due.
  switch (open_actor_.kind) {
    case sim::Choice::Kind::kThread:
      step.Touch(sim::Footprint::kRuntime);
      step.Touch(sim::Footprint::Thread(open_actor_.thread));
      break;
    case sim::Choice::Kind::kAdvance:
      step.TouchAll();
      break;
    case sim::Choice::Kind::kKernel:
      break;
  }
  asleep_.erase(std::remove_if(asleep_.begin(), asleep_.end(),
                               [&](const Sleeper& s) {
                                 return s.actor == open_actor_ || s.footprint.Conflicts(step);
                               }),
                asleep_.end());
  if (open_node_ < 0) return;
  const size_t at = static_cast<size_t>(open_node_);
  nodes_[at].step.footprint = std::move(step);
  // The options explored here before this one sleep in its branch, if they
  // commute with its step [Godefroid 1996, fig. 5.2].
  const std::vector<std::vector<Sleeper>>& explored = *sleep_sets_->explored;
  if (static_cast<int64_t>(at) >= sleep_sets_->from_depth && at < explored.size()) {
    for (const Sleeper& s : explored[at]) {
      if (!s.footprint.Conflicts(nodes_[at].step.footprint) && !IsAsleep(s.actor)) {
        asleep_.push_back(s);
      }
    }
  }
}

size_t DfsStrategy::Pick(absl::Span<const sim::Choice> options) {
  if (sleep_sets_) Settle();
  DfsNode n;
  n.options = static_cast<uint32_t>(options.size());
  n.preemptions = preemptions_;
  for (size_t i = 0; i < options.size(); ++i) {
    if (options[i].kind == sim::Choice::Kind::kAdvance) n.advance = static_cast<int32_t>(i);
    if (last_.kind != sim::Choice::Kind::kAdvance && options[i] == last_) {
      n.stay = static_cast<int32_t>(i);
    }
    const Sleeper* s = sleep_sets_ && i < kMaxSleepOptions ? SleeperOf(options[i]) : nullptr;
    if (s != nullptr) {
      n.asleep |= uint64_t{1} << i;
      n.cut |= s->bounded;
    }
  }
  // DfsNode::Order without building it (a decision's hot path): `visit`
  // returns true to stop.
  auto in_order = [&n](auto&& visit) {
    if (n.stay >= 0 && visit(static_cast<uint32_t>(n.stay))) return;
    for (uint32_t o = 0; o < n.options; ++o) {
      if (static_cast<int32_t>(o) != n.stay && visit(o)) return;
    }
  };
  auto within = [&](uint32_t o) {
    return !sleep_sets_ || n.WithinBound(o, sleep_sets_->bound);
  };
  in_order([&](uint32_t o) {
    n.cut |= !n.Asleep(o) && !within(o);
    return false;
  });
  const size_t at = nodes_.size();
  pick_node_ = -1;
  if (at < prefix_.size()) {
    n.picked = prefix_[at];
    if (n.picked >= n.options) {
      diverged_ = true;
      n.picked = 0;
    }
  } else {
    // The first awake option within the bound: staying, if it is awake,
    // costs nothing. None: every awake option is over the bound.
    int64_t first = -1;
    in_order([&](uint32_t o) {
      if (n.Asleep(o) || !within(o)) return false;
      first = o;
      return true;
    });
    if (first < 0) {
      Abandon(n.cut);
      return 0;
    }
    n.picked = static_cast<uint32_t>(first);
  }
  preemptions_ += n.Preempts(n.picked) ? 1 : 0;
  n.step.actor = options[n.picked];
  if (static_cast<int64_t>(at) < kMaxDfsDecisions) {
    nodes_.push_back(n);
    pick_node_ = static_cast<int64_t>(at);
  } else {
    too_deep_ = true;
  }
  return n.picked;
}

void DfsStrategy::Observe(absl::Span<const sim::Choice> options, size_t picked) {
  last_ = options[picked];
  if (!sleep_sets_ || abandoned_) return;
  Settle();
  // A step taken without a decision of ours (the only option) that is
  // asleep: everything from here on was reached in the branch it came from.
  const int64_t node = pick_node_;
  pick_node_ = -1;
  if (const Sleeper* s = node < 0 ? SleeperOf(options[picked]) : nullptr) {
    Abandon(s->bounded);
    return;
  }
  open_ = true;
  open_actor_ = options[picked];
  open_node_ = node;
}

void DfsStrategy::Finish() {
  if (sleep_sets_ && !abandoned_) Settle();
}

}  // namespace iocpsim::explore
