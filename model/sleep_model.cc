#include "model/sleep_model.h"

#include <algorithm>
#include <map>
#include <string>

#include "absl/strings/str_cat.h"
#include "sim/observer.h"
#include "sim/simulation.h"

namespace iocpsim::model {
namespace {

// Go's nanotime on Windows reads InterruptTime (KUSER_SHARED_DATA), which
// "is incremented at each clock interrupt" (QueryInterruptTime). Clock
// interrupts here: every `period`, the expiry of a timer the kernel had to
// wake for (assumption A1 in docs/sleep-model.md), and the end of a timed
// wait (its expiry is checked at a clock interrupt). A timer set with a due
// time already past signals at once, with no interrupt.
class InterruptClock : public sim::Observer {
 public:
  explicit InterruptClock(int64_t period) : period_(period) {}

  void OnKernelEvent(int64_t now, const sim::KernelEvent& e) override {
    if (e.kind == sim::KernelEvent::Kind::kTimerArmed) {
      armed_[e.object] = {now, e.value};
    } else if (e.kind == sim::KernelEvent::Kind::kTimerFired) {
      auto it = armed_.find(e.object);
      if (it != armed_.end() && it->second.fire_at > it->second.armed_at) last_fired_ = now;
    } else if (e.kind == sim::KernelEvent::Kind::kWaitTimedOut) {
      last_fired_ = now;
    }
  }

  int64_t nanotime(int64_t now) const { return std::max(now / period_ * period_, last_fired_); }
  int64_t NextInterrupt(int64_t now) const { return now / period_ * period_ + period_; }

 private:
  struct Armed {
    int64_t armed_at = 0;
    int64_t fire_at = 0;
  };
  const int64_t period_;
  std::map<uint64_t, Armed> armed_;  // by timer id
  int64_t last_fired_ = 0;
};

absl::Status CheckConfig(const SleepModelConfig& c) {
  if (c.rounds < 1 || c.rounds > kMaxRounds) {
    return absl::InvalidArgumentError(absl::StrCat("rounds must be between 1 and ", kMaxRounds));
  }
  if (c.sleep_ns < 1 || c.sleep_ns > kMaxSleepNs) {
    return absl::InvalidArgumentError(absl::StrCat("sleep must be between 1 ns and ", kMaxSleepNs, " ns"));
  }
  if (c.gomaxprocs < 1) return absl::InvalidArgumentError("GOMAXPROCS must be at least 1");
  if (c.interrupt_ns != 0 && c.interrupt_ns < kMinInterruptNs) {
    return absl::InvalidArgumentError(absl::StrCat("the interrupt period must be at least ",
                                                   kMinInterruptNs, " ns"));
  }
  return absl::OkStatus();
}

// The clock interrupts at least at every tick: another process can only
// make it interrupt more often.
absl::Status CheckInterrupts(int64_t interrupt_ns, int64_t tick_ns) {
  if (interrupt_ns > tick_ns) {
    return absl::InvalidArgumentError(absl::StrCat("the interrupt period (", interrupt_ns,
                                                   " ns) must not exceed the tick (", tick_ns,
                                                   " ns)"));
  }
  return absl::OkStatus();
}

}  // namespace

int64_t SleepModelResult::MedianRoundNs() const {
  if (round_ns.empty()) return 0;
  std::vector<int64_t> sorted = round_ns;
  std::sort(sorted.begin(), sorted.end());
  return sorted[sorted.size() / 2];
}

double SleepModelResult::PerOpNs(int32_t gomaxprocs) const {
  int64_t total = 0;
  for (int64_t r : round_ns) total += r;
  return round_ns.empty() ? 0 : static_cast<double>(total) / (round_ns.size() * gomaxprocs);
}

absl::StatusOr<SleepModelResult> RunSleepModel(const SleepModelConfig& c) {
  if (absl::Status st = CheckConfig(c); !st.ok()) return st;
  sim::SimulationConfig config;
  if (absl::Status st = sim::ApplyHostSpec(c.host, config.kernel); !st.ok()) return st;
  // A high-resolution timer's latency [S46] is the time from its grid point,
  // a clock interrupt, to its expiry reaching the waiter; InterruptTime moves
  // at the interrupt, so A1 (an expiry is an interrupt) holds only on the
  // grid. Off unless asked for (--timer_latency_ms): docs/sleep-model.md.
  if (!c.host.timer_latency_ns) config.kernel.timer_latency_ns = 0;
  if (absl::Status st = CheckInterrupts(c.interrupt_ns, config.kernel.tick_ns); !st.ok()) return st;
  config.runtime.variant = c.variant;
  config.runtime.gomaxprocs = c.gomaxprocs;
  config.scheduler.preemption = false;  // one M: nothing to interleave
  InterruptClock clock(c.interrupt_ns != 0 ? c.interrupt_ns : config.kernel.tick_ns);
  sim::Simulation s(config, &clock);
  if (!s.Boot()) return absl::InternalError("the runtime threw at start-up");

  SleepModelResult out;
  absl::Status failed;
  s.SpawnM("idle M", [&](poller::M&) {
    for (int round = 0; round < c.rounds; ++round) {
      const int64_t start = s.now();
      // Sleep: t.nextwhen = nanotime() + ns (runtime/time.go).
      const int64_t when = clock.nanotime(s.now()) + c.sleep_ns;
      // findRunnable: nothing runnable, the next timer at `when`: netpoll
      // until it, then checkTimers with a fresh nanotime; again if early.
      for (int64_t polls = 0;; ++polls) {
        const int64_t now = clock.nanotime(s.now());
        if (now >= when) break;  // runtimer: the sleepers are ready
        if (polls == kMaxPollsPerRound) {
          failed = absl::InternalError(absl::StrCat("round ", round, ": ", polls,
                                                    " polls without reaching the timer"));
          return;
        }
        const int64_t before = s.now();
        s.Netpoll(when - now);  // delay = pollUntil - now
        ++out.netpolls;
        if (s.now() == before && clock.nanotime(s.now()) == now) {
          // Returned at once (the timer was due before it was set): Go
          // loops through findRunnable on the CPU until nanotime moves.
          ++out.spins;
          s.env().Sleep(clock.NextInterrupt(s.now()) - s.now());
        }
      }
      out.round_ns.push_back(s.now() - start);
    }
  });
  const sim::RunResult r = s.Run();
  if (!failed.ok()) return failed;
  if (r.outcome != sim::RunResult::Outcome::kCompleted) {
    return absl::InternalError(absl::StrCat("the model's run ended early: ", r.stop_reason));
  }
  return out;
}

}  // namespace iocpsim::model
