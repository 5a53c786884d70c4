#include "traces/check_real.h"

#include <algorithm>
#include <climits>
#include <cstdio>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "sim/kernel.h"
#include "sim/observed_environment.h"
#include "sim/observed_nt_api.h"
#include "sim/scheduler.h"
#include "sim/strategy.h"
#include "traces/call_issuer.h"
#include "traces/outcome.h"
#include "traces/recorder.h"
#include "traces/timeline.h"

namespace iocpsim::traces {
namespace {

using trace::Function;

// The recorded thread and times of the call being applied.
class ScriptClock : public sim::CallClock {
 public:
  void Set(const trace::Event& e) {
    thread_ = e.thread();
    start_ = e.call().start_ns();
    now_ = e.time_ns();
  }
  int CallThread() override { return thread_; }
  int64_t CallStartTime() override { return start_; }
  int64_t Now() override { return now_; }

 private:
  int thread_ = 0;
  int64_t start_ = 0;
  int64_t now_ = 0;
};

// A packet the model queued from a recorded post or I/O, and the span of
// real time in which it reached the port.
struct Arrival {
  std::optional<uint64_t> key;  // unknown for an I/O (its association's)
  uint64_t overlapped = 0;
  uint64_t status = 0;
  uint32_t bytes = 0;
  int64_t earliest = 0;
  int64_t latest = 0;
};

std::string Describe(const sim::Packet& p) {
  return absl::StrCat("{key ", absl::Hex(p.key), ", overlapped ", absl::Hex(p.overlapped),
                      ", status ", absl::Hex(p.status), ", bytes ", p.information,
                      p.from != nullptr ? ", a wait packet's" : "", "}");
}

std::string Describe(const trace::Entry& e) {
  return absl::StrCat("{key ", absl::Hex(e.key()), ", overlapped ", absl::Hex(e.overlapped()),
                      ", status ", absl::Hex(e.internal()), ", bytes ", e.bytes(), "}");
}

bool Same(const sim::Packet& p, const trace::Entry& e) {
  return p.key == e.key() && p.overlapped == e.overlapped() && p.status == e.internal() &&
         p.information == e.bytes();
}

// The host with every high-resolution timer expiring on its grid point, the
// earliest instant its latency bound allows [S46]: a wait packet's packet
// may reach the port later by any amount (MayArriveAfter), so the model
// firing first never makes a real run's later arrival a divergence, while a
// latency drawn here could make a real timer's earlier, allowed expiry one.
sim::KernelConfig EarliestExpiries(sim::KernelConfig host) {
  host.timer_latency_ns = 0;
  return host;
}

class Checker {
 public:
  Checker(const Trace& t, const sim::KernelConfig& host, const ReplayOptions& o,
          const CheckAllowances& a)
      : t_(t),
        options_(o),
        allow_(a),
        strategy_(0, 0),
        sched_(strategy_, nullptr, sim::SchedulerOptions{}),
        kernel_(EarliestExpiries(host), sched_, nullptr, 0),
        recorder_([this](const RecordedEvent& e) { last_ = ToMessage(e); }),
        nt_(kernel_, clock_, recorder_),
        env_(kernel_, kernel_, clock_, recorder_),
        issuer_(nt_, env_),
        applied_(t.events.size(), false) {}

  ReplayReport Run() {
    for (size_t i = 0; i < t_.events.size() && !stop_; ++i) {
      const trace::Event& e = t_.events[i];
      if (!e.has_call() || applied_[i]) continue;
      AdvanceTo(e.time_ns());
      switch (e.call().function()) {
        case Function::SLEEP:
          break;  // only time passes, and the next call's time says how much
        case Function::GOPARK:
          break;  // a point where another thread may run: nothing to check
        case Function::QUEUE_USER_APC:
          // The model's threads are not the run's: nothing to apply. Go's
          // waits are not alertable, so an APC changes nothing it does; a
          // wait it ended shows as a dequeue the model did not make.
          break;
        case Function::GET_QUEUED_COMPLETION_STATUS_EX:
          ++report_.compared;
          CheckDequeue(i);
          break;
        default:
          ++report_.compared;
          ApplyOverlappingFirst(i);
          if (!stop_) Apply(i);
      }
    }
    sched_.Teardown();
    return std::move(report_);
  }

