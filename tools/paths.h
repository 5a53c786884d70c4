// File arguments under `bazel run`, which starts tools in their runfiles.
#ifndef IOCPSIM_TOOLS_PATHS_H_
#define IOCPSIM_TOOLS_PATHS_H_

#include <cstdlib>
#include <string>

namespace iocpsim::tools {

// A relative file path named by the user, resolved against the directory
// the user ran `bazel run` from (BUILD_WORKING_DIRECTORY), when there is one.
inline std::string ResolvePath(const std::string& path) {
  const char* cwd = std::getenv("BUILD_WORKING_DIRECTORY");
  if (cwd == nullptr || path.empty() || path[0] == '/') return path;
  return std::string(cwd) + "/" + path;
}

}  // namespace iocpsim::tools

#endif  // IOCPSIM_TOOLS_PATHS_H_
