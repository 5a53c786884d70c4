#include "sim/workloads/race_director.h"

#include <cstring>

namespace iocpsim::workloads {

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
  for (Hold& h : holds_) {
    if (!Applies(h, c)) continue;
    if (h.ready() && !h.race.empty()) ++reached_[h.race];
    if (h.nth != 0) h.done = true;
  }
  if (pending != nullptr) ++calls_[{c.thread, pending}];
}

size_t RaceDirector::Pick(absl::Span<const sim::Choice> options) {
  // A held option whose precondition now holds goes first.
  for (size_t i = 0; i < options.size(); ++i) {
    for (Hold& h : holds_) {
      if (Applies(h, options[i]) && h.ready()) return i;
    }
  }
  for (const auto& thread : prefer_) {
    const int t = thread();
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
    for (Hold& h : holds_) held |= Applies(h, options[i]) && !h.ready();
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
