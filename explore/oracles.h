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

#include "poller/heap.h"
#include "sim/observer.h"
#include "sim/simulation.h"

namespace iocpsim::explore {

// The oracles, by the name reports use.
//  empty-with-delta   netpoll returned no goroutines but a non-zero delta: the
//                     scheduler's netpollWaiters count drifts (netpoll's contract).
//  lost-wakeup        a netpollBreak left a poller blocked for longer than the
//                     bound: timers and new work wait for an unrelated event.
//  late-return        netpoll(delay > 0) returned later than delay plus its path's
//                     resolution (the high-resolution timer's and its latency
//                     bound, S46), or, where the host lacks wait packets,
//                     later than the kernel ends Go's wait for the delay
//                     (at least 1 ms) on the host's ticks [S10, S41]: timers
//                     fire late.
//  busy-wait          a run of blocking netpoll calls on one M (delay > 0, or
//                     delay < 0 which should return only for work) returned
//                     nothing before their delay: the spin the 1 ms minimum
//                     wait prevents. Being woken by a break excuses a return
//                     only if the break came from elsewhere: one this M
//                     forwarded itself, or any a blocking netpoll re-posted
//                     (break ping-pong between pollers), is no reason to wake.
//  delivery           per goroutine, as Go's scheduler sees it: a netpoll that
//                     dequeued the completion of an I/O a goroutine is parked
//                     on returned without that goroutine (dropped, or another
//                     mode's goroutine readied instead: it stays parked), or
//                     returned a goroutine none of its completions was for
//                     (the wrong mode's, or one delivered twice), or returned
//                     it without its pollDesc marked ready (pdReady), so it
//                     wakes to an error. Also when
//                     an I/O completion was dequeued twice, or was never
//                     dequeued though a poll that could take it ran: one that
//                     began after the completion was queued and returned with
//                     room for more entries. A completion after the last such
//                     poll is the scenario's end, not a lost delivery: nothing
//                     was left to poll for it (the kernel hands a queued packet
//                     to the next caller, sim/SEMANTICS.md S9).
//  liveness           the run ended at the step limit (a livelock, such as a
//                     break ping-pong, never a pass), or went idle with a
//                     goroutine still parked on I/O that completed while a
//                     poll could still take it (a poller blocked at the end,
//                     or one that began after the completion): Go would hang.
//                     Also a run that ended (idle or done) with a goroutine
//                     parked though netpoll took a completion of its mode
//                     while it ran and it has not returned from pollWait
//                     since: the readiness left in the pollDesc was lost
//                     (dropped, or consumed by a netpollblock that reported
//                     not ready), so it never wakes.
//  fatal              the runtime threw and the scenario did not expect it;
//                     or the scenario expects a fatal error (an error path a
//                     fault drives) and the run ended without it, or with
//                     another one: an error the poller swallows or misreads.
//  m-resources        an M reached its first netpoll without the objects
//                     minit gives it in its Go version on this host, or with
//                     more: the high-resolution timer usleep uses when the
//                     host accepts them (without it sysmon sleeps a tick, not
//                     20 us), and (from cf52e709) the netpoll timer and its
//                     wait packet when ntdll has the wait packet functions;
//                     the version before cf52e709 looks none of them up.
//  leak               start-up or a destroyed M left a handle open, or its wait packet
//                     associated with a timer that can still fire. (A timer
//                     packet left queued is not a leak: mdestroy closes the
//                     handle without cancelling, and the next poll on the
//                     port consumes the packet as netpollSourceTimer. It is
//                     counted in ExtraCoverage.)
//  wakesig-stuck      netpollWakeSig is 1 with no break packet queued or in
//                     flight: every later netpollBreak is dropped.
//  break-coalescing   a break was posted while another was still queued:
//                     netpollWakeSig lets only one through until a poll
//                     consumes it, so pollers wake for nothing (it was reset
//                     where no break was consumed, or a break was posted
//                     around the CAS).
//  waiters-count      netpollWaiters differs from the goroutines parked on
//                     I/O, checked whenever no M is inside netpoll past its
//                     dequeue and at the end: a delta that is wrong or lost,
//                     so findRunnable blocks in netpoll for nobody or never.
//  nonblocking        netpoll(0) waited in GetQueuedCompletionStatusEx: the
//                     poll findRunnable and the spinning Ms make without
//                     blocking (netpoll's contract) blocks the scheduler.
//  batch-size         a poll asked for other than max(8, 64 / GOMAXPROCS)
//                     entries: Ms on a busy port no longer share a burst of
//                     packets, and more than 64 overruns netpoll's array.
//  early-timeout      netpoll(delay > 0)'s wait timed out more than a tick
//                     and a millisecond before its delay (capped at 1e15):
//                     the millisecond wait was computed short, and the
//                     scheduler wakes for nothing.
//  early-return       netpoll(delay > 0) returned nothing before its delay
//                     with no cause: nothing dequeued, no wait ended, and no
//                     timer found expired when associated (a signaled return
//                     the kernel did not report).
//  timer-due          the high-resolution timer was armed to expire before
//                     netpoll's delay (capped): the poller wakes early.
//  port-concurrency   Go's port kept a packet from a waiting M or a poll
//                     because the Ms that run fill its concurrency value
//                     (CreateIoCompletionPort's NumberOfConcurrentThreads;
//                     Go passes _DWORD_MAX) [S36]: ready I/O waits until one
//                     of them blocks.
//  wake-timer         a timer was set with SetWaitableTimer's fResume [S48]:
//                     a wake timer (powercfg /waketimers lists it) brings a
//                     sleeping computer back to the working state when it
//                     comes due, so every netpoll timeout would wake the
//                     laptop. Go passes 0 (netpoll_windows.go).
//  race-attribution   NtCancelWaitCompletionPacket answered STATUS_PENDING
//                     when the timer packet was not being delivered: only the
//                     documented race [S25] excuses the fallback poll from the
//                     timer's resolution (a queued packet is removed when
//                     RemoveSignaledPacket is TRUE [S26]).
//  goroutine          a goroutine of the model saw what internal/poll's
//                     contract with the runtime rules out
//                     (workloads::GoroutineWatcher): poll_runtime_pollWait
//                     returned ready with its I/O still in flight
//                     (netpollblock or a failed gopark reported readiness
//                     nobody gave), netpoll readied it but netpollblock
//                     resumed it not ready (it parks again: the completion
//                     is lost), a close woke it ready, it parked on a
//                     pollDesc already closed (nothing will wake it), a
//                     socket opened though its association with the port
//                     failed, or failed to open though nothing failed.
// Every oracle above, by name, sorted: the reports list each (JUnit has a
// test case per oracle); tests/oracles_test.cc holds it to the Violate
// calls of oracles.cc.
const std::vector<std::string>& OracleNames();

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
  std::string expect_fatal_contains;  // with expect_fatal: the fatal error contains this
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
  // A contradiction the workload's goroutines saw: the "goroutine" oracle.
  void GoroutineContradiction(int64_t now, const std::string& what);
  // A goroutine of the workload returned from pollWait on the pollDesc at
  // `pd` in `mode` (ready, or to a close): readiness owed to it is spent.
  void PollWaitReturned(uint64_t pd, int32_t mode);
  const ExtraCoverage& coverage() const { return extra_; }
  // netpoll(delay > 0) calls that returned nothing before their delay.
  int64_t early_empty() const { return early_empty_; }

