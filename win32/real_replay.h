// Replays a trace (recorded in the simulator or on another host) on the real
// kernel: each recorded thread becomes an OS thread issuing its recorded
// calls in the recorded cross-thread order, and each call's outcome is
// compared with the recorded one, times aside. Outcomes the host cannot give
// are told apart from divergences: a call the host lacks is "unsupported";
// an outcome that hinges on timing (which packet a wait got, whether a timer
// fired inside NtCancelWaitCompletionPacket) is "not reproducible", with
// what happened instead. Neither counts as a pass.
#ifndef IOCPSIM_WIN32_REAL_REPLAY_H_
#define IOCPSIM_WIN32_REAL_REPLAY_H_

#include <cstdint>

#include "absl/status/statusor.h"
#include "traces/reader.h"
#include "traces/replayer.h"

namespace iocpsim::win32 {

struct RealReplayLimits {
  // A recorded Sleep longer than this is not slept (virtual time can ask for
  // days): reported as not reproducible.
  int64_t max_sleep_ns = 2'000'000'000;
  // The whole replay; threads still blocked then are torn down.
  int64_t time_limit_ns = 30'000'000'000;
};

absl::StatusOr<traces::ReplayReport> ReplayOnRealKernel(const traces::Trace& trace,
                                                        const traces::ReplayOptions& options,
                                                        const RealReplayLimits& limits = {});

}  // namespace iocpsim::win32

#endif  // IOCPSIM_WIN32_REAL_REPLAY_H_
