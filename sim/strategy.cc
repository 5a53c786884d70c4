#include "sim/strategy.h"

namespace iocpsim::sim {

size_t RandomStrategy::Pick(absl::Span<const Choice> options) {
  size_t n = options.size();
  // The scheduler lists kAdvance last.
  if (options.back().kind == Choice::Kind::kAdvance) {
    if (prng_.Below(1'000'000) < preempt_ppm_) return n - 1;
    --n;
  }
  return n == 1 ? 0 : static_cast<size_t>(prng_.Below(n));
}

}  // namespace iocpsim::sim
