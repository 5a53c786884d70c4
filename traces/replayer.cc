#include "traces/replayer.h"

#include "sim/kernel_config.h"

#include <algorithm>
#include <functional>
#include <optional>
#include <map>
#include <memory>
#include <set>
#include <type_traits>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "poller/nt_api.h"
#include "sim/kernel.h"
#include "sim/kernel_config.h"
#include "sim/observed_environment.h"
#include "sim/observed_nt_api.h"
#include "sim/scheduler.h"
#include "traces/call_issuer.h"
#include "traces/call_schema.h"
#include "traces/header.h"
#include "traces/recorder.h"
#include "traces/timeline.h"
#include "google/protobuf/arena.h"
#include "google/protobuf/stubs/logging.h"
#include "traces/trace_view.h"
#include "traces/wire_trace.h"
#include "traces/writer.h"

namespace iocpsim::traces {
namespace {

constexpr size_t kMaxShown = 20;
// Bounds a replayable trace must respect (Go asks for at most 64 entries and
// runs a handful of Ms); beyond them a trace is refused, not attempted.
constexpr uint64_t kMaxEntries = 1 << 16;
constexpr size_t kMaxThreads = 1024;

// The option a recorded decision picked (out of range: none).
struct RecordedPick {
  bool in_range = false;
  trace::Option::Kind kind = trace::Option::THREAD;
  int thread = 0;
};

// What a replay reads of one event. From a TraceView every event has its
// message; from a WireTrace only the events that drive the replay (thread
// starts, calls, netpoll returns, fatals, run ends) are parsed, and a
// decision carries what it picked, read off the wire.
struct Step {
  trace::Event::KindCase kind = trace::Event::KIND_NOT_SET;
  int64_t time_ns = 0;
  int thread = 0;
  const trace::Event* event = nullptr;  // null: a decision or kernel event from the wire
  uint32_t options = 0;                 // a decision's
  RecordedPick pick;
};

Step StepOf(const trace::Event& e) {
  Step s;
  s.kind = e.kind_case();
  s.time_ns = e.time_ns();
  s.thread = e.thread();
  s.event = &e;
  if (e.has_decision()) {
    const trace::Decision& d = e.decision();
    s.options = static_cast<uint32_t>(d.options_size());
    if (d.picked() < s.options) {
      const trace::Option& o = d.options(static_cast<int>(d.picked()));
      s.pick = RecordedPick{true, o.kind(), o.thread()};
    }
  }
  return s;
}

// Follows the recorded decisions that had a choice to make.
class ReplayStrategy : public sim::Strategy {
 public:
  explicit ReplayStrategy(std::vector<RecordedPick> picks) : picks_(std::move(picks)) {}

  size_t Pick(absl::Span<const sim::Choice> options) override {
    if (next_ >= picks_.size()) return 0;
    const RecordedPick& want = picks_[next_++];
    if (!want.in_range) return 0;
    for (size_t i = 0; i < options.size(); ++i) {
      const sim::Choice& c = options[i];
      const bool same_kind =
          (want.kind == trace::Option::THREAD && c.kind == sim::Choice::Kind::kThread &&
           want.thread == c.thread) ||
          (want.kind == trace::Option::KERNEL && c.kind == sim::Choice::Kind::kKernel) ||
          (want.kind == trace::Option::ADVANCE && c.kind == sim::Choice::Kind::kAdvance);
      if (same_kind) return i;
    }
    return 0;  // the options diverged; the comparison reports it
  }

 private:
  std::vector<RecordedPick> picks_;
  size_t next_ = 0;
};

// The trace a replay is compared with: its events' bytes, and (from a
// TraceView) their messages, to re-encode an event another writer encoded
// and to show a divergence. From a WireTrace any difference ends the replay
// unreported: protobuf's parser then replays it again, to report.
struct Expected {
  const trace::Header& header;
  size_t size;
  std::function<absl::string_view(size_t)> bytes;
  const TraceView* messages;  // null from a WireTrace
};

// Compares each re-recorded event with the trace and keeps the replay's
// own trace bytes.
class Comparer {
 public:
  Comparer(const Expected& t, const ReplayOptions& o, sim::Scheduler& sched)
      : trace_(t), options_(o), sched_(sched), writer_(sink_, t.header) {}

