#include "win32/real_replay.h"

#include <algorithm>
#include <deque>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "traces/call_issuer.h"
#include "traces/call_schema.h"
#include "traces/outcome.h"
#include "traces/recorder.h"
#include "traces/timeline.h"
#include "win32/real_process.h"

namespace iocpsim::win32 {
namespace {

using traces::Divergence;
using traces::ReplayReport;

// One recorded call a thread issues: a Call, or the CallStart of one that
// may block.
struct Item {
  int64_t index = 0;  // the trace event
  const trace::Event* event = nullptr;
  const trace::Event* expected = nullptr;  // the Call that recorded its outcome, if any
  bool skipped = false;   // not issued (a sleep over the limit)
  size_t start_turn = 0;  // its place in the Sequencer
  bool returned = false;  // (under the Sequencer's lock)
};

// The recorded order as a list of turns: each call's start and, for a call
// that may block, its return, placed by recorded time (trace order breaks
// ties). A thread makes a call at its start's turn; a return's turn passes
// only once the replayed call has returned, so what followed a return in the
// recording follows it here too, while what overlapped a wait (the post that
// woke it) overlaps it again.
class Sequencer {
 public:
  void Add(int64_t time, int64_t index, Item* item, bool is_return) {
    turns_.push_back(Turn{time, index, item, is_return});
  }
  void Seal() {
    std::sort(turns_.begin(), turns_.end(), [](const Turn& a, const Turn& b) {
      return a.time != b.time ? a.time < b.time : a.index < b.index;
    });
    for (size_t k = 0; k < turns_.size(); ++k) {
      if (!turns_[k].is_return) turns_[k].item->start_turn = k;
    }
  }
  // Blocks until `item`'s start is the next turn; a tear-down (time limit)
  // unwinds the thread as it would from a kernel wait.
  void AwaitStart(const Item& item, const RealNtApi& nt) {
    struct Ready {
      const size_t* next;
      size_t want;
      bool Check() const { return *next >= want; }
    } ready{&next_, item.start_turn};
    absl::MutexLock lock(&mu_);
    while (!mu_.AwaitWithTimeout(absl::Condition(&ready, &Ready::Check), absl::Milliseconds(20))) {
      if (nt.torn_down()) throw TornDown{};
    }
  }
  // Passes the start's turn.
  void Started() {
    absl::MutexLock lock(&mu_);
    ++next_;
    PassReturned();
  }
  void Returned(Item& item) {
    absl::MutexLock lock(&mu_);
    item.returned = true;
    PassReturned();
  }

 private:
  struct Turn {
    int64_t time;
    int64_t index;
    Item* item;
    bool is_return;
  };
  void PassReturned() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    while (next_ < turns_.size() && turns_[next_].is_return && turns_[next_].item->returned) {
      ++next_;
    }
  }

  absl::Mutex mu_;
  std::vector<Turn> turns_;
  size_t next_ ABSL_GUARDED_BY(mu_) = 0;
};

// Outcomes that depend on when things happened rather than on what was
// called: a real kernel gives whichever the timing gives.
bool TimingDependent(trace::Function f) {
  switch (f) {
    case trace::Function::GET_QUEUED_COMPLETION_STATUS_EX:
    case trace::Function::NT_CANCEL_WAIT_COMPLETION_PACKET:
    case trace::Function::NT_ASSOCIATE_WAIT_COMPLETION_PACKET:
      return true;
    default:
      return false;
  }
}

// What this host or backend cannot do: an ntdll function it lacks, or what
// the backend refuses on purpose with ERROR_NOT_SUPPORTED / STATUS_NOT_SUPPORTED
// (an I/O status it cannot make happen, a completion routine or attributes
// that would be addresses in another process).
bool Unsupported(const trace::Call& have) {
  const traces::CallSchema* s = traces::SchemaByFunction(have.function());
  if (s != nullptr && s->is_nt) {
    return have.result().raw() == nt::STATUS_PROCEDURE_NOT_FOUND ||
           have.result().raw() == nt::STATUS_NOT_SUPPORTED;
  }
  const bool failed = have.result().v_case() == trace::Value::kHandle
                          ? have.result().handle() == 0
                          : have.result().raw() == 0;
  return failed && have.last_error() == nt::ERROR_NOT_SUPPORTED;
}

// On a real kernel a handle argument is a handle of this very process: only
// the handles the trace itself created (identities), NULL, and
// INVALID_HANDLE_VALUE where CreateIoCompletionPort takes it may be passed,
// and an identity only once the call that created it has been recorded.
absl::Status CheckHandles(const traces::Trace& t) {
  std::set<uint32_t> created;
  for (size_t i = 0; i < t.events.size(); ++i) {
    const trace::Event& e = t.events[i];
    if (!e.has_call() && !e.has_call_start()) continue;
    const trace::Function f = e.has_call() ? e.call().function() : e.call_start().function();
    const auto& args = e.has_call() ? e.call().args() : e.call_start().args();
    const traces::CallSchema* schema = traces::SchemaByFunction(f);
    for (int k : schema->handle_args) {
      const trace::Value& v = args[k];
      if (v.v_case() == trace::Value::kHandle) {
        if (v.handle() != 0 && created.count(v.handle()) == 0) {
          return absl::InvalidArgumentError(absl::StrCat(
              "event ", i, ": ", schema->name, " argument ", k, " is handle H", v.handle(),
              ", which no earlier call created"));
        }
        continue;
      }
      const bool invalid_handle_value =
          f == trace::Function::CREATE_IO_COMPLETION_PORT && k == 0 && v.raw() == ~uint64_t{0};
      if (v.raw() != 0 && !invalid_handle_value) {
        return absl::InvalidArgumentError(absl::StrCat(
            "event ", i, ": ", schema->name, " argument ", k, " is the raw handle value 0x",
            absl::Hex(v.raw()), ", not one the trace created; on a real kernel it would name a "
            "handle of the replaying process"));
      }
    }
    if (e.has_call()) {
      if (schema->result_is_handle && e.call().result().v_case() == trace::Value::kHandle) {
        created.insert(e.call().result().handle());
      }
      if (schema->out_is_handle && e.call().outs_size() > 0 &&
          e.call().outs(0).v_case() == trace::Value::kHandle) {
        created.insert(e.call().outs(0).handle());
      }
    }
  }
  return absl::OkStatus();
}

class Report {
 public:
  Report(const traces::Trace& t, const traces::ReplayOptions& o) : trace_(t), options_(o) {}

