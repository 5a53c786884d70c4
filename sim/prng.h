// The simulator's only source of randomness: SplitMix64 (Steele, Lea and
// Flood, "Fast Splittable Pseudorandom Number Generators", OOPSLA 2014), the
// generator java.util.SplittableRandom uses. Fixed here so a seed gives the
// same run on every machine and library version (Abseil's random library
// does not promise that).
#ifndef IOCPSIM_SIM_PRNG_H_
#define IOCPSIM_SIM_PRNG_H_

#include <cstdint>

namespace iocpsim::sim {

class Prng {
 public:
  explicit Prng(uint64_t seed) : state_(seed) {}

  uint64_t Next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }

  // Uniform in [0, n), n > 0, by rejection: no modulo bias.
  uint64_t Below(uint64_t n) {
    const uint64_t limit = ~uint64_t{0} - (~uint64_t{0} % n);
    uint64_t v;
    do {
      v = Next();
    } while (v >= limit);
    return v % n;
  }

 private:
  uint64_t state_;
};

}  // namespace iocpsim::sim

#endif  // IOCPSIM_SIM_PRNG_H_