 private:
  void AdvanceTo(int64_t t) {
    if (t > kernel_.now()) kernel_.AdvanceTo(t);
    while (kernel_.HasReadyWork()) kernel_.RunReadyWork();
  }

  void Violation(size_t i, std::string got) {
    ++report_.divergences;
    if (report_.shown.size() < 20) {
      Divergence d;
      d.index = static_cast<int64_t>(i);
      d.kind = "not allowed by the model";
      d.expected = FormatEvent(t_.events[i]);
      d.got = std::move(got);
      for (size_t j = i >= static_cast<size_t>(options_.context) ? i - options_.context : 0; j < i;
           ++j) {
        d.before.push_back(FormatEvent(t_.events[j]));
      }
      report_.shown.push_back(std::move(d));
    }
    if (!options_.keep_going) stop_ = true;
  }

  // A call whose outcome does not hinge on timing: the model must give it.
  void Apply(size_t i) {
    const trace::Event& e = t_.events[i];
    const trace::Call& c = e.call();
    clock_.Set(e);
    last_.reset();
    issuer_.Issue(c.function(), c);
    if (!last_ || ComparableOutcome(*last_) != ComparableOutcome(e)) {
      Violation(i, last_ ? absl::StrCat("the model answers ", FormatEvent(*last_))
                         : "the model made no such call");
      return;
    }
    if (c.result().raw() == 0) return;
    if (c.function() == Function::POST_QUEUED_COMPLETION_STATUS) {
      arrivals_.push_back(Arrival{c.args(2).raw(), c.args(3).raw(), 0,
                                  static_cast<uint32_t>(c.args(1).raw()), c.start_ns(),
                                  e.time_ns()});
    } else if (c.function() == Function::COMPLETE_IO) {
      arrivals_.push_back(Arrival{std::nullopt, c.args(1).raw(), c.args(3).raw(),
                                  static_cast<uint32_t>(c.args(2).raw()), c.start_ns(),
                                  c.start_ns() + allow_.io_latency_ns});
    }
  }

  // A socket's CompleteIo and its close are serialized by the environment
  // (the close waits for the I/O: win32/real_environment.h), but the two may
  // return in either order when they overlap. So of a close and a CompleteIo
  // on the same handle that overlapped event i, the CompleteIo took effect
  // first if it succeeded, and the close first if the CompleteIo failed with
  // ERROR_INVALID_HANDLE: that one is applied before event i.
  void ApplyOverlappingFirst(size_t i) {
    const trace::Call& c = t_.events[i].call();
    const Function fn = c.function();
    if ((fn != Function::CLOSE_HANDLE && fn != Function::COMPLETE_IO) || c.args_size() == 0 ||
        !c.args(0).has_handle()) {
      return;
    }
    for (size_t j = i + 1; j < t_.events.size() && j <= i + static_cast<size_t>(allow_.lookahead);
         ++j) {
      const trace::Event& f = t_.events[j];
      if (applied_[j] || !f.has_call() || f.call().start_ns() > t_.events[i].time_ns()) continue;
      const trace::Call& d = f.call();
      if (d.args_size() == 0 || !d.args(0).has_handle() ||
          d.args(0).handle() != c.args(0).handle()) {
        continue;
      }
      const bool first = fn == Function::CLOSE_HANDLE
                             ? d.function() == Function::COMPLETE_IO && d.result().raw() != 0
                             : d.function() == Function::CLOSE_HANDLE && c.result().raw() == 0 &&
                                   c.last_error() == nt::ERROR_INVALID_HANDLE;
      if (!first) continue;
      applied_[j] = true;
      ++report_.compared;
      Apply(j);
      return;
    }
  }

  std::vector<Arrival>::iterator ArrivalOf(const sim::Packet& p) {
    return std::find_if(arrivals_.begin(), arrivals_.end(), [&p](const Arrival& a) {
      return (!a.key || *a.key == p.key) && a.overlapped == p.overlapped &&
             a.status == p.status && a.bytes == p.information;
    });
  }

