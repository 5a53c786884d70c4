// The versions of netpoll_windows.go the port can run: today's, and the one
// before commit cf52e709 (CL 488675, released in Go 1.23) gave it the per-M
// high-resolution timer.
// Mutants (poller/mutant.h) are bugs; variants are Go's own history.
#ifndef IOCPSIM_POLLER_VARIANT_H_
#define IOCPSIM_POLLER_VARIANT_H_

#include <optional>
#include <string>
#include <vector>

#include "poller/branches.h"
#include "poller/mutant.h"

namespace iocpsim::poller {

enum class Variant {
  kHighRes,  // since cf52e709: a wait completion packet on a high-resolution timer
  kLowRes,   // before cf52e709: GetQueuedCompletionStatusEx's millisecond timeout alone
};

struct VariantInfo {
  Variant variant;
  const char* name;
  const char* description;
};

const std::vector<VariantInfo>& Variants();  // the default first
const char* VariantName(Variant v);
std::optional<Variant> ParseVariant(const std::string& name);

// Whether branch b exists in variant v's source: the lowres poller has no
// netpollQueueTimer, no netpollSourceTimer case and no wait-packet set-up.
bool BranchInVariant(Branch b, Variant v);
// Whether mutant m changes a line variant v has (the lowres poller has no
// netpollQueueTimer to mutate).
bool MutantInVariant(Mutant m, Variant v);

}  // namespace iocpsim::poller

#endif  // IOCPSIM_POLLER_VARIANT_H_
