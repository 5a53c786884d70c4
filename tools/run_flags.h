// Flags shared by the verbs that run the simulator: what to run and on what
// kind of host.
#ifndef IOCPSIM_TOOLS_RUN_FLAGS_H_
#define IOCPSIM_TOOLS_RUN_FLAGS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/flags/declare.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "explore/explorer.h"
#include "poller/mutant.h"
#include "poller/variant.h"
#include "proto/trace.pb.h"
#include "sim/host_profiles.h"

ABSL_DECLARE_FLAG(std::string, workload);
ABSL_DECLARE_FLAG(uint64_t, seed);
ABSL_DECLARE_FLAG(std::string, host);
ABSL_DECLARE_FLAG(std::optional<double>, tick_ms);
ABSL_DECLARE_FLAG(std::optional<double>, timer_latency_ms);
ABSL_DECLARE_FLAG(std::optional<bool>, wait_packets);
ABSL_DECLARE_FLAG(std::optional<bool>, high_res_timers);
ABSL_DECLARE_FLAG(std::string, o);
ABSL_DECLARE_FLAG(std::string, backend);
ABSL_DECLARE_FLAG(std::string, mutant);
ABSL_DECLARE_FLAG(std::string, poller);
ABSL_DECLARE_FLAG(std::string, strategy);
ABSL_DECLARE_FLAG(int, pct_depth);
ABSL_DECLARE_FLAG(int, preemption_bound);
ABSL_DECLARE_FLAG(bool, force_races);
ABSL_DECLARE_FLAG(bool, sleep_sets);
ABSL_DECLARE_FLAG(std::string, schedule);

namespace iocpsim::tools {

// A verb's own flags followed by the host flags (--host, --tick_ms, ...)
// and --poller.
std::vector<const char*> WithHostFlags(std::vector<const char*> flags);

// The host the flags give: --host, then each single host flag given.
sim::HostSpec HostSpecFromFlags();
// An error naming the flag if --host is unknown or a host flag out of range.
absl::Status CheckHostFlags();
// An error unless --backend is sim or real.
absl::Status CheckBackendFlag();
// The poller --mutant names (the real one when empty), or an error.
absl::StatusOr<poller::Mutant> MutantFromFlag();
// The --poller list, in order (empty when not given), or an error naming
// an unknown or repeated name.
absl::StatusOr<std::vector<poller::Variant>> PollersFromFlag();
// For verbs that run one poller: --poller's one variant, if given.
absl::StatusOr<std::optional<poller::Variant>> PollerFromFlag();
// For verbs that read a trace (replay, show, export): an error unless the
// trace is a run of the --poller given (any, without the flag).
absl::Status CheckTracePoller(const trace::Header& header);
// --backend=real.
bool RealBackend();

// What to run: `workload` (a scenario path or a bundled workload's name)
// with --mutant, the host flags, --poller (when it names one), --strategy,
// --pct_depth, --preemption_bound and --force_races; or an error naming the
// flag.
absl::StatusOr<explore::Target> TargetFromFlags(const std::string& workload);

// The decisions --schedule names (explore/schedule_file.h), or none when it
// is empty; an error names the file and line.
absl::StatusOr<std::optional<std::vector<uint32_t>>> ScheduleFromFlag();

}  // namespace iocpsim::tools

#endif  // IOCPSIM_TOOLS_RUN_FLAGS_H_
