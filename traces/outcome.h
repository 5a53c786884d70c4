// What of a recorded call a replay on another kernel, or on another clock,
// can be held to: everything but the times, and the thread's last error only
// where it means something. A Win32 function sets it on failure and leaves
// it unspecified on success ("if the function succeeds ... the last-error
// code is not defined", learn.microsoft.com GetLastError); an NT function
// returns its status and does not set it, nor does the environment's Sleep.
#ifndef IOCPSIM_TRACES_OUTCOME_H_
#define IOCPSIM_TRACES_OUTCOME_H_

#include <string>

#include "proto/trace.pb.h"

namespace iocpsim::traces {

// The event reduced so, serialized: equal strings, equal outcomes.
std::string ComparableOutcome(const trace::Event& e);

}  // namespace iocpsim::traces

#endif  // IOCPSIM_TRACES_OUTCOME_H_
