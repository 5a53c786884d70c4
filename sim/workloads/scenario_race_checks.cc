#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "sim/workloads/scenario_checks.h"
#include "sim/workloads/scenario_limits.h"

namespace iocpsim::workloads {
namespace {

using scenario::Race;
using scenario::Step;

// What an M's steps can do, for the races that need it.
struct Polls {
  bool any = false;  // makes a netpoll at all (GetQueuedCompletionStatusEx)
  // Upper bound on its netpollQueueTimer calls (one per netpoll with a
  // timeout); nullopt: unbounded (poll_until polls as often as it must).
  std::optional<int64_t> timers = 0;
};

std::map<std::string, Polls> PollsOfMs(const scenario::Scenario& s) {
  std::map<std::string, Polls> out;
  for (const scenario::MSpec& m : s.m()) {
    Polls& p = out[m.name()];
    for (const Step& st : m.step()) {
      if (st.kind_case() == Step::kPollUntil) {
        p.any = true;
        p.timers.reset();
      } else if (st.kind_case() == Step::kNetpoll) {
        p.any = true;
        if (st.netpoll() > 0 && p.timers) *p.timers += std::max(1, st.repeat());
      }
    }
  }
  return out;
}

class RaceChecker {
 public:
  RaceChecker(const scenario::Scenario& s, const Locator& at)
      : s_(s), at_(at), polls_(PollsOfMs(s)) {}

  absl::Status Check(int i) {
    const Race& r = s_.race(i);
    i_ = i;
    switch (r.kind_case()) {
      case Race::kCancelAnswers: {
        const auto& c = r.cancel_answers();
        kind_ = "cancel_answers";
        if (!scenario::CancelAnswers::Status_IsValid(c.status())) {
          return Error("status", absl::StrCat(c.status(), " is not a status (PENDING or CANCELLED)"));
        }
        return Timers("m", c.m(), c.nth(), true);
      }
      case Race::kTimerFiresBeforeAssociate:
        kind_ = "timer_fires_before_associate";
        return Timers("m", r.timer_fires_before_associate().m(),
                      r.timer_fires_before_associate().nth(), true);
      case Race::kTimerPacketTaken: {
        const auto& t = r.timer_packet_taken();
        kind_ = "timer_packet_taken";
        if (t.owner() == t.taker()) return Error("", "owner and taker are the same m");
        if (absl::Status st = Timers("owner", t.owner(), 1, false); !st.ok()) return st;
        if (absl::Status st = Poller("taker", t.taker()); !st.ok()) return st;
        return Unique(t.owner(), t.taker());
      }
      case Race::kBreakAtTimerFire:
        kind_ = "break_at_timer_fire";
        return Timers("m", r.break_at_timer_fire().m(), 1, true);
      case Race::kBreakConsumedByPoll: {
        const auto& b = r.break_consumed_by_poll();
        kind_ = "break_consumed_by_poll";
        if (b.poller() == b.blocked()) return Error("", "poller and blocked are the same m");
        if (absl::Status st = Poller("poller", b.poller()); !st.ok()) return st;
        if (absl::Status st = Poller("blocked", b.blocked()); !st.ok()) return st;
        return Unique(b.poller(), b.blocked());
      }
      case Race::KIND_NOT_SET:
        return at_.Error({{"race", i}}, "names no race");
    }
    return absl::OkStatus();
  }

 private:
  absl::Status Error(const char* field, const std::string& what) const {
    FieldPath path{{"race", i_}, {kind_, -1}};
    if (*field != '\0') path.push_back({field, -1});
    return at_.Error(path, what);
  }

  // An M that polls: its GetQueuedCompletionStatusEx is what the race holds.
  absl::Status Poller(const char* field, const std::string& m) const {
    auto it = polls_.find(m);
    if (it == polls_.end()) return Error(field, absl::StrCat("no m is named \"", m, "\""));
    if (!it->second.any) {
      return Error(field, absl::StrCat("m \"", m, "\" never polls (no netpoll or poll_until step)"));
    }
    return absl::OkStatus();
  }

  // A race on the nth timer an M queues: the M must queue that many. With
  // `unique`, a second race of the kind on the same call is a duplicate.
  absl::Status Timers(const char* field, const std::string& m, int nth, bool unique) {
    if (nth < 0 || nth > kMaxNth) {
      return Error("nth", absl::StrCat("must be between 1 and ", kMaxNth, " (0: the first)"));
    }
    auto it = polls_.find(m);
    if (it == polls_.end()) return Error(field, absl::StrCat("no m is named \"", m, "\""));
    const std::optional<int64_t>& timers = it->second.timers;
    if (timers && *timers < std::max(1, nth)) {
      return Error(field, absl::StrCat("m \"", m, "\" queues its timer at most ", *timers,
                                       " times (netpoll steps with a timeout), so its #",
                                       std::max(1, nth), " never comes"));
    }
    return unique ? Unique(m, absl::StrCat(std::max(1, nth))) : absl::OkStatus();
  }

  // Two races on the same call of the same M: duplicates or contradictions.
  absl::Status Unique(const std::string& a, const std::string& b) {
    auto [it, fresh] = seen_.emplace(std::tuple{std::string(kind_), a, b}, i_);
    if (fresh) return absl::OkStatus();
    return at_.Error({{"race", i_}}, absl::StrCat("the same race as race[", it->second, "]"));
  }

  const scenario::Scenario& s_;
  const Locator& at_;
  const std::map<std::string, Polls> polls_;
  std::map<std::tuple<std::string, std::string, std::string>, int> seen_;
  int i_ = 0;
  const char* kind_ = "";
};

}  // namespace

absl::Status CheckRaces(const scenario::Scenario& s, const Locator& at) {
  RaceChecker checker(s, at);
  for (int i = 0; i < s.race_size(); ++i) {
    if (absl::Status st = checker.Check(i); !st.ok()) return st;
  }
  return absl::OkStatus();
}

}  // namespace iocpsim::workloads
