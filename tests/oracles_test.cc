// The oracles judge what Go's scheduler would see: each fires on the mutant
// meant for it and stays silent on the faithful poller, including on
// schedules that only look like a bug (a completion after the last poll).
#include <memory>
#include <string>

#include "explore/explorer.h"
#include "gtest/gtest.h"
#include "poller/mutant.h"
#include "sim/workloads/scenario_loader.h"

namespace iocpsim {
namespace {

explore::Target ScenarioTarget(const std::string& text,
                               poller::Mutant m = poller::Mutant::kNone) {
  absl::StatusOr<scenario::Scenario> sc = workloads::ParseScenario("s.textproto", text);
  EXPECT_TRUE(sc.ok()) << sc.status();
  explore::Target t;
  t.workload = "s.textproto";
  t.scenario = std::make_shared<const scenario::Scenario>(*sc);
  t.host.runtime.mutant = m;
  return t;
}

explore::Target FileTarget(const std::string& file, poller::Mutant m = poller::Mutant::kNone) {
  explore::Target t;
  t.workload = file;
  t.host.runtime.mutant = m;
  return t;
}

// The oracles that fired in `n` schedules from seed 1 (RunSchedule, so that
// a scenario given as text needs no file).
std::map<std::string, int> Fired(const explore::Target& t, int n) {
  std::map<std::string, int> fired;
  for (int seed = 1; seed <= n; ++seed) {
    absl::StatusOr<explore::ScheduleOutcome> o = explore::RunSchedule(t, seed, nullptr, nullptr);
    EXPECT_TRUE(o.ok()) << o.status();
    if (o.ok() && o->violation) ++fired[o->violation->oracle];
  }
  return fired;
}

// PCT starves the thread that completes the read until the poller's last
// poll has returned: the completion comes after every poll that could take
// it, which is the scenario's end, not a lost delivery.
TEST(DeliveryOracle, CompletionAfterTheLastPollIsNotLost) {
  explore::Target t = FileTarget("tests/scenarios/foreign_entry.textproto");
  t.strategy = explore::StrategyKind::kPct;
  absl::StatusOr<explore::ScheduleOutcome> o = explore::RunSchedule(t, 15246, nullptr, nullptr);
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_FALSE(o->violation.has_value()) << o->violation->oracle << ": " << o->violation->detail;
  // The same by construction: the read completes after the only poll.
  EXPECT_TRUE(Fired(ScenarioTarget(R"(
    socket { name: "conn" }
    m { name: "a" step { netpoll: 1000000 } }
    event { at_ns: 5000000 complete: "conn" })"), 50).empty());
}

}  // namespace
}  // namespace iocpsim
