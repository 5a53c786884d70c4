#include "traces/recorder.h"

#include "poller/nt_types.h"
#include "traces/call_schema.h"

namespace iocpsim::traces {
namespace {

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
    case K::kThreadWoken: return trace::KernelEvent::THREAD_WOKEN;
    case K::kThreadBlocked: return trace::KernelEvent::THREAD_BLOCKED;
    case K::kPacketDequeued: return trace::KernelEvent::PACKET_DEQUEUED;
    case K::kPacketRemoved: return trace::KernelEvent::PACKET_REMOVED;
    case K::kTimerArmed: return trace::KernelEvent::TIMER_ARMED;
    case K::kTimerReset: return trace::KernelEvent::TIMER_RESET;
  }
  return trace::KernelEvent::TIME_ADVANCED;
}

trace::Value Raw(uint64_t v) {
  trace::Value out;
  out.set_raw(v);
  return out;
}

}  // namespace

trace::Value TraceRecorder::Handle(uint64_t raw) const {
  trace::Value v;
  if (raw == 0) {
    v.set_handle(0);
  } else if (auto it = open_.find(raw); it != open_.end()) {
    v.set_handle(it->second);
  } else if (auto jt = closed_.find(raw); jt != closed_.end()) {
    v.set_handle(jt->second);
  } else {
    v.set_raw(raw);  // never created in this run
  }
  return v;
}

trace::Value TraceRecorder::Created(uint64_t raw) {
  if (raw != 0 && open_.find(raw) == open_.end()) {
    open_[raw] = next_id_++;
    closed_.erase(raw);
  }
  return Handle(raw);
}

trace::Event& TraceRecorder::Fresh(trace::Event::KindCase kind, int64_t time_ns, int thread) {
  trace::Event& e = scratch_[kind];
  e.set_time_ns(time_ns);
  e.set_thread(thread);
  switch (kind) {
    case trace::Event::kThreadStart: e.mutable_thread_start()->Clear(); break;
    case trace::Event::kCall: e.mutable_call()->Clear(); break;
    case trace::Event::kDecision: e.mutable_decision()->Clear(); break;
    case trace::Event::kKernel: e.mutable_kernel()->Clear(); break;
    case trace::Event::kNetpoll: e.mutable_netpoll()->Clear(); break;
    case trace::Event::kFatal: e.mutable_fatal()->Clear(); break;
    case trace::Event::kEnd: e.mutable_end()->Clear(); break;
    case trace::Event::kCallStart: e.mutable_call_start()->Clear(); break;
    case trace::Event::kThreadEnd: e.mutable_thread_end()->Clear(); break;
    case trace::Event::KIND_NOT_SET: break;
  }
  return e;
}

void TraceRecorder::Emit(trace::Event& e) {
  ++events_;
  sink_(e);
}

void TraceRecorder::OnThreadStart(int thread, const std::string& name, bool is_m) {
  trace::Event& e = Fresh(trace::Event::kThreadStart, 0, thread);
  e.mutable_thread_start()->set_name(name);
  e.mutable_thread_start()->set_is_m(is_m);
  Emit(e);
}

void TraceRecorder::OnThreadEnd(int64_t now, int thread) {
  Emit(Fresh(trace::Event::kThreadEnd, now, thread));
}

void TraceRecorder::OnDecision(int64_t now, absl::Span<const sim::Choice> options,
                               size_t picked) {
  trace::Event& e = Fresh(trace::Event::kDecision, now, 0);
  trace::Decision* d = e.mutable_decision();
  for (const sim::Choice& c : options) {
    trace::Option* o = d->add_options();
    o->set_kind(OptionKind(c.kind));
    o->set_thread(c.thread < 0 ? 0 : c.thread);
  }
  d->set_picked(static_cast<uint32_t>(picked));
  Emit(e);
}

