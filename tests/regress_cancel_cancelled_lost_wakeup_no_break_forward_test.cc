// A regression test written by `iocpsim regress` (iocpsim 0.1.0) from a finding
// of `iocpsim explore`. Regenerate it rather than edit it:
//   iocpsim regress tests/findings/cancel_cancelled.lost-wakeup.seed20.min.textproto --seed=20 --mutant=no-break-forward --schedule=tests/findings/cancel_cancelled.lost-wakeup.seed20.min.schedule -o tests/regress_cancel_cancelled_lost_wakeup_no_break_forward_test.cc
//
// The finding: lost-wakeup: T1 still blocked in netpoll(1000000) 4.520479 ms after a netpollBreak
// Expected: the no-break-forward poller violates lost-wakeup on this schedule; the test
// fails if that stops (the oracle no longer catches it, or the schedule no longer
// reaches it).
#include "explore/regression.h"
#include "gtest/gtest.h"

namespace {

// The scenario, minimized, with its host.
constexpr char kScenario[] = R"pb(
description: "STATUS_CANCELLED at the poller\'s second netpollQueueTimer"
m {
  name: "poller"
  step {
    netpoll: 2000000
  }
  step {
    sleep_ns: 3000000
  }
  step {
    netpoll: 1000000
  }
}
m {
  name: "spinner"
  step {
    sleep_ns: 2500000
  }
  step {
    netpoll: 0
  }
}
event {
  at_ns: 500000
  netpoll_break: true
}
race {
  cancel_answers {
    m: "poller"
    nth: 2
    status: CANCELLED
  }
}
)pb";

TEST(Regress, CancelCancelledLostWakeupNoBreakForward) {
  iocpsim::explore::RegressionCase c;
  c.name = "regress_cancel_cancelled_lost_wakeup_no_break_forward_test.cc kScenario";
  c.scenario_text = kScenario;
  c.mutant = "no-break-forward";
  c.seed = 20u;
  c.schedule = "5:2 13:1 14:1 17:1 18:1 19:1";
  const absl::StatusOr<iocpsim::explore::ScheduleOutcome> r = iocpsim::explore::RunRegression(c);
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_TRUE(r->violation.has_value()) << "no oracle violated; expected lost-wakeup";
  EXPECT_EQ(r->violation->oracle, "lost-wakeup") << r->violation->detail;
}

}  // namespace
