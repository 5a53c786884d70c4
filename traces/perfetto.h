// A trace as Chrome trace-event JSON, which the Perfetto UI and
// chrome://tracing open: one track per thread with its kernel calls, the
// depth of each completion port and the state of each timer as counters,
// and the race-relevant moments as instant events. Written as the events
// come, so exporting a large trace keeps only the trace's bytes in memory.
#ifndef IOCPSIM_TRACES_PERFETTO_H_
#define IOCPSIM_TRACES_PERFETTO_H_

#include <cstdint>
#include <map>
#include <string>

#include "proto/trace.pb.h"
#include "traces/reader.h"
#include "traces/perfetto_flows.h"
#include "traces/writer.h"

namespace iocpsim::traces {

class ChromeJsonWriter {
 public:
  // Writes the document's opening and the process's name to `out`.
  ChromeJsonWriter(const trace::Header& header, ByteSink& out);
  void Add(const trace::Event& e);
  // Writes the closing; call once, after the last Add.
  void Finish();

 private:
  void Event(const std::string& body);
  void Instant(int64_t ns, int tid, const std::string& name, const std::string& scope);
  void Counter(int64_t ns, const std::string& name, int64_t value);
  void Arrow(const Flow& f);

  ByteSink& out_;
  bool first_ = true;
  std::map<uint64_t, int64_t> depth_;  // port object -> queued packets
  FlowTracker flows_;
};

// The whole trace at once (tests, the fuzzer).
std::string ExportChromeJson(const Trace& trace);

}  // namespace iocpsim::traces

#endif  // IOCPSIM_TRACES_PERFETTO_H_
