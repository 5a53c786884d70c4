#include "tools/coverage_table.h"

#include <cstdio>
#include <string>

#include "poller/branches.h"

namespace iocpsim::tools {

std::vector<CoverageRow> BranchRows(const std::vector<int64_t>& runs,
                                    const std::vector<uint64_t>& hits,
                                    const std::vector<uint64_t>& first_seed) {
  std::vector<CoverageRow> rows;
  for (int b = 0; b < poller::kBranchCount; ++b) {
    rows.push_back({std::string(poller::BranchName(static_cast<poller::Branch>(b))), runs[b],
                    hits[b], first_seed.empty() ? 0 : first_seed[b]});
  }
  return rows;
}

void PrintCoverage(const std::vector<CoverageRow>& rows) {
  std::printf("\nrace-relevant paths reached (runs reaching it, times taken%s):\n",
              rows.empty()                 ? ""
              : rows[0].first_seed != 0    ? ", first seed"
              : rows[0].first_run != 0     ? ", first schedule reaching it"
                                           : "");
  for (const CoverageRow& r : rows) {
    if (r.runs == 0) {
      std::printf("  %-40s never\n", r.name.c_str());
      continue;
    }
    std::printf("  %-40s %6lld runs %8llu times", r.name.c_str(), static_cast<long long>(r.runs),
                static_cast<unsigned long long>(r.hits));
    if (r.first_seed != 0) std::printf("  seed %llu", static_cast<unsigned long long>(r.first_seed));
    if (r.first_run != 0) std::printf("  #%lld", static_cast<long long>(r.first_run));
    std::printf("\n");
  }
}

void PrintPathsTaken(const poller::BranchCounts& counts) {
  std::printf("  paths taken:");
  for (int b = 0; b < poller::kBranchCount; ++b) {
    if (counts[b] > 0) {
      std::printf(" %s", std::string(poller::BranchName(static_cast<poller::Branch>(b))).c_str());
    }
  }
}

}  // namespace iocpsim::tools
