// A verb of the iocpsim command line: its name, what it does, its usage and
// the flags it reads (shown by `iocpsim VERB --help`).
#ifndef IOCPSIM_TOOLS_VERB_H_
#define IOCPSIM_TOOLS_VERB_H_

#include <string>
#include <vector>

#include "tools/exit_codes.h"

namespace iocpsim::tools {

struct Verb {
  const char* name;
  const char* summary;      // one line, for `iocpsim help`
  const char* description;  // for `iocpsim VERB --help`
  const char* usage;        // after "iocpsim VERB"
  std::vector<const char*> flags;
  // Runs with the positional arguments after the verb; returns the exit code.
  int (*run)(const std::vector<std::string>& args);
};

const Verb& ReplayVerb();
const Verb& ShowVerb();
const Verb& ExportVerb();
const Verb& ExploreVerb();
const Verb& RunVerb();
const Verb& SleepModelVerb();
const Verb& BenchVerb();
const Verb& RegressVerb();

}  // namespace iocpsim::tools

#endif  // IOCPSIM_TOOLS_VERB_H_
