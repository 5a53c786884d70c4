// A verb's command line: its flags set, its positional arguments returned.
// Parsed here rather than by absl::ParseCommandLine so that a flag the verb
// does not take is an error naming the flag and the verb (not silently
// ignored), and every bad flag exits 2 like other bad input (Abseil exits 1).
#ifndef IOCPSIM_TOOLS_VERB_FLAGS_H_
#define IOCPSIM_TOOLS_VERB_FLAGS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "tools/verb.h"

namespace iocpsim::tools {

// Sets the flags in args (after the verb) that v takes, spelled --flag=value,
// --flag value, -flag, --flag and --noflag for booleans, '-' for '_'; "--"
// ends the flags. Returns the positional arguments, or "--flag: what".
absl::StatusOr<std::vector<std::string>> ParseVerbFlags(const Verb& v,
                                                        const std::vector<std::string>& args);

}  // namespace iocpsim::tools

#endif  // IOCPSIM_TOOLS_VERB_FLAGS_H_
