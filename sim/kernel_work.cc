// The simulated kernel's own work: packets moving into ports, timers firing,
// waits ending, and the queue of timed events that virtual time runs on.
// Rules cite sim/SEMANTICS.md as [Sn].
#include <algorithm>
#include <iterator>

#include "sim/kernel.h"

namespace iocpsim::sim {

void SimKernel::Schedule(int64_t at, Work w) {
  TouchKey(Footprint::kSeq);
  timed_.push(Timed{at, seq_++, w});
}

bool SimKernel::IsStale(const Work& w) const {
  switch (w.kind) {
    case Work::Kind::kFireTimer:
      return !(w.timer->armed && w.timer->generation == w.generation);
    case Work::Kind::kDeliver:
      return w.packet->state != WaitCompletionPacket::State::kInFlight;
    case Work::Kind::kWaitTimeout:
    case Work::Kind::kSleepWake:
      return w.thread->state != SimThread::State::kBlocked ||
             w.thread->wait_generation != w.generation;
  }
  return true;
}

bool SimKernel::HasReadyWork() {
  while (!ready_.empty() && IsStale(ready_.front())) ready_.pop_front();
  return !ready_.empty() || (!limited_ports_.empty() && Releasable() != nullptr);
}

const WaitCompletionPacket* SimKernel::NextReadyDelivery() {
  if (!HasReadyWork() || ready_.empty() || ready_.front().kind != Work::Kind::kDeliver) {
    return nullptr;
  }
  return ready_.front().packet;
}

void SimKernel::RunReadyWork() {
  if (!HasReadyWork()) return;
  TouchKey(Footprint::kReady);
  if (ready_.empty()) {
    TouchAll();  // which port is releasable depends on every thread's state
    // [S36] One of a limited port's running threads blocked or ended: a
    // waiter takes the first queued packet.
    IoCompletion* port = Releasable();
    Packet p = port->queue.front();
    port->queue.pop_front();
    HandOff(port, p);
    return;
  }
  Work w = ready_.front();
  ready_.pop_front();
  Run(w);
}

std::optional<int64_t> SimKernel::NextEventTime() {
  while (!timed_.empty() && IsStale(timed_.top().work)) timed_.pop();
  if (timed_.empty()) return std::nullopt;
  return timed_.top().at;
}

void SimKernel::AdvanceTo(int64_t t) {
  TouchAll();  // the clock, and every timed event falling due
  if (t > now_) {
    now_ = t;
    Emit(KernelEvent::Kind::kTimeAdvanced);
  }
  while (!timed_.empty() && timed_.top().at <= now_) {
    Work w = timed_.top().work;
    timed_.pop();
    if (!IsStale(w)) ready_.push_back(w);
  }
}

void SimKernel::Run(const Work& w) {
  switch (w.kind) {
    case Work::Kind::kFireTimer: {
      Timer* t = w.timer;
      Touch(t);
      t->armed = false;
      // [S16] one period after the expiry's grid point, so latencies [S46]
      // do not add up over the periods.
      if (t->period_ns > 0) ArmTimer(t, t->grid_at + t->period_ns);
      SignalTimer(t);
      break;
    }
    case Work::Kind::kDeliver: {
      // [S25] the end of the in-flight window: the packet reaches the port.
      WaitCompletionPacket* p = w.packet;
      Touch(p);
      p->state = WaitCompletionPacket::State::kQueued;
      QueuePacket(p->port, p->packet);
      break;
    }
    case Work::Kind::kWaitTimeout: {
      PortWait& pw = WaitOf(*w.thread);
      Touch(pw.port);
      auto& waiters = pw.port->waiters;
      waiters.erase(std::find(waiters.begin(), waiters.end(), w.thread));
      pw.error = nt::WAIT_TIMEOUT;  // [S11]
      Wake(*w.thread);
      Emit(KernelEvent::Kind::kWaitTimedOut, w.thread->id, pw.port->id);
      break;
    }
    case Work::Kind::kSleepWake:
      Wake(*w.thread);
      Emit(KernelEvent::Kind::kThreadWoken, w.thread->id);
      break;
  }
}

void SimKernel::QueuePacket(IoCompletion* port, const Packet& p) {
  Touch(port);
  // [S36] a limited port's hand-off depends on every thread's state.
  if (port->concurrency != IoCompletion::kUnlimited) TouchAll();
  if (port->closed) {
    PickedUp(p);  // [S12] a closed port takes no packets
    Emit(KernelEvent::Kind::kPacketDropped, -1, port->id, p.key, p.overlapped, SourceId(p));
    return;
  }
  // [S36] not while the port's running threads fill its concurrency value.
  if (!port->waiters.empty()) {
    if (!Throttled(*port, nullptr)) {
      HandOff(port, p);
      return;
    }
    Emit(KernelEvent::Kind::kPacketHeldBack, -1, port->id, p.key, p.overlapped, SourceId(p));
  }
  port->queue.push_back(p);  // [S7] FIFO
  Emit(KernelEvent::Kind::kPacketQueued, -1, port->id, p.key, p.overlapped, SourceId(p));
}

void SimKernel::HandOff(IoCompletion* port, const Packet& p) {
  // [S9] the most recent waiter takes the packet directly; [S38] on Wine 8
  // the first one.
  auto next = config_.waiter_order == WaiterOrder::kLifo ? std::prev(port->waiters.end())
                                                         : port->waiters.begin();
  SimThread* t = *next;
  Touch(port);
  port->waiters.erase(next);
  PortWait& w = WaitOf(*t);
  w.has_packet = true;
  w.packet = p;
  PickedUp(p);
  Wake(*t);
  Emit(KernelEvent::Kind::kPacketHandedOff, t->id, port->id, p.key, p.overlapped, SourceId(p));
}

void SimKernel::PickedUp(const Packet& p) {
  WaitCompletionPacket* w = p.from;
  Touch(w);
  if (w != nullptr && w->state == WaitCompletionPacket::State::kQueued) {
    w->state = WaitCompletionPacket::State::kIdle;  // [S23] reusable
    w->port = nullptr;
    w->target = nullptr;
  }
}

void SimKernel::ArmTimer(Timer* t, int64_t target) {
  // [S17] high-resolution timers fire on the resolution grid, others on
  // the clock tick ([S41] both counted from now on Wine 8).
  Touch(t);
  const int64_t grid = t->high_resolution ? config_.timer_resolution_ns : config_.tick_ns;
  t->grid_at = ExpiryAt(target, grid);
  t->fire_at = t->grid_at;
  // [S46] a high-resolution expiry comes a seeded latency after its grid
  // point, drawn only when there is one to draw so a host without it (and
  // every trace from before S46) runs as it did.
  if (t->high_resolution && config_.timer_latency_ns > 0) {
    TouchKey(Footprint::kLatency);
    t->fire_at += static_cast<int64_t>(
        latency_.Below(static_cast<uint64_t>(config_.timer_latency_ns) + 1));
  }
  t->armed = true;
  Emit(KernelEvent::Kind::kTimerArmed, -1, t->id, 0, 0, t->fire_at);
  Schedule(t->fire_at, Work{Work::Kind::kFireTimer, t, nullptr, nullptr, t->generation});
}

void SimKernel::SignalTimer(Timer* t) {
  Touch(t);
  t->signaled = true;
  Emit(KernelEvent::Kind::kTimerFired, -1, t->id);
  // [S22] satisfy waits in association order; an auto-reset timer [S15]
  // satisfies one and resets.
  while (t->signaled && !t->waits.empty()) {
    WaitCompletionPacket* w = t->waits.front();
    Touch(w);
    TouchKey(Footprint::kReady);
    t->waits.pop_front();
    w->state = WaitCompletionPacket::State::kInFlight;  // [S25]
    w->target = nullptr;
    ready_.push_back(Work{Work::Kind::kDeliver, nullptr, w, nullptr, 0});
    Emit(KernelEvent::Kind::kWaitSatisfied, -1, w->id, w->packet.key, w->packet.overlapped);
    if (!t->manual_reset) {
      t->signaled = false;
      Emit(KernelEvent::Kind::kTimerReset, -1, t->id);
    }
  }
  ReleaseTimerRef(t);
}

void SimKernel::ReleaseTimerRef(Timer* t) {
  // [S27] a timer lives while a handle or an associated wait refers to it.
  if (t->handles == 0 && t->waits.empty() && t->armed) {
    t->armed = false;
    ++t->generation;
  }
}

void SimKernel::DetachWaitPacket(WaitCompletionPacket* w) {
  Timer* t = w->target;
  Touch(w);
  Touch(t);
  t->waits.erase(std::find(t->waits.begin(), t->waits.end(), w));
  w->state = WaitCompletionPacket::State::kIdle;
  w->target = nullptr;
  w->port = nullptr;
  ReleaseTimerRef(t);
}

void SimKernel::RemoveQueued(WaitCompletionPacket* w) {
  Touch(w);
  Touch(w->port);
  auto& q = w->port->queue;
  q.erase(std::find_if(q.begin(), q.end(), [w](const Packet& p) { return p.from == w; }));
  Emit(KernelEvent::Kind::kPacketRemoved, CurrentId(), w->port->id, w->packet.key,
       w->packet.overlapped, static_cast<int64_t>(w->id));
  w->state = WaitCompletionPacket::State::kIdle;
  w->port = nullptr;
}

void SimKernel::LastHandleClosed(Object* obj) {
  switch (obj->type) {
    case ObjectType::kIoCompletion: {
      // [S12] waiters end with ERROR_ABANDONED_WAIT_0; queued packets go.
      // [S39] On Wine 8 the waits go on, to their timeout or for ever.
      auto* port = static_cast<IoCompletion*>(obj);
      port->closed = true;
      std::vector<SimThread*> waiters;
      if (config_.close_abandons_waiters) waiters.swap(port->waiters);
      for (auto it = waiters.rbegin(); it != waiters.rend(); ++it) {
        WaitOf(**it).error = nt::ERROR_ABANDONED_WAIT_0;
        Wake(**it);
        Emit(KernelEvent::Kind::kWaitAbandoned, (*it)->id, port->id);
      }
      std::deque<Packet> queued;
      queued.swap(port->queue);
      for (const Packet& p : queued) PickedUp(p);
      break;
    }
    case ObjectType::kTimer:
      ReleaseTimerRef(static_cast<Timer*>(obj));  // [S27]
      break;
    case ObjectType::kWaitCompletionPacket: {
      auto* w = static_cast<WaitCompletionPacket*>(obj);
      if (w->state == WaitCompletionPacket::State::kWaiting) DetachWaitPacket(w);  // [S27]
      break;
    }
    case ObjectType::kFile:
      break;
  }
}

}  // namespace iocpsim::sim
