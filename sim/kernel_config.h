// What the simulated host is: clock rates, which optional features exist,
// and the target's pointer size. Defaults model Windows 10 1803+ on x64.
#ifndef IOCPSIM_SIM_KERNEL_CONFIG_H_
#define IOCPSIM_SIM_KERNEL_CONFIG_H_

#include <cstdint>

namespace iocpsim::sim {

struct KernelConfig {
  // System clock tick: when millisecond waits (GetQueuedCompletionStatusEx
  // timeouts) and ordinary waitable timers end. 15.625 ms by default; 1 ms
  // after timeBeginPeriod(1).
  int64_t tick_ns = 15'625'000;
  // Granularity of CREATE_WAITABLE_TIMER_HIGH_RESOLUTION timers (~0.5 ms).
  int64_t timer_resolution_ns = 500'000;
  // CREATE_WAITABLE_TIMER_HIGH_RESOLUTION is accepted (Windows 10 1803+).
  bool high_resolution_timers = true;
  // ntdll exports the wait completion packet functions (false on Wine 8).
  bool have_NtCreateWaitCompletionPacket = true;
  bool have_NtAssociateWaitCompletionPacket = true;
  bool have_NtCancelWaitCompletionPacket = true;
  // The target's pointer size: 8, or 4 for a 32-bit process, where handles,
  // keys and INVALID_HANDLE_VALUE are 32 bits wide.
  int ptr_size = 8;
  // The absolute time (FILETIME, 100 ns since 1601) at virtual time 0:
  // 2024-01-01T00:00:00Z. Only absolute due times use it.
  int64_t epoch_filetime = 133'485'408'000'000'000;

  // The host Go finds under Wine 8: no wait completion packets.
  void SetWaitPacketsAvailable(bool available) {
    have_NtCreateWaitCompletionPacket = available;
    have_NtAssociateWaitCompletionPacket = available;
    have_NtCancelWaitCompletionPacket = available;
  }
};

}  // namespace iocpsim::sim

#endif  // IOCPSIM_SIM_KERNEL_CONFIG_H_
