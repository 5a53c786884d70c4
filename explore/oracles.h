// Oracles: properties every run of the poller must keep, checked as the run
// goes (on every kernel call, netpoll return and time step; the wake-up and
// netpollWakeSig oracles when no thread can run) and at its end. Each names the bug class
// it catches; sim/SEMANTICS.md says what the kernel promises them.
#ifndef IOCPSIM_EXPLORE_ORACLES_H_
#define IOCPSIM_EXPLORE_ORACLES_H_

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "sim/observer.h"
#include "sim/simulation.h"

namespace iocpsim::explore {

// The oracles, by the name reports use.
//  empty-with-delta   netpoll returned no goroutines but a non-zero delta: the
//                     scheduler's netpollWaiters count drifts (netpoll's contract).
//  lost-wakeup        a netpollBreak left a poller blocked for longer than the
//                     bound: timers and new work wait for an unrelated event.
//  late-return        netpoll(delay > 0) returned later than delay plus its path's
//                     resolution (the high-resolution timer's, or the tick's where
//                     a documented race forced the fallback or the host lacks wait
//                     packets): timers fire late.
//  busy-wait          a run of netpoll(delay > 0) calls on one M returned nothing
//                     before their delay, the spin the 1 ms minimum wait prevents.
//  delivery           an I/O completion was dequeued twice, or was never
//                     dequeued though a poll that could take it ran: one that
//                     began after the completion was queued and returned with
//                     room for more entries. A completion after the last such
//                     poll is the scenario's end, not a lost delivery: nothing
//                     was left to poll for it (the kernel hands a queued packet
//                     to the next caller, sim/SEMANTICS.md S9).
//  fatal              the runtime threw and the scenario did not expect it.
//  leak               a destroyed M left a handle open, or its wait packet
//                     associated with a timer that can still fire. (A timer
//                     packet left queued is not a leak: mdestroy closes the
//                     handle without cancelling, and the next poll on the
//                     port consumes the packet as netpollSourceTimer. It is
//                     counted in ExtraCoverage.)
//  wakesig-stuck      netpollWakeSig is 1 with no break packet queued or in
//                     flight: every later netpollBreak is dropped.
struct Violation {
  std::string oracle;
  std::string detail;
  int64_t time_ns = 0;
};

struct OracleOptions {
  // Stop the run at the first violation (exploring); or let it run to its
  // end (recording a finding, so the trace holds the whole run).
  bool stop_on_violation = true;
  int64_t wakeup_bound_ns = 2'000'000;
  int busy_wait_run = 8;
  bool expect_fatal = false;
};

// Race-relevant paths reached that the poller's own branch counters cannot
// see (they need the kernel's view).
struct ExtraCoverage {
  int64_t timer_packet_taken_by_other_m = 0;
  int64_t destroyed_m_left_timer_packet_queued = 0;
};

class OracleMonitor : public sim::Observer {
 public:
  OracleMonitor(sim::Simulation& sim, OracleOptions options);

  void OnDecision(int64_t now, absl::Span<const sim::Choice> options, size_t picked) override;
  void OnKernelEvent(int64_t now, const sim::KernelEvent& e) override;
  void OnCallStart(const sim::CallRecord& call) override;
  void OnCall(const sim::CallRecord& call) override;
  void OnNetpollEnter(int64_t now, int thread, int64_t delay) override;
  void OnNetpoll(int64_t now, const sim::NetpollReturn& r) override;
  void OnFatal(int64_t now, int thread, const std::string& message,
               const std::vector<std::string>& printed) override;
  void OnRunEnd(int64_t now, const sim::RunSummary& end) override;

  // The first violation, if any (the run is stopped when it happens).
  const std::optional<Violation>& violation() const { return violation_; }
  const ExtraCoverage& coverage() const { return extra_; }
  // netpoll(delay > 0) calls that returned nothing before their delay.
  int64_t early_empty() const { return early_empty_; }

 private:
  struct MState {
    bool in_netpoll = false;
    int64_t delay = 0;
    int64_t start_ns = 0;
    bool fallback = false;  // this netpoll may wait for the tick
    bool preempted = false;  // time jumped while it could have run
    bool consumed_break = false;  // a break entry woke it
    int early_empty_run = 0;
    std::set<uint64_t> handles;  // created by this thread
    uint64_t wait_packet_object = 0;
  };
  void Violate(const std::string& oracle, const std::string& detail, int64_t now);
  void CheckWakeup(int64_t now, bool at_end);
  void CheckWakesig(int64_t now);
  bool BlockedInNetpoll(int thread) const;
  MState& M(int thread) { return ms_[thread]; }

  sim::Simulation& sim_;
  OracleOptions options_;
  std::optional<Violation> violation_;
  ExtraCoverage extra_;
  std::map<int, MState> ms_;
  std::optional<int64_t> unanswered_break_;  // a break no blocking poll has seen
  int64_t break_packets_ = 0;  // posted and not yet dequeued
  int64_t early_empty_ = 0;
  // Completions issued and not yet dequeued: overlapped -> their numbers, in
  // issue order (completions are numbered from 0 as they are issued).
  std::map<uint64_t, std::deque<int64_t>> completions_;
  int64_t completions_issued_ = 0;
  // Completions numbered below this were queued before a poll on Go's port
  // began that then returned with room to spare: that poll could take them.
  int64_t deliverable_below_ = 0;
  std::map<int, int64_t> poll_began_at_;  // thread -> completions issued when its GQCS began
  std::map<uint64_t, int> wait_packet_owner_;  // wait packet object -> thread
};

}  // namespace iocpsim::explore

#endif  // IOCPSIM_EXPLORE_ORACLES_H_
