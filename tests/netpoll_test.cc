// Every branch of the ported netpoll, driven against the simulated kernel.
#include <vector>

#include "gtest/gtest.h"
#include "poller/runtime.h"
#include "sim/simulation.h"
#include "tests/sim_fixture.h"

namespace iocpsim {
namespace {

using poller::Branch;
using testing::Count;
using testing::TestConfig;
using testing::ThreadsFirst;

TEST(Netpoll, HighResTimerWakesAfterDelay) {
  sim::SimulationConfig cfg;  // 15.625 ms tick
  sim::Simulation s(cfg, ThreadsFirst(), nullptr);
  ASSERT_TRUE(s.Boot());
  int64_t returned_at = -1;
  s.SpawnM("m1", [&](poller::M&) {
    auto [list, delta] = s.runtime().netpoll(1'200'000);  // 1.2 ms
    EXPECT_TRUE(list.empty());
    EXPECT_EQ(delta, 0);
    returned_at = s.kernel().now();
  });
  sim::RunResult r = s.Run();
  EXPECT_EQ(r.outcome, sim::RunResult::Outcome::kCompleted);
  // The timer fires on the 0.5 ms grid at 1.5 ms, long before the 1 ms
  // GQCS timeout ends on the 15.625 ms tick.
  EXPECT_EQ(returned_at, 1'500'000);
  EXPECT_EQ(Count(s.runtime(), Branch::kNetpollTimer), 1u);
  EXPECT_EQ(Count(s.runtime(), Branch::kQueueTimerCancelled), 1u);
  EXPECT_TRUE(s.kernel().LiveHandles().size() == 1);  // only the port is left
}

}  // namespace
}  // namespace iocpsim