  void Take(const RecordedEvent& got) {
    writer_.WriteFramed(got.framed);
    const int64_t i = index_++;
    if (stopped_) return;
    ++report_.compared;
    if (i < static_cast<int64_t>(trace_.size)) {
      // Byte for byte: the file's bytes, then (for a trace another writer
      // encoded differently) the trace's event in this recorder's encoding.
      if (got.message == trace_.bytes(static_cast<size_t>(i))) return;
      if (trace_.messages == nullptr) return Diverged(i, "", "");
      const trace::Event& want = (*trace_.messages)[i];
      want_bytes_.clear();
      want.AppendToString(&want_bytes_);
      if (got.message == want_bytes_) return;
      Diverged(i, FormatEvent(want), FormatEvent(ToMessage(got)));
    } else {
      Diverged(i, "(end of trace)", FormatEvent(ToMessage(got)));
    }
  }

  // Events the trace has that the replay never produced.
  void Finish() {
    if (!stopped_ && index_ < static_cast<int64_t>(trace_.size)) {
      ++report_.compared;
      Diverged(index_,
               trace_.messages != nullptr ? FormatEvent((*trace_.messages)[index_]) : "",
               "(the replay ended)");
    }
    report_.rerecorded = sink_.Take();
  }

  ReplayReport& report() { return report_; }

 private:
  void Diverged(int64_t i, std::string expected, std::string got) {
    ++report_.divergences;
    if (report_.shown.size() < kMaxShown && trace_.messages != nullptr) {
      Divergence d;
      d.index = i;
      d.expected = std::move(expected);
      d.got = std::move(got);
      // The recorded events just before index i (the trace may end earlier).
      const int64_t end = std::min<int64_t>(i, static_cast<int64_t>(trace_.size));
      for (int64_t j = std::max<int64_t>(0, end - options_.context); j < end; ++j) {
        d.before.push_back(FormatEvent((*trace_.messages)[j]));
      }
      report_.shown.push_back(std::move(d));
    }
    if (!options_.keep_going || trace_.messages == nullptr) {
      stopped_ = true;
      sched_.Stop("replay diverged");
    }
  }

