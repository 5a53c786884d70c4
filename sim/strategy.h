// Scheduling strategies.
#ifndef IOCPSIM_SIM_STRATEGY_H_
#define IOCPSIM_SIM_STRATEGY_H_

#include <cstdint>

#include "sim/prng.h"
#include "sim/scheduler.h"

namespace iocpsim::sim {

// Uniform over threads and the kernel step; a kAdvance option (offered only
// with preemption on) is taken with probability preempt_ppm / 1e6.
class RandomStrategy : public Strategy {
 public:
  RandomStrategy(uint64_t seed, uint32_t preempt_ppm)
      : prng_(seed), preempt_ppm_(preempt_ppm) {}
  size_t Pick(absl::Span<const Choice> options) override;

 private:
  Prng prng_;
  uint32_t preempt_ppm_;
};

}  // namespace iocpsim::sim

#endif  // IOCPSIM_SIM_STRATEGY_H_