  // Whether packet p may have reached the port after instant t. A wait
  // packet's packet follows its timer, which fires late by any amount.
  bool MayArriveAfter(const sim::Packet& p, int64_t t) {
    if (p.from != nullptr) return true;
    auto it = ArrivalOf(p);
    return it != arrivals_.end() && it->latest > t;
  }

  // Whether a dequeue recorded later, but begun before `end`, returned p: the
  // two overlapped, and it may have taken p first.
  bool TakenByAnOverlappingDequeue(const sim::Packet& p, size_t i, int64_t end) const {
    for (size_t j = i + 1; j < t_.events.size() && j <= i + static_cast<size_t>(allow_.lookahead);
         ++j) {
      const trace::Event& f = t_.events[j];
      if (!f.has_call() || f.call().function() != Function::GET_QUEUED_COMPLETION_STATUS_EX ||
          f.call().start_ns() > end) {
        continue;
      }
      for (const trace::Entry& en : f.call().entries()) {
        if (Same(p, en)) return true;
      }
    }
    return false;
  }

  // Whether a dequeue that is event i and took effect after instant t may
  // not have found packet p.
  bool MayHaveMissed(const sim::Packet& p, size_t i, int64_t t) {
    return MayArriveAfter(p, t) || TakenByAnOverlappingDequeue(p, i, t_.events[i].time_ns());
  }

  std::optional<size_t> Find(nt::HANDLE port, const trace::Entry& en) {
    const sim::IoCompletion* q = kernel_.PortAt(port);
    if (q == nullptr) return std::nullopt;
    for (size_t k = 0; k < q->queue.size(); ++k) {
      if (Same(q->queue[k], en)) return k;
    }
    return std::nullopt;
  }

  void CheckDequeue(size_t i) {
    const trace::Event& e = t_.events[i];
    const trace::Call& c = e.call();
    const nt::HANDLE port = issuer_.Resolve(c.args(0));
    const int64_t at = e.time_ns();
    if (c.result().raw() != 0) {
      const auto& entries = c.entries();
      for (int n = 0; n < entries.size(); ++n) {
        const trace::Entry& en = entries[n];
        std::optional<size_t> idx = Find(port, en);
        // A post or I/O that began before this dequeue returned may have
        // queued the packet though its own return is recorded later.
        for (size_t j = i + 1; !idx && j < t_.events.size() &&
                               j <= i + static_cast<size_t>(allow_.lookahead);
             ++j) {
          const trace::Event& f = t_.events[j];
          if (applied_[j] || !f.has_call() || f.call().start_ns() > at) continue;
          const Function fn = f.call().function();
          if (fn != Function::POST_QUEUED_COMPLETION_STATUS && fn != Function::COMPLETE_IO) continue;
          applied_[j] = true;
          ++report_.compared;
          Apply(j);
          if (stop_) return;
          idx = Find(port, en);
        }
        if (!idx) {
          Violation(i, absl::StrCat("no packet ", Describe(en),
                                    " was on that port, nor posted by a call overlapping this one"));
          return;
        }
        // The port is FIFO. Each packet the model queued before this one
        // must have been able to reach the port after it: after it arrived
        // if this dequeue returns that packet too, further on; else after
        // the dequeue took this one (or an overlapping dequeue took it).
        const sim::IoCompletion* q = kernel_.PortAt(port);
        int64_t arrived = INT64_MIN;
        if (auto it = ArrivalOf(q->queue[*idx]); it != arrivals_.end()) arrived = it->earliest;
        const int64_t took = std::max(c.start_ns(), arrived);
        for (size_t k = 0; k < *idx && !stop_; ++k) {
          const sim::Packet& before = q->queue[k];
          const bool returned_later = std::any_of(
              entries.begin() + n + 1, entries.end(),
              [&before](const trace::Entry& later) { return Same(before, later); });
          if (returned_later ? !MayArriveAfter(before, arrived) : !MayHaveMissed(before, i, took)) {
            Violation(i, absl::StrCat("the port is FIFO: the model had ", Describe(before),
                                      " queued before ", Describe(en)));
          }
        }
        // Either way the model follows the recording, so one finding does
        // not cascade into the next.
        sim::Packet p;
        kernel_.DequeueAt(port, *idx, &p);
        if (auto it = ArrivalOf(p); it != arrivals_.end()) arrivals_.erase(it);
        if (stop_) return;
      }
      return;
    }
    const sim::IoCompletion* q = kernel_.PortAt(port);
    if (c.last_error() == nt::WAIT_TIMEOUT) {
      if (q == nullptr) {
        Violation(i, "the model has no open port there: the wait fails at once");
        return;
      }
      const uint64_t ms = c.args(2).raw();
      if (ms == nt::INFINITE) {
        Violation(i, "an INFINITE wait does not time out");
        return;
      }
      // A wait counts whole ticks from the last tick: it may end up to one
      // tick early, never earlier.
      const int64_t least =
          std::max<int64_t>(0, static_cast<int64_t>(ms) * 1'000'000 - kernel_.config().tick_ns);
      const int64_t waited = at - c.start_ns();
      if (waited < least) {
        Violation(i, absl::StrCat("the wait ended after ", waited / 1000, " us; a ", ms,
                                  " ms wait lasts at least ", least / 1000,
                                  " us on this host (one tick less)"));
        return;
      }
      const uint64_t removed = c.outs_size() > 0 ? c.outs(0).raw() : 0;
      if (removed != kernel_.config().removed_on_timeout) {
        Violation(i, absl::StrCat("on a timeout this host leaves a removed count of ",
                                  kernel_.config().removed_on_timeout, ", not ", removed));
        return;
      }
      // A packet surely queued before the wait could expire would have ended it.
      const int64_t expiry = c.start_ns() + least;
      for (const sim::Packet& p : q->queue) {
        if (!MayHaveMissed(p, i, expiry)) {
          Violation(i, absl::StrCat("the wait cannot time out: the model had ", Describe(p),
                                    " queued before it could expire"));
          return;
        }
      }
      return;
    }
    // Any other failure: the model's answer for the port as it is now.
    if (q != nullptr) {
      Violation(i, "the port is open in the model: the call would have waited");
      return;
    }
    nt::OverlappedEntry entry;
    nt::ULONG removed = 0;
    kernel_.GetQueuedCompletionStatusEx(port, &entry, 1, &removed, 0, 0);
    const nt::DWORD model = kernel_.GetLastError();
    if (model != c.last_error()) {
      Violation(i, absl::StrCat("the model fails with error ", model));
    }
  }

