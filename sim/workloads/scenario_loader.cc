#include "sim/workloads/scenario_loader.h"

#include <fstream>
#include <set>
#include <sstream>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "files/read.h"
#include "google/protobuf/io/tokenizer.h"
#include "google/protobuf/text_format.h"
#include "sim/host_profiles.h"

namespace iocpsim::workloads {
namespace {

using google::protobuf::TextFormat;

class FirstError : public google::protobuf::io::ErrorCollector {
 public:
  void AddError(int line, int column, const std::string& message) override {
    if (error.empty()) error = absl::StrCat(line + 1, ":", column + 1, ": ", message);
  }
  std::string error;
};

// Finds where a field was written, to name its line in an error.
class Locator {
 public:
  Locator(std::string name, const TextFormat::ParseInfoTree* root)
      : name_(std::move(name)), root_(root) {}

  // path: (field name, index) pairs from the top; index -1 for a singular field.
  absl::Status Error(const google::protobuf::Message& top,
                     const std::vector<std::pair<const char*, int>>& path,
                     const std::string& what) const {
    const TextFormat::ParseInfoTree* tree = root_;
    const google::protobuf::Message* msg = &top;
    int line = -1;
    std::string field_path;
    for (size_t i = 0; i < path.size() && tree != nullptr && msg != nullptr; ++i) {
      const auto* f = msg->GetDescriptor()->FindFieldByName(path[i].first);
      if (f == nullptr) break;
      const int index = path[i].second;
      absl::StrAppend(&field_path, i == 0 ? "" : ".", path[i].first);
      if (index >= 0) absl::StrAppend(&field_path, "[", index, "]");
      const TextFormat::ParseLocation loc = tree->GetLocation(f, index);
      if (loc.line >= 0) line = loc.line;
      if (f->message_type() == nullptr) break;
      const auto* refl = msg->GetReflection();
      msg = index >= 0 ? &refl->GetRepeatedMessage(*msg, f, index) : &refl->GetMessage(*msg, f);
      tree = tree->GetTreeForNested(f, index);
    }
    return absl::InvalidArgumentError(absl::StrCat(name_, ":", line >= 0 ? line + 1 : 1, ": ",
                                                   field_path, ": ", what));
  }

