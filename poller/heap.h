// The memory of the simulated Go process, as far as the poller reads it:
// pollDescs, gs, the pollOperations internal/poll hands the kernel as
// OVERLAPPED pointers, and memory of non-Go code whose OVERLAPPED reaches the
// port (go.dev/issue/58870). Every object gets a deterministic address, so
// completion keys and OVERLAPPED pointers are the same in every run and fit
// the target's pointer size (Goarch).
#ifndef IOCPSIM_POLLER_HEAP_H_
#define IOCPSIM_POLLER_HEAP_H_

#include <atomic>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "poller/goarch.h"
#include "poller/nt_types.h"

namespace iocpsim::poller {

using nt::uintptr;

struct M;

// A goroutine, as the poller sees one: an address to park in pollDesc.rg/wg
// and, for the g running on a thread, its M (getg().m).
struct g {
  int64_t goid = 0;
  uintptr addr = 0;
  M* m = nullptr;
  bool wild = false;  // no goroutine: a uintptr that is none, converted (gPointer)
};

// pdReady, pdWait and pdNil from netpoll.go: the values of pollDesc.rg/wg
// other than a parked g's address.
inline constexpr uintptr pdNil = 0;
inline constexpr uintptr pdReady = 1;
inline constexpr uintptr pdWait = 2;

// The fields of netpoll.go's pollDesc that the Windows poller touches.
struct pollDesc {
  uintptr addr = 0;  // its address: packed into completion keys
  uintptr fd = 0;    // the file handle
  std::atomic<uintptr> rg{pdNil};
  std::atomic<uintptr> wg{pdNil};
  // pollInfo's closing bit: set by poll_runtime_pollUnblock before it
  // unblocks rg and wg (publishInfo), read by netpollcheckerr.
  std::atomic<bool> closing{false};
};

// netpoll.go's error codes of netpollcheckerr (deadlines and event errors
// are not modelled: only pollErrClosing can arise).
inline constexpr int32_t pollNoError = 0;
inline constexpr int32_t pollErrClosing = 1;

// Go's pollOperation (the start of internal/poll.operation): an OVERLAPPED
// followed by pd and mode. Read back from an OVERLAPPED address; for foreign
// memory the fields are whatever bytes sit there.
struct pollOperation {
  uintptr pd = 0;
  int32_t mode = 0;
};

// Thread-safe: the real backend's Ms read it while others open sockets.
class Heap {
 public:
  explicit Heap(Goarch goarch);
  Heap(const Heap&) = delete;
  Heap& operator=(const Heap&) = delete;

  // sizeof(OVERLAPPED) on the target: four pointer-sized words on 64-bit,
  // 20 bytes on 32-bit (minwinbase.h).
  uintptr overlappedSize() const;

  pollDesc* newPollDesc(uintptr fd);
  g* newG(int64_t goid);
  // A pollOperation for pd and mode; returns its (OVERLAPPED) address.
  uintptr newPollOperation(const pollDesc* pd, int32_t mode);
  // Memory of non-Go code holding an OVERLAPPED followed by `trailer`
  // (what a faulty reinterpretation as pollOperation would read).
  uintptr newForeign(std::vector<uint8_t> trailer);

  // The object at exactly addr, or nullptr.
  pollDesc* pollDescAt(uintptr addr) const;
  g* gAt(uintptr addr) const;
  // (*g)(unsafe.Pointer(v)): nullptr for 0, the g at v, or for any other
  // value a wild g that no goroutine is (using it is a fault: gList::push).
  g* gPointer(uintptr v);
  // Goroutines parked on I/O: pollDesc.rg and .wg values that are a g. What
  // netpollWaiters counts once every netpollready's delta is applied.
  int32_t parkedGoroutines() const;

  // Reads a pollOperation at ov the way (*pollOperation)(unsafe.Pointer(ov))
  // does. nullopt when the read touches unmapped memory (a fault).
  std::optional<pollOperation> loadPollOperation(uintptr ov) const;

 private:
  struct Region {
    std::vector<uint8_t> bytes;  // the region's contents
  };
  uintptr alloc(uintptr size, std::vector<uint8_t> bytes) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  std::optional<uint64_t> load(uintptr addr, int width) const ABSL_SHARED_LOCKS_REQUIRED(mu_);
  std::vector<uint8_t> encodePollOperation(uintptr pd, int32_t mode) const;

  const Goarch goarch_;
  mutable absl::Mutex mu_;
  uintptr next_ ABSL_GUARDED_BY(mu_);
  std::map<uintptr, Region> regions_ ABSL_GUARDED_BY(mu_);  // by start address
  // Stable addresses for the C++ objects.
  std::deque<pollDesc> pollDescs_ ABSL_GUARDED_BY(mu_);
  std::deque<g> gs_ ABSL_GUARDED_BY(mu_);
  std::map<uintptr, pollDesc*> pollDescByAddr_ ABSL_GUARDED_BY(mu_);
  std::map<uintptr, g*> gByAddr_ ABSL_GUARDED_BY(mu_);
  std::map<uintptr, g> wild_ ABSL_GUARDED_BY(mu_);  // gPointer's, by value
};

}  // namespace iocpsim::poller

#endif  // IOCPSIM_POLLER_HEAP_H_
