// Figures published about time.Sleep on Windows, which the sleep model
// (model/sleep_model.h) is held against. docs/sleep-model.md cites each.
#ifndef IOCPSIM_MODEL_PUBLISHED_H_
#define IOCPSIM_MODEL_PUBLISHED_H_

namespace iocpsim::model {

// Commit cf52e709's message (seed 003): BenchmarkSleep-12 on an Intel
// i7-10850H, sec/op before and after, n=20.
inline constexpr double kBenchmarkSleepOldUs = 1258.5;  // ± 5%
inline constexpr double kBenchmarkSleepNewUs = 250.7;   // ± 1%
inline constexpr int kBenchmarkSleepGomaxprocs = 12;    // the "-12" suffix
inline constexpr int kBenchmarkSleepGoroutines = 1000;  // bench(1000) per op

// go.dev/issue/44343 (egonelbre, 2021-07-20): time.Sleep(1ms) on the old
// poller, p50 of an hrtime histogram.
inline constexpr double kSleep1msMedianMs = 15.4;

}  // namespace iocpsim::model

#endif  // IOCPSIM_MODEL_PUBLISHED_H_
