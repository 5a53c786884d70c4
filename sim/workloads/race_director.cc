#include "sim/workloads/race_director.h"

#include <cstring>

namespace iocpsim::workloads {

void RaceDirector::Add(Hold h) {
  holds_of_thread_[h.thread].push_back(holds_.size());
  holds_.push_back(std::move(h));
}

const std::vector<size_t>& RaceDirector::HoldsFor(const sim::Choice& c) const {
  static const std::vector<size_t> kNone;
  const int key = c.kind == sim::Choice::Kind::kThread ? c.thread
                  : c.kind == sim::Choice::Kind::kKernel ? 0
                                                         : -1;
  auto it = holds_of_thread_.find(key);
  return it == holds_of_thread_.end() ? kNone : it->second;
}

bool RaceDirector::Applies(Hold& h, const sim::Choice& c) {
  if (h.done || (h.active && !h.active())) return false;
  if (h.thread == 0) return c.kind == sim::Choice::Kind::kKernel;
  if (c.kind != sim::Choice::Kind::kThread || c.thread != h.thread) return false;
  const char* pending = sched_->thread(c.thread).pending_call;
  if (pending == nullptr || std::strcmp(pending, h.call) != 0) return false;
  return h.nth == 0 || calls_[{c.thread, h.call}] + 1 == h.nth;
}

void RaceDirector::Observe(absl::Span<const sim::Choice> options, size_t picked) {
  inner_->Observe(options, picked);
  const sim::Choice& c = options[picked];
  const char* pending =
      c.kind == sim::Choice::Kind::kThread ? sched_->thread(c.thread).pending_call : nullptr;
  if (c.kind == sim::Choice::Kind::kThread && pending == nullptr) return;
  for (const Preference& p : prefer_) {
    const int t = p.thread();
    if (t > 0 && c.kind == sim::Choice::Kind::kThread && c.thread == t && p.racing()) {
      ++reached_[p.race];
    }
  }
  for (size_t k : HoldsFor(c)) {
    Hold& h = holds_[k];
    if (!Applies(h, c)) continue;
    if (h.ready() && !h.race.empty()) ++reached_[h.race];
    if (h.nth != 0) h.done = true;
  }
  if (pending != nullptr) ++calls_[{c.thread, pending}];
}

size_t RaceDirector::Pick(absl::Span<const sim::Choice> options) {
  if (!forcing_) return inner_->Pick(options);
  // A held option whose precondition now holds goes first.
  for (size_t i = 0; i < options.size(); ++i) {
    for (size_t k : HoldsFor(options[i])) {
      if (Applies(holds_[k], options[i]) && holds_[k].ready()) return i;
    }
  }
  for (const Preference& p : prefer_) {
    const int t = p.thread();
    for (size_t i = 0; i < options.size(); ++i) {
      if (t > 0 && options[i].kind == sim::Choice::Kind::kThread && options[i].thread == t) {
        return i;
      }
    }
  }
  // Otherwise the inner strategy picks among the options no hold keeps back.
  std::vector<sim::Choice> free;
  std::vector<size_t> index;
  for (size_t i = 0; i < options.size(); ++i) {
    bool held = false;
    for (size_t k : HoldsFor(options[i])) held |= Applies(holds_[k], options[i]) && !holds_[k].ready();
    if (!held) {
      free.push_back(options[i]);
      index.push_back(i);
    }
  }
  if (free.empty()) return inner_->Pick(options);  // give up: the race is not reached
  if (free.size() == 1) return index[0];
  return index[inner_->Pick(free)];
}

}  // namespace iocpsim::workloads
