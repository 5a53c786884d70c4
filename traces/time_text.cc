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

std::string MsText(int64_t ns) {
  std::string s = FixedPoint(ns, 1'000'000, 6, 0);  // always 6 decimals
  s.erase(s.find_last_not_of('0') + 1);
  if (s.back() == '.') s.pop_back();
  return s;
}

}  // namespace iocpsim::traces