  const Expected& trace_;
  const ReplayOptions& options_;
  sim::Scheduler& sched_;
  StringSink sink_;
  TraceWriter writer_;
  std::string want_bytes_;  // the trace's event, re-serialized (reused)
  ReplayReport report_;
  int64_t index_ = 0;
  bool stopped_ = false;
};

// Times within the virtual clock's range and a call's start before its end,
// step counts within a replay's: the arithmetic on them cannot overflow.
absl::Status CheckNumbers(size_t i, const Step& s) {
  if (s.time_ns < 0 || s.time_ns > sim::kClockCeilingNs) {
    return absl::InvalidArgumentError(absl::StrCat("event ", i, ": time_ns ", s.time_ns,
                                                   " is outside 0..", sim::kClockCeilingNs));
  }
  if (s.event == nullptr) return absl::OkStatus();
  const trace::Event& e = *s.event;
  if (e.has_call() && (e.call().start_ns() < 0 || e.call().start_ns() > e.time_ns())) {
    return absl::InvalidArgumentError(absl::StrCat("event ", i, ": call.start_ns ",
                                                   e.call().start_ns(), " is outside 0..time_ns ",
                                                   e.time_ns()));
  }
  if (e.has_end() && (e.end().steps() < 0 || e.end().steps() > kMaxTraceSteps ||
                      e.end().decisions() < 0 || e.end().decisions() > e.end().steps())) {
    return absl::InvalidArgumentError(
        absl::StrCat("event ", i, ": end.steps ", e.end().steps(), " and end.decisions ",
                     e.end().decisions(), " are not 0 <= decisions <= steps <= ", kMaxTraceSteps));
  }
  return absl::OkStatus();
}

// ValidateTrace's checks, on what a replay reads of each event.
absl::Status ValidateSteps(const std::vector<Step>& steps,
                           std::map<int, const trace::ThreadStart*>* threads) {
  absl::flat_hash_set<int> started;  // threads' keys, for the check on every event
  for (size_t i = 0; i < steps.size(); ++i) {
    const Step& st = steps[i];
    if (absl::Status s = CheckNumbers(i, st); !s.ok()) return s;
    if (st.kind == trace::Event::kThreadStart) {
      if (st.thread <= 0 || threads->count(st.thread) > 0) {
        return absl::InvalidArgumentError(
            absl::StrCat("event ", i, ": thread_start for bad or repeated thread ", st.thread));
      }
      (*threads)[st.thread] = &st.event->thread_start();
      started.insert(st.thread);
      continue;
    }
    if (st.thread > 0 && !started.contains(st.thread)) {
      return absl::InvalidArgumentError(
          absl::StrCat("event ", i, ": thread ", st.thread, " has no thread_start"));
    }
    if (st.kind != trace::Event::kCall && st.kind != trace::Event::kCallStart) continue;
    const trace::Event& e = *st.event;
    const trace::Function f = e.has_call() ? e.call().function() : e.call_start().function();
    const int nargs = e.has_call() ? e.call().args_size() : e.call_start().args_size();
    const CallSchema* s = SchemaByFunction(f);
    if (s == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat("event ", i, ": call.function ", f, " is unknown"));
    }
    if (nargs != s->arg_count) {
      return absl::InvalidArgumentError(absl::StrCat("event ", i, ": call ", s->name, " has ",
                                                     nargs, " args, expected ", s->arg_count));
    }
    const auto& args = e.has_call() ? e.call().args() : e.call_start().args();
    // The recorder gives identities only to handles (traces/call_schema.h);
    // an identity where a count or a time belongs would be replayed as a
    // made-up handle value.
    for (int k = 0; k < nargs; ++k) {
      if (args[k].v_case() == trace::Value::kHandle &&
          std::find(s->handle_args.begin(), s->handle_args.end(), k) == s->handle_args.end()) {
        return absl::InvalidArgumentError(absl::StrCat("event ", i, ": call ", s->name,
                                                       " argument ", k,
                                                       " is a handle identity, not a value"));
      }
    }
    if (f == trace::Function::GET_QUEUED_COMPLETION_STATUS_EX && args[1].raw() > kMaxEntries) {
      return absl::InvalidArgumentError(absl::StrCat(
          "event ", i, ": call GetQueuedCompletionStatusEx asks for ", args[1].raw(),
          " entries (at most ", kMaxEntries, " are replayed)"));
    }
    // Set-up runs outside any thread and cannot wait.
    if (e.thread() == 0 &&
        (f == trace::Function::SLEEP ||
         (f == trace::Function::GET_QUEUED_COMPLETION_STATUS_EX && args[2].raw() != 0))) {
      return absl::InvalidArgumentError(
          absl::StrCat("event ", i, ": set-up (thread 0) makes a call that can block"));
    }
  }
  if (threads->size() > kMaxThreads) {
    return absl::InvalidArgumentError(
        absl::StrCat("the trace has ", threads->size(), " threads (at most ", kMaxThreads, ")"));
  }
  int expected_id = 1;
  for (const auto& [id, start] : *threads) {
    if (id != expected_id++) {
      return absl::InvalidArgumentError(absl::StrCat("thread ids must be 1..n; ", id, " is out of order"));
    }
  }
  return absl::OkStatus();
}

std::vector<Step> StepsOf(const TraceView& t) {
  std::vector<Step> steps;
  steps.reserve(t.size());
  for (const trace::Event& e : t) steps.push_back(StepOf(e));
  return steps;
}

// The replay both readings share: each thread issues its recorded calls on
// the recorded schedule, and every event re-recorded goes to the comparer.
absl::StatusOr<ReplayReport> Replay(const Expected& t, const std::vector<Step>& steps,
                                    const ReplayOptions& options) {
  absl::StatusOr<sim::SimulationConfig> config = ConfigFromHeader(t.header);
  if (!config.ok()) return config.status();
  std::map<int, const trace::ThreadStart*> threads;
  if (absl::Status st = ValidateSteps(steps, &threads); !st.ok()) return st;

  // A faithful replay takes as many steps as the recording; a diverging one
  // is cut off soon after rather than left to run (a damaged trace could ask
  // for any number of steps). Every step records its decision, so a trace
  // took no more steps than it has events, whatever its end event claims:
  // the replay is bounded by the file's size. Counts are validated: no
  // overflow.
  std::string stop_reason;
  const int64_t events = static_cast<int64_t>(steps.size());
  int64_t recorded_steps = events;
  std::vector<RecordedPick> picks;
  picks.reserve(steps.size());
  std::map<int, std::vector<const trace::Event*>> scripts;  // per thread, in order
  std::set<int> ended;  // threads whose body returned in the recording
  for (const Step& s : steps) {
    if (s.kind == trace::Event::kEnd) {
      recorded_steps = std::min(s.event->end().steps(), events);
      stop_reason = s.event->end().reason();
    }
    if (s.kind == trace::Event::kThreadEnd) ended.insert(s.thread);
    if (s.kind == trace::Event::kDecision && s.options > 1) picks.push_back(s.pick);
    // A thread's script: the calls it made (those that may block, from
    // their start), and the poller events to carry over.
    const bool call = s.kind == trace::Event::kCall;
    const bool blocking_call = call && IssuedAtStart(s.event->call().function());
    if (s.thread > 0 && ((call && !blocking_call) || s.kind == trace::Event::kCallStart ||
                         s.kind == trace::Event::kNetpoll || s.kind == trace::Event::kFatal)) {
      scripts[s.thread].push_back(s.event);
    }
  }
  config->scheduler.max_steps = std::min(config->scheduler.max_steps, 2 * recorded_steps + 1000);

  ReplayStrategy strategy(std::move(picks));
  // The recorder is created before the scheduler and kernel that report to
  // it, and forwards to the comparer once that exists.
  std::unique_ptr<Comparer> comparer;
  TraceRecorder recorder([&](const RecordedEvent& e) { comparer->Take(e); });
  sim::Scheduler sched(strategy, &recorder, config->scheduler);
  sim::SimKernel kernel(config->kernel, sched, &recorder, config->seed);
  comparer = std::make_unique<Comparer>(t, options, sched);
  sim::SimCallClock clock(sched, kernel);
  sim::ObservedNtApi nt(kernel, clock, recorder);
  sim::ObservedEnvironment env(kernel, kernel, clock, recorder);
  CallIssuer issuer(nt, env);

  auto reemit = [&](const trace::Event& e) {
    if (e.has_netpoll()) {
      sim::NetpollReturn r;
      r.thread = e.thread();
      r.delay = e.netpoll().delay();
      r.goroutines = e.netpoll().goroutines();
      r.delta = e.netpoll().delta();
      recorder.OnNetpoll(kernel.now(), r);
    } else if (e.has_fatal()) {
      std::vector<std::string> printed(e.fatal().printed().begin(), e.fatal().printed().end());
      recorder.OnFatal(kernel.now(), e.thread(), e.fatal().message(), printed);
      sched.Stop(stop_reason);
    }
  };

  // Set-up: the events before the run, in order.
  bool ran = false;
  for (const Step& s : steps) {
    if (s.kind == trace::Event::kThreadStart) {
      const int id = s.thread;
      sched.Spawn(s.event->thread_start().name(), [&, id] {
        for (const trace::Event* step : scripts[id]) {
          if (step->has_call()) {
            issuer.Issue(step->call().function(), step->call());
          } else if (step->has_call_start()) {
            issuer.Issue(step->call_start().function(), step->call_start());
          } else {
            reemit(*step);
          }
        }
        // Recorded as still alive: it was parked before a call it never got
        // to make. Stay parked (until the run is torn down).
        if (ended.count(id) == 0) {
          for (;;) sched.Yield();
        }
      });
      recorder.OnThreadStart(id, s.event->thread_start().name(), s.event->thread_start().is_m());
    } else if (s.thread == 0 && s.kind == trace::Event::kCall) {
      issuer.Issue(s.event->call().function(), s.event->call());
    } else if (s.thread == 0 && s.kind == trace::Event::kFatal) {
      reemit(*s.event);  // start-up failed: there is no run
      break;
    } else if (s.kind == trace::Event::kDecision || s.kind == trace::Event::kEnd || s.thread > 0) {
      ran = true;
      break;
    }
  }
  if (ran) {
    sim::RunResult r = sched.Run();
    recorder.OnRunEnd(r.end_ns, sim::RunSummary{sim::OutcomeName(r.outcome), r.steps,
                                                r.decisions, r.stop_reason});
  }
  sched.Teardown();
  comparer->Finish();
  return std::move(comparer->report());
}

// What a replay reads of a trace, off the wire: nullopt if an event is not
// in the recorder's encoding or does not parse.
std::optional<std::vector<Step>> ScanSteps(const WireTrace& w, google::protobuf::Arena& arena) {
  std::vector<Step> steps;
  steps.reserve(w.size());
  for (size_t i = 0; i < w.size(); ++i) {
    const absl::string_view bytes = w.EventBytes(i);
    std::optional<ScannedEvent> e = ScanEvent(bytes);
    if (!e) return std::nullopt;
    Step s;
    s.kind = e->kind;
    s.time_ns = e->time_ns;
    s.thread = e->thread;
    if (e->kind == trace::Event::kDecision) {
      std::optional<ScannedDecision> d = ScanDecision(e->body);
      if (!d) return std::nullopt;
      s.options = d->options;
      s.pick = RecordedPick{d->picked < d->options, d->picked_kind, d->picked_thread};
    } else if (e->kind != trace::Event::kKernel && e->kind != trace::Event::kThreadEnd) {
      auto* m = google::protobuf::Arena::CreateMessage<trace::Event>(&arena);
      if (!m->ParseFromArray(bytes.data(), static_cast<int>(bytes.size())) ||
          m->kind_case() != e->kind) {
        return std::nullopt;
      }
      s.event = m;
    }
    steps.push_back(s);
  }
  return steps;
}

// A replay from the wire, if it re-recorded the file byte for byte.
std::optional<ReplayReport> ReplayFromWire(const WireTrace& w, const ReplayOptions& options) {
  google::protobuf::ArenaOptions sizes;
  // The parsed events (calls, thread starts, netpoll returns) take about
  // twice their bytes as messages: one block holds them.
  sizes.start_block_size = std::max<size_t>(w.bytes().size() * 2, 4096);
  google::protobuf::Arena arena(sizes);
  std::optional<std::vector<Step>> steps;
  {
    google::protobuf::LogSilencer quiet;  // a parse that fails falls back, unlogged
    steps = ScanSteps(w, arena);
  }
  if (!steps) return std::nullopt;
  const Expected expected{w.header(), w.size(),
                          [&w](size_t i) { return w.EventBytes(i); }, nullptr};
  absl::StatusOr<ReplayReport> r = Replay(expected, *steps, options);
  if (!r.ok() || r->divergences != 0) return std::nullopt;
  return *std::move(r);
}

}  // namespace

