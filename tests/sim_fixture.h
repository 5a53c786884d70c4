// Helpers shared by the tests that run the poller on the simulated kernel.
#ifndef IOCPSIM_TESTS_SIM_FIXTURE_H_
#define IOCPSIM_TESTS_SIM_FIXTURE_H_

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "poller/branches.h"
#include "sim/simulation.h"

namespace iocpsim::testing {

// Picks by a caller-supplied rule.
class FunctionStrategy : public sim::Strategy {
 public:
  explicit FunctionStrategy(std::function<size_t(absl::Span<const sim::Choice>)> pick)
      : pick_(std::move(pick)) {}
  size_t Pick(absl::Span<const sim::Choice> options) override { return pick_(options); }

 private:
  std::function<size_t(absl::Span<const sim::Choice>)> pick_;
};

// Runnable threads before kernel steps, lowest thread id first: kernel work
// waits until every thread has reached a blocking call.
inline std::unique_ptr<sim::Strategy> ThreadsFirst() {
  return std::make_unique<FunctionStrategy>([](absl::Span<const sim::Choice>) { return 0; });
}

// Kernel steps before threads: the kernel is never late.
inline std::unique_ptr<sim::Strategy> KernelFirst() {
  return std::make_unique<FunctionStrategy>([](absl::Span<const sim::Choice> o) {
    for (size_t i = 0; i < o.size(); ++i) {
      if (o[i].kind == sim::Choice::Kind::kKernel) return i;
    }
    return size_t{0};
  });
}

// Keeps every kernel call the poller made.
class CallCapture : public sim::Observer {
 public:
  void OnCall(const sim::CallRecord& c) override { calls.push_back(c); }
  std::vector<sim::CallRecord> Named(const std::string& name) const {
    std::vector<sim::CallRecord> out;
    for (const auto& c : calls) {
      if (c.name == name) out.push_back(c);
    }
    return out;
  }
  std::vector<sim::CallRecord> calls;
};

inline uint64_t Count(const poller::Runtime& rt, poller::Branch b) {
  return rt.branches()[static_cast<int>(b)];
}

// The default host with its high-resolution timers firing exactly on their
// grid points, without S46's seeded latency: for tests that name the instant
// a timer fires.
inline sim::SimulationConfig OnGrid() {
  sim::SimulationConfig c;
  c.kernel.timer_latency_ns = 0;
  return c;
}

// A fresh simulation with 1 ms ticks unless the config says otherwise.
inline sim::SimulationConfig TestConfig() {
  sim::SimulationConfig c;
  c.kernel.tick_ns = 1'000'000;
  return c;
}

}  // namespace iocpsim::testing

#endif  // IOCPSIM_TESTS_SIM_FIXTURE_H_
