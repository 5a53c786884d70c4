// Goroutines parked reading sockets, as internal/poll parks them, and the
// Go scheduler's side of netpoll: run what it returns, and issue the next
// read. Shared by the workloads.
#ifndef IOCPSIM_SIM_WORKLOADS_READERS_H_
#define IOCPSIM_SIM_WORKLOADS_READERS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "sim/process.h"
#include "sim/workloads/workload.h"

namespace iocpsim::workloads {

class Readers {
 public:
  // Makes room for `n` sockets, none open yet.
  void Add(int n) { conns_.resize(conns_.size() + n); }
  // Opens socket i and parks a reader on it.
  absl::Status Open(sim::Process& s, int i);
  // Closes socket i as internal/poll does: the parked reader is unblocked
  // (pollUnblock), the pollDesc closed, then the handle.
  void Close(sim::Process& s, int i);
  bool open(int i) const { return conns_[i].pd != nullptr && !conns_[i].closed; }
  int size() const { return static_cast<int>(conns_.size()); }
  // The reader on socket i has a completion not yet delivered.
  bool pending(int i) const { return conns_[i].pending; }
  bool any_pending() const;

  // The read on socket i completes (the device side).
  void Complete(sim::Process& s, int i, IoTally& tally);
  // netpoll(delay) as findRunnable calls it, then each goroutine returned
  // consumes its readiness and parks on its next read. Returns how many ran.
  size_t Poll(sim::Process& s, int64_t delay, IoTally& tally);
  // Like findRunnable waiting for a Go timer: polls until the deadline,
  // again after an early return with nothing to run (after the scheduler's
  // own ~1 us of work).
  void PollUntil(sim::Process& s, int64_t delay, IoTally& tally);

 private:
  struct Conn {
    nt::HANDLE fd = 0;
    poller::pollDesc* pd = nullptr;
    poller::g* gp = nullptr;
    nt::uintptr op = 0;
    bool pending = false;
    bool closed = false;
  };
  std::vector<Conn> conns_;
};

}  // namespace iocpsim::workloads

#endif  // IOCPSIM_SIM_WORKLOADS_READERS_H_
