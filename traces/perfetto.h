// A trace as Chrome trace-event JSON, which the Perfetto UI and
// chrome://tracing open: one track per thread with its kernel calls, the
// depth of each completion port and the state of each timer as counters,
// and the race-relevant moments as instant events.
#ifndef IOCPSIM_TRACES_PERFETTO_H_
#define IOCPSIM_TRACES_PERFETTO_H_

#include <string>

#include "traces/reader.h"

namespace iocpsim::traces {

std::string ExportChromeJson(const Trace& trace);

}  // namespace iocpsim::traces

#endif  // IOCPSIM_TRACES_PERFETTO_H_
