#include "sim/workloads/readers.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace iocpsim::workloads {

constexpr int64_t kSchedulerLoopNs = 1'000;  // findRunnable's work between polls

absl::Status Readers::Open(sim::Process& s, int i) {
  poller::Runtime& rt = s.runtime();
  Conn& c = conns_[i];
  const bool writer = c.want_writer;
  const bool lazy = c.lazy;
  c = Conn{};  // a reopened socket starts afresh
  c.want_writer = writer;
  c.lazy = lazy;
  c.fd = s.env().CreateFile();
  auto [pd, err] = rt.pollOpen(c.fd);
  if (pd == nullptr) return absl::InternalError(absl::StrCat("pollOpen: errno ", err));
  c.pd = pd;
  c.r.gp = rt.heap().newG(100 + i);
  c.r.op = rt.heap().newPollOperation(pd, 'r');
  Park(rt, c, 'r');  // the reader parks
  if (writer) {
    c.w.gp = rt.heap().newG(100'000 + i);
    c.w.op = rt.heap().newPollOperation(pd, 'w');
    Park(rt, c, 'w');  // and the writer
  }
  return absl::OkStatus();
}

void Readers::Park(poller::Runtime& rt, const Conn& c, int32_t mode) {
  rt.netpollblock(c.pd, mode, mode == 'w' ? c.w.gp : c.r.gp);
}

void Readers::Close(sim::Process& s, int i) {
  Conn& c = conns_[i];
  poller::Runtime& rt = s.runtime();
  int32_t delta = 0;
  for (int32_t mode : {'r', 'w'}) {
    if ((mode == 'r' ? c.r : c.w).gp == nullptr) continue;
    if (rt.netpollunblock(c.pd, mode, false, &delta) != nullptr) {
      rt.netpollblockResume(c.pd, mode);  // it wakes with an error
    }
  }
  rt.netpollAdjustWaiters(delta);
  rt.pollClose(c.pd);
  s.nt().CloseHandle(c.fd);
  c.closed = true;
  c.r.pending = c.w.pending = false;  // nothing more will be delivered to them
}

void Readers::Break(sim::Process& s, int i, Misuse what, int32_t mode) {
  Conn& c = conns_[i];
  poller::Runtime& rt = s.runtime();
  switch (what) {
    case Misuse::kDoubleWait:
      // Another goroutine's pollWait on the same mode (netpoll.go: "double wait").
      rt.netpollblock(c.pd, mode, rt.heap().newG(200'000 + i));
      break;
    case Misuse::kCloseWithWaiter: {
      // Close as Close does, but pollUnblock only the other mode.
      const int32_t other = mode == 'w' ? 'r' : 'w';
      int32_t delta = 0;
      if ((other == 'r' ? c.r : c.w).gp != nullptr &&
          rt.netpollunblock(c.pd, other, false, &delta) != nullptr) {
        rt.netpollblockResume(c.pd, other);
      }
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
                     [](const Conn& c) { return c.r.pending || c.w.pending; });
}

void Readers::Complete(sim::Process& s, int i, IoTally& tally, int32_t mode) {
  Waiter& w = mode == 'w' ? conns_[i].w : conns_[i].r;
  if (!open(i) || w.gp == nullptr) return;  // no operation in progress
  w.pending = true;
  ++tally.completions;
  // A write completes with nothing transferred; a real backend sends 0 bytes.
  s.env().CompleteIo(conns_[i].fd, w.op, mode == 'w' ? 0 : 512, nt::STATUS_SUCCESS);
}

void Readers::ParkRunning(sim::Process& s, IoTally& tally) {
  poller::Runtime& rt = s.runtime();
  for (Conn& c : conns_) {
    for (int32_t mode : {'r', 'w'}) {
      Waiter& w = mode == 'w' ? c.w : c.r;
      if (w.running == 0 || c.closed || --w.running > 0) continue;
      if (rt.netpollblock(c.pd, mode, w.gp)) {
        // netpoll.go: "Consume notification if already ready." It runs again.
        if (!w.pending) ++tally.duplicates;
        w.pending = false;
        ++tally.deliveries;
        Park(rt, c, mode);
      }
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
      if (!w.pending) ++tally.duplicates;
      w.pending = false;
      ++tally.deliveries;
      s.runtime().netpollblockResume(c.pd, mode);
      if (c.lazy) {
        w.running = 2;  // runs through the next poll, parks before the one after
      } else {
        Park(s.runtime(), c, mode);
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