 private:
  // An I/O completion the device issued, and whom it is for.
  struct Completion {
    int64_t number = 0;  // in issue order, from 0
    int64_t issued_ns = 0;
    uint64_t pd = 0;     // the pollDesc of its pollOperation
    int32_t mode = 0;    // 'r' or 'w'
    uint64_t g = 0;      // the goroutine parked for it when it completed (0: none)
  };
  struct MState {
    bool in_netpoll = false;
    int64_t delay = 0;
    int64_t start_ns = 0;
    bool fallback = false;  // this netpoll may wait for the tick
    bool preempted = false;  // time jumped while it could have run
    bool consumed_break = false;  // a break from elsewhere woke it
    bool dequeued = false;  // its poll took entries: it readies goroutines before returning
    bool woken = false;     // its poll returned, or its timer had expired when associated
    std::vector<Completion> taken;  // dequeued in this netpoll, for a parked goroutine
    int early_empty_run = 0;
    std::set<uint64_t> handles;  // created by this thread
    uint64_t wait_packet_object = 0;
    int high_res_timers = 0;  // created by this M (its minit: usleep's, netpoll's)
    int wait_packets = 0;     // created by this M
    bool resources_checked = false;  // at its first netpoll, after minit
    // When the wait Go asks of GetQueuedCompletionStatusEx for this
    // netpoll's delay ends by the host's tick rule (-1: no such wait began).
    int64_t timeout_ends_ns = -1;
  };
  void Violate(const std::string& oracle, const std::string& detail, int64_t now);
  void CheckWakeup(int64_t now, bool at_end);
  void CheckWakesig(int64_t now);
  void CheckDeliveries(const sim::NetpollReturn& r, int64_t now);
  void CheckWaiters(int64_t now);
  bool FaultPremiseMet() const;
  void CheckTimeout(const sim::CallRecord& gqcs);
  void CheckTimerDue(const sim::CallRecord& set_timer);
  void CheckLiveness(int64_t now, const sim::RunSummary& end);
  void CheckMResources(int64_t now, int thread);
  // The completion's goroutine is still parked in pollDesc.rg (or .wg).
  bool StillParked(const Completion& c) const;
  // The goroutine parked for the completion's pd and mode, 0 if none.
  static uint64_t ParkedOnly(const poller::Heap& heap, const Completion& c);
  std::string Goroutine(uint64_t g) const;
  bool BlockedInNetpoll(int thread) const;
  MState& M(int thread) { return ms_[thread]; }

