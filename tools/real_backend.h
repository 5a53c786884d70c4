// The verbs' way to the real backend: iocpsim.exe has it
// (real_backend_win32.cc); the Linux build says where to find it
// (real_backend_absent.cc).
#ifndef IOCPSIM_TOOLS_REAL_BACKEND_H_
#define IOCPSIM_TOOLS_REAL_BACKEND_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "poller/variant.h"
#include "traces/reader.h"
#include "traces/replayer.h"

namespace iocpsim::tools {

// `iocpsim run SCENARIO --backend=real [--record=TRACE] [--poller=V]`: the
// exit code. `poller` replaces the scenario's.
int RunOnRealBackend(const std::string& scenario, uint64_t seed, const std::string& record,
                     std::optional<poller::Variant> poller);

// `iocpsim replay TRACE --backend=real`: the report, or an error saying
// why the trace cannot be replayed here.
absl::StatusOr<traces::ReplayReport> ReplayOnRealBackend(const traces::Trace& trace,
                                                         const traces::ReplayOptions& options);

}  // namespace iocpsim::tools

#endif  // IOCPSIM_TOOLS_REAL_BACKEND_H_
