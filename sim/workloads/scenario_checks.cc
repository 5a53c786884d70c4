#include "sim/workloads/scenario_checks.h"

#include <algorithm>
#include <set>
#include <string>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "poller/variant.h"
#include "sim/host_profiles.h"
#include "sim/kernel_faults.h"
#include "sim/workloads/scenario_limits.h"

namespace iocpsim::workloads {
namespace {

using scenario::Event;
using scenario::Step;

// A count past its limit is named at the first entry past it.
absl::Status CheckCount(const Locator& at, const char* field, int count, int limit) {
  if (count <= limit) return absl::OkStatus();
  return at.Error({{field, limit}}, absl::StrCat(count, " entries; at most ", limit, " are allowed"));
}

// Names and labels are printed in reports and traces: short, no control
// characters (which would reach a terminal raw).
absl::Status CheckName(const Locator& at, const FieldPath& path, absl::string_view name,
                       int limit) {
  if (static_cast<int>(name.size()) > limit) {
    return at.Error(path, absl::StrCat("is ", name.size(), " bytes long; at most ", limit));
  }
  for (char c : name) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      return at.Error(path, "holds a control character");
    }
  }
  return absl::OkStatus();
}

absl::Status CheckHost(const scenario::Scenario& s, const Locator& at) {
  if (s.gomaxprocs() < 0 || s.gomaxprocs() > kMaxGomaxprocs) {
    return at.Error({{"gomaxprocs", -1}},
                    absl::StrCat("must be between 1 and ", kMaxGomaxprocs, " (0: the default, 4)"));
  }
  if (s.ptr_size() != 0 && s.ptr_size() != 4 && s.ptr_size() != 8) {
    return at.Error({{"ptr_size", -1}}, "must be 8 (amd64) or 4 (386)");
  }
  if (!s.poller().empty() && !poller::ParseVariant(s.poller())) {
    return at.Error({{"poller", -1}}, absl::StrCat("is \"", absl::CHexEscape(s.poller()),
                                                  "\"; must be highres or lowres"));
  }
  if (s.host().has_profile()) {
    if (absl::StatusOr<sim::KernelConfig> k = sim::HostProfileConfig(s.host().profile()); !k.ok()) {
      return at.Error({{"host", -1}, {"profile", -1}}, std::string(k.status().message()));
    }
  }
  // Clocks from 1 us to 1000 s; NaN fails both comparisons.
  auto clock_ok = [](double ms) { return ms >= 0.001 && ms <= 1e6; };
  if (s.host().has_tick_ms() && !clock_ok(s.host().tick_ms())) {
    return at.Error({{"host", -1}, {"tick_ms", -1}}, "must be between 0.001 and 1e6");
  }
  if (s.host().has_timer_resolution_ms() && !clock_ok(s.host().timer_resolution_ms())) {
    return at.Error({{"host", -1}, {"timer_resolution_ms", -1}}, "must be between 0.001 and 1e6");
  }
  // The latency bound may be 0 (none), up to sim::kMaxTimerLatencyNs.
  if (s.host().has_timer_latency_ms() &&
      !(s.host().timer_latency_ms() >= 0 &&
        s.host().timer_latency_ms() <= sim::kMaxTimerLatencyNs / 1e6)) {
    return at.Error({{"host", -1}, {"timer_latency_ms", -1}}, "must be between 0 and 1000");
  }
  return absl::OkStatus();
}

// How long a step may keep its M, at most (a blocking netpoll: 0, it waits
// for others); the value is in range, checked first.
int64_t Duration(const Step& st) {
  switch (st.kind_case()) {
    case Step::kNetpoll: return std::clamp<int64_t>(st.netpoll(), 0, kMaxNs);  // netpoll's cap
    case Step::kPollUntil: return st.poll_until();
    case Step::kSleepNs: return st.sleep_ns();
    default: return 0;
  }
}

// A misuse names a socket (with a writer for the write mode), and the
// scenario expects the throw it is there to cause.
absl::Status CheckMisuse(const scenario::Scenario& s, const scenario::Misuse& m,
                         const Locator& at, FieldPath path) {
  auto field = [&](const char* name) {
    FieldPath p = path;
    p.push_back({name, -1});
    return p;
  };
  if (!scenario::Misuse::Kind_IsValid(m.kind())) {
    return at.Error(field("kind"), absl::StrCat(m.kind(), " is not a kind of misuse"));
  }
  const scenario::Socket* socket = nullptr;
  for (const scenario::Socket& k : s.socket()) {
    if (k.name() == m.socket()) socket = &k;
  }
  if (socket == nullptr) {
    return at.Error(field("socket"), absl::StrCat("no socket is named \"", m.socket(), "\""));
  }
  if (m.write() && !socket->writer()) {
    return at.Error(field("write"), absl::StrCat("socket \"", m.socket(),
                                                 "\" has no writer (writer: true)"));
  }
  if (!s.expect().fatal() && s.expect().fatal_contains().empty()) {
    return at.Error(path, "a misuse makes the runtime throw; the scenario must expect it "
                          "(expect { fatal_contains: ... })");
  }
  return absl::OkStatus();
}

