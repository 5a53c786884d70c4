// The slice of Go's runtime package that the Windows poller is: the state and
// functions of netpoll_windows.go, the per-M timer setup of os_windows.go
// (seed commit cf52e709), and the parts of netpoll.go the poller calls. Go's
// package-level variables are members, so independent simulations can run
// side by side. Names and branches follow the Go source; read each .cc file
// beside its Go file.
#ifndef IOCPSIM_POLLER_RUNTIME_H_
#define IOCPSIM_POLLER_RUNTIME_H_

#include <array>
#include <atomic>
#include <functional>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "poller/branches.h"
#include "poller/goarch.h"
#include "poller/heap.h"
#include "poller/mutant.h"
#include "poller/nt_api.h"
#include "poller/variant.h"

namespace iocpsim::poller {

// Go's throw: the runtime prints "fatal error: <msg>" and the process dies.
// Here it unwinds to the harness, which records it as the run's outcome.
class Fatal : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The M fields the poller and minit/mdestroy use (mOS in os_windows.go).
struct M {
  int64_t id = 0;
  uintptr highResTimer = 0;    // high resolution timer handle used in usleep
  uintptr waitIocpTimer = 0;   // high resolution timer handle used in netpoll
  uintptr waitIocpHandle = 0;  // wait completion handle used in netpoll
  bool blocked = false;        // set while netpoll may block
  g g0;                        // the g this M runs the poller on
};

// Go's gList: goroutines netpoll made runnable, pushed at the head.
class gList {
 public:
  // Go's push writes gp.schedlink: a nil gp faults inside the runtime, which
  // Go reports as this fatal error (a wrong poller's, never Go's own code).
  void push(g* gp) {
    if (gp == nullptr) throw Fatal("unexpected signal during runtime execution (nil g pushed)");
    if (gp->wild) throw Fatal("unexpected fault address (a g pushed that no goroutine is)");
    gs_.insert(gs_.begin(), gp);
  }
  bool empty() const { return gs_.empty(); }
  size_t size() const { return gs_.size(); }
  const std::vector<g*>& gs() const { return gs_; }  // head first

 private:
  std::vector<g*> gs_;
};

// A looked-up function (Go's stdFunction): compares equal to nullptr when
// windowsFindfunc found nothing.
struct stdFunction {
  bool found = false;
  bool operator==(std::nullptr_t) const { return !found; }
  bool operator!=(std::nullptr_t) const { return found; }
};

struct RuntimeConfig {
  Goarch goarch;
  int32_t gomaxprocs = 1;
  Mutant mutant = Mutant::kNone;  // a deliberately wrong variant, for oracles
  Variant variant = Variant::kHighRes;  // which version of Go's poller
  // Let another M run where a goroutine parks: between netpollblock's
  // compare-and-swaps, and between pdWait and gopark's commit (goparkSwitch
  // below), as Ms in parallel can.
  bool gopark_switch = false;
};

class Runtime {
 public:
  Runtime(nt::NtApi& nt, RuntimeConfig cfg);
  Runtime(const Runtime&) = delete;
  Runtime& operator=(const Runtime&) = delete;

  // --- netpoll_windows.go ---
  static constexpr uint8_t netpollSourceReady = 1;
  static constexpr uint8_t netpollSourceBreak = 2;
  static constexpr uint8_t netpollSourceTimer = 3;
  static constexpr int sourceBits = 4;
  static constexpr uintptr sourceMasks = (1 << sourceBits) - 1;

  uintptr packNetpollKey(uint8_t source, uintptr pd);
  uint8_t unpackNetpollSource(uintptr key) const;
  // nullopt where Go returns nil: not an entry from internal/poll.
  std::optional<pollOperation> pollOperationFromOverlappedEntry(
      const nt::OverlappedEntry* e);

  void netpollinit();
  bool netpollIsPollDescriptor(uintptr fd) const;
  int32_t netpollopen(uintptr fd, pollDesc* pd);
  int32_t netpollclose(uintptr fd);
  void netpollarm(pollDesc* pd, int mode);
  void netpollBreak();
  std::pair<gList, int32_t> netpoll(int64_t delay);
  bool netpollQueueTimer(int64_t delay);
  // netpoll before cf52e709 (variant lowres), and the dequeue both share.
  std::pair<gList, int32_t> netpollLowRes(int64_t delay);
  std::pair<gList, int32_t> netpollWait(int64_t delay, uint32_t wait);

