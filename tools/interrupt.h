// SIGINT and SIGTERM as a request to stop: the handler only stores the
// signal's number (async-signal-safe), and long verbs poll it between
// schedules, then report what ran and exit 128 + the signal. A second signal
// exits at once (std::_Exit, also async-signal-safe) with the same code.
#ifndef IOCPSIM_TOOLS_INTERRUPT_H_
#define IOCPSIM_TOOLS_INTERRUPT_H_

#include <atomic>

namespace iocpsim::tools {

// Installs the handlers (once) and returns the flag: 0, or the signal caught.
const std::atomic<int>& WatchInterrupts();

// "SIGINT" or "SIGTERM".
const char* SignalName(int sig);

}  // namespace iocpsim::tools

#endif  // IOCPSIM_TOOLS_INTERRUPT_H_
