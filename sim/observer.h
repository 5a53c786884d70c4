// Callbacks through which a run can be watched: scheduling decisions,
// kernel-side events and kernel calls. The event log (and later, traces)
// implement it; a run without an observer pays nothing.
#ifndef IOCPSIM_SIM_OBSERVER_H_
#define IOCPSIM_SIM_OBSERVER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "poller/nt_types.h"
#include "sim/choice.h"

namespace iocpsim::sim {

// Something the kernel did on its own account.
struct KernelEvent {
  enum class Kind {
    kTimeAdvanced,     // virtual time jumped to the next event
    kTimerFired,       // a waitable timer reached its due time and signaled
    kWaitSatisfied,    // a wait packet's target signaled: packet in flight
    kPacketQueued,     // a packet entered a port's queue
    kPacketHandedOff,  // a packet went straight to a waiting thread
    kPacketDropped,    // a packet's port was closed
    kWaitTimedOut,     // a GetQueuedCompletionStatusEx wait expired
    kWaitAbandoned,    // a wait ended because its port was closed
    kThreadWoken,      // a sleeping workload thread woke
    kThreadBlocked,    // a thread parked in a wait (or a sleep)
    kPacketDequeued,   // a waiting packet left a port's queue for a caller
    kPacketRemoved,    // a cancel took a wait packet's packet off the queue
    kTimerArmed,       // a timer got a due time (value: expiry, virtual ns)
    kTimerReset,       // a timer's signal was cleared or consumed
    kWaitAlerted,      // an alertable wait ended to run a user-mode APC
    kPacketHeldBack,   // a port kept a packet from a waiter or a poll: its running
                       // threads fill its concurrency value [S36]
    kWakeTimerArmed,   // a timer set with fResume got a due time: it would wake
                       // a sleeping computer [S48] (value: the due time, virtual ns)
  };
  Kind kind;
  int thread = -1;          // the thread involved, if any
  nt::uintptr object = 0;   // the kernel object's id
  nt::uintptr key = 0;      // the packet's completion key, if any
  nt::uintptr overlapped = 0;
  // kTimerArmed: the expiry (virtual ns); kWakeTimerArmed: the due time; packet events: the id of the wait
  // packet that queued it (0 for other packets).
  int64_t value = 0;
};

const char* KernelEventName(KernelEvent::Kind k);

// One kernel call as the caller saw it.
struct CallRecord {
  int thread = -1;
  int64_t start_ns = 0;  // virtual time when the call was made
  int64_t end_ns = 0;    // ... and when it returned (later if it blocked)
  absl::string_view name;  // the Win32/NT function (a string literal)
  std::vector<uint64_t> args;
  uint64_t result = 0;   // the return value
  std::vector<uint64_t> outs;  // out-parameters, in prototype order
  std::vector<nt::OverlappedEntry> entries;  // GetQueuedCompletionStatusEx
  uint32_t last_error = 0;  // the thread's last error after the call
};

// What netpoll returned to its caller.
struct NetpollReturn {
  int thread = 0;
  int64_t start_ns = 0;  // when netpoll was called
  int64_t delay = 0;
  int32_t goroutines = 0;
  int32_t delta = 0;
  // The goroutines' addresses (poller::g::addr), head first; only a live
  // run fills them in (traces record the count).
  std::vector<uint64_t> gs;
};

// The end of a run.
struct RunSummary {
  std::string outcome;
  int64_t steps = 0;
  int64_t decisions = 0;
  std::string reason;  // for a stopped run
};

class Observer {
 public:
  virtual ~Observer() = default;
  // A thread was added to the run (before it first runs).
  virtual void OnThreadStart(int thread, const std::string& name, bool is_m) {}
  // A thread's body returned.
  virtual void OnThreadEnd(int64_t now, int thread) {}
  virtual void OnDecision(int64_t now, absl::Span<const Choice> options,
                          size_t picked) {}
  virtual void OnKernelEvent(int64_t now, const KernelEvent& e) {}
  // A call that may block begins (name, args and thread set); OnCall follows
  // when it returns.
  virtual void OnCallStart(const CallRecord& call) {}
  virtual void OnCall(const CallRecord& call) {}
  virtual void OnNetpollEnter(int64_t now, int thread, int64_t delay) {}
  virtual void OnNetpoll(int64_t now, const NetpollReturn& r) {}
  // The runtime threw: what it printed before, and the message.
  virtual void OnFatal(int64_t now, int thread, const std::string& message,
                       const std::vector<std::string>& printed) {}
  virtual void OnRunEnd(int64_t now, const RunSummary& end) {}
};

}  // namespace iocpsim::sim

#endif  // IOCPSIM_SIM_OBSERVER_H_