void TraceRecorder::OnKernelEvent(int64_t now, const sim::KernelEvent& e) {
  trace::Event& out = Fresh(trace::Event::kKernel, now, e.thread < 0 ? 0 : e.thread);
  trace::KernelEvent* k = out.mutable_kernel();
  k->set_kind(EventKind(e.kind));
  k->set_object(e.object);
  k->set_key(e.key);
  k->set_overlapped(e.overlapped);
  k->set_value(e.value);
  Emit(out);
}

void TraceRecorder::Args(const sim::CallRecord& c, const CallSchema& schema,
                         google::protobuf::RepeatedPtrField<trace::Value>* out) const {
  for (size_t i = 0; i < c.args.size(); ++i) {
    bool is_handle = false;
    for (int h : schema.handle_args) is_handle |= static_cast<size_t>(h) == i;
    trace::Value* v = out->Add();
    if (is_handle) {
      *v = Handle(c.args[i]);
    } else {
      v->set_raw(c.args[i]);
    }
  }
}

void TraceRecorder::OnCallStart(const sim::CallRecord& c) {
  const CallSchema* schema = SchemaByName(c.name);
  if (schema == nullptr) return;
  trace::Event& e = Fresh(trace::Event::kCallStart, c.start_ns, c.thread);
  trace::CallStart* start = e.mutable_call_start();
  start->set_function(schema->function);
  Args(c, *schema, start->mutable_args());
  Emit(e);
}

void TraceRecorder::OnCall(const sim::CallRecord& c) {
  const CallSchema* schema = SchemaByName(c.name);
  if (schema == nullptr) return;
  trace::Event& e = Fresh(trace::Event::kCall, c.end_ns, c.thread);
  trace::Call* call = e.mutable_call();
  call->set_function(schema->function);
  call->set_start_ns(c.start_ns);
  call->set_last_error(c.last_error);
  Args(c, *schema, call->mutable_args());
  *call->mutable_result() = schema->result_is_handle ? Created(c.result) : Raw(c.result);
  for (size_t i = 0; i < c.outs.size(); ++i) {
    const bool created = schema->out_is_handle && i == 0 && c.result == nt::STATUS_SUCCESS;
    *call->add_outs() = created ? Created(c.outs[i]) : Raw(c.outs[i]);
  }
  for (const nt::OverlappedEntry& entry : c.entries) {
    trace::Entry* out = call->add_entries();
    out->set_key(entry.lpCompletionKey);
    out->set_overlapped(entry.lpOverlapped);
    out->set_internal(entry.Internal);
    out->set_bytes(entry.dwNumberOfBytesTransferred);
  }
  Emit(e);
  if (schema->function == trace::Function::CLOSE_HANDLE && c.result != 0) {
    if (auto it = open_.find(c.args[0]); it != open_.end()) {
      closed_[it->first] = it->second;
      open_.erase(it);
    }
  }
}

void TraceRecorder::OnNetpoll(int64_t now, const sim::NetpollReturn& r) {
  trace::Event& e = Fresh(trace::Event::kNetpoll, now, r.thread);
  trace::NetpollReturn* n = e.mutable_netpoll();
  n->set_delay(r.delay);
  n->set_goroutines(r.goroutines);
  n->set_delta(r.delta);
  Emit(e);
}

void TraceRecorder::OnFatal(int64_t now, int thread, const std::string& message,
                            const std::vector<std::string>& printed) {
  trace::Event& e = Fresh(trace::Event::kFatal, now, thread);
  trace::Fatal* f = e.mutable_fatal();
  f->set_message(message);
  for (const std::string& p : printed) f->add_printed(p);
  Emit(e);
}

void TraceRecorder::OnRunEnd(int64_t now, const sim::RunSummary& end) {
  trace::Event& out = Fresh(trace::Event::kEnd, now, 0);
  trace::RunEnd* e = out.mutable_end();
  e->set_outcome(end.outcome);
  e->set_steps(end.steps);
  e->set_decisions(end.decisions);
  e->set_reason(end.reason);
  Emit(out);
}

}  // namespace iocpsim::traces
