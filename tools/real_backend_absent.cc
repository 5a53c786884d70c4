// The Linux build of iocpsim has only the simulated kernel.
#include <cstdio>

#include "tools/exit_codes.h"
#include "tools/real_backend.h"

namespace iocpsim::tools {
namespace {

constexpr char kWhere[] =
    "--backend=real runs on Windows (or Wine): use iocpsim.exe, built with "
    "`bazel build --config=mingw //tools:iocpsim`";

}  // namespace

int RunOnRealBackend(const std::string&, uint64_t, const std::string&,
                     std::optional<poller::Variant>) {
  std::fprintf(stderr, "iocpsim run: %s\n", kWhere);
  return kExitBadInput;
}

absl::StatusOr<traces::ReplayReport> ReplayOnRealBackend(const traces::Trace&,
                                                         const traces::ReplayOptions&) {
  return absl::UnimplementedError(kWhere);
}

}  // namespace iocpsim::tools
