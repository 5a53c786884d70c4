// The trace file format: the magic, then varint-length-delimited Header and
// Events (proto/trace.proto). See docs/trace-format.md.
#ifndef IOCPSIM_TRACES_FORMAT_H_
#define IOCPSIM_TRACES_FORMAT_H_

#include <cstdint>

namespace iocpsim::traces {

inline constexpr char kMagic[] = "IOCPTRC\n";  // 8 bytes, no terminator written
inline constexpr int kMagicSize = 8;
// Bump when a change would make old readers misread new traces.
inline constexpr uint32_t kFormatVersion = 1;
inline constexpr char kToolVersion[] = "iocpsim 0.1.0";
// A length prefix larger than this is corruption, not a real event.
inline constexpr uint64_t kMaxMessageSize = 64 << 20;

}  // namespace iocpsim::traces

#endif  // IOCPSIM_TRACES_FORMAT_H_
