// A simulated Go process on the simulated kernel: the ported poller
// (poller::Runtime) calling SimKernel, with each M a simulated thread that
// runs minit, its body and mdestroy, interleaved by a seeded scheduler.
#ifndef IOCPSIM_SIM_SIMULATION_H_
#define IOCPSIM_SIM_SIMULATION_H_

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "poller/runtime.h"
#include "sim/environment.h"
#include "sim/kernel.h"
#include "sim/kernel_config.h"
#include "sim/observed_environment.h"
#include "sim/observed_nt_api.h"
#include "sim/observer.h"
#include "sim/process.h"
#include "sim/scheduler.h"
#include "sim/strategy.h"

namespace iocpsim::sim {

struct SimulationConfig {
  KernelConfig kernel;
  poller::RuntimeConfig runtime;
  uint64_t seed = 1;
  SchedulerOptions scheduler;
  // With preemption on: the chance, per million, that a decision jumps time.
  uint32_t preempt_ppm = 20'000;
  // The workload queues user-mode APCs (a scenario's apc events), so its
  // traces hold QueueUserApc calls: format 7 (traces/format.h).
  bool queues_apcs = false;
};

class Simulation : public Process {
 public:
  // With an observer, every kernel call the poller makes is reported too.
  explicit Simulation(const SimulationConfig& config, Observer* observer = nullptr);
  // Replaces the seeded strategy (e.g. to replay a schedule).
  Simulation(const SimulationConfig& config, std::unique_ptr<Strategy> strategy,
             Observer* observer);
  ~Simulation() override;
  Simulation(const Simulation&) = delete;
  Simulation& operator=(const Simulation&) = delete;

  // The process start-up the poller depends on, outside any simulated thread:
  // loadOptionalSyscalls, initHighResTimer (osinit) and netpollinit. False if
  // the runtime threw (see fatal()).
  bool Boot() override;

  // Adds an M: a simulated thread running minit, body and mdestroy.
  poller::M& SpawnM(std::string name, std::function<void(poller::M&)> body) override;
  // Adds a thread outside the Go runtime (a device, a script).
  int SpawnThread(std::string name, std::function<void()> body) override;

  // Runs until the threads finish, block for good, or one hits a fatal
  // error; the observer sees the end.
  RunResult Run() override;

  // netpoll as the Go scheduler calls it (findRunnable): netpoll(delay),
  // then the delta applied to netpollWaiters. Reports the return.
  std::pair<poller::gList, int32_t> Netpoll(int64_t delay) override;

  // The world around the poller, recorded when the run is observed.
  Environment& env() override { return *env_; }
  // The kernel as the poller calls it (recorded when observed), for code
  // outside the runtime that shares it, such as a foreign library.
  nt::NtApi& nt() override {
    return observed_ ? static_cast<nt::NtApi&>(*observed_) : *kernel_;
  }
  SimKernel& kernel() { return *kernel_; }
  poller::Runtime& runtime() override { return *runtime_; }
  int64_t now() override { return kernel_->now(); }
  Simulation* simulation() override { return this; }
  Scheduler& scheduler() { return *scheduler_; }
  const std::optional<FatalInfo>& fatal() const override { return fatal_; }
  const std::deque<poller::M>& ms() const { return ms_; }
  // Whether Go's poller sleeps on a wait packet here: the host offers one
  // (KernelConfig::OffersHighResSleep) and the variant has the code to use
  // it. Oracles and race accounting judge by this, not by the poller's flags.
  bool HighResSleepApplies() const {
    return kernel_->config().OffersHighResSleep() &&
           runtime_->variant == poller::Variant::kHighRes;
  }

 private:
  void ReportFatal(int thread, const std::string& message) override;

  std::unique_ptr<Strategy> strategy_;
  std::unique_ptr<Scheduler> scheduler_;
  std::unique_ptr<SimKernel> kernel_;
  Observer* observer_;
  std::unique_ptr<SimCallClock> clock_;
  std::unique_ptr<ObservedNtApi> observed_;
  std::unique_ptr<ObservedEnvironment> observed_env_;
  Environment* env_;
  std::unique_ptr<poller::Runtime> runtime_;
  std::deque<poller::M> ms_;
  std::map<int, poller::g*> g_of_thread_;  // the g each M's thread runs
  std::optional<FatalInfo> fatal_;
};

}  // namespace iocpsim::sim

#endif  // IOCPSIM_SIM_SIMULATION_H_
