// Steers a run so that the races a scenario asks for happen: a hold keeps a
// thread parked before its nth call of a function (or keeps the kernel from
// delivering a packet) until the race's precondition holds, then lets it go
// first. Everything else is left to the wrapped strategy. When holds would
// leave nothing to run, they are released and the race is not reached.
// Unforced (set_forcing(false)) it holds and prefers nothing: the wrapped strategy
// picks every option, and a race counts as reached when the schedule happens
// to take the held call with its precondition met (how `explore --nosteer`
// measures a strategy's own reach).
#ifndef IOCPSIM_SIM_WORKLOADS_RACE_DIRECTOR_H_
#define IOCPSIM_SIM_WORKLOADS_RACE_DIRECTOR_H_

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "sim/scheduler.h"

namespace iocpsim::workloads {

struct Hold {
  std::string race;  // the race it serves, for reports
  int thread = 0;    // 0: hold the kernel's next step instead
  const char* call = nullptr;  // the function the thread is parked before
  int nth = 0;       // its nth call (1-based); 0: every call while active
  std::function<bool()> ready;   // may it go now?
  std::function<bool()> active = nullptr;  // does it apply now? (default: always)
  bool done = false;  // an nth hold whose call has run
};

class RaceDirector : public sim::Strategy {
 public:
  explicit RaceDirector(std::unique_ptr<sim::Strategy> inner) : inner_(std::move(inner)) {}

  void Add(Hold h);
  // A thread to pick first whenever it can run (a poll that should win):
  // `thread` names it (0: none now); taking it while `racing` holds reaches
  // `race`.
  void Prefer(std::function<int()> thread, std::string race, std::function<bool()> racing) {
    prefer_.push_back({std::move(thread), std::move(race), std::move(racing)});
  }
  void set_forcing(bool on) { forcing_ = on; }
  // The scheduler, to read each thread's pending call.
  void Attach(sim::Scheduler* sched) { sched_ = sched; }

  size_t Pick(absl::Span<const sim::Choice> options) override;
  void Observe(absl::Span<const sim::Choice> options, size_t picked) override;

  // Per race: times its hold let the call go with the precondition met.
  const std::map<std::string, int>& reached() const { return reached_; }

 private:
  bool Applies(Hold& h, const sim::Choice& c);
  // The holds that could apply to an option: those on its thread (or the
  // kernel's), so that a step costs the holds of the options, not all holds
  // times all options.
  const std::vector<size_t>& HoldsFor(const sim::Choice& c) const;

  std::unique_ptr<sim::Strategy> inner_;
  sim::Scheduler* sched_ = nullptr;
  std::vector<Hold> holds_;
  std::map<int, std::vector<size_t>> holds_of_thread_;  // thread (0: kernel) -> holds_ index
  struct Preference {
    std::function<int()> thread;
    std::string race;
    std::function<bool()> racing;
  };
  std::vector<Preference> prefer_;
  bool forcing_ = true;
  // (thread, function) -> calls made. Function names are the kernel's
  // string literals (SimThread::pending_call), so a view needs no copy; the
  // map is only looked up, never iterated.
  absl::flat_hash_map<std::pair<int, absl::string_view>, int> calls_;
  std::map<std::string, int> reached_;
};

}  // namespace iocpsim::workloads

#endif  // IOCPSIM_SIM_WORKLOADS_RACE_DIRECTOR_H_
