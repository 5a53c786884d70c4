// A fiber: a stack and a saved context, switched in user space. Simulated
// threads (the Ms) run on fibers so that a kernel call's scheduling point is
// a function call, not an OS-thread handoff. x86-64 System V only.
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
  static void Main(void* self);
  void SwitchTo(void** save_sp, void* load_sp, bool leaving_for_good);

  std::function<void()> body_;
  void* stack_ = nullptr;     // mapping, including the guard page
  size_t mapping_size_ = 0;
  void* stack_bottom_ = nullptr;  // usable stack: [bottom, bottom + size)
  size_t stack_size_ = 0;
  void* sp_ = nullptr;         // the fiber's saved stack pointer
  void* caller_sp_ = nullptr;  // the scheduler's saved stack pointer
  bool finished_ = false;
  bool running_ = false;
  // Sanitizer bookkeeping (unused without sanitizers).
  void* caller_stack_bottom_ = nullptr;
  size_t caller_stack_size_ = 0;
  void* fake_stack_ = nullptr;
  void* tsan_fiber_ = nullptr;
  void* tsan_caller_ = nullptr;
};

}  // namespace iocpsim::sim

#endif  // IOCPSIM_SIM_FIBER_H_
