// Simulated threads and the seeded scheduler that interleaves them.
//
// Every simulated thread runs on a Fiber on the caller's OS thread. A thread
// runs until it reaches a scheduling point (the start of a kernel call) and
// then the scheduler decides what happens next: resume one runnable thread,
// run one ready kernel step, or (with preemption on) jump virtual time to the
// next timed event while threads are still runnable. When nothing is
// runnable, virtual time jumps to the next event without a decision. The
// Strategy makes every decision, so a seed fixes the whole run.
#ifndef IOCPSIM_SIM_SCHEDULER_H_
#define IOCPSIM_SIM_SCHEDULER_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/types/span.h"
#include "poller/nt_types.h"
#include "sim/choice.h"
#include "sim/fiber.h"
#include "sim/observer.h"

namespace iocpsim::sim {

// Thrown out of a scheduling point when the run is being torn down, to
// unwind a suspended thread's stack. Thread bodies must let it pass.
struct Cancelled {};

struct SimThread {
  enum class State { kRunnable, kBlocked, kFinished };
  int id = 0;
  std::string name;
  std::unique_ptr<Fiber> fiber;
  State state = State::kRunnable;
  nt::DWORD last_error = 0;    // GetLastError
  int64_t call_start_ns = 0;   // when its current kernel call passed its scheduling point
  // The kernel call it is parked before (at its scheduling point), or
  // nullptr: running, blocked inside a call, or not yet started.
  const char* pending_call = nullptr;
  uint64_t wait_generation = 0;  // bumped by Wake: tells stale wake-ups
  bool started = false;
  bool cancel = false;
};

// The kernel's side of the loop (implemented by SimKernel).
class KernelWork {
 public:
  virtual ~KernelWork() = default;
  virtual int64_t now() const = 0;
  virtual bool HasReadyWork() = 0;
  virtual void RunReadyWork() = 0;
  virtual std::optional<int64_t> NextEventTime() = 0;
  virtual void AdvanceTo(int64_t t) = 0;
};

// Picks one of two or more options.
class Strategy {
 public:
  virtual ~Strategy() = default;
  virtual size_t Pick(absl::Span<const Choice> options) = 0;
  // Told of every step taken, with or without a choice.
  virtual void Observe(absl::Span<const Choice> options, size_t picked) {}
};

struct RunResult {
  enum class Outcome {
    kCompleted,  // every thread finished
    kIdle,       // threads remain, blocked with nothing left to wake them
    kStopped,    // Stop() was called (a runtime fatal error)
    kStepLimit,  // max_steps scheduling points passed
  };
  Outcome outcome = Outcome::kCompleted;
  int64_t steps = 0;      // scheduling points passed
  int64_t decisions = 0;  // points with more than one option
  int64_t end_ns = 0;     // virtual time at the end
  std::string stop_reason;
  std::vector<int> blocked;  // threads blocked at the end (kIdle)
};

const char* OutcomeName(RunResult::Outcome o);

struct SchedulerOptions {
  bool preemption = false;  // offer kAdvance while threads are runnable
  int64_t max_steps = 10'000'000;
};

class Scheduler {
 public:
  Scheduler(Strategy& strategy, Observer* observer, SchedulerOptions options);
  ~Scheduler();  // calls Teardown()
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  void SetKernel(KernelWork* kernel) { kernel_ = kernel; }
  // Called each time a thread is resumed (e.g. to restore getg()).
  void SetResumeHook(std::function<void(SimThread&)> hook) {
    resume_hook_ = std::move(hook);
  }

  // Adds a runnable thread; ids count from 1 in spawn order.
  int Spawn(std::string name, std::function<void()> body);
  SimThread& thread(int id) { return *threads_[id - 1]; }
  size_t thread_count() const { return threads_.size(); }

  // The running simulated thread, or nullptr outside any (setup code).
  SimThread* current() const { return current_; }

  // From a simulated thread: a scheduling point.
  void Yield();
  // From a simulated thread: park until Wake().
  void Block();
  // Makes a blocked thread runnable and bumps its wait_generation, so timed
  // wake-ups scheduled for the old wait are recognised as stale.
  void Wake(SimThread& t);
  // Ends the run after the current step.
  void Stop(std::string reason);

  RunResult Run();

  // Unwinds every started, unfinished thread (see Cancelled). Call it while
  // what those threads reference is still alive.
  void Teardown();

 private:
  void SuspendCurrent();
  // The options of the next scheduling point, as Run offers them, and the
  // kernel's next timed event.
  void CollectOptions(std::vector<Choice>& options, std::optional<int64_t>& next);
  // Whether the next scheduling point would offer `t` and nothing else.
  bool OnlyOption(const SimThread& t) const;

  Strategy& strategy_;
  Observer* observer_;
  SchedulerOptions options_;
  KernelWork* kernel_ = nullptr;
  std::function<void(SimThread&)> resume_hook_;
  std::vector<std::unique_ptr<SimThread>> threads_;
  SimThread* current_ = nullptr;
  bool stopped_ = false;
  std::string stop_reason_;
  std::vector<Choice> options_buf_;
  int64_t steps_ = 0;      // scheduling points passed (RunResult::steps)
  int64_t decisions_ = 0;  // ... with more than one option
};

}  // namespace iocpsim::sim

#endif  // IOCPSIM_SIM_SCHEDULER_H_
