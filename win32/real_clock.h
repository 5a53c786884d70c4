// Time and thread identity on the real backend: a steady clock in
// nanoseconds since the process (RealProcess) started, and the recorded id of
// the calling thread (0 for set-up, 1..n for spawned threads, as in the
// simulator). The backend notes when each call starts, so a call recorded
// after it returns carries its real start time.
#ifndef IOCPSIM_WIN32_REAL_CLOCK_H_
#define IOCPSIM_WIN32_REAL_CLOCK_H_

#include <chrono>
#include <cstdint>

#include "sim/observed_nt_api.h"

namespace iocpsim::win32 {

class RealClock : public sim::CallClock {
 public:
  RealClock() : origin_(std::chrono::steady_clock::now()) {}

  // The calling OS thread's recorded id (set once by the thread's wrapper).
  static void SetThread(int id) { thread_ = id; }
  // Called by the backend as each call begins.
  void MarkCallStart() { call_start_ = Now(); }

  int CallThread() override { return thread_; }
  int64_t CallStartTime() override { return call_start_; }
  int64_t Now() override {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now() - origin_)
        .count();
  }

 private:
  const std::chrono::steady_clock::time_point origin_;
  static thread_local int thread_;
  static thread_local int64_t call_start_;
};

}  // namespace iocpsim::win32

#endif  // IOCPSIM_WIN32_REAL_CLOCK_H_
