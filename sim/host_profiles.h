// Named hosts, each a whole set of the simulated kernel's rules
// (KernelConfig): the one table of them, which scenarios (host { profile })
// and the command line (--host) both read. sim/SEMANTICS.md, "Hosts", says
// where each differs and why.
#ifndef IOCPSIM_SIM_HOST_PROFILES_H_
#define IOCPSIM_SIM_HOST_PROFILES_H_

#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "sim/kernel_config.h"

namespace iocpsim::sim {

inline constexpr char kDefaultHostProfile[] = "windows";

struct HostProfile {
  const char* name;
  const char* summary;  // one line, for help
  KernelConfig kernel;  // kernel.profile is `name`
};

// Every profile, the default first.
const std::vector<HostProfile>& HostProfiles();
// Their names in that order, joined by ", ", for messages.
std::string HostProfileNames();
// The rules of the profile called `name`; an error listing the valid names
// if there is none.
absl::StatusOr<KernelConfig> HostProfileConfig(absl::string_view name);

// The host for people, on one line: the profile's name, the settings, then
// the rules where hosts differ, each with its sim/SEMANTICS.md row.
std::string DescribeHost(const KernelConfig& k);

// A host as a scenario or a command line writes it: a profile, then single
// settings changed on it. Unset members leave what is under them.
struct HostSpec {
  std::optional<std::string> profile;
  std::optional<int64_t> tick_ns;
  std::optional<int64_t> timer_resolution_ns;
  std::optional<int64_t> timer_latency_ns;
  std::optional<bool> wait_packets;
  std::optional<bool> high_res_timers;
};

// A clock setting written in milliseconds (a flag, a scenario), in ns.
inline int64_t ClockNs(double ms) { return std::llround(ms * 1e6); }

// Lays `spec` over `kernel`: its profile replaces every host rule (the
// target's pointer size and the epoch stay), then each setting it has
// replaces one. An unknown profile is an error and leaves `kernel` as it was.
absl::Status ApplyHostSpec(const HostSpec& spec, KernelConfig& kernel);

}  // namespace iocpsim::sim

#endif  // IOCPSIM_SIM_HOST_PROFILES_H_
