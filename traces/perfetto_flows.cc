#include "traces/perfetto_flows.h"

#include "poller/runtime.h"

namespace iocpsim::traces {
namespace {

template <typename C>
void Bound(C& c) {
  while (c.size() > FlowTracker::kMaxPending) c.erase(c.begin());
}

}  // namespace

std::vector<Flow> FlowTracker::Add(const trace::Event& e) {
  std::vector<Flow> out;
  const End here{e.time_ns(), e.thread()};
  if (e.kind_case() == trace::Event::kKernel) {
    const trace::KernelEvent& k = e.kernel();
    switch (k.kind()) {
      case trace::KernelEvent::TIMER_ARMED:
        last_armed_timer_ = k.object();  // the SetWaitableTimer call follows
        break;
      case trace::KernelEvent::TIMER_FIRED:
        last_fired_timer_ = k.object();  // its waits are satisfied next
        break;
      case trace::KernelEvent::WAIT_SATISFIED:
        if (auto it = armed_.find(last_fired_timer_); it != armed_.end()) {
          packet_armed_[k.object()] = it->second;
          Bound(packet_armed_);
        }
        break;
      case trace::KernelEvent::PACKET_DEQUEUED:
      case trace::KernelEvent::PACKET_HANDED_OFF:
        // value: the wait packet that queued it; the thread: who took it.
        if (auto it = packet_armed_.find(static_cast<uint64_t>(k.value()));
            k.value() != 0 && it != packet_armed_.end()) {
          timer_dequeues_[e.thread()].push_back(it->second);
          Bound(timer_dequeues_[e.thread()]);
          packet_armed_.erase(it);
        }
        break;
      default:
        break;
    }
    return out;
  }
  if (e.kind_case() != trace::Event::kCall) return out;
  const trace::Call& c = e.call();
  switch (c.function()) {
    case trace::Function::SET_WAITABLE_TIMER:
      if (c.args_size() > 0 && c.args(0).v_case() == trace::Value::kHandle && last_armed_timer_ != 0) {
        timer_of_handle_[c.args(0).handle()] = last_armed_timer_;
        armed_[last_armed_timer_] = here;
        Bound(timer_of_handle_);
        Bound(armed_);
      }
      last_armed_timer_ = 0;
      break;
    case trace::Function::POST_QUEUED_COMPLETION_STATUS:
      if (c.args_size() > 2 && c.args(2).raw() == poller::kBreakKey && c.result().raw() != 0) {
        if (!breaks_dequeued_.empty()) {
          out.push_back(Make("break", here, breaks_dequeued_.front()));
          breaks_dequeued_.pop_front();
        } else {
          breaks_posted_.push_back(here);
          Bound(breaks_posted_);
        }
      }
      break;
    case trace::Function::GET_QUEUED_COMPLETION_STATUS_EX:
      for (const trace::Entry& entry : c.entries()) {
        if (entry.key() == poller::kBreakKey) {
          if (!breaks_posted_.empty()) {
            out.push_back(Make("break", breaks_posted_.front(), here));
            breaks_posted_.pop_front();
          } else {
            breaks_dequeued_.push_back(here);
            Bound(breaks_dequeued_);
          }
        } else if (entry.key() == poller::kTimerKey) {
          std::deque<End>& taken = timer_dequeues_[e.thread()];
          if (!taken.empty()) {
            out.push_back(Make("timer", taken.front(), here));
            taken.pop_front();
          }
        }
      }
      break;
    default:
      break;
  }
  return out;
}

}  // namespace iocpsim::traces
