// The systematic search of a bundled scenario, as the search tests run it.
#ifndef IOCPSIM_TESTS_SEARCH_FIXTURE_H_
#define IOCPSIM_TESTS_SEARCH_FIXTURE_H_

#include <cstdint>
#include <cstdlib>
#include <string>

#include "explore/explorer.h"

namespace iocpsim::testing {

inline explore::Target Search(const std::string& scenario, int bound, bool force_races = true) {
  explore::Target t;
  t.workload = "tests/scenarios/" + scenario + ".textproto";
  t.strategy = explore::StrategyKind::kSystematic;
  t.preemption_bound = bound;
  t.force_races = force_races;
  return t;
}

inline explore::ExploreOptions Options(int64_t schedules = 1'000'000) {
  explore::ExploreOptions o;
  o.schedules = schedules;
  o.minimize_budget = 20;
  return o;
}

// A file in the test's scratch directory.
inline std::string TempPath(const char* name) {
  const char* dir = std::getenv("TEST_TMPDIR");
  return std::string(dir != nullptr ? dir : "/tmp") + "/" + name;
}

}  // namespace iocpsim::testing

#endif  // IOCPSIM_TESTS_SEARCH_FIXTURE_H_
