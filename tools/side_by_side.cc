#include "tools/side_by_side.h"

#include <cstdio>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace iocpsim::tools {

SideBySideColumn SideBySideColumnOf(const explore::ExploreReport& r) {
  SideBySideColumn c;
  c.poller = r.poller;
  c.runs = r.runs;
  c.runs_reaching = r.runs_reaching;
  for (const auto& [oracle, finding] : r.findings) c.violations.push_back(oracle);
  c.unforced_races = static_cast<int64_t>(r.unforced_races.size());
  c.early_empty = r.early_empty;
  return c;
}

void PrintSideBySide(const std::string& target, const std::vector<SideBySideColumn>& columns) {
  std::printf("side by side, %s:\n  %-40s", target.c_str(), "runs reaching");
  for (const SideBySideColumn& c : columns) std::printf(" %12s", poller::VariantName(c.poller));
  std::printf("\n");
  for (int b = 0; b < poller::kBranchCount; ++b) {
    const auto branch = static_cast<poller::Branch>(b);
    std::printf("  %-40s", std::string(poller::BranchName(branch)).c_str());
    for (const SideBySideColumn& c : columns) {
      if (!poller::BranchInVariant(branch, c.poller)) {
        std::printf(" %12s", "-");
      } else {
        const int64_t n = b < static_cast<int>(c.runs_reaching.size()) ? c.runs_reaching[b] : 0;
        std::printf(" %12lld", static_cast<long long>(n));
      }
    }
    std::printf("\n");
  }
  auto row = [&columns](const char* name, auto value) {
    std::printf("  %-40s", name);
    for (const SideBySideColumn& c : columns) std::printf(" %12s", value(c).c_str());
    std::printf("\n");
  };
  row("schedules", [](const SideBySideColumn& c) { return absl::StrCat(c.runs); });
  row("early empty returns", [](const SideBySideColumn& c) { return absl::StrCat(c.early_empty); });
  row("unforced scripted races", [](const SideBySideColumn& c) { return absl::StrCat(c.unforced_races); });
  row("violations", [](const SideBySideColumn& c) {
    return c.violations.empty() ? std::string("none") : absl::StrCat(c.violations.size());
  });
  for (const SideBySideColumn& c : columns) {
    if (c.violations.empty()) continue;
    std::printf("  %s: %s\n", poller::VariantName(c.poller), absl::StrJoin(c.violations, ", ").c_str());
  }
  std::printf("\n");
}

}  // namespace iocpsim::tools
