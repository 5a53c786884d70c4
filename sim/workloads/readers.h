// Goroutines parked reading sockets (and, where asked, writing them), as
// internal/poll parks them, and the Go scheduler's side of netpoll: run what
// it returns, and issue the next operation. Shared by the workloads.
#ifndef IOCPSIM_SIM_WORKLOADS_READERS_H_
#define IOCPSIM_SIM_WORKLOADS_READERS_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "sim/process.h"
#include "sim/workloads/workload.h"

namespace iocpsim::workloads {

class Readers {
 public:
  // Where the goroutines report what internal/poll's contract rules out
  // (workload.h).
  void Watch(GoroutineWatcher* w) { watcher_ = w; }

  // Makes room for `n` sockets, none open yet.
  void Add(int n) { conns_.resize(conns_.size() + n); }
  // Socket i gets a writer too whenever it is opened (pd.wg).
  void WantWriter(int i) { conns_[i].want_writer = true; }
  // Socket i's goroutines, once woken, run through the next poll and park
  // again only before the one after, so I/O can make them ready before they
  // park.
  void SetLazy(int i) { conns_[i].lazy = true; }
  // Opens socket i and parks a reader on it, and its writer if it has one.
  absl::Status Open(sim::Process& s, int i);
  // Closes socket i as internal/poll does: the parked reader and writer are
  // unblocked (pollUnblock), the pollDesc closed, then the handle.
  void Close(sim::Process& s, int i);
  bool open(int i) const { return conns_[i].pd != nullptr && !conns_[i].closed; }
  int size() const { return static_cast<int>(conns_.size()); }
  // The reader on socket i has a completion not yet delivered.
  bool pending(int i) const { return conns_[i].r.pending > 0; }
  bool any_pending() const;
  bool has_writer(int i) const { return conns_[i].want_writer; }

  // Breaks internal/poll's contract on socket i's goroutine in `mode`, as a
  // scenario's misuse step asks; each makes the runtime throw.
  enum class Misuse {
    kDoubleWait,       // a second goroutine parks in the mode
    kCloseWithWaiter,  // pollClose with the mode's goroutine still parked
    kResumeUnwoken,    // the parked goroutine resumes, never unblocked
  };
  void Break(sim::Process& s, int i, Misuse what, int32_t mode);

  // The read (mode 'r') or write ('w') on socket i completes (the device
  // side); nothing if the socket is closed or has no such goroutine.
  void Complete(sim::Process& s, int i, IoTally& tally, int32_t mode = 'r');
  // netpoll(delay) as findRunnable calls it, then each goroutine returned
  // consumes its readiness and parks on its next read. Returns how many ran.
  size_t Poll(sim::Process& s, int64_t delay, IoTally& tally);
  // Like findRunnable waiting for a Go timer: polls until the deadline,
  // again after an early return with nothing to run (after the scheduler's
  // own ~1 us of work).
  void PollUntil(sim::Process& s, int64_t delay, IoTally& tally);

 private:
  // A goroutine parked on one mode of a socket, with its operation.
  struct Waiter {
    poller::g* gp = nullptr;  // nullptr: no goroutine in this mode
    nt::uintptr op = 0;
    // Completions not yet delivered. More than one when a scenario completes
    // the next operation before the goroutine has consumed the last; a wake
    // consumes one (two may share one pdReady: then one stays counted, and
    // the goroutine oracle errs towards silence, never a false alarm).
    int pending = 0;
    int running = 0;          // lazy sockets: polls still to start before it parks again
  };
  struct Conn {
    nt::HANDLE fd = 0;
    poller::pollDesc* pd = nullptr;
    Waiter r, w;
    bool want_writer = false;
    bool lazy = false;
    bool closed = false;
  };
  // The waiter in `mode` issues its next operation and waits for it as
  // poll_runtime_pollWait does: netpollblock until it reports ready. It
  // parks; or finds its I/O ready and runs (a delivery without netpoll),
  // then waits again.
  void Wait(sim::Process& s, Conn& c, int32_t mode, IoTally& tally);
  // netpollblock for goroutine gp. Its "double wait" throw must find another
  // goroutine in the mode (parked, or pdWait halfway into its park): with
  // pdNil or pdReady there, no other goroutine is waiting.
  bool Block(sim::Process& s, Conn& c, int32_t mode, poller::g* gp);
  // The waiter runs for its completion: pollWait returned ready (`how`).
  void Ran(sim::Process& s, Conn& c, int32_t mode, IoTally& tally, const char* how);
  // The goroutines of lazy sockets that have run through a poll wait again.
  void ParkRunning(sim::Process& s, IoTally& tally);
  // pollUnblock's wake-up of the waiter in `mode` (close): it must resume
  // not ready, to the error.
  void Unblock(sim::Process& s, Conn& c, int32_t mode, int32_t* delta);
  void Contradict(sim::Process& s, const Conn& c, int32_t mode, const std::string& what);
  // The waiter in `mode` returned from pollWait (ready, or to a close).
  void Returned(const Conn& c, int32_t mode);
  std::vector<Conn> conns_;
  GoroutineWatcher* watcher_ = nullptr;
};

}  // namespace iocpsim::workloads

#endif  // IOCPSIM_SIM_WORKLOADS_READERS_H_
