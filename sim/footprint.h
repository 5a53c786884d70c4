// What one scheduling step touched: the systematic search's sleep sets
// (explore/dfs.h) let two steps commute only when their footprints are
// disjoint. Keys are kernel objects (their ids), simulated threads, and the
// kernel's shared counters; every touch counts as a write, so the relation
// is conservative. A footprint past kMaxKeys keys touches everything.
#ifndef IOCPSIM_SIM_FOOTPRINT_H_
#define IOCPSIM_SIM_FOOTPRINT_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "absl/container/inlined_vector.h"
#include "absl/types/span.h"

namespace iocpsim::sim {

class Footprint {
 public:
  // Keys a step may name before it counts as touching everything: far more
  // than any one kernel call or kernel step touches (docs/limits.md).
  static constexpr size_t kMaxKeys = 32;

  // Kernel objects are keyed by their id (1, 2, ...), below kThreadKeys.
  static constexpr uint64_t kThreadKeys = uint64_t{1} << 40;
  static constexpr uint64_t kSharedKeys = uint64_t{2} << 40;
  static constexpr uint64_t Thread(int id) { return kThreadKeys + static_cast<uint64_t>(id); }
  // The timed-event sequence number (Schedule): it orders events due at once.
  static constexpr uint64_t kSeq = kSharedKeys + 1;
  // The high-resolution timer latency stream [S46].
  static constexpr uint64_t kLatency = kSharedKeys + 2;
  // The kernel's queue of ready steps.
  static constexpr uint64_t kReady = kSharedKeys + 3;
  // The handle table and the object ids it hands out.
  static constexpr uint64_t kHandles = kSharedKeys + 4;
  // The Go runtime's memory and the workload's: every thread step touches
  // it, since the ported code's shared memory is not tracked.
  static constexpr uint64_t kRuntime = kSharedKeys + 5;

  void Touch(uint64_t key) {
    if (all_ || std::find(keys_.begin(), keys_.end(), key) != keys_.end()) return;
    if (keys_.size() == kMaxKeys) {
      TouchAll();
      return;
    }
    keys_.push_back(key);
  }
  void TouchAll() {
    all_ = true;
    keys_.clear();
  }
  void Clear() {
    all_ = false;
    keys_.clear();
  }
  bool all() const { return all_; }
  absl::Span<const uint64_t> keys() const { return keys_; }

  // Whether the two steps may not commute.
  bool Conflicts(const Footprint& o) const {
    if (all_ || o.all_) return true;
    for (uint64_t k : keys_) {
      if (std::find(o.keys_.begin(), o.keys_.end(), k) != o.keys_.end()) return true;
    }
    return false;
  }

 private:
  bool all_ = false;
  absl::InlinedVector<uint64_t, 8> keys_;
};

}  // namespace iocpsim::sim

#endif  // IOCPSIM_SIM_FOOTPRINT_H_