absl::Status ValidateTrace(const TraceView& t, std::map<int, const trace::ThreadStart*>* threads) {
  return ValidateSteps(StepsOf(t), threads);
}

absl::Status ValidateTrace(const Trace& t, std::map<int, const trace::ThreadStart*>* threads) {
  return ValidateTrace(TraceView(t), threads);
}

absl::StatusOr<ReplayReport> ReplayInSimulator(const Trace& t, const ReplayOptions& options) {
  return ReplayInSimulator(TraceView(t), options);
}

absl::StatusOr<ReplayReport> ReplayInSimulator(const TraceView& t, const ReplayOptions& options) {
  const Expected expected{t.header(), t.size(), [&t](size_t i) { return t.EventBytes(i); }, &t};
  return Replay(expected, StepsOf(t), options);
}

absl::StatusOr<ReplayReport> ReplayInSimulator(const WireTrace& w, const ReplayOptions& options,
                                               ReplayPath* path) {
  if (std::optional<ReplayReport> r = ReplayFromWire(w, options)) {
    if (path != nullptr) *path = ReplayPath::kWire;
    return *std::move(r);
  }
  if (path != nullptr) *path = ReplayPath::kParsed;
  absl::StatusOr<TraceView> t = TraceView::Parse(w.name(), w.bytes());
  if (!t.ok()) return t.status();  // names the file already
  absl::StatusOr<ReplayReport> r = ReplayInSimulator(*t, options);
  if (!r.ok()) {
    return absl::Status(r.status().code(), absl::StrCat(w.name(), ": ", r.status().message()));
  }
  return r;
}

}  // namespace iocpsim::traces
