#include "sim/workloads/readers.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace iocpsim::workloads {

constexpr int64_t kSchedulerLoopNs = 1'000;  // findRunnable's work between polls

absl::Status Readers::Open(sim::Process& s, int i) {
  poller::Runtime& rt = s.runtime();
  Conn& c = conns_[i];
  c = Conn{};  // a reopened socket starts afresh
  c.fd = s.env().CreateFile();
  auto [pd, err] = rt.pollOpen(c.fd);
  if (pd == nullptr) return absl::InternalError(absl::StrCat("pollOpen: errno ", err));
  c.pd = pd;
  c.gp = rt.heap().newG(100 + i);
  c.op = rt.heap().newPollOperation(pd, 'r');
  rt.netpollblock(pd, 'r', c.gp);  // the reader parks
  return absl::OkStatus();
}

void Readers::Close(sim::Process& s, int i) {
  Conn& c = conns_[i];
  poller::Runtime& rt = s.runtime();
  int32_t delta = 0;
  if (rt.netpollunblock(c.pd, 'r', false, &delta) != nullptr) {
    rt.netpollblockResume(c.pd, 'r');  // the reader wakes with an error
  }
  rt.netpollAdjustWaiters(delta);
  rt.pollClose(c.pd);
  s.nt().CloseHandle(c.fd);
  c.closed = true;
  c.pending = false;  // nothing more will be delivered to it
}

bool Readers::any_pending() const {
  return std::any_of(conns_.begin(), conns_.end(), [](const Conn& c) { return c.pending; });
}

void Readers::Complete(sim::Process& s, int i, IoTally& tally) {
  if (!open(i)) return;  // no read in progress on a closed or unopened socket
  conns_[i].pending = true;
  ++tally.completions;
  s.env().CompleteIo(conns_[i].fd, conns_[i].op, 512, nt::STATUS_SUCCESS);
}

size_t Readers::Poll(sim::Process& s, int64_t delay, IoTally& tally) {
  const int64_t start = s.now();
  auto [list, delta] = s.Netpoll(delay);
  ++tally.netpolls;
  if (list.empty() && delay > 0 && s.now() - start < delay) ++tally.early_empty;
  for (poller::g* gp : list.gs()) {
    Conn& c = *std::find_if(conns_.begin(), conns_.end(),
                            [gp](const Conn& k) { return k.gp == gp; });
    if (!c.pending) ++tally.duplicates;
    c.pending = false;
    ++tally.deliveries;
    s.runtime().netpollblockResume(c.pd, 'r');
    s.runtime().netpollblock(c.pd, 'r', c.gp);
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
