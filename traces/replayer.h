// Replays a trace against a backend: every recorded thread issues its
// recorded calls, in the recorded cross-thread order, and what comes back is
// re-recorded and compared with the trace event by event. On the simulator
// the recorded scheduling decisions fix the order, so a faithful replay
// re-records the trace byte for byte.
#ifndef IOCPSIM_TRACES_REPLAYER_H_
#define IOCPSIM_TRACES_REPLAYER_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "traces/reader.h"
#include "traces/trace_view.h"
#include "traces/wire_trace.h"

namespace iocpsim::traces {

struct Divergence {
  int64_t index = 0;     // the trace event where replay first differed
  // "diverged"; on a real kernel also "unsupported" (the host lacks the
  // call) and "not reproducible" (an outcome no real kernel can be forced
  // into, such as a timer firing inside a given call). None is a pass.
  std::string kind = "diverged";
  std::string expected;  // that event, as a timeline line
  std::string got;       // what the replay produced instead
  std::vector<std::string> before;  // the recorded events just before it
};

struct ReplayOptions {
  bool keep_going = false;  // count every divergence instead of stopping
  int context = 5;          // recorded events shown before a divergence
};

struct ReplayReport {
  int64_t compared = 0;     // events compared
  int64_t divergences = 0;  // events that differed, of every kind below
  int64_t unsupported = 0;       // ... because the host lacks the call
  int64_t not_reproducible = 0;  // ... because a real kernel cannot be forced
  std::vector<Divergence> shown;  // the first divergence (all, with keep_going, up to 20)
  std::string rerecorded;   // the replay's own trace, in the file format
};

// Checks what every replay needs of a trace: threads started once, numbered
// 1..n, calls with known functions and the right number of arguments, sizes
// within the replay's bounds. Fills `threads` with each thread's start.
absl::Status ValidateTrace(const TraceView& trace,
                           std::map<int, const trace::ThreadStart*>* threads);
absl::Status ValidateTrace(const Trace& trace, std::map<int, const trace::ThreadStart*>* threads);

// Replays in the simulator the trace describes. An error (naming the event)
// if the trace cannot be replayed at all: not a simulated run, a thread
// without a start, a call with the wrong number of arguments.
absl::StatusOr<ReplayReport> ReplayInSimulator(const TraceView& trace, const ReplayOptions& options);
absl::StatusOr<ReplayReport> ReplayInSimulator(const Trace& trace, const ReplayOptions& options);

// The same for a trace read only as far as its framing (`iocpsim replay`):
// the replay reads calls and decisions off the wire and compares bytes, and
// only a replay that differs, or a trace in another encoding, is parsed and
// replayed again, to report. The answer is exactly the parsed trace's (a
// test and the trace fuzzer check it); errors name the file.
enum class ReplayPath { kWire, kParsed };
absl::StatusOr<ReplayReport> ReplayInSimulator(const WireTrace& trace, const ReplayOptions& options,
                                               ReplayPath* path = nullptr);

}  // namespace iocpsim::traces

#endif  // IOCPSIM_TRACES_REPLAYER_H_
