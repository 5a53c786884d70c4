// Turns what a run reports (sim::Observer) into trace events. Handles become
// stable identities: 1 for the first handle the run created, 2 for the next;
// a handle value closed and handed out again gets a new identity.
#ifndef IOCPSIM_TRACES_RECORDER_H_
#define IOCPSIM_TRACES_RECORDER_H_

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "proto/trace.pb.h"
#include "sim/observer.h"
#include "traces/call_schema.h"

namespace iocpsim::traces {

class TraceRecorder : public sim::Observer {
 public:
  using EventSink = std::function<void(const trace::Event&)>;
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
  trace::Value Handle(uint64_t raw) const;
  // The call's arguments, handles as identities.
  void Args(const sim::CallRecord& c, const CallSchema& schema,
            google::protobuf::RepeatedPtrField<trace::Value>* out) const;
  trace::Value Created(uint64_t raw);
  // A scratch event of one kind, its fields cleared but its memory kept:
  // clearing a oneof frees the message in it, and recording would spend
  // most of its time in malloc and free (bench: BM_MixedWorkloadRun).
  trace::Event& Fresh(trace::Event::KindCase kind, int64_t time_ns, int thread);
  void Emit(trace::Event& e);

  EventSink sink_;
  int64_t events_ = 0;
  std::map<uint64_t, uint32_t> open_;    // raw value -> identity
  std::map<uint64_t, uint32_t> closed_;  // closed raw value -> last identity
  uint32_t next_id_ = 1;
  std::array<trace::Event, trace::Event::kThreadEnd + 1> scratch_;  // by kind
};

}  // namespace iocpsim::traces

#endif  // IOCPSIM_TRACES_RECORDER_H_