absl::Status CheckStep(const scenario::Scenario& s, int i, int j, const Locator& at,
                       const std::set<std::string>& sockets, const std::set<std::string>& deferred) {
  const Step& st = s.m(i).step(j);
  auto path = [&](const char* field) { return FieldPath{{"m", i}, {"step", j}, {field, -1}}; };
  if (st.kind_case() == Step::KIND_NOT_SET) {
    return at.Error({{"m", i}, {"step", j}},
                    "says nothing to do (netpoll, poll_until, sleep_ns, netpoll_break, "
                    "open_socket, close_socket or misuse)");
  }
  if (st.repeat() < 0 || st.repeat() > kMaxRepeat) {
    return at.Error(path("repeat"), absl::StrCat("must be between 0 and ", kMaxRepeat));
  }
  if (st.kind_case() == Step::kPollUntil && (st.poll_until() <= 0 || st.poll_until() > kMaxNs)) {
    return at.Error(path("poll_until"), "must be in (0, 1e15]");
  }
  // A netpoll takes any int64, as Go's findRunnable may pass: the poller
  // caps it (netpoll_windows.go), and that cap is part of what is tested.
  if (st.kind_case() == Step::kSleepNs && (st.sleep_ns() < 0 || st.sleep_ns() > kMaxNs)) {
    return at.Error(path("sleep_ns"), "must be in [0, 1e15]");
  }
  for (const auto& [set, name, field] :
       {std::tuple{st.kind_case() == Step::kOpenSocket, st.open_socket(), "open_socket"},
        std::tuple{st.kind_case() == Step::kCloseSocket, st.close_socket(), "close_socket"}}) {
    if (set && sockets.count(name) == 0) {
      return at.Error(path(field), absl::StrCat("no socket is named \"", name, "\""));
    }
  }
  if (st.kind_case() == Step::kMisuse) {
    if (absl::Status bad = CheckMisuse(s, st.misuse(), at, {{"m", i}, {"step", j}, {"misuse", -1}});
        !bad.ok()) {
      return bad;
    }
  }
  if (st.kind_case() == Step::kOpenSocket && deferred.count(st.open_socket()) == 0) {
    return at.Error(path("open_socket"),
                    absl::StrCat("socket \"", st.open_socket(),
                                 "\" is open from the start; only a deferred socket is opened "
                                 "by a step"));
  }
  return CheckName(at, path("label"), st.label(), kMaxNameBytes);
}

absl::Status CheckMs(const scenario::Scenario& s, const Locator& at,
                     const std::set<std::string>& sockets, const std::set<std::string>& deferred) {
  std::set<std::string> ms, labels, opened;
  int steps = 0;
  int64_t repeated = 0;
  for (int i = 0; i < s.m_size(); ++i) {
    const scenario::MSpec& m = s.m(i);
    if (m.name().empty() || !ms.insert(m.name()).second) {
      return at.Error({{"m", i}}, "needs a name of its own");
    }
    if (absl::Status st = CheckName(at, {{"m", i}, {"name", -1}}, m.name(), kMaxNameBytes); !st.ok()) {
      return st;
    }
    int64_t planned_ns = 0;
    for (int j = 0; j < m.step_size(); ++j) {
      if (++steps > kMaxSteps) {
        return at.Error({{"m", i}, {"step", j}},
                        absl::StrCat("more than ", kMaxSteps, " steps in all; at most ", kMaxSteps));
      }
      if (absl::Status st = CheckStep(s, i, j, at, sockets, deferred); !st.ok()) return st;
      const Step& st = m.step(j);
      const int64_t times = std::max(1, st.repeat());
      repeated += times;
      if (repeated > kMaxRepeatedSteps) {
        return at.Error({{"m", i}, {"step", j}, {"repeat", -1}},
                        absl::StrCat("more than ", kMaxRepeatedSteps,
                                     " steps to run in all, repeats counted; at most ",
                                     kMaxRepeatedSteps));
      }
      // Both factors are in range (<= 1e5, <= 1e15) and the sum stays under
      // kMaxPlannedNs before each addition: no overflow.
      if (Duration(st) > (kMaxPlannedNs - planned_ns) / times) {
        return at.Error({{"m", i}, {"step", j}},
                        "the M's steps wait more than 1e16 ns in all, repeats counted");
      }
      planned_ns += Duration(st) * times;
      if (!st.label().empty() && !labels.insert(st.label()).second) {
        return at.Error({{"m", i}, {"step", j}, {"label", -1}},
                        absl::StrCat("label \"", st.label(), "\" is used twice"));
      }
      if (st.kind_case() == Step::kOpenSocket) opened.insert(st.open_socket());
    }
  }
  for (int i = 0; i < s.socket_size(); ++i) {
    if (s.socket(i).deferred() && opened.count(s.socket(i).name()) == 0) {
      return at.Error({{"socket", i}, {"deferred", -1}},
                      absl::StrCat("no step opens socket \"", s.socket(i).name(), "\""));
    }
  }
  for (int i = 0; i < s.event_size(); ++i) {
    if (s.event(i).when_case() == Event::kAfter && labels.count(s.event(i).after()) == 0) {
      return at.Error({{"event", i}, {"after", -1}},
                      absl::StrCat("no step is labelled \"", s.event(i).after(), "\""));
    }
  }
  return absl::OkStatus();
}