 private:
  std::string name_;
  const TextFormat::ParseInfoTree* root_;
};

absl::Status Validate(const scenario::Scenario& s, const Locator& at) {
  using P = std::vector<std::pair<const char*, int>>;
  if (s.m_size() == 0) return at.Error(s, {}, "a scenario needs at least one m");
  if (s.gomaxprocs() < 0 || s.gomaxprocs() > 1024) {
    return at.Error(s, P{{"gomaxprocs", -1}}, "must be between 1 and 1024 (0: the default, 4)");
  }
  if (s.ptr_size() != 0 && s.ptr_size() != 4 && s.ptr_size() != 8) {
    return at.Error(s, P{{"ptr_size", -1}}, "must be 8 (amd64) or 4 (386)");
  }
  if (s.host().has_profile()) {
    if (absl::StatusOr<sim::KernelConfig> k = sim::HostProfileConfig(s.host().profile()); !k.ok()) {
      return at.Error(s, P{{"host", -1}, {"profile", -1}}, std::string(k.status().message()));
    }
  }
  // Clocks from 1 us to 1000 s; NaN fails both comparisons.
  auto clock_ok = [](double ms) { return ms >= 0.001 && ms <= 1e6; };
  if (s.host().has_tick_ms() && !clock_ok(s.host().tick_ms())) {
    return at.Error(s, P{{"host", -1}, {"tick_ms", -1}}, "must be between 0.001 and 1e6");
  }
  if (s.host().has_timer_resolution_ms() && !clock_ok(s.host().timer_resolution_ms())) {
    return at.Error(s, P{{"host", -1}, {"timer_resolution_ms", -1}},
                    "must be between 0.001 and 1e6");
  }
  std::set<std::string> sockets, ms, labels;
  for (int i = 0; i < s.socket_size(); ++i) {
    if (s.socket(i).name().empty() || !sockets.insert(s.socket(i).name()).second) {
      return at.Error(s, P{{"socket", i}}, "needs a name of its own");
    }
  }
  for (int i = 0; i < s.m_size(); ++i) {
    const scenario::MSpec& m = s.m(i);
    if (m.name().empty() || !ms.insert(m.name()).second) {
      return at.Error(s, P{{"m", i}}, "needs a name of its own");
    }
    for (int j = 0; j < m.step_size(); ++j) {
      const scenario::Step& st = m.step(j);
      if (st.kind_case() == scenario::Step::KIND_NOT_SET) {
        return at.Error(s, P{{"m", i}, {"step", j}},
                        "says nothing to do (netpoll, poll_until, sleep_ns, netpoll_break, "
                        "open_socket or close_socket)");
      }
      if (st.repeat() < 0 || st.repeat() > 100'000) {
        return at.Error(s, P{{"m", i}, {"step", j}, {"repeat", -1}}, "must be between 0 and 1e5");
      }
      // Durations up to netpoll's own cap, 1e15 ns (~11.5 days). A single
      // netpoll takes any int64, as Go's findRunnable may pass: the poller
      // caps it (netpoll_windows.go), and that cap is part of what is tested.
      constexpr int64_t kMaxNs = 1'000'000'000'000'000;
      if (st.kind_case() == scenario::Step::kPollUntil &&
          (st.poll_until() <= 0 || st.poll_until() > kMaxNs)) {
        return at.Error(s, P{{"m", i}, {"step", j}, {"poll_until", -1}}, "must be in (0, 1e15]");
      }
      if (st.kind_case() == scenario::Step::kSleepNs && (st.sleep_ns() < 0 || st.sleep_ns() > kMaxNs)) {
        return at.Error(s, P{{"m", i}, {"step", j}, {"sleep_ns", -1}}, "must be in [0, 1e15]");
      }
      for (const auto& [set, name, field] :
           {std::tuple{st.kind_case() == scenario::Step::kOpenSocket, st.open_socket(), "open_socket"},
            std::tuple{st.kind_case() == scenario::Step::kCloseSocket, st.close_socket(),
                       "close_socket"}}) {
        if (set && sockets.count(name) == 0) {
          return at.Error(s, P{{"m", i}, {"step", j}, {field, -1}},
                          absl::StrCat("no socket is named \"", name, "\""));
        }
      }
      if (!st.label().empty() && !labels.insert(st.label()).second) {
        return at.Error(s, P{{"m", i}, {"step", j}, {"label", -1}},
                        absl::StrCat("label \"", st.label(), "\" is used twice"));
      }
    }
  }
  for (int i = 0; i < s.event_size(); ++i) {
    const scenario::Event& e = s.event(i);
    if (e.when_case() == scenario::Event::WHEN_NOT_SET) {
      return at.Error(s, P{{"event", i}}, "needs at_ns or after");
    }
    if (e.when_case() == scenario::Event::kAtNs &&
        (e.at_ns() < 0 || e.at_ns() > 1'000'000'000'000'000)) {
      return at.Error(s, P{{"event", i}, {"at_ns", -1}}, "must be in [0, 1e15]");
    }
    if (e.when_case() == scenario::Event::kAfter && labels.count(e.after()) == 0) {
      return at.Error(s, P{{"event", i}, {"after", -1}},
                      absl::StrCat("no step is labelled \"", e.after(), "\""));
    }
    if (e.what_case() == scenario::Event::WHAT_NOT_SET) {
      return at.Error(s, P{{"event", i}}, "needs complete, foreign or netpoll_break");
    }
    if (e.what_case() == scenario::Event::kComplete && sockets.count(e.complete()) == 0) {
      return at.Error(s, P{{"event", i}, {"complete", -1}},
                      absl::StrCat("no socket is named \"", e.complete(), "\""));
    }
  }
  auto check_m = [&](int race, const char* kind, const char* field, const std::string& name) {
    if (ms.count(name) > 0) return absl::OkStatus();
    return at.Error(s, P{{"race", race}, {kind, -1}, {field, -1}},
                    absl::StrCat("no m is named \"", name, "\""));
  };
  for (int i = 0; i < s.race_size(); ++i) {
    const scenario::Race& r = s.race(i);
    absl::Status st;
    const int nth = r.has_cancel_answers() ? r.cancel_answers().nth()
                    : r.has_timer_fires_before_associate() ? r.timer_fires_before_associate().nth()
                                                           : 0;
    if (nth < 0) return at.Error(s, P{{"race", i}}, "nth must be >= 1 (0: the first)");
    switch (r.kind_case()) {
      case scenario::Race::kCancelAnswers:
        st = check_m(i, "cancel_answers", "m", r.cancel_answers().m());
        break;
      case scenario::Race::kTimerFiresBeforeAssociate:
        st = check_m(i, "timer_fires_before_associate", "m", r.timer_fires_before_associate().m());
        break;
      case scenario::Race::kTimerPacketTaken:
        st = check_m(i, "timer_packet_taken", "owner", r.timer_packet_taken().owner());
        if (st.ok()) st = check_m(i, "timer_packet_taken", "taker", r.timer_packet_taken().taker());
        if (st.ok() && r.timer_packet_taken().owner() == r.timer_packet_taken().taker()) {
          st = at.Error(s, P{{"race", i}, {"timer_packet_taken", -1}}, "owner and taker are the same m");
        }
        break;
      case scenario::Race::kBreakAtTimerFire:
        st = check_m(i, "break_at_timer_fire", "m", r.break_at_timer_fire().m());
        break;
      case scenario::Race::kBreakConsumedByPoll:
        st = check_m(i, "break_consumed_by_poll", "poller", r.break_consumed_by_poll().poller());
        if (st.ok()) st = check_m(i, "break_consumed_by_poll", "blocked", r.break_consumed_by_poll().blocked());
        break;
      case scenario::Race::KIND_NOT_SET:
        st = at.Error(s, P{{"race", i}}, "names no race");
        break;
    }
    if (!st.ok()) return st;
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<scenario::Scenario> ParseScenario(const std::string& name, const std::string& text) {
  scenario::Scenario s;
  TextFormat::Parser parser;
  FirstError errors;
  TextFormat::ParseInfoTree tree;
  parser.RecordErrorsTo(&errors);
  parser.WriteLocationsTo(&tree);
  if (!parser.ParseFromString(text, &s)) {
    return absl::InvalidArgumentError(absl::StrCat(name, ":", errors.error));
  }
  if (absl::Status st = Validate(s, Locator(name, &tree)); !st.ok()) return st;
  return s;
}

absl::StatusOr<scenario::Scenario> LoadScenario(const std::string& path) {
  absl::StatusOr<std::string> text =
      files::ReadBounded(path, files::kMaxScenarioBytes, "scenario");
  if (!text.ok()) return text.status();
  return ParseScenario(path, *text);
}

}  // namespace iocpsim::workloads
