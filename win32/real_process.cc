#include "win32/real_process.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"

namespace iocpsim::win32 {

thread_local int RealClock::thread_ = 0;
thread_local int64_t RealClock::call_start_ = 0;

// Real threads report concurrently; observers (the recorder) expect one
// event at a time.
class RealProcess::SerialObserver : public sim::Observer {
 public:
  explicit SerialObserver(sim::Observer& inner) : inner_(inner) {}
  void OnThreadStart(int thread, const std::string& name, bool is_m) override {
    absl::MutexLock lock(&mu_);
    inner_.OnThreadStart(thread, name, is_m);
  }
  void OnThreadEnd(int64_t now, int thread) override {
    absl::MutexLock lock(&mu_);
    inner_.OnThreadEnd(now, thread);
  }
  void OnCallStart(const sim::CallRecord& call) override {
    absl::MutexLock lock(&mu_);
    inner_.OnCallStart(call);
  }
  void OnCall(const sim::CallRecord& call) override {
    absl::MutexLock lock(&mu_);
    inner_.OnCall(call);
  }
  void OnNetpollEnter(int64_t now, int thread, int64_t delay) override {
    absl::MutexLock lock(&mu_);
    inner_.OnNetpollEnter(now, thread, delay);
  }
  void OnNetpoll(int64_t now, const sim::NetpollReturn& r) override {
    absl::MutexLock lock(&mu_);
    inner_.OnNetpoll(now, r);
  }
  void OnFatal(int64_t now, int thread, const std::string& message,
               const std::vector<std::string>& printed) override {
    absl::MutexLock lock(&mu_);
    inner_.OnFatal(now, thread, message, printed);
  }
  void OnRunEnd(int64_t now, const sim::RunSummary& end) override {
    absl::MutexLock lock(&mu_);
    inner_.OnRunEnd(now, end);
  }

 private:
  absl::Mutex mu_;
  sim::Observer& inner_;
};

RealProcess::RealProcess(const RealProcessConfig& config, sim::Observer* observer)
    : time_limit_ns_(config.time_limit_ns),
      idle_after_ns_(config.idle_after_ns),
      model_turns_(config.model_turns) {
  if (config.runtime.goarch.PtrSize != 8) {
    std::fprintf(stderr, "iocpsim: the real backend runs a 64-bit process only\n");
    std::abort();
  }
  RealClock::SetThread(0);
  real_ = std::make_unique<RealNtApi>(config.nt, clock_);
  env_ = std::make_unique<RealEnvironment>(*real_);
  nt_api_ = real_.get();
  env_api_ = env_.get();
  if (observer != nullptr) {
    observer_ = std::make_unique<SerialObserver>(*observer);
    observed_ = std::make_unique<sim::ObservedNtApi>(*real_, clock_, *observer_);
    observed_env_ =
        std::make_unique<sim::ObservedEnvironment>(*env_, *real_, clock_, *observer_);
    nt_api_ = observed_.get();
    env_api_ = observed_env_.get();
  }
  runtime_ = std::make_unique<poller::Runtime>(*nt_api_, config.runtime);
  if (config.runtime.gopark_switch) {
    // As in the simulator: each park of an M's goroutine lets another
    // thread run (SwitchToThread); set-up's parks do not.
    runtime_->goparkSwitch = [this] {
      if (clock_.CallThread() != 0) env_api_->Gopark();
    };
  }
}

RealProcess::~RealProcess() { TearDownAndJoin(); }

bool RealProcess::Boot() {
  if (std::optional<std::string> fatal = sim::BootRuntime(*runtime_)) {
    ReportFatal(0, *fatal);
    return false;
  }
  return true;
}

void RealProcess::ReportFatal(int thread, const std::string& message) {
  {
    absl::MutexLock lock(&mu_);
    if (fatal_) return;  // the process died at the first
    fatal_ = sim::FatalInfo{thread, message};
  }
  if (observer_ != nullptr) observer_->OnFatal(clock_.Now(), thread, message, runtime_->printed());
  // Go's throw ends the process: end every other thread's wait.
  real_->TearDown();
}

int RealProcess::Add(std::string name, std::function<void()> body, bool is_m) {
  if (ran_) {
    std::fprintf(stderr, "iocpsim: RealProcess: threads must be added before Run()\n");
    std::abort();
  }
  if (threads_.size() >= RealProcessConfig::kMaxThreads) {
    ++refused_threads_;
    return static_cast<int>(threads_.size() + refused_threads_);
  }
  threads_.push_back(Thread{name, std::move(body), {}});
  const int id = static_cast<int>(threads_.size());
  if (observer_ != nullptr) observer_->OnThreadStart(id, name, is_m);
  return id;
}

poller::M& RealProcess::SpawnM(std::string name, std::function<void(poller::M&)> body) {
  poller::M& m = ms_.emplace_back();
  m.id = static_cast<int64_t>(ms_.size());
  m.g0.m = &m;
  const int id = static_cast<int>(threads_.size()) + 1;
  Add(std::move(name),
      [this, &m, id, body = std::move(body)] {
        runtime_->setg(&m.g0);  // this OS thread's g, as Go's TLS slot holds it
        try {
          runtime_->minit();
          body(m);
          runtime_->mdestroy(&m);
        } catch (const poller::Fatal& f) {
          ReportFatal(id, f.what());
        }
      },
      true);
  return m;
}

int RealProcess::SpawnThread(std::string name, std::function<void()> body) {
  const int id = static_cast<int>(threads_.size()) + 1;
  return Add(std::move(name),
             [this, id, body = std::move(body)] {
               try {
                 body();
               } catch (const poller::Fatal& f) {
                 ReportFatal(id, f.what());
               }
             },
             false);
}

absl::Status RealProcess::status() const {
  if (refused_threads_ == 0) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat("the run asks for ", threads_.size() + refused_threads_,
                   " threads; the real backend runs at most ", RealProcessConfig::kMaxThreads));
}

