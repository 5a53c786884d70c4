// What one `iocpsim explore` command ran and found, as its reports
// (--report JSON, --junit XML) need it: the summary's figures, per target.
#ifndef IOCPSIM_TOOLS_EXPLORE_RESULTS_H_
#define IOCPSIM_TOOLS_EXPLORE_RESULTS_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "explore/explorer.h"
#include "tools/repro.h"

namespace iocpsim::tools {

struct TargetResult {
  explore::Target target;  // the scenario path (or workload), poller, host flags, strategy
  std::string error;       // why it could not be explored (bad input); empty: it ran
  explore::ExploreReport report;
  std::map<std::string, ReproCommands> commands;  // by oracle, as report.findings
  int exit_code = 0;
};

struct ExploreResults {
  explore::ExploreOptions options;  // seeds, shard, minimizing, out_dir (jobs unused)
  std::vector<TargetResult> targets;  // in command-line order; those started
  bool interrupted = false;
  int exit_code = 0;
};

// A scripted race's (or fault's) standing in one exploration: "forced",
// "unforced" (no schedule forced it: a failure), "inapplicable" (the host
// cannot have it) or "incomplete" (interrupted before any schedule forced it).
std::string RaceStatus(const explore::ExploreReport& r, const std::string& race);

// Every scripted race (or fault) of one exploration, sorted: those reached
// or not, and those the host cannot have.
std::vector<std::string> RaceNames(const explore::ExploreReport& r);

// By poller::Branch: the runs of every target that reached it.
std::vector<int64_t> RunsReaching(const std::vector<TargetResult>& targets);

}  // namespace iocpsim::tools

#endif  // IOCPSIM_TOOLS_EXPLORE_RESULTS_H_
