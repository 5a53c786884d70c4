// A Go process on the real kernel: the ported poller calling RealNtApi, each
// M a real OS thread running minit, its body and mdestroy, as in Go (one M,
// one OS thread). Threads start together when Run() is called.
#ifndef IOCPSIM_WIN32_REAL_PROCESS_H_
#define IOCPSIM_WIN32_REAL_PROCESS_H_

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "poller/runtime.h"
#include "sim/observed_environment.h"
#include "sim/observed_nt_api.h"
#include "sim/observer.h"
#include "sim/process.h"
#include "win32/real_clock.h"
#include "win32/real_environment.h"
#include "win32/real_nt_api.h"

namespace iocpsim::win32 {

struct RealProcessConfig {
  poller::RuntimeConfig runtime;  // goarch must be 8: this process is x64
  RealNtApiOptions nt;
  // A run still going after this long is torn down (outcome kStepLimit,
  // "time limit"): a real kernel can leave a thread blocked for good.
  int64_t time_limit_ns = 60'000'000'000;
  // A run whose threads all wait with no timeout, with no I/O in flight and
  // no wait packet armed, for this long with no call made, is idle (outcome
  // kIdle, as in the simulator): nothing is left that could wake them.
  int64_t idle_after_ns = 250'000'000;
  // Each thread runs its code between kernel calls holding the model's turn
  // (RealNtApi::ModelTurn), as a workload's shared model needs. A replay,
  // whose threads wait for each other outside calls and share no model,
  // runs without.
  bool model_turns = true;
  // The most threads one run may have (OS threads: each has a stack).
  static constexpr size_t kMaxThreads = 1024;
};

class RealProcess : public sim::Process {
 public:
  // With an observer, every kernel call is reported, serialized in the order
  // the calls returned.
  explicit RealProcess(const RealProcessConfig& config, sim::Observer* observer = nullptr);
  ~RealProcess() override;  // tears down and joins what still runs
  RealProcess(const RealProcess&) = delete;
  RealProcess& operator=(const RealProcess&) = delete;

  bool Boot() override;
  poller::M& SpawnM(std::string name, std::function<void(poller::M&)> body) override;
  int SpawnThread(std::string name, std::function<void()> body) override;
  sim::RunResult Run() override;
  std::pair<poller::gList, int32_t> Netpoll(int64_t delay) override;

  sim::Environment& env() override { return *env_api_; }
  nt::NtApi& nt() override { return *nt_api_; }
  poller::Runtime& runtime() override { return *runtime_; }
  int64_t now() override { return clock_.Now(); }
  const std::optional<sim::FatalInfo>& fatal() const override { return fatal_; }

  // An error if the run asked for more than kMaxThreads threads; such a run
  // starts none.
  absl::Status status() const;

  RealNtApi& real_nt() { return *real_; }
  RealEnvironment& real_env() { return *env_; }

 private:
  // Serializes an observer for concurrent threads.
  class SerialObserver;
  struct Thread {
    std::string name;
    std::function<void()> body;
    std::thread os;
  };

  int Add(std::string name, std::function<void()> body, bool is_m);
  void ReportFatal(int thread, const std::string& message) override;
  void TearDownAndJoin();
  bool AllStarted() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return started_ == threads_.size();
  }

  RealClock clock_;
  std::unique_ptr<SerialObserver> observer_;
  std::unique_ptr<RealNtApi> real_;
  std::unique_ptr<RealEnvironment> env_;
  std::unique_ptr<sim::ObservedNtApi> observed_;
  std::unique_ptr<sim::ObservedEnvironment> observed_env_;
  nt::NtApi* nt_api_;
  sim::Environment* env_api_;
  std::unique_ptr<poller::Runtime> runtime_;
  int64_t time_limit_ns_;
  int64_t idle_after_ns_;
  const bool model_turns_;
  std::deque<poller::M> ms_;
  std::deque<Thread> threads_;
  bool ran_ = false;
  size_t refused_threads_ = 0;  // asked for beyond kMaxThreads

  absl::Mutex mu_;
  int running_ ABSL_GUARDED_BY(mu_) = 0;
  size_t started_ ABSL_GUARDED_BY(mu_) = 0;  // threads that have begun Run
  std::optional<sim::FatalInfo> fatal_;  // written under mu_, read after Run
};

}  // namespace iocpsim::win32

#endif  // IOCPSIM_WIN32_REAL_PROCESS_H_