  void Add(int64_t index, const char* kind, std::string expected, std::string got) {
    ++report_.divergences;
    if (std::string(kind) == "unsupported") ++report_.unsupported;
    if (std::string(kind) == "not reproducible") ++report_.not_reproducible;
    if (report_.shown.size() >= 20 || (!options_.keep_going && !report_.shown.empty())) return;
    Divergence d;
    d.index = index;
    d.kind = kind;
    d.expected = std::move(expected);
    d.got = std::move(got);
    for (int64_t j = std::max<int64_t>(0, index - options_.context); j < index; ++j) {
      d.before.push_back(traces::FormatEvent(trace_.events[j]));
    }
    report_.shown.push_back(std::move(d));
  }
  ReplayReport& report() { return report_; }

 private:
  const traces::Trace& trace_;
  const traces::ReplayOptions& options_;
  ReplayReport report_;
};

}  // namespace

absl::StatusOr<ReplayReport> ReplayOnRealKernel(const traces::Trace& t,
                                                const traces::ReplayOptions& options,
                                                const RealReplayLimits& limits) {
  std::map<int, const trace::ThreadStart*> threads;
  if (absl::Status st = traces::ValidateTrace(t, &threads); !st.ok()) return st;
  if (absl::Status st = CheckHandles(t); !st.ok()) return st;
  if (threads.size() > RealProcessConfig::kMaxThreads) {
    return absl::InvalidArgumentError(absl::StrCat("the trace has ", threads.size(),
                                                   " threads; the real backend runs at most ",
                                                   RealProcessConfig::kMaxThreads));
  }
  if (t.header.ptr_size() != 8) {
    return absl::InvalidArgumentError(
        absl::StrCat("header.ptr_size is ", t.header.ptr_size(),
                     ": the real backend replays 64-bit processes only"));
  }

  // Each thread's items, in order; set-up calls are thread 0's, made before
  // the threads start. Items live in deques: the Sequencer points at them.
  std::map<int, std::deque<Item>> items;
  Sequencer order;
  for (size_t i = 0; i < t.events.size(); ++i) {
    const trace::Event& e = t.events[i];
    const bool blocking = e.has_call() && traces::IssuedAtStart(e.call().function());
    if (!((e.has_call() && !blocking) || e.has_call_start())) continue;
    Item& item = items[e.thread()].emplace_back();
    item.index = static_cast<int64_t>(i);
    item.event = &e;
    item.expected = e.has_call() ? &e : nullptr;
    if (e.has_call_start()) {
      // Its outcome: the thread's next Call of the same function.
      for (size_t j = i + 1; j < t.events.size(); ++j) {
        const trace::Event& f = t.events[j];
        if (f.thread() == e.thread() && f.has_call()) {
          if (f.call().function() == e.call_start().function()) item.expected = &f;
          break;
        }
      }
      item.skipped = e.call_start().function() == trace::Function::SLEEP &&
                     static_cast<int64_t>(e.call_start().args(0).raw()) > limits.max_sleep_ns;
    }
    if (e.thread() == 0) continue;
    order.Add(e.has_call() ? e.call().start_ns() : e.time_ns(), item.index, &item, false);
    if (e.has_call_start() && item.expected != nullptr) {
      order.Add(item.expected->time_ns(), item.expected - t.events.data(), &item, true);
    }
  }
  order.Seal();

  // Re-recorded calls, per thread, in the order each thread made them.
  absl::Mutex got_mu;
  std::map<int, std::vector<trace::Event>> got;
  traces::TraceRecorder recorder([&](const traces::RecordedEvent& r) {
    if (r.kind != trace::Event::kCall) return;
    trace::Event e = traces::ToMessage(r);
    absl::MutexLock lock(&got_mu);
    got[e.thread()].push_back(std::move(e));
  });
  RealProcessConfig config;
  config.time_limit_ns = limits.time_limit_ns;
  config.model_turns = false;
  RealProcess p(config, &recorder);
  traces::CallIssuer issuer(p.nt(), p.env(), /*forget_closed=*/true);
  auto issue = [&issuer](const Item& item) {
    const trace::Event& e = *item.event;
    if (e.has_call()) {
      issuer.Issue(e.call().function(), e.call());
    } else {
      issuer.Issue(e.call_start().function(), e.call_start());
    }
  };
  for (const Item& item : items[0]) issue(item);

  for (const auto& [id, start] : threads) {
    std::deque<Item>* mine = &items[id];
    p.SpawnThread(start->name(), [&, mine] {
      for (Item& item : *mine) {
        order.AwaitStart(item, p.real_nt());
        if (item.event->has_call_start()) {
          // It may block: what came next in the recording may go now.
          order.Started();
          if (!item.skipped) issue(item);
          order.Returned(item);
        } else {
          issue(item);
          order.Started();
        }
      }
    });
  }
  sim::RunResult run = p.Run();

  // Each call's finding, then the calls that only failed for using a handle
  // an unsupported call would have made, then the report in trace order.
  struct Finding {
    int64_t index;
    std::string kind;
    const trace::Event* want;  // nullptr: a call the trace does not have
    std::string expected, got;
  };
  std::vector<Finding> findings;
  int64_t compared = 0;
  std::set<uint32_t> unmade;  // handle identities of unsupported calls
  for (const auto& [id, mine] : items) {
    const std::vector<trace::Event>& done = got[id];
    size_t k = 0;
    for (const Item& item : mine) {
      ++compared;
      if (item.expected == nullptr) {
        // Recorded as still blocked when the run ended.
        if (k < done.size() && !item.skipped) {
          findings.push_back({item.index, "not reproducible", nullptr,
                              traces::FormatEvent(*item.event),
                              absl::StrCat("it returned: ", traces::FormatEvent(done[k++]))});
        }
        continue;
      }
      const trace::Event& want = *item.expected;
      const trace::Function f = want.call().function();
      if (item.skipped) {
        findings.push_back({item.index, "not reproducible", &want, traces::FormatEvent(want),
                            absl::StrCat("not slept: longer than ",
                                         limits.max_sleep_ns / 1'000'000, " ms of real time")});
        continue;
      }
      if (k >= done.size()) {
        findings.push_back({item.index, "not reproducible", &want, traces::FormatEvent(want),
                            absl::StrCat("the call never returned (", run.stop_reason, ")")});
        continue;
      }
      const trace::Event& have = done[k++];
      if (traces::ComparableOutcome(want) == traces::ComparableOutcome(have)) continue;
      std::string kind = "diverged";
      if (have.call().function() == f && Unsupported(have.call())) {
        kind = "unsupported";
        // Handles it would have made: in its result or its out-parameter.
        if (want.call().result().handle() != 0) unmade.insert(want.call().result().handle());
        if (want.call().outs_size() > 0 && want.call().outs(0).handle() != 0) {
          unmade.insert(want.call().outs(0).handle());
        }
      } else if (have.call().function() == f && TimingDependent(f)) {
        kind = "not reproducible";
      }
      findings.push_back({item.index, kind, &want, traces::FormatEvent(want),
                          traces::FormatEvent(have)});
    }
    for (; k < done.size(); ++k) {
      findings.push_back({static_cast<int64_t>(t.events.size()), "diverged", nullptr,
                          "(no such call recorded)", traces::FormatEvent(done[k])});
    }
  }
  Report report(t, options);
  report.report().compared = compared;
  std::sort(findings.begin(), findings.end(),
            [](const Finding& a, const Finding& b) { return a.index < b.index; });
  for (Finding& f : findings) {
    if (f.kind == "diverged" && f.want != nullptr) {
      for (const trace::Value& v : f.want->call().args()) {
        if (v.v_case() == trace::Value::kHandle && unmade.count(v.handle()) > 0) {
          f.kind = "unsupported";
          f.got = absl::StrCat("its handle comes from an unsupported call: ", f.got);
        }
      }
    }
    report.Add(f.index, f.kind.c_str(), std::move(f.expected), std::move(f.got));
  }
  return std::move(report.report());
}

}  // namespace iocpsim::win32
