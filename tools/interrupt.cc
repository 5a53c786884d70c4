#include "tools/interrupt.h"

#include <csignal>
#include <cstdlib>

namespace iocpsim::tools {
namespace {

std::atomic<int> caught{0};
static_assert(std::atomic<int>::is_always_lock_free, "a signal handler may store only lock-free");

// The first signal asks the verb to stop between runs; a second one (a run
// that does not end, or an impatient user) exits at once, as 128 + signal.
extern "C" void OnSignal(int sig) {
  if (caught.exchange(sig) != 0) std::_Exit(128 + sig);
}

}  // namespace

const std::atomic<int>& WatchInterrupts() {
  static const bool installed = [] {
    std::signal(SIGINT, OnSignal);
    std::signal(SIGTERM, OnSignal);
    return true;
  }();
  (void)installed;
  return caught;
}

const char* SignalName(int sig) { return sig == SIGTERM ? "SIGTERM" : "SIGINT"; }

}  // namespace iocpsim::tools
