#include "sim/simulation.h"

#include <utility>

#include "absl/strings/str_cat.h"

namespace iocpsim::sim {

Simulation::Simulation(const SimulationConfig& config, Observer* observer)
    : Simulation(config, std::make_unique<RandomStrategy>(config.seed, config.preempt_ppm),
                 observer) {}

Simulation::Simulation(const SimulationConfig& config, std::unique_ptr<Strategy> strategy,
                       Observer* observer)
    : strategy_(std::move(strategy)), observer_(observer) {
  scheduler_ = std::make_unique<Scheduler>(*strategy_, observer, config.scheduler);
  kernel_ = std::make_unique<SimKernel>(config.kernel, *scheduler_, observer, config.seed);
  nt::NtApi* api = kernel_.get();
  env_ = kernel_.get();
  clock_ = std::make_unique<SimCallClock>(*scheduler_, *kernel_);
  if (observer != nullptr) {
    observed_ = std::make_unique<ObservedNtApi>(*kernel_, *clock_, *observer);
    observed_env_ = std::make_unique<ObservedEnvironment>(*kernel_, *kernel_, *clock_, *observer);
    api = observed_.get();
    env_ = observed_env_.get();
  }
  poller::RuntimeConfig rc = config.runtime;
  rc.goarch.PtrSize = config.kernel.ptr_size;
  runtime_ = std::make_unique<poller::Runtime>(*api, rc);
  if (rc.gopark_switch) {
    // Set-up parks its goroutines outside any thread: no switch there.
    runtime_->goparkSwitch = [this] {
      if (scheduler_->current() != nullptr) env_->Gopark();
    };
  }
  // A resumed thread gets its g back, as the TLS slot would restore it.
  scheduler_->SetResumeHook([this](SimThread& t) {
    auto it = g_of_thread_.find(t.id);
    runtime_->setg(it == g_of_thread_.end() ? nullptr : it->second);
  });
}

Simulation::~Simulation() { scheduler_->Teardown(); }

bool Simulation::Boot() {
  if (std::optional<std::string> fatal = BootRuntime(*runtime_)) {
    ReportFatal(0, *fatal);
    return false;
  }
  return true;
}

void Simulation::ReportFatal(int thread, const std::string& message) {
  fatal_ = FatalInfo{thread, message};
  if (observer_ != nullptr) {
    observer_->OnFatal(kernel_->now(), thread, message, runtime_->printed());
  }
}

std::pair<poller::gList, int32_t> Simulation::Netpoll(int64_t delay) {
  return ObservedNetpoll(*runtime_, observer_, *clock_, delay);
}

poller::M& Simulation::SpawnM(std::string name, std::function<void(poller::M&)> body) {
  poller::M& m = ms_.emplace_back();
  m.id = static_cast<int64_t>(ms_.size());
  m.g0.m = &m;
  const int id = scheduler_->Spawn(std::move(name), [this, &m, body = std::move(body)] {
    const int self = scheduler_->current()->id;
    try {
      runtime_->minit();
      body(m);
      runtime_->mdestroy(&m);
    } catch (const poller::Fatal& f) {
      ReportFatal(self, f.what());
      scheduler_->Stop(absl::StrCat("fatal error on T", self, ": ", f.what()));
    }
  });
  g_of_thread_[id] = &m.g0;
  if (observer_ != nullptr) observer_->OnThreadStart(id, scheduler_->thread(id).name, true);
  return m;
}

int Simulation::SpawnThread(std::string name, std::function<void()> body) {
  // Such threads may call into the runtime too (netpollBreak): a throw there
  // ends the run as on an M.
  const int id = scheduler_->Spawn(std::move(name), [this, body = std::move(body)] {
    try {
      body();
    } catch (const poller::Fatal& f) {
      const int self = scheduler_->current()->id;
      ReportFatal(self, f.what());
      scheduler_->Stop(absl::StrCat("fatal error on T", self, ": ", f.what()));
    }
  });
  if (observer_ != nullptr) observer_->OnThreadStart(id, scheduler_->thread(id).name, false);
  return id;
}

RunResult Simulation::Run() {
  RunResult r = scheduler_->Run();
  if (observer_ != nullptr) {
    observer_->OnRunEnd(r.end_ns,
                        RunSummary{OutcomeName(r.outcome), r.steps, r.decisions, r.stop_reason});
  }
  return r;
}

}  // namespace iocpsim::sim
