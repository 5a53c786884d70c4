// Names for NT status and Win32 error values, for logs and reports.
#ifndef IOCPSIM_POLLER_NT_NAMES_H_
#define IOCPSIM_POLLER_NT_NAMES_H_

#include <string>

#include "poller/nt_types.h"

namespace iocpsim::nt {

// "STATUS_PENDING", or "0xC0000001" for values without a name here.
std::string StatusName(NTSTATUS s);
// "WAIT_TIMEOUT", or the decimal value.
std::string ErrorName(DWORD e);
// An access mask as its rights joined by '|' ("SYNCHRONIZE|TIMER_MODIFY_STATE");
// bits without a name stay as a number.
std::string AccessName(ACCESS_MASK a);

}  // namespace iocpsim::nt

#endif  // IOCPSIM_POLLER_NT_NAMES_H_
