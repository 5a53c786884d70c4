#include "tools/explore_results.h"

#include <algorithm>
#include <set>

namespace iocpsim::tools {

std::string RaceStatus(const explore::ExploreReport& r, const std::string& race) {
  if (r.inapplicable_races.count(race) > 0) return "inapplicable";
  auto forced = r.race_runs.find(race);
  if (forced != r.race_runs.end() && forced->second > 0) return "forced";
  if (std::find(r.unforced_races.begin(), r.unforced_races.end(), race) != r.unforced_races.end()) {
    return "unforced";
  }
  return "incomplete";
}

std::vector<std::string> RaceNames(const explore::ExploreReport& r) {
  std::set<std::string> names(r.inapplicable_races.begin(), r.inapplicable_races.end());
  for (const auto& [race, runs] : r.race_runs) names.insert(race);
  return {names.begin(), names.end()};
}

std::vector<int64_t> RunsReaching(const std::vector<TargetResult>& targets) {
  std::vector<int64_t> reached(poller::kBranchCount, 0);
  for (const TargetResult& t : targets) {
    for (size_t b = 0; b < reached.size() && b < t.report.runs_reaching.size(); ++b) {
      reached[b] += t.report.runs_reaching[b];
    }
  }
  return reached;
}

}  // namespace iocpsim::tools