  // --- os_windows.go (the parts the seed commit touches) ---
  void loadOptionalSyscalls();
  uintptr createHighResTimer();
  void initHighResTimer();
  void minit();
  void mdestroy(M* mp);

  // --- netpoll.go ---
  int32_t netpollready(gList* toRun, pollDesc* pd, int32_t mode);
  g* netpollunblock(pollDesc* pd, int32_t mode, bool ioready, int32_t* delta);
  // netpollblock up to gopark: true if a notification was already pending;
  // otherwise gp is parked on pd (netpollblockcommit), unless the pollDesc
  // is closing (and waitio is false) or the commit fails: then gpp is left
  // as it is and netpollblockResume follows at once.
  bool netpollblock(pollDesc* pd, int32_t mode, bool waitio, g* gp);
  int32_t netpollcheckerr(pollDesc* pd, int32_t mode);
  // netpollblock after gopark returns: true if woken by I/O readiness.
  bool netpollblockResume(pollDesc* pd, int32_t mode);
  // poll_runtime_pollOpen / poll_runtime_pollClose, reduced to the poller.
  std::pair<pollDesc*, int32_t> pollOpen(uintptr fd);
  void pollClose(pollDesc* pd);
  void netpollAdjustWaiters(int32_t delta);

  // --- the runtime around the poller ---
  // Go keeps g in thread-local storage: per OS thread here too, so the Ms of
  // the real backend (one OS thread each) and the simulator's fibers (the
  // scheduler sets it at every resume) both find their own.
  g* getg() const { return curg_; }
  void setg(g* gp) { curg_ = gp; }
  [[noreturn]] void throw_(absl::string_view s);  // Go's throw
  template <typename... Args>
  void println(const Args&... args);  // operands separated by spaces
  template <typename... Args>
  void print(const Args&... args);  // operands concatenated

  // Where another M may run while a goroutine parks (set by a run with
  // RuntimeConfig.gopark_switch; nothing otherwise): gopark's switch to the
  // M's scheduler, and between netpollblock's compare-and-swaps and its
  // double-wait check's load, where Ms running in parallel can act too.
  std::function<void()> goparkSwitch;
  void gopark() {
    if (goparkSwitch) goparkSwitch();
  }
  void betweenAtomics() {
    if (goparkSwitch) goparkSwitch();
  }

  // Package state. Public: the harness and tests observe it.
  Goarch goarch;
  int32_t gomaxprocs;
  const Mutant mutant;
  const Variant variant;
  uintptr _INVALID_HANDLE_VALUE;
  uintptr iocphandle;
  std::atomic<uint32_t> netpollWakeSig{0};
  std::atomic<int32_t> netpollWaiters{0};
  bool haveHighResTimer = false;
  bool haveHighResSleep = false;
  stdFunction _NtCreateWaitCompletionPacket;
  stdFunction _NtAssociateWaitCompletionPacket;
  stdFunction _NtCancelWaitCompletionPacket;

  Heap& heap() { return heap_; }
  BranchCounts branches() const;
  // What the runtime printed (println/print), one line per call.
  std::vector<std::string> printed() const;

 private:
  // Relaxed atomics: the real backend's Ms poll concurrently.
  void cover(Branch b) { branches_[static_cast<int>(b)].fetch_add(1, std::memory_order_relaxed); }
  void record_print(std::string line);

  nt::NtApi& nt_;
  Heap heap_;
  static thread_local g* curg_;
  std::array<std::atomic<uint64_t>, kBranchCount> branches_{};
  mutable absl::Mutex printed_mu_;
  std::vector<std::string> printed_ ABSL_GUARDED_BY(printed_mu_);
};

// packNetpollKey(netpollSourceBreak, nil) and (netpollSourceTimer, nil): with
// a nil pointer both layouts give the source alone. For code watching the
// port from outside the runtime.
inline constexpr uintptr kBreakKey = Runtime::netpollSourceBreak;
inline constexpr uintptr kTimerKey = Runtime::netpollSourceTimer;

// netpoll's cap on a delay, 1e15 ns (~11.5 days; netpoll_windows.go), for
// code judging or driving netpoll from outside.
inline constexpr int64_t kNetpollDelayCapNs = 1'000'000'000'000'000;

}  // namespace iocpsim::poller

#include "poller/runtime_print.h"  // print/println template bodies

#endif  // IOCPSIM_POLLER_RUNTIME_H_
