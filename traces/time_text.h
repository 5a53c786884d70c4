// Times from traces as text, exact for every int64 a damaged trace may hold
// (INT64_MIN included), and the checked arithmetic on them.
#ifndef IOCPSIM_TRACES_TIME_TEXT_H_
#define IOCPSIM_TRACES_TIME_TEXT_H_

#include <cstdint>
#include <string>

namespace iocpsim::traces {

// `ns` in units of `unit` ns with `digits` decimals, the whole part (sign
// included) right-aligned in `width`: FixedPoint(-500000, 1000000, 6, 0)
// is "-0.500000".
std::string FixedPoint(int64_t ns, int64_t unit, int digits, int width);

// a - b, saturated at the int64 range instead of overflowing.
int64_t SaturatingSub(int64_t a, int64_t b);

}  // namespace iocpsim::traces

#endif  // IOCPSIM_TRACES_TIME_TEXT_H_
