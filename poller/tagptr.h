// Port of src/runtime/tagptr_64bit.go (Go 1.22/1.23, the release the seed's
// netpoll_windows.go ships in): a pointer and a tag packed into 64 bits, as
// packNetpollKey uses on 64-bit targets.
#ifndef IOCPSIM_POLLER_TAGPTR_H_
#define IOCPSIM_POLLER_TAGPTR_H_

#include <cstdint>

namespace iocpsim::poller {

// addrBits: virtual addresses fit in 48 bits on amd64 (sign-extended).
inline constexpr int addrBits = 48;
// 16 bits from the top plus 3 from the bottom (pointers are 8-aligned).
inline constexpr int tagBits = 64 - addrBits + 3;

struct taggedPointer {
  uint64_t v;

  // amd64: sign-extend before unpacking, since the stack may sit above the
  // VA hole (tagptr_64bit.go, pointer()).
  uint64_t pointer() const {
    return static_cast<uint64_t>(static_cast<int64_t>(v) >> tagBits) << 3;
  }
  uint64_t tag() const { return v & ((uint64_t{1} << tagBits) - 1); }
};

// Tag bits that don't fit in the result are discarded.
inline taggedPointer taggedPointerPack(uint64_t ptr, uint64_t tag) {
  return taggedPointer{ptr << (64 - addrBits) |
                       (tag & ((uint64_t{1} << tagBits) - 1))};
}

}  // namespace iocpsim::poller

#endif  // IOCPSIM_POLLER_TAGPTR_H_
