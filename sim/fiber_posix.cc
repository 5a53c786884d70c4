#include "sim/fiber.h"

#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <utility>
#include <vector>

#if !defined(__x86_64__)
#error "sim/fiber_posix.cc supports x86-64 only (see sim/fiber_switch_x86_64.S)"
#endif

// Which sanitizer is on: GCC says so with __SANITIZE_*__, clang (the
// fuzzers) with __has_feature. Without the annotations below ASan takes a
// fiber's stack for an overflow of the thread's.
#if defined(__SANITIZE_ADDRESS__)
#define IOCPSIM_FIBER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define IOCPSIM_FIBER_ASAN 1
#endif
#endif
#if defined(__SANITIZE_THREAD__)
#define IOCPSIM_FIBER_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define IOCPSIM_FIBER_TSAN 1
#endif
#endif
#if defined(IOCPSIM_FIBER_ASAN)
#include <sanitizer/asan_interface.h>
#include <sanitizer/common_interface_defs.h>
#endif
#if defined(IOCPSIM_FIBER_TSAN)
#include <sanitizer/tsan_interface.h>
#endif

extern "C" {
void iocpsim_fiber_switch(void** save_sp, void* load_sp);
void iocpsim_fiber_start();
}

namespace iocpsim::sim {
namespace {

[[noreturn]] void Die(const char* what) {
  std::fprintf(stderr, "iocpsim: fiber: %s\n", what);
  std::abort();
}

// Stacks of finished fibers, kept per OS thread for the next ones: mapping
// a stack and its guard page and unmapping it cost more system time than a
// whole simulated run (explore runs thousands a second). At most
// kPooledStacks are kept, so a thread holds at most that many idle stacks.
constexpr size_t kPooledStacks = 64;
struct PooledStack {
  void* mapping = nullptr;
  size_t size = 0;
};
// Set once this thread's pool is destroyed (trivially destructible, so it
// outlives the pool): a fiber destroyed after that unmaps its own stack.
thread_local bool stack_pool_gone = false;
class StackPool {
 public:
  StackPool() { stacks_.reserve(kPooledStacks); }  // Give never allocates
  ~StackPool() {
    for (const PooledStack& s : stacks_) munmap(s.mapping, s.size);
    stack_pool_gone = true;
  }
  void* Take(size_t size) {
    for (size_t i = stacks_.size(); i-- > 0;) {
      if (stacks_[i].size != size) continue;
      void* m = stacks_[i].mapping;
      stacks_[i] = stacks_.back();
      stacks_.pop_back();
      return m;
    }
    return nullptr;
  }
  // Keeps a stack for reuse; when full, makes room by unmapping the oldest
  // (so stacks of another size cannot crowd this one out for good).
  void Give(void* mapping, size_t size) {
    if (stacks_.size() >= kPooledStacks) {
      munmap(stacks_.front().mapping, stacks_.front().size);
      stacks_.erase(stacks_.begin());
    }
    stacks_.push_back({mapping, size});
  }

