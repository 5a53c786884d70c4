// Go's time.Sleep on Windows, modelled around the ported poller as far as
// BenchmarkSleep (src/time/sleep_test.go) and go.dev/issue/44343 need: an
// idle M that computes the delay to the next timer from nanotime, calls
// netpoll(delay) on the simulated kernel, and runs the timers once nanotime
// reaches them. docs/sleep-model.md gives every parameter with its source.
//
// BenchmarkSleep runs GOMAXPROCS workers (RunParallel); each op starts 1000
// goroutines that Sleep(Nanosecond) and waits for them. Running goroutines
// costs no virtual time here, so every worker's op starts in the same
// instant, its 1000 timers share one `when`, and a round of GOMAXPROCS ops
// lasts as long as the poller takes to see that `when` pass.
#ifndef IOCPSIM_MODEL_SLEEP_MODEL_H_
#define IOCPSIM_MODEL_SLEEP_MODEL_H_

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "poller/variant.h"
#include "sim/host_profiles.h"

namespace iocpsim::model {

// Limits on a model run (docs/limits.md).
inline constexpr int kMaxRounds = 10'000;
inline constexpr int64_t kMaxSleepNs = 1'000'000'000'000;  // 1000 s
inline constexpr int64_t kMinInterruptNs = 1'000;          // 1 us
// netpoll calls in one round before the model calls it a livelock.
inline constexpr int64_t kMaxPollsPerRound = 1'000'000;

struct SleepModelConfig {
  poller::Variant variant = poller::Variant::kHighRes;
  sim::HostSpec host;  // over the windows profile
  // The clock interrupt period: how often InterruptTime, hence Go's
  // nanotime, moves. 0: the host's tick (no other process raised the rate).
  int64_t interrupt_ns = 0;
  int32_t gomaxprocs = 12;  // BenchmarkSleep-12
  int64_t sleep_ns = 1;     // Sleep(Nanosecond)
  int rounds = 64;          // rounds of back-to-back sleeps
};

struct SleepModelResult {
  std::vector<int64_t> round_ns;  // virtual time each round took
  int64_t netpolls = 0;           // netpoll calls, all rounds
  // netpoll returns with nanotime unchanged: the M spins (real CPU) until
  // the next clock interrupt, which the model skips to.
  int64_t spins = 0;
  int64_t MedianRoundNs() const;
  // Virtual time per op as `go test` reports it: elapsed / b.N, with
  // gomaxprocs ops per round.
  double PerOpNs(int32_t gomaxprocs) const;
};

absl::StatusOr<SleepModelResult> RunSleepModel(const SleepModelConfig& config);

}  // namespace iocpsim::model

#endif  // IOCPSIM_MODEL_SLEEP_MODEL_H_
