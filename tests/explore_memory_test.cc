// explore keeps aggregates, not schedules (issue 9): its peak memory does
// not grow with the number of schedules, and a stop request ends it early
// with a report of what ran.
#include <atomic>
#include <fstream>
#include <string>

#include "explore/explorer.h"
#include "gtest/gtest.h"

namespace iocpsim {
namespace {

// This process's peak resident memory, in KiB (Linux).
long PeakKiB() {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stol(line.substr(6));
  }
  return -1;
}

explore::Target Tiny() {
  const std::string path = ::testing::TempDir() + "/tiny.textproto";
  std::ofstream(path) << "m { name: \"a\" step { netpoll: 0 } }\n";
  explore::Target t;
  t.workload = path;
  return t;
}

TEST(ExploreMemory, PeakDoesNotGrowWithSchedules) {
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
  GTEST_SKIP() << "a sanitizer's allocator holds freed memory: peaks are not the program's";
#endif
  explore::ExploreOptions o;
  o.schedules = 3'000;
  ASSERT_TRUE(explore::Explore(Tiny(), o).ok());
  const long small = PeakKiB();
  ASSERT_GT(small, 0);
  // Twenty times the schedules: keeping ~0.5 KiB for each (as explore once
  // did) would add ~28 MiB here.
  o.schedules = 60'000;
  absl::StatusOr<explore::ExploreReport> r = explore::Explore(Tiny(), o);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->runs, 60'000);
  EXPECT_LT(PeakKiB() - small, small / 10) << "peak " << small << " KiB, then " << PeakKiB();
}

TEST(ExploreMemory, AStopRequestEndsItWithWhatRan) {
  std::atomic<int> stop{0};
  explore::ExploreOptions o;
  o.schedules = 100'000'000;
  o.stop = &stop;
  o.progress = [&](int64_t done, int64_t, int64_t) {
    if (done == 2'500) stop.store(2);
  };
  absl::StatusOr<explore::ExploreReport> r = explore::Explore(Tiny(), o);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_TRUE(r->interrupted);
  EXPECT_EQ(r->runs, 2'500);
}

}  // namespace
}  // namespace iocpsim