  sim::Simulation& sim_;
  OracleOptions options_;
  std::optional<Violation> violation_;
  bool fatal_seen_ = false;
  ExtraCoverage extra_;
  std::map<int, MState> ms_;
  std::set<uint64_t> startup_timers_;  // timers created before any M and still open
  bool high_res_probe_ok_ = false;     // osinit's high-resolution timer probe succeeded
  std::optional<int64_t> unanswered_break_;  // a break no blocking poll has seen
  int64_t break_packets_ = 0;  // posted and not yet dequeued
  // Per break packet posted and not yet dequeued, in post order (a port is
  // FIFO): the thread that posted it from inside its netpoll, with the
  // delay of that netpoll; thread 0 when posted from outside netpoll.
  std::deque<std::pair<int, int64_t>> break_posters_;
  int64_t early_empty_ = 0;
  // Per pollDesc and mode: when netpoll last took a completion for it while
  // no goroutine was parked there, so the readiness stays in the pollDesc
  // (pdReady) for its goroutine's next pollWait; until that pollWait
  // returns. A goroutine parked with readiness owed waits for ever.
  std::map<std::pair<uint64_t, int32_t>, int64_t> readiness_owed_;
  // Completions issued and not yet dequeued, by overlapped, in issue order.
  std::map<uint64_t, std::deque<Completion>> completions_;
  int64_t completions_issued_ = 0;
  // Completions numbered below this were queued before a poll on Go's port
  // began that then returned with room to spare: that poll could take them.
  int64_t deliverable_below_ = 0;
  std::map<int, int64_t> poll_began_at_;  // thread -> completions issued when its GQCS began
  std::map<uint64_t, int> wait_packet_owner_;  // wait packet object -> thread
};

}  // namespace iocpsim::explore

#endif  // IOCPSIM_EXPLORE_ORACLES_H_
