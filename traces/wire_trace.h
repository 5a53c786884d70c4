// A trace read only as far as its framing: the header parsed, each event's
// bytes located, no event parsed. A replay parses the few events that drive
// it and reads the rest off the wire (ScanEvent, ScanDecision): parsing every
// event into messages was half of a replay's time (bench BM_RecordReplay).
//
// The scanners read the encoding traces/wire_encoder.h writes (protobuf's:
// fields in number order, defaults left out) and give up (nullopt) on any
// other; they never misread it. A replay from the wire succeeds only when
// every event it re-records equals the file's bytes, so an event another
// writer encoded differently sends the replay to protobuf's parser
// (traces/replayer.h), never to a wrong answer.
#ifndef IOCPSIM_TRACES_WIRE_TRACE_H_
#define IOCPSIM_TRACES_WIRE_TRACE_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "proto/trace.pb.h"

namespace iocpsim::traces {

class WireTrace {
 public:
  // Reads the header and frames the events. Damage to the framing gets
  // ParseTrace's error for the same bytes (found by parsing them); an event
  // that does not parse is found by the replay, whose answer is then the
  // parsed trace's.
  static absl::StatusOr<WireTrace> Read(std::string name, std::string bytes);

  const std::string& name() const { return name_; }
  const std::string& bytes() const { return bytes_; }
  const trace::Header& header() const { return header_; }
  size_t size() const { return spans_.size(); }
  bool empty() const { return spans_.empty(); }
  absl::string_view EventBytes(size_t i) const {
    return absl::string_view(bytes_).substr(spans_[i].first, spans_[i].second);
  }

 private:
  std::string name_;
  std::string bytes_;
  trace::Header header_;
  std::vector<std::pair<uint32_t, uint32_t>> spans_;  // offset, size; per event
};

// An event's top level: time, thread, which kind, and that kind's bytes.
struct ScannedEvent {
  int64_t time_ns = 0;
  int32_t thread = 0;
  trace::Event::KindCase kind = trace::Event::KIND_NOT_SET;
  absl::string_view body;
};
std::optional<ScannedEvent> ScanEvent(absl::string_view event);

// A scheduling decision: how many options, which was picked, and (when the
// pick is one of them) that option.
struct ScannedDecision {
  uint32_t options = 0;
  uint32_t picked = 0;
  trace::Option::Kind picked_kind = trace::Option::THREAD;
  int32_t picked_thread = 0;
};
std::optional<ScannedDecision> ScanDecision(absl::string_view body);

}  // namespace iocpsim::traces

#endif  // IOCPSIM_TRACES_WIRE_TRACE_H_
