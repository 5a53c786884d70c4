#include "traces/time_text.h"

#include <limits>

namespace iocpsim::traces {

int64_t SaturatingSub(int64_t a, int64_t b) {
  // Portable (MSVC has no __builtin_sub_overflow): a - b overflows exactly
  // when b < 0 and a > max + b, or b > 0 and a < min + b.
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
  if (b < 0 && a > kMax + b) return kMax;
  if (b > 0 && a < kMin + b) return kMin;
  return a - b;
}

}  // namespace iocpsim::traces
