// Hostile scenarios (issue 9): every count past its limit, every value that
// could overflow and every combination that cannot happen is refused at
// load time as FILE:LINE: field: problem.
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sim/workloads/scenario_limits.h"
#include "sim/workloads/scenario_loader.h"

namespace iocpsim {
namespace {

using ::testing::HasSubstr;

std::string ErrorOf(const std::string& text) {
  absl::StatusOr<scenario::Scenario> s = workloads::ParseScenario("s.textproto", text);
  EXPECT_FALSE(s.ok()) << text.substr(0, 200);
  return std::string(s.status().message());
}

std::string Repeat(const std::string& text, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) absl::StrAppend(&out, text);
  return out;
}

std::string Ms(int n, const std::string& steps) {
  std::string out;
  for (int i = 0; i < n; ++i) absl::StrAppend(&out, "m { name: \"m", i, "\" ", steps, " }\n");
  return out;
}

constexpr char kPoll[] = "step { netpoll: 1000000 }";

TEST(ScenarioLimits, EveryCountIsLimitedAndNamedAtTheFirstEntryPast) {
  using namespace workloads;
  EXPECT_EQ(ErrorOf(Ms(kMaxMs + 1, kPoll)),
            absl::StrCat("s.textproto:", kMaxMs + 1, ": m[", kMaxMs, "]: ", kMaxMs + 1,
                         " entries; at most ", kMaxMs, " are allowed"));
  EXPECT_THAT(ErrorOf(Ms(1, kPoll) + Repeat("event { at_ns: 1 netpoll_break: true }\n", kMaxEvents + 1)),
              HasSubstr(absl::StrCat(": event[", kMaxEvents, "]: ")));
  EXPECT_THAT(ErrorOf(Ms(1, kPoll) + Repeat("socket { name: \"s\" }\n", 1) +
                      [] {
                        std::string s;
                        for (int i = 0; i < kMaxSockets; ++i) absl::StrAppend(&s, "socket { name: \"t", i, "\" }\n");
                        return s;
                      }()),
              HasSubstr(absl::StrCat(": socket[", kMaxSockets, "]: ")));
  // Distinct races, so that the limit, not the duplicate check, refuses them.
  std::string races;
  for (int i = 0; i <= kMaxRaces; ++i) {
    absl::StrAppend(&races, "race { cancel_answers { m: \"m0\" nth: ", i + 1, " } }\n");
  }
  EXPECT_THAT(ErrorOf(Ms(1, "step { poll_until: 1000 }") + races),
              HasSubstr(absl::StrCat(": race[", kMaxRaces, "]: ")));
  EXPECT_THAT(ErrorOf(Ms(2, Repeat("step { netpoll: 0 }", kMaxSteps / 2 + 1))),
              HasSubstr(absl::StrCat("more than ", kMaxSteps, " steps in all")));
  EXPECT_THAT(ErrorOf(Ms(11, "step { netpoll: 0 repeat: 100000 }")),
              HasSubstr("m[10].step[0].repeat: more than 1000000 steps to run in all"));
}

TEST(ScenarioLimits, ValuesThatCouldOverflowAreRefused) {
  // Each sleep is in range; together they would run the clock past 1e16 ns.
  EXPECT_EQ(ErrorOf("m { name: \"a\"\n step { sleep_ns: 1000000000000000 repeat: 11 } }"),
            "s.textproto:2: m[0].step[0]: the M's steps wait more than 1e16 ns in all, repeats "
            "counted");
  // A netpoll counts as what the poller caps it to: ten INT64_MAX delays pass.
  EXPECT_TRUE(workloads::ParseScenario(
                  "s.textproto", "m { name: \"a\" step { netpoll: 9223372036854775807 repeat: 10 } }")
                  .ok());
  EXPECT_THAT(ErrorOf("m { name: \"a\" step { poll_until: 1000000000000000 }\n"
                      " step { netpoll: 9223372036854775807 repeat: 10 } }"),
              HasSubstr("s.textproto:2: m[0].step[1]: the M's steps wait more than 1e16 ns"));
  EXPECT_THAT(ErrorOf("m { name: \"a\" step { poll_until: 1 } }\n"
                      "race { cancel_answers { m: \"a\" nth: 2147483647 } }"),
              HasSubstr("s.textproto:2: race[0].cancel_answers.nth: must be between 1 and 1000000"));
  EXPECT_THAT(ErrorOf(absl::StrCat("m { name: \"", std::string(65, 'x'), "\" }")),
              HasSubstr("m[0].name: is 65 bytes long; at most 64"));
  EXPECT_THAT(ErrorOf("m { name: \"a\\033[2J\" }"), HasSubstr("m[0].name: holds a control character"));
}

TEST(ScenarioNonsense, ImpossibleCombinationsAreRefused) {
  const std::string two = "m { name: \"a\" step { netpoll: 1000000 } step { netpoll: 0 } }\n"
                          "m { name: \"b\" step { netpoll: 0 } }\n";
  EXPECT_EQ(ErrorOf(two + "race { break_consumed_by_poll { poller: \"a\" blocked: \"a\" } }"),
            "s.textproto:3: race[0].break_consumed_by_poll: poller and blocked are the same m");
  EXPECT_EQ(ErrorOf(two + "race { cancel_answers { m: \"a\"\n status: 7 } }"),
            "s.textproto:4: race[0].cancel_answers.status: 7 is not a status (PENDING or CANCELLED)");
  EXPECT_EQ(ErrorOf("socket { name: \"s\" }\nm { name: \"a\"\n step { open_socket: \"s\" } }"),
            "s.textproto:3: m[0].step[0].open_socket: socket \"s\" is open from the start; only a "
            "deferred socket is opened by a step");
  EXPECT_EQ(ErrorOf("socket {\n name: \"s\"\n deferred: true }\nm { name: \"a\" step { netpoll: 0 } }"),
            "s.textproto:3: socket[0].deferred: no step opens socket \"s\"");
  EXPECT_EQ(ErrorOf(two + "race { break_at_timer_fire { m: \"a\" } }\n"
                          "race { break_at_timer_fire { m: \"a\" } }"),
            "s.textproto:4: race[1]: the same race as race[0]");
  // nth 0 and 1 are the same call; PENDING and CANCELLED on it contradict.
  EXPECT_THAT(ErrorOf(two + "race { cancel_answers { m: \"a\" } }\n"
                            "race { cancel_answers { m: \"a\" nth: 1 status: CANCELLED } }"),
              HasSubstr("race[1]: the same race as race[0]"));
  EXPECT_EQ(ErrorOf(two + "race { cancel_answers { m: \"a\" nth: 2 } }"),
            "s.textproto:3: race[0].cancel_answers.m: m \"a\" queues its timer at most 1 times "
            "(netpoll steps with a timeout), so its #2 never comes");
  EXPECT_THAT(ErrorOf(two + "race { break_consumed_by_poll { poller: \"a\" blocked: \"c\" } }"),
              HasSubstr("race[0].break_consumed_by_poll.blocked: no m is named \"c\""));
  EXPECT_THAT(ErrorOf("m { name: \"a\" step { sleep_ns: 1 } }\nm { name: \"b\" step { netpoll: 0 } }\n"
                      "race { timer_packet_taken { owner: \"b\" taker: \"a\" } }"),
              HasSubstr("race[0].timer_packet_taken.owner: m \"b\" queues its timer at most 0 times"));
  EXPECT_THAT(ErrorOf("m { name: \"a\" step { sleep_ns: 1 } }\nm { name: \"b\" step { poll_until: 5 } }\n"
                      "race { timer_packet_taken { owner: \"b\" taker: \"a\" } }"),
              HasSubstr("race[0].timer_packet_taken.taker: m \"a\" never polls"));
}

TEST(ScenarioNonsense, ALabelBehindANetpollNothingWakesIsNeverReached) {
  EXPECT_EQ(ErrorOf("m { name: \"a\" step { netpoll: -1 } step { sleep_ns: 1 label: \"x\" } }\n"
                    "event {\n after: \"x\" netpoll_break: true }"),
            "s.textproto:3: event[0].after: step \"x\" is never reached: a netpoll before it "
            "blocks and nothing in the scenario can wake it");
  // Anything that may wake it makes the label reachable.
  for (const char* waker : {"event { at_ns: 5 netpoll_break: true }",
                            "m { name: \"b\" step { netpoll_break: true } }",
                            "m { name: \"b\" step { poll_until: 5 } }"}) {
    EXPECT_TRUE(workloads::ParseScenario(
                    "s.textproto",
                    absl::StrCat("m { name: \"a\" step { netpoll: -1 } step { sleep_ns: 1 label: "
                                 "\"x\" } }\nevent { after: \"x\" netpoll_break: true }\n",
                                 waker))
                    .ok())
        << waker;
  }
}

TEST(ScenarioMessages, ByteOrderMarkIsAcceptedAndAWholeScenarioErrorHasNoEmptyField) {
  EXPECT_TRUE(workloads::ParseScenario("s.textproto", "\xEF\xBB\xBFm { name: \"a\" }").ok());
  EXPECT_EQ(ErrorOf(""), "s.textproto:1: a scenario needs at least one m");
}

}  // namespace
}  // namespace iocpsim
