#include "poller/branches.h"

namespace iocpsim::poller {

absl::string_view BranchName(Branch b) {
  switch (b) {
    case Branch::kNetpollUninitialized: return "netpoll.uninitialized";
    case Branch::kNetpollDelayCapped: return "netpoll.delay_capped";
    case Branch::kNetpollTimerSignaled: return "netpoll.timer_signaled_early_return";
    case Branch::kNetpollWaitInfinite: return "netpoll.wait_infinite";
    case Branch::kNetpollWaitZero: return "netpoll.wait_zero";
    case Branch::kNetpollWaitOneMs: return "netpoll.wait_sub_ms_rounded_to_1";
    case Branch::kNetpollWaitMs: return "netpoll.wait_ms";
    case Branch::kNetpollTimeout: return "netpoll.gqcs_timeout";
    case Branch::kNetpollFailed: return "netpoll.gqcs_failed";
    case Branch::kNetpollReady: return "netpoll.entry_ready";
    case Branch::kNetpollForeign: return "netpoll.entry_foreign_ignored";
    case Branch::kNetpollInvalidMode: return "netpoll.entry_invalid_mode";
    case Branch::kNetpollBreak: return "netpoll.entry_break";
    case Branch::kNetpollBreakForwarded: return "netpoll.break_forwarded";
    case Branch::kNetpollTimer: return "netpoll.entry_timer";
    case Branch::kNetpollInvalidKey: return "netpoll.entry_invalid_key";
    case Branch::kQueueTimerCancelled: return "queue_timer.cancel_cancelled";
    case Branch::kQueueTimerSuccess: return "queue_timer.cancel_success";
    case Branch::kQueueTimerPending: return "queue_timer.cancel_pending_fallback";
    case Branch::kQueueTimerCancelFailed: return "queue_timer.cancel_failed";
    case Branch::kQueueTimerAlreadySignaled: return "queue_timer.already_signaled";
    case Branch::kBreakPosted: return "break.posted";
    case Branch::kBreakCoalesced: return "break.coalesced";
    case Branch::kUnblockParking: return "unblock.goroutine_parking";
    case Branch::kNoWaitPacketFunctions: return "os.no_wait_packet_functions";
    case Branch::kNoHighResTimer: return "os.no_high_res_timer";
    case Branch::kMinitHighResTimer: return "minit.high_res_timer";
    case Branch::kMinitWaitPacket: return "minit.wait_packet";
    case Branch::kMinitTimerFailed: return "minit.timer_failed";
    case Branch::kMinitPacketFailed: return "minit.packet_failed";
    case Branch::kMdestroyWaitPacket: return "mdestroy.wait_packet";
    case Branch::kCount: break;
  }
  return "?";
}

absl::string_view BranchUnreachable(Branch b) {
  switch (b) {
    case Branch::kNetpollUninitialized:
      return "Go calls netpoll only once netpollinit has run (every caller checks netpollinited)";
    default:
      return "";
  }
}

}  // namespace iocpsim::poller
