// The commands that reproduce a finding of explore, printed in its summary
// and written in its reports: each runs as printed, from the directory
// explore ran in (tests/cli_test.sh runs them).
#ifndef IOCPSIM_TOOLS_REPRO_H_
#define IOCPSIM_TOOLS_REPRO_H_

#include <string>
#include <vector>

#include "explore/explorer.h"
#include "sim/host_profiles.h"

namespace iocpsim::tools {

struct ReproCommands {
  // The schedule as explore found it: the scenario, the seed and every flag
  // that shapes the run (poller, host, strategy).
  std::string run;
  // Empty when explore wrote no files (--out_dir=''):
  std::string run_minimized;  // the minimized scenario with the saved decisions
  std::string replay;         // the trace of the schedule as found
  std::string replay_minimized;
  std::string regress;        // writes a GoogleTest case of the minimized run
};

// For finding `f` of exploring `target` (its workload a scenario path or a
// bundled workload's name).
ReproCommands CommandsFor(const explore::Target& target, const explore::Finding& f);

// The flags that give `spec` (--host=NAME, --tick_ms=MS, --timer_latency_ms=MS,
// --[no]wait_packets, --[no]high_res_timers).
std::vector<std::string> HostFlagWords(const sim::HostSpec& spec);

// The words as one command line, each quoted as ShellQuote does.
std::string ShellCommand(const std::vector<std::string>& words);

// `word` as a POSIX shell reads it back: bare when it holds nothing special,
// else in single quotes.
std::string ShellQuote(const std::string& word);

// "regress_STEM_ORACLE[_MUTANT]_test.cc": a test file name for the finding,
// in C++ identifier characters.
std::string RegressFileName(const explore::Target& target, const std::string& oracle);

}  // namespace iocpsim::tools

#endif  // IOCPSIM_TOOLS_REPRO_H_
