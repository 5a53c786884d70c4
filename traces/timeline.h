// A trace event as one line of text: time, thread, what happened.
#ifndef IOCPSIM_TRACES_TIMELINE_H_
#define IOCPSIM_TRACES_TIMELINE_H_

#include <string>

#include "proto/trace.pb.h"
#include "traces/decoder.h"

namespace iocpsim::traces {

// "   1.500000 T1   NtCancelWaitCompletionPacket(H3, 1) = STATUS_PENDING";
// with a decoder, what the numbers mean: "... SetWaitableTimer(H5, due in
// 2 ms, ...)", "{break, ov=0}", "{ready pd#1 (H3), ov=io#1 on H3}".
std::string FormatEvent(const trace::Event& e, const TraceDecoder* decoder = nullptr);
// The header as a few "# ..." lines.
std::string FormatHeader(const trace::Header& h);

}  // namespace iocpsim::traces

#endif  // IOCPSIM_TRACES_TIMELINE_H_
