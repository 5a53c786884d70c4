// libFuzzer target: arbitrary bytes as a trace. Reading, showing, exporting,
// replaying and checking a real run against the model must end in a clean
// error or a report, never a crash; a replay off the wire must answer as the
// parsed trace's does.
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
#include "traces/wire_trace.h"
#include "traces/decoder.h"
#include "traces/timeline.h"

namespace {

// A replay's answer; `prefix` names the file as the wire path's errors do.
std::string Summary(const absl::StatusOr<iocpsim::traces::ReplayReport>& r,
                    const std::string& prefix) {
  if (!r.ok()) return prefix + std::string(r.status().message());
  std::string s = std::to_string(r->compared) + " " + std::to_string(r->divergences) + "\n";
  for (const iocpsim::traces::Divergence& d : r->shown) {
    s += std::to_string(d.index) + d.expected + d.got + "\n";
  }
  return s + r->rerecorded;
}

}  // namespace

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
    // As `iocpsim replay` reads it, off the wire: its answer must be the
    // parsed trace's, error for error and divergence for divergence.
    const std::string bytes(reinterpret_cast<const char*>(data), size);
    absl::StatusOr<traces::TraceView> view = traces::TraceView::Parse("fuzz", bytes);
    absl::StatusOr<traces::WireTrace> wire = traces::WireTrace::Read("fuzz", bytes);
    const std::string parsed = view.ok() ? Summary(traces::ReplayInSimulator(*view, options), "fuzz: ")
                                         : std::string(view.status().message());
    const std::string read = wire.ok() ? Summary(traces::ReplayInSimulator(*wire, options), "")
                                       : std::string(wire.status().message());
    if (parsed != read) __builtin_trap();
  }
  return 0;
}
