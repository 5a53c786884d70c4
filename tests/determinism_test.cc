// The same seed gives the same run, event for event; different seeds give
// different interleavings. Runs the bundled multi-M workload.
#include <cmath>
#include <optional>
#include <string>

#include "gtest/gtest.h"
#include "sim/event_log.h"
#include "sim/simulation.h"
#include "sim/workloads/workload.h"

namespace iocpsim {
namespace {

struct Outcome {
  std::string log;
  std::string decisions;
  sim::RunResult result;
};

// With the default host's timer latency [S46] unless `latency_ns` is given.
Outcome RunMixed(uint64_t seed, std::optional<int64_t> latency_ns = std::nullopt) {
  auto w = workloads::MakeWorkload("mixed");
  EXPECT_TRUE(w.ok());
  sim::SimulationConfig cfg;
  cfg.seed = seed;
  (*w)->Configure(cfg);
  if (latency_ns) cfg.kernel.timer_latency_ns = *latency_ns;
  sim::EventLog log;
  sim::Simulation s(cfg, &log);
  EXPECT_TRUE((*w)->Setup(s, seed).ok());
  Outcome r;
  r.result = s.Run();
  r.log = log.Text();
  for (const std::string& line : log.lines()) {
    if (line.find(" sched ") != std::string::npos) r.decisions += line.substr(line.find("->")) + "\n";
  }
  EXPECT_EQ((*w)->tally().completions, (*w)->tally().deliveries);
  return r;
}

TEST(Determinism, SameSeedSameEventLog) {
  Outcome a = RunMixed(7);
  Outcome b = RunMixed(7);
  EXPECT_EQ(a.result.outcome, sim::RunResult::Outcome::kCompleted);
  EXPECT_GT(a.result.decisions, 100);
  EXPECT_EQ(a.log, b.log);
  EXPECT_EQ(a.result.end_ns, b.result.end_ns);
}

// The high-resolution timers' seeded latency [S46] is part of the run: with
// it the same seed still gives the same log, and timers fire off the 0.5 ms
// grid, which they never do with it off.
TEST(Determinism, SameSeedSameTimerLatencies) {
  auto fired_off_grid = [](const std::string& log) {
    int off = 0;
    for (size_t at = log.find("timer-fired"); at != std::string::npos;
         at = log.find("timer-fired", at + 1)) {
      const size_t line = log.rfind('\n', at) + 1;  // npos + 1 == 0: the first line
      const double ms = std::stod(log.substr(line, log.find(' ', line) - line));
      off += std::llround(ms * 1e6) % 500'000 != 0;
    }
    return off;
  };
  const Outcome a = RunMixed(7);
  EXPECT_EQ(a.log, RunMixed(7).log);
  EXPECT_GT(fired_off_grid(a.log), 0);
  EXPECT_EQ(fired_off_grid(RunMixed(7, 0).log), 0);
}

TEST(Determinism, DifferentSeedsInterleaveDifferently) {
  Outcome a = RunMixed(7);
  Outcome b = RunMixed(8);
  EXPECT_NE(a.decisions, b.decisions);
  EXPECT_NE(a.log, b.log);
}

TEST(Determinism, ObservingDoesNotChangeTheRun) {
  // The observer only watches: a run without one makes the same decisions.
  auto w = workloads::MakeWorkload("mixed");
  sim::SimulationConfig cfg;
  cfg.seed = 11;
  (*w)->Configure(cfg);
  sim::Simulation s(cfg);
  ASSERT_TRUE((*w)->Setup(s, 11).ok());
  sim::RunResult quiet = s.Run();
  Outcome watched = RunMixed(11);
  EXPECT_EQ(quiet.decisions, watched.result.decisions);
  EXPECT_EQ(quiet.end_ns, watched.result.end_ns);
}

}  // namespace
}  // namespace iocpsim
