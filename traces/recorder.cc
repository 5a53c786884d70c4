#include "traces/recorder.h"

#include "poller/nt_types.h"
#include "traces/call_schema.h"

namespace iocpsim::traces {
namespace {

using trace::Event;

trace::Option::Kind OptionKind(sim::Choice::Kind k) {
  switch (k) {
    case sim::Choice::Kind::kThread: return trace::Option::THREAD;
    case sim::Choice::Kind::kKernel: return trace::Option::KERNEL;
    case sim::Choice::Kind::kAdvance: return trace::Option::ADVANCE;
  }
  return trace::Option::THREAD;
}

trace::KernelEvent::Kind EventKind(sim::KernelEvent::Kind k) {
  using K = sim::KernelEvent::Kind;
  switch (k) {
    case K::kTimeAdvanced: return trace::KernelEvent::TIME_ADVANCED;
    case K::kTimerFired: return trace::KernelEvent::TIMER_FIRED;
    case K::kWaitSatisfied: return trace::KernelEvent::WAIT_SATISFIED;
    case K::kPacketQueued: return trace::KernelEvent::PACKET_QUEUED;
    case K::kPacketHandedOff: return trace::KernelEvent::PACKET_HANDED_OFF;
    case K::kPacketDropped: return trace::KernelEvent::PACKET_DROPPED;
    case K::kWaitTimedOut: return trace::KernelEvent::WAIT_TIMED_OUT;
    case K::kWaitAbandoned: return trace::KernelEvent::WAIT_ABANDONED;
    case K::kWaitAlerted: return trace::KernelEvent::WAIT_ALERTED;
    case K::kPacketHeldBack: return trace::KernelEvent::PACKET_HELD_BACK;
    case K::kWakeTimerArmed: return trace::KernelEvent::WAKE_TIMER_ARMED;
    case K::kThreadWoken: return trace::KernelEvent::THREAD_WOKEN;
    case K::kThreadBlocked: return trace::KernelEvent::THREAD_BLOCKED;
    case K::kPacketDequeued: return trace::KernelEvent::PACKET_DEQUEUED;
    case K::kPacketRemoved: return trace::KernelEvent::PACKET_REMOVED;
    case K::kTimerArmed: return trace::KernelEvent::TIMER_ARMED;
    case K::kTimerReset: return trace::KernelEvent::TIMER_RESET;
  }
  return trace::KernelEvent::TIME_ADVANCED;
}

}  // namespace

trace::Event ToMessage(const RecordedEvent& e) {
  trace::Event m;
  // The recorder's own bytes: they parse.
  (void)m.ParseFromArray(e.message.data(), static_cast<int>(e.message.size()));
  return m;
}

size_t TraceRecorder::Start(Event::KindCase kind, int64_t time_ns, int thread) {
  out_.Clear();
  out_.Int(Event::kTimeNsFieldNumber, time_ns);
  out_.Int(Event::kThreadFieldNumber, thread);
  // The kind's field number is its oneof case (proto/trace.proto).
  return out_.Begin(static_cast<int>(kind));
}

void TraceRecorder::Emit(Event::KindCase kind, size_t mark) {
  out_.End(mark);
  ++events_;
  const absl::string_view message = out_.message();
  sink_(RecordedEvent{kind, message, out_.Framed()});
}

void TraceRecorder::Raw(int field, uint64_t raw) {
  const size_t v = out_.Begin(field);
  out_.Varint(trace::Value::kRawFieldNumber, raw, /*present=*/true);
  out_.End(v);
}

void TraceRecorder::Handle(int field, uint64_t raw) {
  uint64_t id = 0;
  if (raw == 0) {
    id = 0;
  } else if (auto it = open_.find(raw); it != open_.end()) {
    id = it->second;
  } else if (auto jt = closed_.find(raw); jt != closed_.end()) {
    id = jt->second;
  } else {
    Raw(field, raw);  // never created in this run
    return;
  }
  const size_t v = out_.Begin(field);
  out_.Varint(trace::Value::kHandleFieldNumber, id, /*present=*/true);
  out_.End(v);
}

void TraceRecorder::Created(int field, uint64_t raw) {
  if (raw != 0 && open_.find(raw) == open_.end()) {
    open_[raw] = next_id_++;
    closed_.erase(raw);
  }
  Handle(field, raw);
}

void TraceRecorder::OnThreadStart(int thread, const std::string& name, bool is_m) {
  const size_t m = Start(Event::kThreadStart, 0, thread);
  out_.String(trace::ThreadStart::kNameFieldNumber, name);
  out_.Varint(trace::ThreadStart::kIsMFieldNumber, is_m);
  Emit(Event::kThreadStart, m);
}

void TraceRecorder::OnThreadEnd(int64_t now, int thread) {
  Emit(Event::kThreadEnd, Start(Event::kThreadEnd, now, thread));
}

void TraceRecorder::OnDecision(int64_t now, absl::Span<const sim::Choice> options,
                               size_t picked) {
  const size_t m = Start(Event::kDecision, now, 0);
  for (const sim::Choice& c : options) {
    const size_t o = out_.Begin(trace::Decision::kOptionsFieldNumber);
    out_.Varint(trace::Option::kKindFieldNumber, OptionKind(c.kind));
    out_.Int(trace::Option::kThreadFieldNumber, c.thread < 0 ? 0 : c.thread);
    out_.End(o);
  }
  out_.Varint(trace::Decision::kPickedFieldNumber, static_cast<uint32_t>(picked));
  Emit(Event::kDecision, m);
}

void TraceRecorder::OnKernelEvent(int64_t now, const sim::KernelEvent& e) {
  const size_t m = Start(Event::kKernel, now, e.thread < 0 ? 0 : e.thread);
  out_.Varint(trace::KernelEvent::kKindFieldNumber, EventKind(e.kind));
  out_.Varint(trace::KernelEvent::kObjectFieldNumber, e.object);
  out_.Varint(trace::KernelEvent::kKeyFieldNumber, e.key);
  out_.Varint(trace::KernelEvent::kOverlappedFieldNumber, e.overlapped);
  out_.Int(trace::KernelEvent::kValueFieldNumber, e.value);
  Emit(Event::kKernel, m);
}

void TraceRecorder::Args(int field, const sim::CallRecord& c, const CallSchema& schema) {
  for (size_t i = 0; i < c.args.size(); ++i) {
    bool is_handle = false;
    for (int h : schema.handle_args) is_handle |= static_cast<size_t>(h) == i;
    if (is_handle) {
      Handle(field, c.args[i]);
    } else {
      Raw(field, c.args[i]);
    }
  }
}

void TraceRecorder::OnCallStart(const sim::CallRecord& c) {
  const CallSchema* schema = SchemaByName(c.name);
  if (schema == nullptr) return;
  const size_t m = Start(Event::kCallStart, c.start_ns, c.thread);
  out_.Varint(trace::CallStart::kFunctionFieldNumber, schema->function);
  Args(trace::CallStart::kArgsFieldNumber, c, *schema);
  Emit(Event::kCallStart, m);
}

void TraceRecorder::OnCall(const sim::CallRecord& c) {
  const CallSchema* schema = SchemaByName(c.name);
  if (schema == nullptr) return;
  const size_t m = Start(Event::kCall, c.end_ns, c.thread);
  out_.Varint(trace::Call::kFunctionFieldNumber, schema->function);
  Args(trace::Call::kArgsFieldNumber, c, *schema);
  if (schema->result_is_handle) {
    Created(trace::Call::kResultFieldNumber, c.result);
  } else {
    Raw(trace::Call::kResultFieldNumber, c.result);
  }
  for (size_t i = 0; i < c.outs.size(); ++i) {
    if (schema->out_is_handle && i == 0 && c.result == nt::STATUS_SUCCESS) {
      Created(trace::Call::kOutsFieldNumber, c.outs[i]);
    } else {
      Raw(trace::Call::kOutsFieldNumber, c.outs[i]);
    }
  }
  for (const nt::OverlappedEntry& entry : c.entries) {
    const size_t n = out_.Begin(trace::Call::kEntriesFieldNumber);
    out_.Varint(trace::Entry::kKeyFieldNumber, entry.lpCompletionKey);
    out_.Varint(trace::Entry::kOverlappedFieldNumber, entry.lpOverlapped);
    out_.Varint(trace::Entry::kInternalFieldNumber, entry.Internal);
    out_.Varint(trace::Entry::kBytesFieldNumber, entry.dwNumberOfBytesTransferred);
    out_.End(n);
  }
  out_.Varint(trace::Call::kLastErrorFieldNumber, c.last_error);
  out_.Int(trace::Call::kStartNsFieldNumber, c.start_ns);
  Emit(Event::kCall, m);
  if (schema->function == trace::Function::CLOSE_HANDLE && c.result != 0) {
    if (auto it = open_.find(c.args[0]); it != open_.end()) {
      closed_[it->first] = it->second;
      open_.erase(it);
    }
  }
}

void TraceRecorder::OnNetpoll(int64_t now, const sim::NetpollReturn& r) {
  const size_t m = Start(Event::kNetpoll, now, r.thread);
  out_.Int(trace::NetpollReturn::kDelayFieldNumber, r.delay);
  out_.Int(trace::NetpollReturn::kGoroutinesFieldNumber, r.goroutines);
  out_.Int(trace::NetpollReturn::kDeltaFieldNumber, r.delta);
  Emit(Event::kNetpoll, m);
}

void TraceRecorder::OnFatal(int64_t now, int thread, const std::string& message,
                            const std::vector<std::string>& printed) {
  const size_t m = Start(Event::kFatal, now, thread);
  out_.String(trace::Fatal::kMessageFieldNumber, message);
  for (const std::string& p : printed) out_.String(trace::Fatal::kPrintedFieldNumber, p, /*present=*/true);
  Emit(Event::kFatal, m);
}

void TraceRecorder::OnRunEnd(int64_t now, const sim::RunSummary& end) {
  const size_t m = Start(Event::kEnd, now, 0);
  out_.String(trace::RunEnd::kOutcomeFieldNumber, end.outcome);
  out_.Int(trace::RunEnd::kStepsFieldNumber, end.steps);
  out_.Int(trace::RunEnd::kDecisionsFieldNumber, end.decisions);
  out_.String(trace::RunEnd::kReasonFieldNumber, end.reason);
  Emit(Event::kEnd, m);
}

}  // namespace iocpsim::traces
