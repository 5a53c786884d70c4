// Fiber on the Win32 Fibers API: CreateFiber / SwitchToFiber
// (https://learn.microsoft.com/windows/win32/procthread/fibers). The thread
// that resumes a fiber must itself be a fiber, so the first Resume() on a
// thread converts it (ConvertThreadToFiber); it stays one.
#include "sim/fiber.h"

#include <windows.h>

#include <cstdio>
#include <cstdlib>
#include <utility>

namespace iocpsim::sim {
namespace {

[[noreturn]] void Die(const char* what) {
  std::fprintf(stderr, "iocpsim: fiber: %s (error %lu)\n", what, ::GetLastError());
  std::abort();
}

}  // namespace

Fiber::Fiber(std::function<void()> body, size_t stack_size) : body_(std::move(body)) {
  // Reserve stack_size; commit grows on demand behind a guard page.
  fiber_ = ::CreateFiberEx(0, stack_size, FIBER_FLAG_FLOAT_SWITCH, &Fiber::Main, this);
  if (fiber_ == nullptr) Die("cannot create a fiber");
}

Fiber::~Fiber() {
  if (running_) Die("destroyed while running");
  ::DeleteFiber(fiber_);
}

void Fiber::Resume() {
  if (finished_ || running_) Die("resume of a finished or running fiber");
  if (!::IsThreadAFiber() && ::ConvertThreadToFiberEx(nullptr, FIBER_FLAG_FLOAT_SWITCH) == nullptr) {
    Die("cannot convert the scheduler's thread to a fiber");
  }
  caller_ = ::GetCurrentFiber();
  running_ = true;
  ::SwitchToFiber(fiber_);
  running_ = false;
}

void Fiber::Suspend() { ::SwitchToFiber(caller_); }

void __stdcall Fiber::Main(void* self) {
  auto* f = static_cast<Fiber*>(self);
  try {
    f->body_();
  } catch (...) {
    Die("exception escaped a fiber body");
  }
  f->finished_ = true;
  // A fiber routine that returns ends its thread: switch away for good.
  ::SwitchToFiber(f->caller_);
  Die("finished fiber resumed");
}

}  // namespace iocpsim::sim
