// The target's pointer size (Go's goarch.PtrSize). The poller's key layout
// depends on it: the 64-bit tagged-pointer layout or the 32-bit shifted one.
#ifndef IOCPSIM_POLLER_GOARCH_H_
#define IOCPSIM_POLLER_GOARCH_H_

#include <cstdint>

namespace iocpsim::poller {

struct Goarch {
  int PtrSize = 8;  // 8 (amd64, arm64) or 4 (386, arm)

  // Go's uintptr wraps at the target's width; a 64-bit host must mask.
  uint64_t uintptr(uint64_t v) const {
    return PtrSize == 4 ? (v & 0xFFFFFFFFu) : v;
  }
  // ^uintptr(0) on the target: _INVALID_HANDLE_VALUE.
  uint64_t allOnes() const { return uintptr(~uint64_t{0}); }
};

}  // namespace iocpsim::poller

#endif  // IOCPSIM_POLLER_GOARCH_H_
