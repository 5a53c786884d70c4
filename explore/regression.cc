#include "explore/regression.h"

#include <memory>
#include <optional>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "explore/schedule_file.h"
#include "poller/mutant.h"
#include "poller/variant.h"
#include "sim/workloads/scenario_loader.h"

namespace iocpsim::explore {

absl::StatusOr<ScheduleOutcome> RunRegression(const RegressionCase& c) {
  Target t;
  t.host_flags = c.host;
  if (c.scenario_text.empty()) {
    t.workload = c.workload;
  } else {
    absl::StatusOr<scenario::Scenario> sc = workloads::ParseScenario(c.name, c.scenario_text);
    if (!sc.ok()) return sc.status();
    t.workload = c.name;
    t.scenario = std::make_shared<const scenario::Scenario>(*std::move(sc));
  }
  std::optional<poller::Mutant> m = poller::ParseMutant(c.mutant);
  if (!m) return absl::InvalidArgumentError(absl::StrCat("unknown mutant \"", c.mutant, "\""));
  t.host.runtime.mutant = *m;
  if (!c.poller.empty()) {
    std::optional<poller::Variant> v = poller::ParseVariant(c.poller);
    if (!v) return absl::InvalidArgumentError(absl::StrCat("unknown poller \"", c.poller, "\""));
    t.poller = *v;
  }
  absl::StatusOr<std::vector<uint32_t>> picks = ParseSchedule(c.name + " schedule", c.schedule);
  if (!picks.ok()) return picks.status();
  return RunSchedule(t, c.seed, &*picks, nullptr);
}

}  // namespace iocpsim::explore
