#include "traces/replayer.h"

#include "sim/kernel_config.h"

#include <algorithm>
#include <map>
#include <memory>
#include <set>
#include <type_traits>
#include <utility>

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
#include "traces/trace_view.h"
#include "traces/writer.h"

namespace iocpsim::traces {
namespace {

constexpr size_t kMaxShown = 20;
// Bounds a replayable trace must respect (Go asks for at most 64 entries and
// runs a handful of Ms); beyond them a trace is refused, not attempted.
constexpr uint64_t kMaxEntries = 1 << 16;
constexpr size_t kMaxThreads = 1024;

// Follows the recorded decisions that had a choice to make.
class ReplayStrategy : public sim::Strategy {
 public:
  explicit ReplayStrategy(std::vector<const trace::Decision*> decisions)
      : decisions_(std::move(decisions)) {}

  size_t Pick(absl::Span<const sim::Choice> options) override {
    if (next_ >= decisions_.size()) return 0;
    const trace::Decision& d = *decisions_[next_++];
    if (d.picked() >= static_cast<uint32_t>(d.options_size())) return 0;
    const trace::Option& want = d.options(static_cast<int>(d.picked()));
    for (size_t i = 0; i < options.size(); ++i) {
      const sim::Choice& c = options[i];
      const bool same_kind =
          (want.kind() == trace::Option::THREAD && c.kind == sim::Choice::Kind::kThread &&
           want.thread() == c.thread) ||
          (want.kind() == trace::Option::KERNEL && c.kind == sim::Choice::Kind::kKernel) ||
          (want.kind() == trace::Option::ADVANCE && c.kind == sim::Choice::Kind::kAdvance);
      if (same_kind) return i;
    }
    return 0;  // the options diverged; the comparison reports it
  }

 private:
  std::vector<const trace::Decision*> decisions_;
  size_t next_ = 0;
};

// Compares each re-recorded event with the trace and keeps the replay's
// own trace bytes.
class Comparer {
 public:
  Comparer(const TraceView& t, const ReplayOptions& o, sim::Scheduler& sched)
      : trace_(t), options_(o), sched_(sched), writer_(sink_, t.header()) {}

