// The limits on what a scenario may ask for, each checked when it is loaded
// (docs/limits.md). Threads are interleaved step by step, so the cost of a
// run grows with the square of the Ms and events; these keep one run of the
// largest scenario to seconds and its fiber stacks well under the mappings
// a process may hold.
#ifndef IOCPSIM_SIM_WORKLOADS_SCENARIO_LIMITS_H_
#define IOCPSIM_SIM_WORKLOADS_SCENARIO_LIMITS_H_

#include <cstdint>

namespace iocpsim::workloads {

inline constexpr int kMaxMs = 256;
inline constexpr int kMaxSockets = 1'000;
inline constexpr int kMaxEvents = 1'000;
inline constexpr int kMaxRaces = 64;
inline constexpr int kMaxSteps = 10'000;            // step entries, all Ms together
inline constexpr int kMaxRepeat = 100'000;          // one step's repeat
inline constexpr int64_t kMaxRepeatedSteps = 1'000'000;  // sum of every step's repeat
inline constexpr int kMaxNth = 1'000'000;           // a race's nth call
inline constexpr int kMaxNameBytes = 64;            // names and labels
inline constexpr int kMaxDescriptionBytes = 1'000;
inline constexpr int kMaxGomaxprocs = 1'024;
// Durations and event times: netpoll's own cap, 1e15 ns (~11.5 days).
inline constexpr int64_t kMaxNs = 1'000'000'000'000'000;
// What one M's steps may wait in all, repeats counted (~116 days): far from
// the virtual clock's 2^62 ns ceiling.
inline constexpr int64_t kMaxPlannedNs = 10 * kMaxNs;

}  // namespace iocpsim::workloads

#endif  // IOCPSIM_SIM_WORKLOADS_SCENARIO_LIMITS_H_
