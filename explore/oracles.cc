#include "explore/oracles.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "poller/branches.h"
#include "poller/heap.h"
#include "sim/event_log.h"
#include "sim/kernel_config.h"

namespace iocpsim::explore {
namespace {

using poller::kBreakKey;
using poller::kTimerKey;

bool Named(const sim::CallRecord& c, const char* name) { return c.name == name; }

// pollDesc.rg (mode 'r') or .wg of the pollDesc at pd: a parked g's address,
// or pdNil, pdWait, pdReady (runtime/netpoll.go).
uint64_t ParkedValue(const poller::Heap& heap, uint64_t pd, int32_t mode) {
  const poller::pollDesc* p = heap.pollDescAt(pd);
  if (p == nullptr) return 0;
  return mode == 'w' ? p->wg.load() : p->rg.load();
}

}  // namespace

const std::vector<std::string>& OracleNames() {
  static const std::vector<std::string> names = {
      "batch-size",    "break-coalescing", "busy-wait",   "delivery",     "early-return",
      "early-timeout", "empty-with-delta", "fatal",       "goroutine",    "late-return",
      "leak",          "liveness",         "lost-wakeup", "m-resources",  "nonblocking",
      "port-concurrency", "race-attribution", "timer-due", "waiters-count", "wake-timer",
      "wakesig-stuck",
  };
  return names;
}

OracleMonitor::OracleMonitor(sim::Simulation& sim, OracleOptions options)
    : sim_(sim), options_(options) {}

void OracleMonitor::GoroutineContradiction(int64_t now, const std::string& what) {
  Violate("goroutine", what, now);
}

void OracleMonitor::PollWaitReturned(uint64_t pd, int32_t mode) {
  readiness_owed_.erase({pd, mode});
}

void OracleMonitor::Violate(const std::string& oracle, const std::string& detail, int64_t now) {
  if (violation_) return;
  violation_ = Violation{oracle, detail, now};
  if (options_.stop_on_violation) {
    sim_.scheduler().Stop(absl::StrCat("oracle ", oracle, ": ", detail));
  }
}

bool OracleMonitor::BlockedInNetpoll(int thread) const {
  auto it = ms_.find(thread);
  return it != ms_.end() && it->second.in_netpoll && it->second.delay != 0 &&
         sim_.scheduler().thread(thread).state == sim::SimThread::State::kBlocked;
}

void OracleMonitor::CheckWakeup(int64_t now, bool at_end) {
  if (!unanswered_break_) return;
  for (const auto& [thread, m] : ms_) {
    if (!BlockedInNetpoll(thread)) continue;
    if (at_end || now - *unanswered_break_ >= options_.wakeup_bound_ns) {
      Violate("lost-wakeup",
              absl::StrCat("T", thread, " still blocked in netpoll(", m.delay, ") ",
                           sim::FormatMs(now - *unanswered_break_), " ms after a netpollBreak",
                           at_end ? " when the run went idle" : ""),
              now);
      return;
    }
  }
}

void OracleMonitor::CheckWakesig(int64_t now) {
  if (sim_.runtime().netpollWakeSig.load() == 1 && break_packets_ == 0) {
    Violate("wakesig-stuck", "netpollWakeSig is 1 but no break packet is queued or in flight",
            now);
  }
}

void OracleMonitor::OnDecision(int64_t now, absl::Span<const sim::Choice> options,
                               size_t picked) {
  if (options[picked].kind != sim::Choice::Kind::kAdvance) return;
  // Time jumps while these threads could run: they were preempted, and
  // their netpoll may return late through no fault of the poller.
  for (const sim::Choice& c : options) {
    if (c.kind == sim::Choice::Kind::kThread) M(c.thread).preempted = true;
  }
}

void OracleMonitor::OnKernelEvent(int64_t now, const sim::KernelEvent& e) {
  using K = sim::KernelEvent::Kind;
  if (e.kind == K::kTimeAdvanced) {
    // Judge only when no thread can run: then nobody is between the CAS and
    // the post of a netpollBreak, or preempted before forwarding one.
    bool quiet = true;
    for (size_t t = 1; t <= sim_.scheduler().thread_count(); ++t) {
      quiet &= sim_.scheduler().thread(static_cast<int>(t)).state !=
               sim::SimThread::State::kRunnable;
    }
    if (quiet) {
      CheckWakeup(now, false);
      CheckWakesig(now);
    }
    return;
  }
  if (e.kind == K::kWakeTimerArmed) {
    Violate("wake-timer",
            absl::StrCat("T", e.thread, " set timer #", e.object, " with fResume, due at ",
                         e.value, " ns: a wake timer, which brings a sleeping computer back "
                         "when it comes due (Go passes 0)"),
            now);
    return;
  }
  if (e.kind == K::kPacketHeldBack) {
    const sim::IoCompletion* port = sim_.kernel().PortAt(sim_.runtime().iocphandle);
    if (port != nullptr && e.object == port->id) {
      Violate("port-concurrency",
              absl::StrCat("Go's port kept a packet from ", e.thread > 0 ? "T" : "a waiter",
                           e.thread > 0 ? absl::StrCat(e.thread, "'s poll") : "",
                           " with ", port->queue.size(), " queued: its concurrency value "
                           "(NumberOfConcurrentThreads) is filled by Ms that run, so ready I/O "
                           "waits until one blocks"),
              now);
    }
    return;
  }
  if ((e.kind == K::kPacketHandedOff || e.kind == K::kPacketDequeued) && e.key == kTimerKey &&
      e.value != 0) {
    auto owner = wait_packet_owner_.find(static_cast<uint64_t>(e.value));
    if (owner != wait_packet_owner_.end() && owner->second != e.thread) {
      ++extra_.timer_packet_taken_by_other_m;
      M(owner->second).fallback = true;  // its poll now waits for the tick
      // The owner's next netpoll reads it: for sleep sets, this (kernel)
      // step touches the owner.
      sim_.kernel().NoteTouch(sim::Footprint::Thread(owner->second));
    }
  }
}

void OracleMonitor::OnCall(const sim::CallRecord& c) {
  const int t = c.thread;
  if (Named(c, "NtCreateWaitCompletionPacket") && c.result == nt::STATUS_SUCCESS && t > 0) {
    M(t).handles.insert(c.outs[0]);
    ++M(t).wait_packets;
    if (const sim::WaitCompletionPacket* w = sim_.kernel().WaitPacketAt(c.outs[0])) {
      M(t).wait_packet_object = w->id;
      wait_packet_owner_[w->id] = t;
    }
  } else if (Named(c, "CreateWaitableTimerExW") && c.result != 0) {
    // An M's timers, or osinit's probe (start-up: thread 0), which it closes.
    (t > 0 ? M(t).handles : startup_timers_).insert(c.result);
    if ((c.args[2] & nt::CREATE_WAITABLE_TIMER_HIGH_RESOLUTION) != 0) {
      if (t > 0) ++M(t).high_res_timers;
      if (t == 0) high_res_probe_ok_ = true;
    }
  } else if (Named(c, "CloseHandle") && c.result != 0) {
    (t > 0 ? M(t).handles : startup_timers_).erase(c.args[0]);
  } else if (Named(c, "NtAssociateWaitCompletionPacket") && !c.outs.empty() && c.outs[0] != 0) {
    M(t).woken = true;  // the timer had expired: netpoll's signaled early return
  } else if (Named(c, "SetWaitableTimer") && c.result != 0 && t > 0 && M(t).in_netpoll &&
             M(t).delay > 0) {
    CheckTimerDue(c);
  } else if (Named(c, "NtCancelWaitCompletionPacket") && c.result == nt::STATUS_PENDING) {
    // The documented race [S25]: the timer packet is being delivered right
    // now, so this netpoll has no high-resolution timer and may wait for the
    // tick. A packet merely queued is removed when RemoveSignaledPacket is
    // TRUE, as Go passes; STATUS_PENDING then means the call was wrong [S26].
    const sim::WaitCompletionPacket* w = sim_.kernel().WaitPacketAt(c.args[0]);
    if (w != nullptr && w->state == sim::WaitCompletionPacket::State::kInFlight) {
      M(t).fallback = true;
    } else {
      Violate("race-attribution",
              absl::StrCat("T", t, ": NtCancelWaitCompletionPacket answered STATUS_PENDING "
                           "with no timer packet in flight (RemoveSignaledPacket ",
                           c.args[1], ")"),
              c.end_ns);
    }
  } else if (Named(c, "PostQueuedCompletionStatus") && c.result != 0 && c.args[2] == kBreakKey) {
    if (++break_packets_ > 1) {
      Violate("break-coalescing",
              absl::StrCat("T", t, " posted a break with ", break_packets_ - 1,
                           " already queued: netpollWakeSig no longer lets one wake-up "
                           "through at a time"),
              c.end_ns);
    }
    const bool inside = t > 0 && M(t).in_netpoll;
    break_posters_.emplace_back(inside ? t : 0, inside ? M(t).delay : 0);
    if (!unanswered_break_) unanswered_break_ = c.end_ns;
  } else if (Named(c, "CompleteIo") && c.result != 0 && c.args[1] != 0) {
    Completion done;
    done.number = completions_issued_++;
    done.issued_ns = c.end_ns;
    const poller::Heap& heap = sim_.runtime().heap();
    if (std::optional<poller::pollOperation> op = heap.loadPollOperation(c.args[1])) {
      done.pd = op->pd;
      done.mode = op->mode;
      done.g = ParkedOnly(heap, done);  // 0: nobody parked, it leaves pdReady
    }
    completions_[c.args[1]].push_back(done);
  } else if (Named(c, "GetQueuedCompletionStatusEx") && c.args[0] == sim_.runtime().iocphandle) {
    // A poll that returned with room to spare took every packet queued
    // before it began (or another poll did): those could be delivered.
    const bool room = c.result == 0 ? c.last_error == nt::WAIT_TIMEOUT
                                    : c.entries.size() < c.args[1];
    if (room) deliverable_below_ = std::max(deliverable_below_, poll_began_at_[t]);
    M(t).dequeued |= !c.entries.empty();
    M(t).woken = true;  // by an entry, or its wait ended (early-timeout judges when)
    CheckTimeout(c);
    for (const nt::OverlappedEntry& e : c.entries) {
      if (e.lpCompletionKey == kBreakKey) {
        --break_packets_;
        std::pair<int, int64_t> poster{0, 0};
        if (!break_posters_.empty()) {
          poster = break_posters_.front();
          break_posters_.pop_front();
        }
        // A break is a reason to wake unless it is this M's own forward
        // coming back or a blocking netpoll's re-post (ping-pong).
        if (poster.first != t && poster.second == 0) M(t).consumed_break = true;
      }
      auto it = completions_.find(e.lpOverlapped);
      if (it == completions_.end()) continue;  // foreign, or not an I/O completion
      if (it->second.empty()) {
        Violate("delivery", absl::StrFormat("completion %#x dequeued twice", e.lpOverlapped),
                c.end_ns);
        continue;
      }
      Completion& taken = it->second.front();
      // Nobody parked: netpollready leaves the readiness in the pollDesc
      // (when a netpoll took it, not another thread's wait on the port).
      if (M(t).in_netpoll && taken.pd != 0 && ParkedOnly(sim_.runtime().heap(), taken) == 0) {
        readiness_owed_[{taken.pd, taken.mode}] = c.end_ns;
      }
      // A goroutine may have parked since the I/O completed: it is the one
      // this completion readies now.
      if (taken.g == 0 && taken.pd != 0) taken.g = ParkedOnly(sim_.runtime().heap(), taken);
      if (taken.g != 0) M(t).taken.push_back(taken);
      it->second.pop_front();
    }
  }
}

void OracleMonitor::OnCallStart(const sim::CallRecord& c) {
  if (!Named(c, "GetQueuedCompletionStatusEx")) return;
  poll_began_at_[c.thread] = completions_issued_;
  const MState& m = M(c.thread);
  if (!m.in_netpoll || c.args[0] != sim_.runtime().iocphandle) return;
  if (m.delay == 0 && c.args[2] != 0) {
    Violate("nonblocking",
            absl::StrCat("T", c.thread, ": netpoll(0) waits ", c.args[2],
                         " ms in GetQueuedCompletionStatusEx: a poll that must not block does"),
            c.start_ns);
  }
  // netpoll_windows.go: n = len(entries) / gomaxprocs, at least 8, so busy
  // Ms share a burst of packets; more than 64 would overrun the array.
  const int64_t share = std::max<int64_t>(8, 64 / sim_.runtime().gomaxprocs);
  if (m.delay > 0) {
    // netpoll_windows.go: wait = 1 ms below 1e6 ns, delay / 1e6 ms up to
    // the 1e15 ns cap; when the kernel ends that wait [S10, S41].
    const int64_t delay = std::min<int64_t>(m.delay, poller::kNetpollDelayCapNs);
    const int64_t wait_ms = delay < 1'000'000 ? 1 : delay / 1'000'000;
    M(c.thread).timeout_ends_ns = sim_.kernel().WaitEndsAt(wait_ms * 1'000'000);
  }
  if (static_cast<int64_t>(c.args[1]) != share) {
    Violate("batch-size",
            absl::StrCat("T", c.thread, ": netpoll asks for ", c.args[1], " entries, not ", share,
                         " (64 / GOMAXPROCS, at least 8)"),
            c.start_ns);
  }
}

void OracleMonitor::OnNetpollEnter(int64_t now, int thread, int64_t delay) {
  MState& m = M(thread);
  if (!m.resources_checked) CheckMResources(now, thread);
  m.timeout_ends_ns = -1;
  m.in_netpoll = true;
  m.delay = delay;
  m.start_ns = now;
  m.fallback = !sim_.HighResSleepApplies();  // no wait packet here
  m.preempted = false;
  m.consumed_break = false;
  m.dequeued = false;
  m.woken = false;
  m.taken.clear();
}

void OracleMonitor::OnNetpoll(int64_t now, const sim::NetpollReturn& r) {
  MState& m = M(r.thread);
  m.in_netpoll = false;
  if (r.goroutines == 0 && r.delta != 0) {
    Violate("empty-with-delta",
            absl::StrCat("T", r.thread, ": netpoll(", r.delay, ") returned no goroutines, delta ",
                         r.delta),
            now);
  }
  CheckDeliveries(r, now);
  CheckWaiters(now);
  if (r.delay != 0) unanswered_break_.reset();  // a blocking poller woke
  if (r.delay == 0) return;
  const int64_t elapsed = now - r.start_ns;
  // An infinite wait returns only for work: nothing back is early. A wait
  // cut short by the clock's ceiling ended as every timer then does: not
  // early, not a busy loop.
  const bool early = r.goroutines == 0 && now < sim::kClockCeilingNs &&
                     (r.delay < 0 || elapsed < r.delay);
  if (early && !m.consumed_break) {
    if (r.delay > 0) ++early_empty_;
    if (++m.early_empty_run >= options_.busy_wait_run) {
      Violate("busy-wait",
              absl::StrCat("T", r.thread, ": ", m.early_empty_run,
                           " blocking netpolls in a row returned nothing before their delay"),
              now);
    }
  } else {
    m.early_empty_run = 0;
  }
  if (r.delay < 0) return;
  if (r.goroutines == 0 && elapsed < std::min<int64_t>(r.delay, poller::kNetpollDelayCapNs) &&
      !m.woken) {
    Violate("early-return",
            absl::StrCat("T", r.thread, ": netpoll(", r.delay, ") returned nothing after ",
                         sim::FormatMs(elapsed), " ms with nothing dequeued, no wait ended and "
                         "no timer expired"),
            now);
  }
  const sim::KernelConfig& k = sim_.kernel().config();
  const int64_t delay = std::min<int64_t>(r.delay, poller::kNetpollDelayCapNs);
  // The high-resolution timer fires within its resolution of the delay [S17],
  // plus at most its latency [S46]. The fallback waits at least 1 ms
  // (netpoll's minimum) and ends on a tick.
  // The fallback's wait ends when the kernel ends Go's wait for the delay
  // (at least 1 ms), on the host's ticks.
  const int64_t bound = !m.fallback ? delay + k.timer_resolution_ns + k.timer_latency_ns
                        : m.timeout_ends_ns >= 0 ? m.timeout_ends_ns - r.start_ns
                                                 : std::max<int64_t>(delay, 1'000'000) + k.tick_ns;
  if (!m.preempted && elapsed > bound) {
    Violate("late-return",
            absl::StrCat("T", r.thread, ": netpoll(", r.delay, ") returned after ",
                         sim::FormatMs(elapsed), " ms, more than its delay plus ",
                         m.fallback ? "the tick" : "the timer resolution and latency"),
            now);
  }
}

void OracleMonitor::CheckTimerDue(const sim::CallRecord& c) {
  const MState& m = M(c.thread);
  // Go arms the timer for the delay in 100 ns units, rounded down.
  const int64_t delay = std::min<int64_t>(m.delay, poller::kNetpollDelayCapNs);
  // A due time already past fires now: Go's dt of 0 for delays under 100 ns
  // (an absolute time long past) wakes at once, within the delay.
  const int64_t due = std::max(c.end_ns, sim_.kernel().DueTimeAt(static_cast<int64_t>(c.args[1])));
  // Nothing expires past the clock's ceiling: there, "at once" is on time.
  if (due < std::min(c.end_ns + delay - 99, sim::kClockCeilingNs)) {
    Violate("timer-due",
            absl::StrCat("T", c.thread, ": netpoll(", m.delay, ") arms its timer to expire ",
                         sim::FormatMs(due - c.end_ns), " ms after, before its delay: it wakes early"),
            c.end_ns);
  }
}

void OracleMonitor::CheckTimeout(const sim::CallRecord& c) {
  const MState& m = M(c.thread);
  if (!m.in_netpoll || m.delay <= 0 || c.result != 0 || c.last_error != nt::WAIT_TIMEOUT) return;
  // The millisecond wait is delay / 1e6 (at least 1), from a netpoll capped
  // at 1e15 ns, and the kernel may end it up to a tick early [S10]: a timeout
  // sooner than that means the wait was computed short.
  const int64_t delay = std::min<int64_t>(m.delay, poller::kNetpollDelayCapNs);
  const int64_t earliest = std::min(
      m.start_ns + delay - 1'000'000 - sim_.kernel().config().tick_ns, sim::kClockCeilingNs);
  if (c.end_ns < earliest) {
    Violate("early-timeout",
            absl::StrCat("T", c.thread, ": netpoll(", m.delay, ")'s wait timed out after ",
                         sim::FormatMs(c.end_ns - m.start_ns),
                         " ms, more than a tick and a millisecond before its delay"),
            c.end_ns);
  }
}

void OracleMonitor::CheckWaiters(int64_t now) {
  // Another M between its dequeue and the end of its netpoll has readied
  // goroutines whose delta it has not yet returned: counts differ until then.
  for (const auto& [thread, m] : ms_) {
    if (m.in_netpoll && m.dequeued) return;
  }
  poller::Runtime& rt = sim_.runtime();
  const int32_t parked = rt.heap().parkedGoroutines();
  const int32_t waiters = rt.netpollWaiters.load();
  if (parked != waiters) {
    Violate("waiters-count",
            absl::StrCat("netpollWaiters is ", waiters, " with ", parked,
                         " goroutine(s) parked on I/O: the scheduler's count drifts"),
            now);
  }
}

void OracleMonitor::CheckDeliveries(const sim::NetpollReturn& r, int64_t now) {
  MState& m = M(r.thread);
  for (uint64_t g : r.gs) {
    auto it = std::find_if(m.taken.begin(), m.taken.end(),
                           [g](const Completion& c) { return c.g == g; });
    if (it == m.taken.end()) {
      Violate("delivery", absl::StrCat("T", r.thread, ": netpoll(", r.delay, ") returned ",
                                       Goroutine(g), ", which none of the completions it "
                                       "dequeued was for (another mode's, or delivered twice)"),
              now);
      return;
    }
    // netpollunblock(ioready) leaves the slot pdReady for the goroutine to
    // consume in netpollblock; without it the goroutine wakes as if its
    // deadline passed or its socket closed (pollWait returns an error).
    if (ParkedValue(sim_.runtime().heap(), it->pd, it->mode) != poller::pdReady) {
      Violate("delivery", absl::StrCat("T", r.thread, ": netpoll(", r.delay, ") returned ",
                                       Goroutine(g), " without marking its pollDesc ready: it "
                                       "wakes to an error, not to its I/O"),
              now);
      return;
    }
    m.taken.erase(it);
  }
  for (const Completion& c : m.taken) {
    if (!StillParked(c)) continue;  // woken otherwise (its socket closed), or already readied
    Violate("delivery", absl::StrCat("T", r.thread, ": netpoll(", r.delay, ") dequeued the ",
                                     c.mode == 'w' ? "write" : "read", " completion of ",
                                     Goroutine(c.g), " but did not return it: it stays parked"),
            now);
    return;
  }
  m.taken.clear();
}

void OracleMonitor::CheckMResources(int64_t now, int thread) {
  // os_windows.go: minit gives every M a high-resolution timer for usleep
  // when osinit's probe found the host accepts them (haveHighResTimer), and
  // from cf52e709 a netpoll timer with its wait packet when ntdll also has
  // the wait packet functions (haveHighResSleep). Before cf52e709
  // loadOptionalSyscalls looked none of them up.
  MState& m = M(thread);
  m.resources_checked = true;
  const sim::KernelConfig& k = sim_.kernel().config();
  const int usleep = k.high_resolution_timers && high_res_probe_ok_ ? 1 : 0;
  const int netpoll = usleep == 1 && k.OffersHighResSleep() &&
                              sim_.runtime().variant != poller::Variant::kLowRes
                          ? 1
                          : 0;
  if (m.high_res_timers == usleep + netpoll && m.wait_packets == netpoll) return;
  Violate("m-resources",
          absl::StrCat("T", thread, ": minit created ", m.high_res_timers,
                       " high-resolution timers and ", m.wait_packets, " wait packets; Go (",
                       poller::VariantName(sim_.runtime().variant), ") on this host creates ",
                       usleep + netpoll, " and ", netpoll, " (",
                       usleep == 1 ? "usleep's timer" : "no usleep timer: the probe failed",
                       netpoll == 1 ? ", netpoll's timer and its wait packet)" : ")"),
          now);
}

uint64_t OracleMonitor::ParkedOnly(const poller::Heap& heap, const Completion& c) {
  const uint64_t v = ParkedValue(heap, c.pd, c.mode);
  return heap.gAt(v) != nullptr ? v : 0;
}

bool OracleMonitor::StillParked(const Completion& c) const {
  return c.g != 0 && ParkedValue(sim_.runtime().heap(), c.pd, c.mode) == c.g;
}

std::string OracleMonitor::Goroutine(uint64_t g) const {
  const poller::g* gp = sim_.runtime().heap().gAt(g);
  return gp != nullptr ? absl::StrCat("goroutine ", gp->goid)
                       : absl::StrFormat("goroutine at %#x", g);
}

void OracleMonitor::CheckLiveness(int64_t now, const sim::RunSummary& end) {
  if (end.outcome == "step-limit") {
    Violate("liveness", absl::StrCat("the run did not finish within ", end.steps,
                                     " steps: a livelock"),
            now);
    return;
  }
  if (end.outcome == "stopped") return;
  // The run ended: its threads finished, or all wait for nothing.
  for (const auto& [key, taken_ns] : readiness_owed_) {
    const uint64_t g = ParkedValue(sim_.runtime().heap(), key.first, key.second);
    if (sim_.runtime().heap().gAt(g) == nullptr) continue;
    Violate("liveness", absl::StrCat("the run ended with ", Goroutine(g), " parked on a ",
                                     key.second == 'w' ? "write" : "read", " though netpoll took ",
                                     "its completion at ", sim::FormatMs(taken_ns),
                                     " ms while it ran, and pollWait has not returned since: the "
                                     "readiness left in its pollDesc was lost"),
            now);
    return;
  }
  if (end.outcome != "idle") return;
  bool poller_blocked = false;
  for (const auto& [thread, m] : ms_) poller_blocked |= BlockedInNetpoll(thread);
  for (const auto& [ov, left] : completions_) {
    for (const Completion& c : left) {
      if (!StillParked(c) || (!poller_blocked && c.number >= deliverable_below_)) continue;
      Violate("liveness", absl::StrCat("the run went idle with ", Goroutine(c.g),
                                       " parked on a ", c.mode == 'w' ? "write" : "read",
                                       " that completed at ", sim::FormatMs(c.issued_ns), " ms"),
              now);
      return;
    }
  }
}

void OracleMonitor::OnFatal(int64_t now, int thread, const std::string& message,
                            const std::vector<std::string>& printed) {
  fatal_seen_ = true;
  if (!options_.expect_fatal) {
    Violate("fatal", absl::StrCat("T", thread, ": fatal error: ", message), now);
  } else if (!absl::StrContains(message, options_.expect_fatal_contains)) {
    Violate("fatal", absl::StrCat("T", thread, ": fatal error: ", message, ", not the one the "
                                  "scenario expects (containing \"",
                                  options_.expect_fatal_contains, "\")"),
            now);
  }
}

bool OracleMonitor::FaultPremiseMet() const {
  // With faults planned, the throw is expected once one was injected; a run
  // that never made the faulted call is counted as the fault not forced.
  const std::vector<sim::InjectedFault>& faults = sim_.kernel().config().faults;
  if (faults.empty()) return true;
  for (size_t i = 0; i < faults.size(); ++i) {
    if (sim_.kernel().FaultsInjected(i) > 0) return true;
  }
  return false;
}

void OracleMonitor::OnRunEnd(int64_t now, const sim::RunSummary& end) {
  if (violation_) return;
  if (options_.expect_fatal && !fatal_seen_ && FaultPremiseMet()) {
    // An error path the scenario drives (a fault) that the poller let pass.
    Violate("fatal", "the scenario expects a fatal error, and the run ended without one", now);
    return;
  }
  // A throw ends the Go process: what the other Ms were doing is cut short
  // (a break half posted, a handle open) and is no property of the poller.
  if (fatal_seen_) return;
  CheckWakeup(now, end.outcome == "idle");
  CheckWakesig(now);
  CheckLiveness(now, end);
  CheckWaiters(now);
  if (end.outcome != "completed") return;
  for (const auto& [ov, issued] : completions_) {
    for (const Completion& c : issued) {
      if (c.number >= deliverable_below_) continue;  // after the last poll that could take it
      Violate("delivery", absl::StrFormat("completion %#x was never dequeued, though a later "
                                          "poll had room for it", ov), now);
    }
  }
  if (!startup_timers_.empty()) {
    Violate("leak", absl::StrCat("start-up left ", startup_timers_.size(),
                                 " timer handle(s) open (initHighResTimer closes its probe)"),
            now);
  }
  for (const auto& [thread, m] : ms_) {
    if (!m.handles.empty()) {
      Violate("leak", absl::StrCat("T", thread, " ended with ", m.handles.size(),
                                   " handle(s) open"), now);
    }
    const auto* w = static_cast<const sim::WaitCompletionPacket*>(
        sim_.kernel().ObjectById(m.wait_packet_object));
    if (w == nullptr) continue;
    if (w->state == sim::WaitCompletionPacket::State::kWaiting) {
      Violate("leak", absl::StrCat("T", thread, " ended with its wait packet still associated"),
              now);
    } else if (w->state != sim::WaitCompletionPacket::State::kIdle) {
      ++extra_.destroyed_m_left_timer_packet_queued;
    }
  }
}

}  // namespace iocpsim::explore
