#include "traces/time_text.h"

#include <limits>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace iocpsim::traces {

std::string FixedPoint(int64_t ns, int64_t unit, int digits, int width) {
  // The magnitude as unsigned: -INT64_MIN does not fit an int64.
  const uint64_t mag = ns < 0 ? 0 - static_cast<uint64_t>(ns) : static_cast<uint64_t>(ns);
  const uint64_t u = static_cast<uint64_t>(unit);
  const std::string whole = absl::StrCat(ns < 0 ? "-" : "", mag / u);
  return absl::StrFormat("%*s.%0*d", width, whole, digits, mag % u);
}

int64_t SaturatingSub(int64_t a, int64_t b) {
  int64_t out;
  if (!__builtin_sub_overflow(a, b, &out)) return out;
  return b < 0 ? std::numeric_limits<int64_t>::max() : std::numeric_limits<int64_t>::min();
}

}  // namespace iocpsim::traces
