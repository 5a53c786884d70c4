// libFuzzer target: arbitrary bytes as a trace. Reading, showing, exporting,
// replaying and checking a real run against the model must end in a clean
// error or a report, never a crash.
// Built and run by tools/fuzz.sh (clang, outside Bazel).
#include <cstddef>
#include <cstdint>
#include <string>

#include "sim/host_profiles.h"
#include "traces/check_real.h"
#include "traces/perfetto.h"
#include "traces/reader.h"
#include "traces/replayer.h"
#include "traces/trace_view.h"
#include "traces/decoder.h"
#include "traces/timeline.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace iocpsim;
  traces::TraceReader reader("fuzz", std::string(reinterpret_cast<const char*>(data), size));
  absl::StatusOr<trace::Header> header = reader.ReadHeader();
  if (!header.ok()) return 0;
  traces::Trace t;
  t.header = *header;
  traces::FormatHeader(t.header);
  trace::Event e;
  while (true) {
    absl::StatusOr<bool> more = reader.Next(&e);
    if (!more.ok() || !*more) break;
    traces::FormatEvent(e);
    t.events.push_back(e);
  }
  const traces::TraceDecoder decoder(t.header, t.events);  // show's decoding
  for (const trace::Event& ev : t.events) traces::FormatEvent(ev, &decoder);
  traces::ExportChromeJson(t);
  // No step cap of its own: the replay's bound comes from the trace's size
  // (traces/replayer.cc), and libFuzzer's -timeout and -rss_limit_mb
  // (tools/fuzz.sh) check that it holds.
  traces::ReplayOptions options;
  options.keep_going = true;
  if (t.header.backend().has_real()) {
    for (const char* host : {"windows", "wine8"}) {
      absl::StatusOr<sim::KernelConfig> k = sim::HostProfileConfig(host);
      if (k.ok()) (void)traces::CheckInSimulator(t, *k, options);
    }
  } else {
    (void)traces::ReplayInSimulator(t, options);
    // As `iocpsim replay` reads it: into an arena, its bytes compared first.
    absl::StatusOr<traces::TraceView> view = traces::TraceView::Parse(
        "fuzz", std::string(reinterpret_cast<const char*>(data), size));
    if (view.ok()) (void)traces::ReplayInSimulator(*view, options);
  }
  return 0;
}
