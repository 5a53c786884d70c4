// Display names for the simulator's enums.
#include "sim/observer.h"

namespace iocpsim::sim {

const char* KernelEventName(KernelEvent::Kind k) {
  switch (k) {
    case KernelEvent::Kind::kTimeAdvanced: return "time-advanced";
    case KernelEvent::Kind::kTimerFired: return "timer-fired";
    case KernelEvent::Kind::kWaitSatisfied: return "wait-satisfied";
    case KernelEvent::Kind::kPacketQueued: return "packet-queued";
    case KernelEvent::Kind::kPacketHandedOff: return "packet-handed-off";
    case KernelEvent::Kind::kPacketDropped: return "packet-dropped";
    case KernelEvent::Kind::kWaitTimedOut: return "wait-timed-out";
    case KernelEvent::Kind::kWaitAbandoned: return "wait-abandoned";
    case KernelEvent::Kind::kWaitAlerted: return "wait-alerted";
    case KernelEvent::Kind::kPacketHeldBack: return "packet-held-back";
    case KernelEvent::Kind::kWakeTimerArmed: return "wake-timer-armed";
    case KernelEvent::Kind::kThreadWoken: return "thread-woken";
    case KernelEvent::Kind::kThreadBlocked: return "thread-blocked";
    case KernelEvent::Kind::kPacketDequeued: return "packet-dequeued";
    case KernelEvent::Kind::kPacketRemoved: return "packet-removed";
    case KernelEvent::Kind::kTimerArmed: return "timer-armed";
    case KernelEvent::Kind::kTimerReset: return "timer-reset";
  }
  return "?";
}

}  // namespace iocpsim::sim
