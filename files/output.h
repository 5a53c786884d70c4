// Writing a file the user named: never onto one of the run's inputs, and
// whole or not at all (a run that fails leaves an existing output as it was).
#ifndef IOCPSIM_FILES_OUTPUT_H_
#define IOCPSIM_FILES_OUTPUT_H_

#include <string>
#include <vector>

#include "absl/status/status.h"

namespace iocpsim::files {

// An error "FLAG: OUTPUT is the input INPUT" if output names the same file as
// one of inputs (compared by std::filesystem::equivalent, so links and other
// spellings of the same path are caught), where both exist.
absl::Status CheckNotAnInput(const std::string& flag, const std::string& output,
                             const std::vector<std::string>& inputs);

// A fresh name in the same directory as path (so a rename onto path is
// atomic) for the bytes of path until they are whole.
std::string TempPathFor(const std::string& path);

// Whether path is an existing device, pipe or terminal (/dev/stdout,
// /dev/null): written in place, since a rename would replace the device
// node itself rather than write to it.
bool WritesInPlace(const std::string& path);

// Moves the whole temporary file onto path, replacing what was there.
absl::Status CommitTemp(const std::string& temp, const std::string& path);

}  // namespace iocpsim::files

#endif  // IOCPSIM_FILES_OUTPUT_H_
