// The trace file format: the magic, then varint-length-delimited Header and
// Events (proto/trace.proto). See docs/trace-format.md.
#ifndef IOCPSIM_TRACES_FORMAT_H_
#define IOCPSIM_TRACES_FORMAT_H_

#include <cstdint>

namespace iocpsim::traces {

inline constexpr char kMagic[] = "IOCPTRC\n";  // 8 bytes, no terminator written
inline constexpr int kMagicSize = 8;
// Bump when a change would make old readers misread new traces. A trace is
// written with the oldest version that describes it, so runs that need
// nothing newer stay readable by older readers, byte for byte as before.
//   1: the first.
//   2: SimHost's host rules (waiter_order, close_leaves_waiters,
//      removed_on_timeout, expiries_from_call, zero_count_succeeds,
//      unknown_timer_flags_ignored); a run on a host that differs
//      from Windows in any of them is version 2.
//   3: SimHost's fault plan (fault); a run with injected faults is version 3.
//   4: Header.poller; a run of the lowres poller is version 4.
//   5: SimHost.timer_latency_ns; a run whose high-resolution timers expire
//      late [S46] (the default host's) is version 5: an older reader would
//      replay it with none and diverge.
//   6: Function GOPARK; a run whose Ms switch at gopark (a scenario's
//      gopark_switch) is version 6.
//   7: Function QUEUE_USER_APC and KernelEvent WAIT_ALERTED; a run that
//      queues user-mode APCs (a scenario's apc events) is version 7.
inline constexpr uint32_t kFormatVersion = 7;
inline constexpr uint32_t kOldestFormatVersion = 1;
inline constexpr uint32_t kHostRulesFormatVersion = 2;  // the first with SimHost's host rules
inline constexpr uint32_t kFaultsFormatVersion = 3;     // the first with SimHost's fault plan
inline constexpr uint32_t kPollerFormatVersion = 4;     // the first with Header.poller
inline constexpr uint32_t kLatencyFormatVersion = 5;    // the first with SimHost.timer_latency_ns
inline constexpr uint32_t kGoparkFormatVersion = 6;     // the first with GOPARK calls
inline constexpr uint32_t kApcFormatVersion = 7;        // the first with QUEUE_USER_APC calls
inline constexpr char kToolVersion[] = "iocpsim 0.1.0";
// A length prefix larger than this is corruption, not a real event.
inline constexpr uint64_t kMaxMessageSize = 64 << 20;

}  // namespace iocpsim::traces

#endif  // IOCPSIM_TRACES_FORMAT_H_
