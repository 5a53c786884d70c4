// Turns what a run reports (sim::Observer) into trace events. Handles become
// stable identities: 1 for the first handle the run created, 2 for the next;
// a handle value closed and handed out again gets a new identity.
//
// Events are encoded straight into the trace's wire format (WireEncoder):
// a consumer gets the bytes a trace file holds, and parses them only if it
// needs the message (the real-trace check, the real replay).
#ifndef IOCPSIM_TRACES_RECORDER_H_
#define IOCPSIM_TRACES_RECORDER_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "proto/trace.pb.h"
#include "sim/observer.h"
#include "traces/call_schema.h"
#include "traces/wire_encoder.h"

namespace iocpsim::traces {

// One event as recorded: valid only during the sink's call.
struct RecordedEvent {
  trace::Event::KindCase kind;
  absl::string_view message;  // a serialized trace::Event
  absl::string_view framed;   // the same after its length prefix, as in a file
};
// The event as a message, for a consumer that reads its fields.
trace::Event ToMessage(const RecordedEvent& e);

class TraceRecorder : public sim::Observer {
 public:
  using EventSink = std::function<void(const RecordedEvent&)>;
  explicit TraceRecorder(EventSink sink) : sink_(std::move(sink)) {}

  void OnThreadStart(int thread, const std::string& name, bool is_m) override;
  void OnThreadEnd(int64_t now, int thread) override;
  void OnDecision(int64_t now, absl::Span<const sim::Choice> options, size_t picked) override;
  void OnKernelEvent(int64_t now, const sim::KernelEvent& e) override;
  void OnCallStart(const sim::CallRecord& call) override;
  void OnCall(const sim::CallRecord& call) override;
  void OnNetpoll(int64_t now, const sim::NetpollReturn& r) override;
  void OnFatal(int64_t now, int thread, const std::string& message,
               const std::vector<std::string>& printed) override;
  void OnRunEnd(int64_t now, const sim::RunSummary& end) override;

  int64_t events() const { return events_; }

 private:
  // Starts an Event of `kind` and its kind's message; Emit closes both.
  size_t Start(trace::Event::KindCase kind, int64_t time_ns, int thread);
  void Emit(trace::Event::KindCase kind, size_t mark);
  // A trace::Value field: a handle as its identity, or a raw value.
  void Handle(int field, uint64_t raw);
  void Raw(int field, uint64_t raw);
  void Created(int field, uint64_t raw);
  // The call's arguments (field `field`), handles as identities.
  void Args(int field, const sim::CallRecord& c, const CallSchema& schema);

  EventSink sink_;
  WireEncoder out_;
  int64_t events_ = 0;
  // Looked up for every handle argument, never iterated.
  absl::flat_hash_map<uint64_t, uint32_t> open_;    // raw value -> identity
  absl::flat_hash_map<uint64_t, uint32_t> closed_;  // closed raw value -> last identity
  uint32_t next_id_ = 1;
};

}  // namespace iocpsim::traces

#endif  // IOCPSIM_TRACES_RECORDER_H_
