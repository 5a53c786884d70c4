#include "sim/scheduler.h"

#include <cstdio>
#include <cstdlib>
#include <utility>

#include "absl/strings/str_cat.h"

namespace iocpsim::sim {

std::string ChoiceName(const Choice& c) {
  switch (c.kind) {
    case Choice::Kind::kThread: return absl::StrCat("T", c.thread);
    case Choice::Kind::kKernel: return "kernel";
    case Choice::Kind::kAdvance: return "advance";
  }
  return "?";
}

const char* OutcomeName(RunResult::Outcome o) {
  switch (o) {
    case RunResult::Outcome::kCompleted: return "completed";
    case RunResult::Outcome::kIdle: return "idle";
    case RunResult::Outcome::kStopped: return "stopped";
    case RunResult::Outcome::kStepLimit: return "step-limit";
  }
  return "?";
}

Scheduler::Scheduler(Strategy& strategy, Observer* observer,
                     SchedulerOptions options)
    : strategy_(strategy), observer_(observer), options_(options) {}

Scheduler::~Scheduler() { Teardown(); }

void Scheduler::Teardown() {
  for (auto& t : threads_) {
    if (t->started && t->state != SimThread::State::kFinished) {
      t->cancel = true;
      current_ = t.get();
      t->fiber->Resume();
      current_ = nullptr;
      if (!t->fiber->finished()) {
        std::fprintf(stderr, "iocpsim: thread %s swallowed Cancelled\n", t->name.c_str());
        std::abort();
      }
      t->state = SimThread::State::kFinished;
    }
  }
}

int Scheduler::Spawn(std::string name, std::function<void()> body) {
  auto t = std::make_unique<SimThread>();
  t->id = static_cast<int>(threads_.size()) + 1;
  t->name = std::move(name);
  t->fiber = std::make_unique<Fiber>([body = std::move(body)] {
    try {
      body();
    } catch (const Cancelled&) {
      // Torn down mid-run: nothing more to do.
    }
  });
  threads_.push_back(std::move(t));
  return threads_.back()->id;
}

void Scheduler::SuspendCurrent() {
  SimThread* t = current_;
  t->fiber->Suspend();
  if (t->cancel) throw Cancelled{};
}

void Scheduler::Yield() {
  // When the next scheduling point would offer only this thread, Run would
  // resume it at once: take that step here, on its own stack, and spare the
  // two fiber switches (most of a kernel call's cost). Observers and the
  // strategy see exactly what Run would show them.
  SimThread* t = current_;
  if (!stopped_ && !t->cancel && steps_ < options_.max_steps && OnlyOption(*t)) {
    options_buf_.assign(1, Choice{Choice::Kind::kThread, t->id});
    ++steps_;
    strategy_.Observe(options_buf_, 0);
    if (observer_) observer_->OnDecision(kernel_->now(), options_buf_, 0);
    if (resume_hook_) resume_hook_(*t);
    return;
  }
  SuspendCurrent();
}

void Scheduler::Block() {
  current_->state = SimThread::State::kBlocked;
  SuspendCurrent();
}

void Scheduler::Wake(SimThread& t) {
  if (t.state == SimThread::State::kBlocked) {
    t.state = SimThread::State::kRunnable;
    ++t.wait_generation;
  }
}

void Scheduler::Stop(std::string reason) {
  if (!stopped_) {
    stopped_ = true;
    stop_reason_ = std::move(reason);
  }
}

bool Scheduler::OnlyOption(const SimThread& t) const {
  // CollectOptions would give [t] alone: t runnable and no other thread, no
  // kernel work, and no time jump on offer. Cheapest tests first, so a
  // point with other options costs Run little more than before.
  if (t.state != SimThread::State::kRunnable) return false;
  for (const auto& o : threads_) {
    if (o.get() != &t && o->state == SimThread::State::kRunnable) return false;
  }
  if (kernel_->HasReadyWork()) return false;
  return !options_.preemption || !kernel_->NextEventTime();
}

void Scheduler::CollectOptions(std::vector<Choice>& options, std::optional<int64_t>& next) {
  options.clear();
  for (auto& t : threads_) {
    if (t->state == SimThread::State::kRunnable) {
      options.push_back({Choice::Kind::kThread, t->id});
    }
  }
  const bool kernel_ready = kernel_->HasReadyWork();
  if (kernel_ready) options.push_back({Choice::Kind::kKernel});
  next = kernel_->NextEventTime();
  // Preemption deschedules threads; the kernel's own ready work (a packet
  // in flight) is never left waiting while time jumps.
  if (!options.empty() && next && options_.preemption && !kernel_ready) {
    options.push_back({Choice::Kind::kAdvance});
  }
}

RunResult Scheduler::Run() {
  RunResult r;
  steps_ = decisions_ = 0;  // this run's (threads run only under Run)
  auto counted = [this, &r] {
    r.steps = steps_;
    r.decisions = decisions_;
  };
  while (!stopped_) {
    std::vector<Choice>& options = options_buf_;
    std::optional<int64_t> next;
    CollectOptions(options, next);
    if (options.empty()) {
      if (!next) break;
      kernel_->AdvanceTo(*next);
      continue;
    }

    if (steps_ >= options_.max_steps) {
      counted();
      r.outcome = RunResult::Outcome::kStepLimit;
      r.end_ns = kernel_->now();
      return r;
    }
    ++steps_;
    size_t picked = 0;
    if (options.size() > 1) {
      picked = strategy_.Pick(options);
      ++decisions_;
    }
    const Choice choice = options[picked];
    strategy_.Observe(options, picked);
    if (observer_) observer_->OnDecision(kernel_->now(), options, picked);

    switch (choice.kind) {
      case Choice::Kind::kThread: {
        SimThread& t = thread(choice.thread);
        t.started = true;
        current_ = &t;
        if (resume_hook_) resume_hook_(t);
        t.fiber->Resume();
        current_ = nullptr;
        if (t.fiber->finished()) {
          t.state = SimThread::State::kFinished;
          if (observer_) observer_->OnThreadEnd(kernel_->now(), t.id);
        }
        break;
      }
      case Choice::Kind::kKernel:
        kernel_->RunReadyWork();
        break;
      case Choice::Kind::kAdvance:
        kernel_->AdvanceTo(*next);
        break;
    }
  }
  counted();
  r.end_ns = kernel_->now();
  if (stopped_) {
    r.outcome = RunResult::Outcome::kStopped;
    r.stop_reason = stop_reason_;
    return r;
  }
  for (auto& t : threads_) {
    if (t->state != SimThread::State::kFinished) r.blocked.push_back(t->id);
  }
  r.outcome = r.blocked.empty() ? RunResult::Outcome::kCompleted
                                : RunResult::Outcome::kIdle;
  return r;
}

}  // namespace iocpsim::sim
