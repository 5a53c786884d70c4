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

}  // namespace iocpsim::nt

#endif  // IOCPSIM_POLLER_NT_NAMES_H_