  void Take(const RecordedEvent& got) {
    writer_.WriteFramed(got.framed);
    const int64_t i = index_++;
    if (stopped_) return;
    ++report_.compared;
    if (i < static_cast<int64_t>(trace_.size())) {
      // Byte for byte: the file's bytes, then (for a trace another writer
      // encoded differently) the trace's event in this recorder's encoding.
      if (got.message == trace_.EventBytes(static_cast<size_t>(i))) return;
      const trace::Event& want = trace_[i];
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
    if (!stopped_ && index_ < static_cast<int64_t>(trace_.size())) {
      ++report_.compared;
      Diverged(index_, FormatEvent(trace_[index_]), "(the replay ended)");
    }
    report_.rerecorded = sink_.data();
  }

  ReplayReport& report() { return report_; }

 private:
  void Diverged(int64_t i, std::string expected, std::string got) {
    ++report_.divergences;
    if (report_.shown.size() < kMaxShown) {
      Divergence d;
      d.index = i;
      d.expected = std::move(expected);
      d.got = std::move(got);
      // The recorded events just before index i (the trace may end earlier).
      const int64_t end = std::min<int64_t>(i, static_cast<int64_t>(trace_.size()));
      for (int64_t j = std::max<int64_t>(0, end - options_.context); j < end; ++j) {
        d.before.push_back(FormatEvent(trace_[j]));
      }
      report_.shown.push_back(std::move(d));
    }
    if (!options_.keep_going) {
      stopped_ = true;
      sched_.Stop("replay diverged");
    }
  }

  const TraceView& trace_;
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
absl::Status CheckNumbers(size_t i, const trace::Event& e) {
  if (e.time_ns() < 0 || e.time_ns() > sim::kClockCeilingNs) {
    return absl::InvalidArgumentError(absl::StrCat("event ", i, ": time_ns ", e.time_ns(),
                                                   " is outside 0..", sim::kClockCeilingNs));
  }
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

}  // namespace

absl::Status ValidateTrace(const TraceView& t, std::map<int, const trace::ThreadStart*>* threads) {
  for (size_t i = 0; i < t.size(); ++i) {
    const trace::Event& e = t[i];
    if (absl::Status st = CheckNumbers(i, e); !st.ok()) return st;
    if (e.has_thread_start()) {
      if (e.thread() <= 0 || threads->count(e.thread()) > 0) {
        return absl::InvalidArgumentError(
            absl::StrCat("event ", i, ": thread_start for bad or repeated thread ", e.thread()));
      }
      (*threads)[e.thread()] = &e.thread_start();
      continue;
    }
    if (e.thread() > 0 && threads->count(e.thread()) == 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("event ", i, ": thread ", e.thread(), " has no thread_start"));
    }
    if (e.has_call() || e.has_call_start()) {
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

absl::Status ValidateTrace(const Trace& t, std::map<int, const trace::ThreadStart*>* threads) {
  return ValidateTrace(TraceView(t), threads);
}

absl::StatusOr<ReplayReport> ReplayInSimulator(const Trace& t, const ReplayOptions& options) {
  return ReplayInSimulator(TraceView(t), options);
}

absl::StatusOr<ReplayReport> ReplayInSimulator(const TraceView& t, const ReplayOptions& options) {
  absl::StatusOr<sim::SimulationConfig> config = ConfigFromHeader(t.header());
  if (!config.ok()) return config.status();
  std::map<int, const trace::ThreadStart*> threads;
  if (absl::Status st = ValidateTrace(t, &threads); !st.ok()) return st;

  // A faithful replay takes as many steps as the recording; a diverging one
  // is cut off soon after rather than left to run (a damaged trace could ask
  // for any number of steps). Every step records its decision, so a trace
  // took no more steps than it has events, whatever its end event claims:
  // the replay is bounded by the file's size. Counts are validated: no
  // overflow.
  std::string stop_reason;
  const int64_t events = static_cast<int64_t>(t.size());
  int64_t recorded_steps = events;
  for (const trace::Event& e : t) {
    if (e.has_end()) {
      recorded_steps = std::min(e.end().steps(), events);
      stop_reason = e.end().reason();
    }
  }
  config->scheduler.max_steps = std::min(config->scheduler.max_steps, 2 * recorded_steps + 1000);
  std::vector<const trace::Decision*> decisions;
  std::map<int, std::vector<const trace::Event*>> scripts;  // per thread, in order
  std::set<int> ended;  // threads whose body returned in the recording
  for (const trace::Event& e : t) {
    if (e.has_thread_end()) ended.insert(e.thread());
    if (e.has_decision() && e.decision().options_size() > 1) decisions.push_back(&e.decision());
    // A thread's script: the calls it made (those that may block, from
    // their start), and the poller events to carry over.
    const bool blocking_call = e.has_call() && IssuedAtStart(e.call().function());
    if (e.thread() > 0 && ((e.has_call() && !blocking_call) || e.has_call_start() ||
                           e.has_netpoll() || e.has_fatal())) {
      scripts[e.thread()].push_back(&e);
    }
  }

  ReplayStrategy strategy(std::move(decisions));
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
  for (const trace::Event& e : t) {
    if (e.has_thread_start()) {
      const int id = e.thread();
      sched.Spawn(e.thread_start().name(), [&, id] {
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
      recorder.OnThreadStart(id, e.thread_start().name(), e.thread_start().is_m());
    } else if (e.thread() == 0 && e.has_call()) {
      issuer.Issue(e.call().function(), e.call());
    } else if (e.thread() == 0 && e.has_fatal()) {
      reemit(e);  // start-up failed: there is no run
      break;
    } else if (e.has_decision() || e.has_end() || e.thread() > 0) {
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

}  // namespace iocpsim::traces
