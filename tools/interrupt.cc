#include "tools/interrupt.h"

#include <csignal>

namespace iocpsim::tools {
namespace {

std::atomic<int> caught{0};
static_assert(std::atomic<int>::is_always_lock_free, "a signal handler may store only lock-free");

extern "C" void OnSignal(int sig) { caught.store(sig); }

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
