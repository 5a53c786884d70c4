#include "explore/merge.h"

namespace iocpsim::explore {

ExploreReport MergeShards(const std::vector<ExploreReport>& shards) {
  ExploreReport m = EmptyReport();
  for (const ExploreReport& r : shards) {
    if (r.runs > 0) {
      m.host = r.host;
      m.poller = r.poller;
    }
    m.runs += r.runs;
    for (const auto& [name, n] : r.outcomes) m.outcomes[name] += n;
    for (const auto& [oracle, f] : r.findings) {
      auto [it, first] = m.findings.try_emplace(oracle, f);
      if (first) continue;
      const int64_t hitting = it->second.runs_hitting + f.runs_hitting;
      if (f.at < it->second.at) it->second = f;
      it->second.runs_hitting = hitting;
    }
    for (size_t b = 0; b < r.runs_reaching.size(); ++b) {
      m.runs_reaching[b] += r.runs_reaching[b];
      m.hits[b] += r.hits[b];
    }
    m.timer_taken_runs += r.timer_taken_runs;
    m.timer_taken_hits += r.timer_taken_hits;
    m.left_queued_runs += r.left_queued_runs;
    m.left_queued_hits += r.left_queued_hits;
    for (const auto& [race, n] : r.race_runs) m.race_runs[race] += n;
    m.inapplicable_races.insert(r.inapplicable_races.begin(), r.inapplicable_races.end());
    m.early_empty += r.early_empty;
    m.interrupted |= r.interrupted;
    for (const auto& [path, reach] : r.first_reach) {
      auto [it, first] = m.first_reach.try_emplace(path, FirstReach{reach.at, 0});
      if (!first && reach.at < it->second.at) it->second.at = reach.at;
    }
    if (r.systematic) {
      if (!m.systematic) {
        m.systematic = *r.systematic;
        m.systematic->schedules = 0;
        m.systematic->discovery = 0;
        m.systematic->pruned = 0;
        m.systematic->abandoned = 0;
        m.systematic->complete = true;
      }
      m.systematic->schedules += r.systematic->schedules;
      m.systematic->discovery += r.systematic->discovery;
      m.systematic->pruned += r.systematic->pruned;
      m.systematic->abandoned += r.systematic->abandoned;
      m.systematic->complete &= r.systematic->complete;
    }
  }
  Finish(m);
  return m;
}

}  // namespace iocpsim::explore
