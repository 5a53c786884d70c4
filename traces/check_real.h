// Checks a trace recorded on a real kernel against the simulator's model of
// a host (a host profile's KernelConfig). The recorded calls are applied to
// the simulated kernel in the order they returned, and at each one the check
// asks whether the recorded outcome is one the model allows at that point:
//
// - a call whose outcome does not hinge on timing (creating, associating,
//   posting, closing, setting a timer) must give exactly the recorded
//   outcome, handles compared by identity;
// - a GetQueuedCompletionStatusEx that returned packets must find each one
//   in the model's queue of that port, in FIFO order, except that packets
//   the real kernel may not have had yet may be passed over (see
//   CheckAllowances); a packet whose post is recorded later, but began before
//   the dequeue returned, is posted first (the two overlapped);
// - one that timed out must have found no packet the model says was there,
//   must have asked for a finite wait, and must have waited at least the
//   requested time less one tick of the host's clock, with the removed count
//   the host gives on a timeout;
// - any other failure must be the model's answer for that port then.
//
// The first recorded outcome the model does not allow is reported as a
// divergence naming the event (all of them with keep_going).
#ifndef IOCPSIM_TRACES_CHECK_REAL_H_
#define IOCPSIM_TRACES_CHECK_REAL_H_

#include <cstdint>

#include "absl/status/statusor.h"
#include "sim/kernel_config.h"
#include "traces/reader.h"
#include "traces/replayer.h"

namespace iocpsim::traces {

// How far a real kernel's timing may stray from the model's instants.
struct CheckAllowances {
  // A post that returned this shortly before a dequeue returned may have
  // raced it: the dequeue need not have seen the packet. The trace's times
  // are taken in user mode around each call.
  int64_t post_race_ns = 2'000'000;
  // A real I/O completes asynchronously: its packet may reach the port this
  // long after the I/O was made to complete (loopback: well under 1 ms).
  int64_t io_latency_ns = 100'000'000;
  // How far ahead (in events) a dequeue's packet is looked for among posts
  // that overlapped it.
  int lookahead = 256;
};

absl::StatusOr<ReplayReport> CheckInSimulator(const Trace& trace, const sim::KernelConfig& host,
                                              const ReplayOptions& options,
                                              const CheckAllowances& allowances = {});

}  // namespace iocpsim::traces

#endif  // IOCPSIM_TRACES_CHECK_REAL_H_