  const Trace& t_;
  const ReplayOptions& options_;
  const CheckAllowances allow_;
  sim::RandomStrategy strategy_;  // never asked: no simulated thread runs
  sim::Scheduler sched_;
  sim::SimKernel kernel_;
  ScriptClock clock_;
  std::optional<trace::Event> last_;
  TraceRecorder recorder_;
  sim::ObservedNtApi nt_;
  sim::ObservedEnvironment env_;
  CallIssuer issuer_;
  std::vector<bool> applied_;
  std::vector<Arrival> arrivals_;
  ReplayReport report_;
  bool stop_ = false;
};

}  // namespace

std::string ProfileOfRealHost(const trace::RealHost& host) {
  const std::string& os = host.os();
  if (absl::StartsWith(os, "Wine")) return "wine8";
  int major = 0, minor = 0, build = 0;
  if (std::sscanf(os.c_str(), "Windows %d.%d.%d", &major, &minor, &build) == 3 &&
      (major < 10 || build < 17134)) {
    return "windows-pre1803";
  }
  return "windows";
}

absl::StatusOr<ReplayReport> CheckInSimulator(const Trace& t, const sim::KernelConfig& host,
                                              const ReplayOptions& options,
                                              const CheckAllowances& allowances) {
  std::map<int, const trace::ThreadStart*> threads;
  if (absl::Status st = ValidateTrace(t, &threads); !st.ok()) return st;
  if (!t.header.backend().has_real()) {
    return absl::InvalidArgumentError(
        "header.backend: not a run on a real kernel (a simulated run replays exactly instead)");
  }
  if (t.header.ptr_size() != host.ptr_size) {
    return absl::InvalidArgumentError(absl::StrCat("header.ptr_size is ", t.header.ptr_size(),
                                                   ", the model's host has ", host.ptr_size));
  }
  Checker checker(t, host, options, allowances);
  return checker.Run();
}

}  // namespace iocpsim::traces
