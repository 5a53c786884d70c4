// explore --poller=highres,lowres: one scenario's exploration with each
// version of Go's poller, printed as columns.
#ifndef IOCPSIM_TOOLS_SIDE_BY_SIDE_H_
#define IOCPSIM_TOOLS_SIDE_BY_SIDE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "explore/explorer.h"

namespace iocpsim::tools {

struct SideBySideColumn {
  poller::Variant poller = poller::Variant::kHighRes;
  int64_t runs = 0;
  std::vector<int64_t> runs_reaching;  // by poller::Branch
  std::vector<std::string> violations;  // the oracles that fired
  int64_t unforced_races = 0;
  int64_t early_empty = 0;
};

SideBySideColumn SideBySideColumnOf(const explore::ExploreReport& r);
// The branches of either variant with the runs reaching each ("-" where a
// variant has no such branch), then the violations.
void PrintSideBySide(const std::string& target, const std::vector<SideBySideColumn>& columns);

}  // namespace iocpsim::tools

#endif  // IOCPSIM_TOOLS_SIDE_BY_SIDE_H_
