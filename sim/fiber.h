// A fiber: a stack and a saved context, switched in user space. Simulated
// threads (the Ms) run on fibers so that a kernel call's scheduling point is
// a function call, not an OS-thread handoff. Two implementations with one
// contract: fiber_posix.cc (x86-64 System V, a hand-written switch) and
// fiber_win32.cc (the Win32 Fibers API).
#ifndef IOCPSIM_SIM_FIBER_H_
#define IOCPSIM_SIM_FIBER_H_

#include <cstddef>
#include <functional>

namespace iocpsim::sim {

class Fiber {
 public:
  // body runs on the fiber's own stack at the first Resume(). It must not
  // let an exception escape (the process aborts if one does).
  Fiber(std::function<void()> body, size_t stack_size = 256 * 1024);
  ~Fiber();
  Fiber(const Fiber&) = delete;
  Fiber& operator=(const Fiber&) = delete;

  // From the scheduler: runs the fiber until it calls Suspend() or its body
  // returns. Must not be called on a finished fiber.
  void Resume();
  // From inside the fiber: returns control to Resume()'s caller.
  void Suspend();

  bool finished() const { return finished_; }

 private:
  std::function<void()> body_;
  bool finished_ = false;
  bool running_ = false;
#if defined(_WIN32)
  static void __stdcall Main(void* self);

  void* fiber_ = nullptr;   // CreateFiber's handle
  void* caller_ = nullptr;  // the fiber that resumed this one
#else
  static void Main(void* self);
  void SwitchTo(void** save_sp, void* load_sp, bool leaving_for_good);

  void* stack_ = nullptr;     // mapping, including the guard page
  size_t mapping_size_ = 0;
  void* stack_bottom_ = nullptr;  // usable stack: [bottom, bottom + size)
  size_t stack_size_ = 0;
  void* sp_ = nullptr;         // the fiber's saved stack pointer
  void* caller_sp_ = nullptr;  // the scheduler's saved stack pointer
  // Sanitizer bookkeeping (unused without sanitizers).
  void* caller_stack_bottom_ = nullptr;
  size_t caller_stack_size_ = 0;
  void* fake_stack_ = nullptr;
  void* tsan_fiber_ = nullptr;
  void* tsan_caller_ = nullptr;
#endif
};

}  // namespace iocpsim::sim

#endif  // IOCPSIM_SIM_FIBER_H_
