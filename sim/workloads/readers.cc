#include "sim/workloads/readers.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace iocpsim::workloads {

constexpr int64_t kSchedulerLoopNs = 1'000;  // findRunnable's work between polls

constexpr int kMaxWaitRounds = 8;  // pollWait's loop, bounded (it needs at most 2)

absl::Status Readers::Open(sim::Process& s, int i) {
  poller::Runtime& rt = s.runtime();
  Conn& c = conns_[i];
  const bool writer = c.want_writer;
  const bool lazy = c.lazy;
  c = Conn{};  // a reopened socket starts afresh
  c.want_writer = writer;
  c.lazy = lazy;
  c.fd = s.env().CreateFile();
  // internal/poll's pollDesc.init: an errno fails the open, pd or not.
  auto [pd, err] = rt.pollOpen(c.fd);
  if (pd == nullptr || err != 0) return absl::InternalError(absl::StrCat("pollOpen: errno ", err));
  c.pd = pd;
  c.r.gp = rt.heap().newG(100 + i);
  // internal/poll's IsPollDescriptor (runtime_isPollServerDescriptor): the
  // port is the poller's own descriptor, a socket is not.
  if (rt.netpollIsPollDescriptor(c.fd) || !rt.netpollIsPollDescriptor(rt.iocphandle)) {
    Contradict(s, c, 'r', "asked whether its socket or the port is the poller's own descriptor "
                          "and was told the opposite");
  }
  c.r.op = rt.heap().newPollOperation(pd, 'r');
  IoTally none;  // nothing can be ready on a socket just opened
  Wait(s, c, 'r', none);  // the reader waits
  if (writer) {
    c.w.gp = rt.heap().newG(100'000 + i);
    c.w.op = rt.heap().newPollOperation(pd, 'w');
    Wait(s, c, 'w', none);  // and the writer
  }
  return absl::OkStatus();
}

void Readers::Contradict(sim::Process& s, const Conn& c, int32_t mode, const std::string& what) {
  if (watcher_ == nullptr) return;
  const Waiter& w = mode == 'w' ? c.w : c.r;
  watcher_->Contradiction(s.now(), absl::StrCat("G", w.gp->goid, " (", mode == 'w' ? "writing" : "reading",
                                       " socket ", &c - conns_.data(), ") ", what));
}

void Readers::Returned(const Conn& c, int32_t mode) {
  if (watcher_ != nullptr) watcher_->PollWaitReturned(c.pd->addr, mode);
}

void Readers::Ran(sim::Process& s, Conn& c, int32_t mode, IoTally& tally, const char* how) {
  Returned(c, mode);
  Waiter& w = mode == 'w' ? c.w : c.r;
  if (w.pending == 0) {
    ++tally.duplicates;
    Contradict(s, c, mode, absl::StrCat("returned from pollWait ready (", how,
                                        ") though its I/O has not completed: it would read "
                                        "an operation still in flight"));
  }
  w.pending = std::max(0, w.pending - 1);
  ++tally.deliveries;
}

bool Readers::Block(sim::Process& s, Conn& c, int32_t mode, poller::g* gp) {
  try {
    return s.runtime().netpollblock(c.pd, mode, false, gp);
  } catch (const poller::Fatal& f) {
    // No M runs between netpollblock's load and its throw: the field still
    // holds what the check refused.
    const poller::uintptr v = (mode == 'w' ? c.pd->wg : c.pd->rg).load();
    if (f.what() == std::string("runtime: double wait") && watcher_ != nullptr &&
        (v == poller::pdNil || v == poller::pdReady)) {
      watcher_->Contradiction(s.now(), absl::StrCat("G", gp->goid, " (", mode == 'w' ? "writing" : "reading",
                                                   " socket ", &c - conns_.data(), ") was thrown "
                                                   "\"double wait\" with its pollDesc at ",
                                                   v == poller::pdNil ? "pdNil" : "pdReady",
                                                   ": no other goroutine was waiting"));
    }
    throw;
  }
}

void Readers::Wait(sim::Process& s, Conn& c, int32_t mode, IoTally& tally) {
  poller::Runtime& rt = s.runtime();
  Waiter& w = mode == 'w' ? c.w : c.r;
  const std::atomic<poller::uintptr>& gpp = mode == 'w' ? c.pd->wg : c.pd->rg;
  for (int round = 0; round < kMaxWaitRounds; ++round) {
    // poll_runtime_pollWait (netpoll.go) returns the error of a closing
    // pollDesc at once, and again after each false netpollblock.
    if (rt.netpollcheckerr(c.pd, mode) != poller::pollNoError) return;
    // for !netpollblock(pd, mode, false) { ... }
    if (Block(s, c, mode, w.gp)) {
      // "Consume notification if already ready": it runs, then issues its
      // next operation and waits again.
      Ran(s, c, mode, tally, "netpollblock found it ready");
      continue;
    }
    if (gpp.load() == w.gp->addr) {  // netpollblockcommit published it: parked
      // The close unblocks rg and wg right after it sets closing, with no M
      // running in between here: a g published after that stays parked.
      if (rt.netpollcheckerr(c.pd, mode) != poller::pollNoError) {
        Contradict(s, c, mode, "parked on a pollDesc already closed: nothing will wake it "
                               "(netpollblock rechecks netpollcheckerr after pdWait)");
      }
      return;
    }
    // Not parked (closing, or the commit failed), so gopark returned at
    // once and netpollblock reads the state it left.
    if (rt.netpollblockResume(c.pd, mode)) {
      Ran(s, c, mode, tally, "gopark did not park it");
    }
    // Not ready: pollWait checks for an error, and else waits again.
  }
  Contradict(s, c, mode, absl::StrCat("never parked in ", kMaxWaitRounds,
                                      " rounds of pollWait: netpollblock keeps returning"));
}

void Readers::Unblock(sim::Process& s, Conn& c, int32_t mode, int32_t* delta) {
  poller::Runtime& rt = s.runtime();
  if ((mode == 'r' ? c.r : c.w).gp == nullptr) return;
  Returned(c, mode);  // to the close's error
  if (rt.netpollunblock(c.pd, mode, false, delta) != nullptr && rt.netpollblockResume(c.pd, mode)) {
    Contradict(s, c, mode, "woke ready when its socket was closed: it would take the close "
                           "for completed I/O");
  }
}

void Readers::Close(sim::Process& s, int i) {
  Conn& c = conns_[i];
  poller::Runtime& rt = s.runtime();
  int32_t delta = 0;
  // poll_runtime_pollUnblock: closing is published before rg and wg are
  // unblocked, so a goroutine parking meanwhile sees one or the other.
  c.pd->closing.store(true);
  for (int32_t mode : {'r', 'w'}) Unblock(s, c, mode, &delta);  // it wakes with an error
  // Completions already issued stay counted: netpoll still dequeues them
  // and readies the pollDesc, and a goroutine halfway into its park
  // (gopark_switch) then resumes ready.
  rt.netpollAdjustWaiters(delta);
  rt.pollClose(c.pd);
  s.nt().CloseHandle(c.fd);
  c.closed = true;
}

void Readers::Break(sim::Process& s, int i, Misuse what, int32_t mode) {
  Conn& c = conns_[i];
  poller::Runtime& rt = s.runtime();
  switch (what) {
    case Misuse::kDoubleWait:
      // Another goroutine's pollWait on the same mode (netpoll.go: "double wait").
      Block(s, c, mode, rt.heap().newG(200'000 + i));
      break;
    case Misuse::kCloseWithWaiter: {
      // Close as Close does, but pollUnblock only the other mode.
      c.pd->closing.store(true);
      int32_t delta = 0;
      Unblock(s, c, mode == 'w' ? 'r' : 'w', &delta);
      rt.netpollAdjustWaiters(delta);
      rt.pollClose(c.pd);  // throws: the mode's goroutine is still parked
      break;
    }
    case Misuse::kResumeUnwoken:
      rt.netpollblockResume(c.pd, mode);  // gopark returned with the g still published
      break;
  }
}

bool Readers::any_pending() const {
  return std::any_of(conns_.begin(), conns_.end(),
                     [](const Conn& c) { return !c.closed && (c.r.pending > 0 || c.w.pending > 0); });
}

void Readers::Complete(sim::Process& s, int i, IoTally& tally, int32_t mode) {
  Waiter& w = mode == 'w' ? conns_[i].w : conns_[i].r;
  if (!open(i) || w.gp == nullptr) return;  // no operation in progress
  ++w.pending;
  ++tally.completions;
  // A write completes with nothing transferred; a real backend sends 0 bytes.
  s.env().CompleteIo(conns_[i].fd, w.op, mode == 'w' ? 0 : 512, nt::STATUS_SUCCESS);
}

void Readers::ParkRunning(sim::Process& s, IoTally& tally) {
  for (Conn& c : conns_) {
    for (int32_t mode : {'r', 'w'}) {
      Waiter& w = mode == 'w' ? c.w : c.r;
      if (w.running == 0 || c.closed || --w.running > 0) continue;
      Wait(s, c, mode, tally);
    }
  }
}

size_t Readers::Poll(sim::Process& s, int64_t delay, IoTally& tally) {
  ParkRunning(s, tally);
  const int64_t start = s.now();
  auto [list, delta] = s.Netpoll(delay);
  ++tally.netpolls;
  if (list.empty() && delay > 0 && s.now() - start < delay) ++tally.early_empty;
  for (poller::g* gp : list.gs()) {
    for (Conn& c : conns_) {
      if (c.r.gp != gp && c.w.gp != gp) continue;
      const int32_t mode = c.w.gp == gp ? 'w' : 'r';
      Waiter& w = mode == 'w' ? c.w : c.r;
      // netpollblock after gopark: netpoll readied it (netpollunblock with
      // ioready), so it must resume ready. No M runs in between: Ms switch
      // only at kernel calls.
      if (!s.runtime().netpollblockResume(c.pd, mode)) {
        Contradict(s, c, mode, "was made runnable by netpoll for its I/O, but netpollblock "
                               "resumed it not ready: pollWait parks it again and the "
                               "completion is never seen");
        Wait(s, c, mode, tally);
        break;
      }
      Returned(c, mode);
      if (w.pending == 0) ++tally.duplicates;  // the delivery oracle names it
      w.pending = std::max(0, w.pending - 1);
      ++tally.deliveries;
      if (c.lazy) {
        w.running = 2;  // runs through the next poll, waits before the one after
      } else {
        Wait(s, c, mode, tally);
      }
      break;
    }
  }
  return list.size();
}

void Readers::PollUntil(sim::Process& s, int64_t delay, IoTally& tally) {
  const int64_t deadline = s.now() + std::min<int64_t>(delay, poller::kNetpollDelayCapNs);
  // findRunnable: delay = pollUntil - now, and 0 if the deadline has passed
  // (on a real clock it can pass between the check and the poll).
  auto remaining = [&] { return std::max<int64_t>(0, deadline - s.now()); };
  while (Poll(s, remaining(), tally) == 0 && s.now() < deadline) {
    s.env().Sleep(kSchedulerLoopNs);
    if (s.now() >= deadline) break;
  }
}

}  // namespace iocpsim::workloads