sim::RunResult RealProcess::Run() {
  ran_ = true;
  if (!status().ok()) {
    sim::RunResult r;
    r.outcome = sim::RunResult::Outcome::kStopped;
    r.stop_reason = std::string(status().message());
    return r;
  }
  {
    absl::MutexLock lock(&mu_);
    running_ = static_cast<int>(threads_.size());
  }
  for (size_t i = 0; i < threads_.size(); ++i) {
    Thread& t = threads_[i];
    const int id = static_cast<int>(i) + 1;
    t.os = std::thread([this, &t, id] {
      RealClock::SetThread(id);
      env_->ThreadStarted(id);
      {
        // Every thread has its handle before any runs: a scenario event may
        // queue an APC to an M at once.
        absl::MutexLock lock(&mu_);
        ++started_;
        mu_.Await(absl::Condition(this, &RealProcess::AllStarted));
      }
      try {
        std::optional<RealNtApi::ModelTurn> turn;
        if (model_turns_) turn.emplace(*real_);
        t.body();
      } catch (const TornDown&) {
        // Unwound by a tear-down: the thread did not finish its body.
      }
      if (observer_ != nullptr) observer_->OnThreadEnd(clock_.Now(), id);
      absl::MutexLock lock(&mu_);
      --running_;
    });
  }
  sim::RunResult r;
  bool finished = false;
  bool idle = false;
  std::optional<RealNtApi::Activity> quiet;  // when the run last looked idle
  const int64_t deadline = clock_.Now() + time_limit_ns_;
  while (!finished && !idle && clock_.Now() < deadline) {
    absl::MutexLock lock(&mu_);
    finished = mu_.AwaitWithTimeout(
        absl::Condition(+[](int* n) { return *n == 0; }, &running_),
        absl::Nanoseconds(std::min(idle_after_ns_, std::max<int64_t>(0, deadline - clock_.Now()))));
    const RealNtApi::Activity now = real_->activity();
    const bool looks_idle = !finished && now.infinite_waiters == running_ &&
                            now.io_in_flight == 0 && !now.wait_packet_armed;
    idle = looks_idle && quiet && quiet->calls == now.calls;
    quiet = looks_idle ? std::optional<RealNtApi::Activity>(now) : std::nullopt;
  }
  if (idle) {
    r.outcome = sim::RunResult::Outcome::kIdle;
    r.stop_reason = absl::StrCat("idle: every thread waits with no timeout and nothing can wake it (",
                                 real_->InCalls(), ")");
  } else if (!finished) {
    r.outcome = sim::RunResult::Outcome::kStepLimit;
    const std::string in_calls = real_->InCalls();
    r.stop_reason = absl::StrCat("time limit: still running after ", time_limit_ns_ / 1'000'000,
                                 " ms", in_calls.empty() ? "" : " (", in_calls,
                                 in_calls.empty() ? "" : ")");
  }
  TearDownAndJoin();
  if (fatal_) {
    r.outcome = sim::RunResult::Outcome::kStopped;
    r.stop_reason = absl::StrCat("fatal error on T", fatal_->thread, ": ", fatal_->message);
  }
  r.end_ns = clock_.Now();
  if (observer_ != nullptr) {
    observer_->OnRunEnd(r.end_ns, sim::RunSummary{sim::OutcomeName(r.outcome), r.steps,
                                                  r.decisions, r.stop_reason});
  }
  return r;
}

void RealProcess::TearDownAndJoin() {
  for (int round = 1;; ++round) {
    {
      absl::MutexLock lock(&mu_);
      if (running_ == 0) break;
      // Every second, say what is still holding the run up.
      if (round % 100 == 0) {
        std::fprintf(stderr, "iocpsim: tearing down: %d threads still running (%s)\n",
                     running_, real_->InCalls().c_str());
      }
    }
    // Threads enter new waits until they see the flag: keep waking them.
    real_->TearDown();
    absl::MutexLock lock(&mu_);
    mu_.AwaitWithTimeout(absl::Condition(+[](int* n) { return *n == 0; }, &running_),
                         absl::Milliseconds(10));
  }
  for (Thread& t : threads_) {
    if (t.os.joinable()) t.os.join();
  }
}

std::pair<poller::gList, int32_t> RealProcess::Netpoll(int64_t delay) {
  return sim::ObservedNetpoll(*runtime_, observer_.get(), clock_, delay);
}

}  // namespace iocpsim::win32
