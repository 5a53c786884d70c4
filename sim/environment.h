// The world around the poller that a run also drives: sockets whose I/O
// completes, and time passing in a thread. The simulated kernel implements
// it; a real backend would open pipes and sleep. Recorded like kernel calls.
#ifndef IOCPSIM_SIM_ENVIRONMENT_H_
#define IOCPSIM_SIM_ENVIRONMENT_H_

#include <cstdint>

#include "poller/nt_types.h"

namespace iocpsim::sim {

class Environment {
 public:
  virtual ~Environment() = default;
  // Opens a file/socket handle that can be associated with a port.
  virtual nt::HANDLE CreateFile() = 0;
  // An I/O on `file` completes: its port (if associated) gets a packet with
  // the association's key. False if the handle is not an open file.
  virtual bool CompleteIo(nt::HANDLE file, nt::uintptr overlapped, nt::DWORD bytes,
                          nt::NTSTATUS status) = 0;
  // The calling thread lets `ns` of time pass.
  virtual void Sleep(int64_t ns) = 0;
  // A goroutine on the calling M parks: gopark switches to the scheduler
  // (mcall) before netpollblockcommit publishes it, and Ms running in
  // parallel may act in between. A point where another thread may run; it
  // takes no time.
  virtual void Gopark() = 0;
  // Code outside the runtime queues a user-mode APC to thread `thread` (1 is
  // the first thread spawned), as QueueUserAPC does [S35]. False if the
  // thread has ended (ERROR_GEN_FAILURE) or never existed
  // (ERROR_INVALID_HANDLE).
  virtual bool QueueUserApc(int thread) = 0;
};

}  // namespace iocpsim::sim

#endif  // IOCPSIM_SIM_ENVIRONMENT_H_