 private:
  std::vector<PooledStack> stacks_;
};
thread_local StackPool stack_pool;

}  // namespace

Fiber::Fiber(std::function<void()> body, size_t stack_size)
    : body_(std::move(body)) {
  const size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  stack_size_ = (stack_size + page - 1) / page * page;
  mapping_size_ = stack_size_ + page;  // one guard page below the stack
  stack_ = stack_pool_gone ? nullptr : stack_pool.Take(mapping_size_);
  if (stack_ == nullptr) {
    stack_ = mmap(nullptr, mapping_size_, PROT_READ | PROT_WRITE,
                  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (stack_ == MAP_FAILED) Die("cannot map a stack");
    if (mprotect(stack_, page, PROT_NONE) != 0) Die("cannot map a guard page");
  }
  stack_bottom_ = static_cast<char*>(stack_) + page;

  // Initial frame, popped by iocpsim_fiber_switch: MXCSR/x87 word, r15, r14,
  // r13 (entry), r12 (arg), rbx, rbp, then the return address. After the
  // `ret` into iocpsim_fiber_start the stack pointer is 16-byte aligned, so
  // its `call` gives Main the alignment the ABI promises.
  auto* top = reinterpret_cast<uint64_t*>(static_cast<char*>(stack_bottom_) + stack_size_);
  uint64_t* sp = top - 2;  // keep 16 bytes of headroom; top is 16-aligned
  *--sp = reinterpret_cast<uint64_t>(&iocpsim_fiber_start);
  *--sp = 0;                                        // rbp
  *--sp = 0;                                        // rbx
  *--sp = reinterpret_cast<uint64_t>(this);         // r12: arg
  *--sp = reinterpret_cast<uint64_t>(&Fiber::Main); // r13: entry
  *--sp = 0;                                        // r14
  *--sp = 0;                                        // r15
  uint32_t mxcsr;
  uint16_t fpucw;
  asm volatile("stmxcsr %0" : "=m"(mxcsr));
  asm volatile("fnstcw %0" : "=m"(fpucw));
  uint64_t fpstate = mxcsr | (static_cast<uint64_t>(fpucw) << 32);
  *--sp = fpstate;
  sp_ = sp;
#if defined(IOCPSIM_FIBER_TSAN)
  tsan_fiber_ = __tsan_create_fiber(0);
#endif
}

Fiber::~Fiber() {
  if (running_) Die("destroyed while running");
#if defined(IOCPSIM_FIBER_ASAN)
  // A fiber that never returns leaves its frames' redzones poisoned; a later
  // mapping at the same address must not inherit them.
  __asan_unpoison_memory_region(stack_bottom_, stack_size_);
#endif
#if defined(IOCPSIM_FIBER_TSAN)
  __tsan_destroy_fiber(tsan_fiber_);
#endif
  if (stack_pool_gone) {
    munmap(stack_, mapping_size_);
  } else {
    stack_pool.Give(stack_, mapping_size_);
  }
}

void Fiber::Resume() {
  if (finished_ || running_) Die("resume of a finished or running fiber");
  running_ = true;
#if defined(IOCPSIM_FIBER_ASAN)
  void* fake = nullptr;
  __sanitizer_start_switch_fiber(&fake, stack_bottom_, stack_size_);
#endif
#if defined(IOCPSIM_FIBER_TSAN)
  tsan_caller_ = __tsan_get_current_fiber();
  __tsan_switch_to_fiber(tsan_fiber_, 0);
#endif
  iocpsim_fiber_switch(&caller_sp_, sp_);
#if defined(IOCPSIM_FIBER_ASAN)
  __sanitizer_finish_switch_fiber(fake, nullptr, nullptr);
#endif
  running_ = false;
}

void Fiber::Suspend() { SwitchTo(&sp_, caller_sp_, /*leaving_for_good=*/false); }

void Fiber::SwitchTo(void** save_sp, void* load_sp, bool leaving_for_good) {
#if defined(IOCPSIM_FIBER_ASAN)
  // A fiber that is leaving for good passes nullptr so ASan frees its fake
  // stack.
  __sanitizer_start_switch_fiber(leaving_for_good ? nullptr : &fake_stack_,
                                 caller_stack_bottom_, caller_stack_size_);
#endif
#if defined(IOCPSIM_FIBER_TSAN)
  __tsan_switch_to_fiber(tsan_caller_, 0);
#endif
  iocpsim_fiber_switch(save_sp, load_sp);
  // Back on this fiber after a later Resume().
#if defined(IOCPSIM_FIBER_ASAN)
  __sanitizer_finish_switch_fiber(fake_stack_, const_cast<const void**>(&caller_stack_bottom_),
                                  &caller_stack_size_);
#endif
}

void Fiber::Main(void* self) {
  auto* f = static_cast<Fiber*>(self);
#if defined(IOCPSIM_FIBER_ASAN)
  __sanitizer_finish_switch_fiber(nullptr, const_cast<const void**>(&f->caller_stack_bottom_),
                                  &f->caller_stack_size_);
#endif
  try {
    f->body_();
  } catch (...) {
    Die("exception escaped a fiber body");
  }
  f->finished_ = true;
  void* dead_sp = nullptr;
  f->SwitchTo(&dead_sp, f->caller_sp_, /*leaving_for_good=*/true);
  Die("finished fiber resumed");
}

}  // namespace iocpsim::sim
