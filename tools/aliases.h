// The verbs that name a common use of another: `simulate` is explore of a
// bundled workload with no finding files, `record` is run of one with its
// trace written. Kept so that old command lines work; the help says what
// each stands for.
#ifndef IOCPSIM_TOOLS_ALIASES_H_
#define IOCPSIM_TOOLS_ALIASES_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace iocpsim::tools {

struct Alias {
  const char* name;
  const char* summary;   // for `iocpsim help`
  const char* expands;   // what it stands for, for `iocpsim ALIAS --help`
};

const std::vector<Alias>& Aliases();

// The command an alias's arguments stand for: the verb first, then its
// arguments. An error names a flag the alias's own spelling gets wrong.
absl::StatusOr<std::vector<std::string>> ExpandAlias(const std::string& alias,
                                                     const std::vector<std::string>& args);

}  // namespace iocpsim::tools

#endif  // IOCPSIM_TOOLS_ALIASES_H_
