// What the simulated host is: clock rates, which optional features exist,
// where its kernel's rules differ between hosts, and the target's pointer
// size. Defaults model Windows 10 1803+ on x64; sim/host_profiles.h names
// the other hosts.
#ifndef IOCPSIM_SIM_KERNEL_CONFIG_H_
#define IOCPSIM_SIM_KERNEL_CONFIG_H_

#include <cstdint>
#include <string>
#include <vector>
#include <tuple>

namespace iocpsim::sim {

// Virtual time saturates here (~146 years) rather than overflow: a due time
// or sleep past it ends at it, as SetWaitableTimer saturates.
inline constexpr int64_t kClockCeilingNs = INT64_MAX / 2;

// The largest timer_latency_ns a flag, a scenario or a trace may set (1 s,
// the --tick_ms limit): far beyond any measured latency [S46], and small
// enough that a grid point plus it stays below the clock's ceiling.
inline constexpr int64_t kMaxTimerLatencyNs = 1'000'000'000;

// Which thread blocked on a port a new packet goes to.
enum class WaiterOrder {
  kLifo,  // the most recent waiter: Windows [S9]
  kFifo,  // the first waiter: Wine 8 [S38]
};

// Where millisecond timeouts and timer expiries land.
enum class ExpiryGrid {
  kClockTicks,  // the first tick (resolution step) at or after the due time: Windows [S10] [S17]
  kFromCall,    // the wait rounded up to whole steps, counted from the call: Wine 8 [S41]
};

// A kernel call made to fail, as a fault plan for testing the poller's
// error paths (a scenario's `fault`): the nth call of `call` in the process,
// counting every thread from start-up, fails with `error`, a Win32 error
// (the call returns FALSE or NULL and GetLastError gives it) or, for the Nt
// functions, the NTSTATUS returned. Not a host rule: ApplyHostSpec keeps it.
struct InjectedFault {
  std::string call;
  int64_t nth = 1;
  uint32_t error = 0;
  friend bool operator==(const InjectedFault& a, const InjectedFault& b) {
    return a.call == b.call && a.nth == b.nth && a.error == b.error;
  }
};

struct KernelConfig {
  // The host profile these rules started from (sim/host_profiles.h); single
  // settings may have been changed on it since.
  std::string profile = "windows";
  // System clock tick: when millisecond waits (GetQueuedCompletionStatusEx
  // timeouts) and ordinary waitable timers end. 15.625 ms by default; 1 ms
  // after timeBeginPeriod(1).
  int64_t tick_ns = 15'625'000;
  // Granularity of CREATE_WAITABLE_TIMER_HIGH_RESOLUTION timers (~0.5 ms).
  int64_t timer_resolution_ns = 500'000;
  // The most a high-resolution timer expires after its grid point [S46]:
  // each expiry is late by a latency drawn uniformly from 0..this, seeded by
  // the run (0: exactly on the grid, as traces from before S46 ran).
  int64_t timer_latency_ns = 100'000;
  // Whether tick_ns and timer_resolution_ns are a grid of the clock or steps
  // counted from each call.
  ExpiryGrid expiry_grid = ExpiryGrid::kClockTicks;
  // CREATE_WAITABLE_TIMER_HIGH_RESOLUTION is accepted (Windows 10 1803+).
  bool high_resolution_timers = true;
  // ntdll exports the wait completion packet functions (false on Wine 8).
  bool have_NtCreateWaitCompletionPacket = true;
  bool have_NtAssociateWaitCompletionPacket = true;
  bool have_NtCancelWaitCompletionPacket = true;
  // [S9] / [S38]
  WaiterOrder waiter_order = WaiterOrder::kLifo;
  // Closing a port's last handle ends the waits on it with
  // ERROR_ABANDONED_WAIT_0 [S12]; false: they go on [S39].
  bool close_abandons_waiters = true;
  // What a GetQueuedCompletionStatusEx that times out leaves in
  // *ulNumEntriesRemoved: 0 on Windows [S11], 1 on Wine 8 [S40].
  uint32_t removed_on_timeout = 0;
  // GetQueuedCompletionStatusEx with ulCount == 0 fails with
  // ERROR_INVALID_PARAMETER [S8]; true: it returns TRUE at once, removing
  // nothing, with *ulNumEntriesRemoved = 1 (Wine 8 [S43]).
  bool zero_count_succeeds = false;
  // CreateWaitableTimerExW refuses flags other than MANUAL_RESET and
  // HIGH_RESOLUTION with ERROR_INVALID_PARAMETER [S13]; true: it ignores
  // them (Wine 8 [S44]).
  bool unknown_timer_flags_ignored = false;
  // An alertable GetQueuedCompletionStatusEx takes queued entries before
  // the thread's APCs even on a port it has not used yet (Wine 8); false:
  // the APCs go first there [S35].
  bool apcs_after_entries = false;
  // The processors a port created with NumberOfConcurrentThreads 0 lets run
  // at once [S36].
  uint32_t processors = kDefaultProcessors;
  static constexpr uint32_t kDefaultProcessors = 2;
  // Ports hold their threads to their concurrency value [S36]; false: the
  // value is ignored (Wine 8).
  bool concurrency_limited = true;
  // SetWaitableTimer with fResume makes the timer a wake timer [S48]; true:
  // the flag is ignored and the call succeeds with ERROR_TIMER_RESUME_IGNORED
  // (Wine 8).
  bool wake_timers_ignored = false;
  // The target's pointer size: 8, or 4 for a 32-bit process, where handles,
  // keys and INVALID_HANDLE_VALUE are 32 bits wide.
  int ptr_size = 8;
  // The absolute time (FILETIME, 100 ns since 1601) at virtual time 0:
  // 2024-01-01T00:00:00Z. Only absolute due times use it.
  int64_t epoch_filetime = 133'485'408'000'000'000;
  // Calls made to fail (sim/kernel_faults.h).
  std::vector<InjectedFault> faults;

  // Whether Go on this host arms the per-M high-resolution timer through a
  // wait packet: os_windows.go sets haveHighResSleep when the high-resolution
  // timer is accepted and NtCreateWaitCompletionPacket exists. Oracles judge
  // the poller by what the host offers, not by what the poller decided.
  bool OffersHighResSleep() const {
    return high_resolution_timers && have_NtCreateWaitCompletionPacket;
  }

  // The host Go finds under Wine 8: no wait completion packets.
  void SetWaitPacketsAvailable(bool available) {
    have_NtCreateWaitCompletionPacket = available;
    have_NtAssociateWaitCompletionPacket = available;
    have_NtCancelWaitCompletionPacket = available;
  }

  // Every member (a new one belongs here too), to compare hosts.
  auto Tie() const {
    return std::tie(profile, tick_ns, timer_resolution_ns, timer_latency_ns, expiry_grid,
                    high_resolution_timers,
                    have_NtCreateWaitCompletionPacket, have_NtAssociateWaitCompletionPacket,
                    have_NtCancelWaitCompletionPacket, waiter_order, close_abandons_waiters,
                    removed_on_timeout, zero_count_succeeds, unknown_timer_flags_ignored,
                    apcs_after_entries, processors, concurrency_limited, wake_timers_ignored,
                    ptr_size, epoch_filetime, faults);
  }
  friend bool operator==(const KernelConfig& a, const KernelConfig& b) {
    return a.Tie() == b.Tie();
  }
  friend bool operator!=(const KernelConfig& a, const KernelConfig& b) { return !(a == b); }
};

}  // namespace iocpsim::sim

#endif  // IOCPSIM_SIM_KERNEL_CONFIG_H_
