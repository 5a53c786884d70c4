// Checks a trace recorded on a real kernel against the simulator's model of
// a host (a host profile's KernelConfig). The recorded calls are applied to
// the simulated kernel in the order they returned, and at each one the check
// asks whether the recorded outcome is one the model allows at that point:
//
// - a call whose outcome does not hinge on timing (creating, associating,
//   posting, closing, setting a timer) must give exactly the recorded
//   outcome, handles compared by identity; of a socket's close and a
//   CompleteIo on it that overlapped, the one the CompleteIo's outcome says
//   took effect first is applied first;
// - a GetQueuedCompletionStatusEx that returned packets must find each one
//   in the model's queue of that port, in FIFO order, passing over only
//   packets the real kernel may not have had yet when it took that one; a
//   packet whose post is recorded later, but began before the dequeue
//   returned, is posted first (the two overlapped);
// - one that timed out must have asked for a finite wait, waited at least
//   the requested time less one tick of the host's clock, found no packet
//   that was surely queued before the wait could have expired, and left the
//   removed count the host leaves on a timeout (0 on Windows, 1 on Wine);
// - any other failure must be the model's answer for that port then.
//
// The first recorded outcome the model does not allow is reported as a
// divergence naming the event (all of them with keep_going).
#ifndef IOCPSIM_TRACES_CHECK_REAL_H_
#define IOCPSIM_TRACES_CHECK_REAL_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "sim/kernel_config.h"
#include "traces/reader.h"
#include "traces/replayer.h"

namespace iocpsim::traces {

// When a packet may have reached the port. Each call took effect at some
// instant between its recorded start and return (the times are taken in user
// mode around it, and a thread can be descheduled on either side): a posted
// packet was queued then. A real I/O completes asynchronously, after the
// call that started it, by at most io_latency_ns. A wait packet's packet
// follows its timer, which a real kernel fires late by any amount.
struct CheckAllowances {
  // Loopback I/O completes in well under 1 ms; the bound is for a loaded host
  // (Wine completes socket I/O through its wineserver).
  int64_t io_latency_ns = 1'000'000'000;
  // How far ahead (in events) a dequeue's packet is looked for among posts
  // that overlapped it.
  int lookahead = 256;
};

// The host profile (sim/host_profiles.h) that models the host a real trace
// was recorded on: "wine8" for Wine, "windows-pre1803" for Windows before
// 10.0.17134 (version 1803), else "windows".
std::string ProfileOfRealHost(const trace::RealHost& host);

absl::StatusOr<ReplayReport> CheckInSimulator(const Trace& trace, const sim::KernelConfig& host,
                                              const ReplayOptions& options,
                                              const CheckAllowances& allowances = {});

}  // namespace iocpsim::traces

#endif  // IOCPSIM_TRACES_CHECK_REAL_H_
