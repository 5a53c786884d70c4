// Prints how often each race-relevant poller branch was reached.
#ifndef IOCPSIM_TOOLS_COVERAGE_TABLE_H_
#define IOCPSIM_TOOLS_COVERAGE_TABLE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "poller/branches.h"

namespace iocpsim::tools {

struct CoverageRow {
  std::string name;
  int64_t runs = 0;         // runs reaching it
  uint64_t hits = 0;        // times taken in all
  uint64_t first_seed = 0;  // 0: not tracked
  // explore: the schedule (1-based, in the order run) first reaching it;
  // 0: not tracked.
  int64_t first_run = 0;
};

// The poller's branches (poller/branches.h) as rows.
std::vector<CoverageRow> BranchRows(const std::vector<int64_t>& runs,
                                    const std::vector<uint64_t>& hits,
                                    const std::vector<uint64_t>& first_seed);
void PrintCoverage(const std::vector<CoverageRow>& rows);
// "  paths taken: a b c" (no newline): the branches a run reached.
void PrintPathsTaken(const poller::BranchCounts& counts);

}  // namespace iocpsim::tools

#endif  // IOCPSIM_TOOLS_COVERAGE_TABLE_H_
