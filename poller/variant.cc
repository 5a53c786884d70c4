#include "poller/variant.h"

namespace iocpsim::poller {

const std::vector<VariantInfo>& Variants() {
  static const std::vector<VariantInfo> kVariants = {
      {Variant::kHighRes, "highres",
       "netpoll_windows.go since commit cf52e709 (Go 1.23): netpoll(delay > 0) arms the M's "
       "high-resolution timer through a wait completion packet"},
      {Variant::kLowRes, "lowres",
       "netpoll_windows.go before commit cf52e709: the wait is GetQueuedCompletionStatusEx's "
       "millisecond timeout alone, capped at 1e9 ms"},
  };
  return kVariants;
}

const char* VariantName(Variant v) {
  for (const VariantInfo& i : Variants()) {
    if (i.variant == v) return i.name;
  }
  return "?";
}

std::optional<Variant> ParseVariant(const std::string& name) {
  for (const VariantInfo& i : Variants()) {
    if (name == i.name) return i.variant;
  }
  return std::nullopt;
}

bool BranchInVariant(Branch b, Variant v) {
  if (v == Variant::kHighRes) return true;
  switch (b) {
    case Branch::kNetpollTimerSignaled:
    case Branch::kNetpollTimer:
    case Branch::kQueueTimerCancelled:
    case Branch::kQueueTimerSuccess:
    case Branch::kQueueTimerPending:
    case Branch::kQueueTimerCancelFailed:
    case Branch::kQueueTimerAlreadySignaled:
    case Branch::kNoWaitPacketFunctions:
    case Branch::kMinitWaitPacket:
    case Branch::kMinitTimerFailed:
    case Branch::kMinitPacketFailed:
    case Branch::kMdestroyWaitPacket:
      return false;
    default:
      return true;
  }
}

bool MutantInVariant(Mutant m, Variant v) {
  if (v == Variant::kHighRes) return true;
  switch (m) {
    case Mutant::kPendingFatal:
    case Mutant::kCancelledNoRearm:
    case Mutant::kCancelKeepsQueued:
      return false;
    default:
      return true;
  }
}

}  // namespace iocpsim::poller
