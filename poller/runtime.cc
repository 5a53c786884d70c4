// The harness side of Runtime: per-thread g, branch counts and what the
// runtime printed, safe for the real backend's concurrent Ms.
#include <string>
#include <utility>
#include <vector>

#include "poller/runtime.h"

namespace iocpsim::poller {

thread_local g* Runtime::curg_ = nullptr;

BranchCounts Runtime::branches() const {
  BranchCounts out{};
  for (int i = 0; i < kBranchCount; ++i) out[i] = branches_[i].load(std::memory_order_relaxed);
  return out;
}

void Runtime::record_print(std::string line) {
  absl::MutexLock lock(&printed_mu_);
  printed_.push_back(std::move(line));
}

std::vector<std::string> Runtime::printed() const {
  absl::MutexLock lock(&printed_mu_);
  return printed_;
}

}  // namespace iocpsim::poller