absl::Status CheckEvents(const scenario::Scenario& s, const Locator& at,
                         const std::set<std::string>& sockets,
                         const std::set<std::string>& writers) {
  for (int i = 0; i < s.event_size(); ++i) {
    const Event& e = s.event(i);
    if (e.when_case() == Event::WHEN_NOT_SET) return at.Error({{"event", i}}, "needs at_ns or after");
    if (e.when_case() == Event::kAtNs && (e.at_ns() < 0 || e.at_ns() > kMaxNs)) {
      return at.Error({{"event", i}, {"at_ns", -1}}, "must be in [0, 1e15]");
    }
    if (e.what_case() == Event::WHAT_NOT_SET) {
      return at.Error({{"event", i}},
                      "needs complete, complete_write, foreign, netpoll_break or apc");
    }
    if (e.what_case() == Event::kComplete && sockets.count(e.complete()) == 0) {
      return at.Error({{"event", i}, {"complete", -1}},
                      absl::StrCat("no socket is named \"", e.complete(), "\""));
    }
    if (e.what_case() == Event::kCompleteWrite && writers.count(e.complete_write()) == 0) {
      return at.Error({{"event", i}, {"complete_write", -1}},
                      absl::StrCat(sockets.count(e.complete_write()) == 0 ? "no socket is named \""
                                                                         : "no writer on socket \"",
                                   e.complete_write(), "\"",
                                   sockets.count(e.complete_write()) == 0 ? "" : " (writer: true)"));
    }
    if (e.what_case() == Event::kApc &&
        std::none_of(s.m().begin(), s.m().end(),
                     [&e](const scenario::MSpec& m) { return m.name() == e.apc(); })) {
      return at.Error({{"event", i}, {"apc", -1}}, absl::StrCat("no m is named \"", e.apc(), "\""));
    }
  }
  return absl::OkStatus();
}

}  // namespace

// Faults name a call the poller makes, at most kMaxFaultNth calls in.
absl::Status CheckFaults(const scenario::Scenario& s, const Locator& at) {
  for (int i = 0; i < s.fault_size(); ++i) {
    const scenario::Fault& f = s.fault(i);
    if (!sim::IsFaultable(f.call())) {
      return at.Error({{"fault", i}, {"call", -1}},
                      absl::StrCat("not a call the poller makes (one of ",
                                   absl::StrJoin(sim::FaultableCalls(), ", "), ")"));
    }
    if (f.nth() < 0 || f.nth() > sim::kMaxFaultNth) {
      return at.Error({{"fault", i}, {"nth", -1}},
                      absl::StrCat("must be between 1 and ", sim::kMaxFaultNth, " (0: 1)"));
    }
  }
  return absl::OkStatus();
}

absl::Status CheckScenario(const scenario::Scenario& s, const Locator& at) {
  if (s.m_size() == 0) return at.Error({}, "a scenario needs at least one m");
  for (absl::Status st : {CheckCount(at, "m", s.m_size(), kMaxMs),
                          CheckCount(at, "socket", s.socket_size(), kMaxSockets),
                          CheckCount(at, "event", s.event_size(), kMaxEvents),
                          CheckCount(at, "race", s.race_size(), kMaxRaces),
                          CheckCount(at, "fault", s.fault_size(), sim::kMaxFaults),
                          CheckFaults(s, at),
                          CheckName(at, {{"expect", -1}, {"fatal_contains", -1}},
                                    s.expect().fatal_contains(), kMaxDescriptionBytes),
                          CheckName(at, {{"description", -1}}, s.description(),
                                    kMaxDescriptionBytes),
                          CheckHost(s, at)}) {
    if (!st.ok()) return st;
  }
  std::set<std::string> sockets, deferred, writers;
  for (int i = 0; i < s.socket_size(); ++i) {
    const std::string& name = s.socket(i).name();
    if (name.empty() || !sockets.insert(name).second) {
      return at.Error({{"socket", i}}, "needs a name of its own");
    }
    if (absl::Status st = CheckName(at, {{"socket", i}, {"name", -1}}, name, kMaxNameBytes);
        !st.ok()) {
      return st;
    }
    if (s.socket(i).deferred()) deferred.insert(name);
    if (s.socket(i).writer()) writers.insert(name);
  }
  if (absl::Status st = CheckEvents(s, at, sockets, writers); !st.ok()) return st;
  return CheckMs(s, at, sockets, deferred);
}

}  // namespace iocpsim::workloads
