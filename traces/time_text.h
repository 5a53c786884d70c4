// Times from traces as text, exact for every int64 a damaged trace may hold
// (INT64_MIN included), and the checked arithmetic on them.
#ifndef IOCPSIM_TRACES_TIME_TEXT_H_
#define IOCPSIM_TRACES_TIME_TEXT_H_

#include <cstdint>
#include <string>

#include "sim/event_log.h"

namespace iocpsim::traces {

using sim::FixedPoint;  // sim/event_log.h

// a - b, saturated at the int64 range instead of overflowing.
int64_t SaturatingSub(int64_t a, int64_t b);

// Nanoseconds as milliseconds, exactly and without trailing zeros: "2",
// "0.5", "15.625", "-1.25" (what sim::ClockNs reads back to the same ns).
std::string MsText(int64_t ns);

}  // namespace iocpsim::traces

#endif  // IOCPSIM_TRACES_TIME_TEXT_H_
