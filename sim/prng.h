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

  // A generator of its own for one use of a run's seed, so that drawing from
  // it leaves the generator seeded with `seed` itself (the scheduler's)
  // untouched. Its state is SplitMix64's output function (a bijection)
  // applied to seed ^ stream: distinct streams of one seed, or one stream of
  // distinct seeds, start from distinct states, which land in the sequence
  // seed, seed + gamma, ... of Prng(seed) only by a 2^-64-per-step chance.
  static Prng Stream(uint64_t seed, uint64_t stream) { return Prng(Mix(seed ^ stream)); }

  uint64_t Next() { return Mix(state_ += 0x9E3779B97F4A7C15ull); }

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
  // SplitMix64's output function (Stafford's Mix13 variant).
  static uint64_t Mix(uint64_t z) {
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }

  uint64_t state_;
};

}  // namespace iocpsim::sim

#endif  // IOCPSIM_SIM_PRNG_H_
