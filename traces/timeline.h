// A trace event as one line of text: time, thread, what happened.
#ifndef IOCPSIM_TRACES_TIMELINE_H_
#define IOCPSIM_TRACES_TIMELINE_H_

#include <string>

#include "proto/trace.pb.h"

namespace iocpsim::traces {

// "   1.500000 T1   NtCancelWaitCompletionPacket(H3, 1) = STATUS_PENDING"
std::string FormatEvent(const trace::Event& e);
// The header as a few "# ..." lines.
std::string FormatHeader(const trace::Header& h);

}  // namespace iocpsim::traces

#endif  // IOCPSIM_TRACES_TIMELINE_H_
