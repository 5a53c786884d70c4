// Reads a trace from bytes. Damage is reported, never crashed on: a reader
// hands out every whole event before the damage, then an error naming the
// file and the byte offset where the damage starts.
#ifndef IOCPSIM_TRACES_READER_H_
#define IOCPSIM_TRACES_READER_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/functional/function_ref.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/stubs/logging.h"
#include "proto/trace.pb.h"

namespace iocpsim::traces {

class TraceReader {
 public:
  // `name` is used in error messages (the file's path).
  TraceReader(std::string name, std::string bytes);

  // Reads the magic and the header; an error if either is wrong or the
  // trace was written by another format version.
  absl::StatusOr<trace::Header> ReadHeader();
  // The next event: true with *event set, false at a clean end of file, or
  // an error for damage (truncation, corruption) at the current offset.
  absl::StatusOr<bool> Next(trace::Event* event);
  // The same, framing the next event without parsing it (last_event()
  // holds its bytes): a damaged length is found, a damaged event is not.
  absl::StatusOr<bool> NextBytes();

  uint64_t offset() const { return pos_; }
  bool at_end() const { return pos_ >= bytes_.size(); }
  // The bytes of the event Next last read (without its length prefix).
  absl::string_view last_event() const { return last_event_; }
  // The whole input, handed over when reading is done.
  std::string TakeBytes() { return std::move(bytes_); }
  const char* bytes_data() const { return bytes_.data(); }

 private:
  absl::Status Error(uint64_t at, absl::string_view what) const;
  // A length-delimited message at pos_: its bytes, advancing pos_.
  absl::StatusOr<absl::string_view> NextMessage(absl::string_view what);

  // Our errors replace protobuf's log lines. One silencer for the reader's
  // life: one per event took a tenth of parsing (bench BM_RecordReplay).
  google::protobuf::LogSilencer quiet_;
  std::string name_;
  std::string bytes_;
  uint64_t pos_ = 0;
  absl::string_view last_event_;
};

// Reads a whole file into memory.
absl::StatusOr<std::string> ReadFileBytes(const std::string& path);

// Header and every event of a trace file, or the first error.
struct Trace {
  trace::Header header;
  std::vector<trace::Event> events;
  // Each event's bytes as the file held them (none for a Trace built in
  // memory): a replay compares its own encoding with them first. Events
  // edited in memory are written out and read again (TraceWriter::Write).
  std::string bytes;
  std::vector<std::pair<uint32_t, uint32_t>> spans;  // offset, size; per event
  absl::string_view EventBytes(size_t i) const {
    if (i >= spans.size()) return {};
    return absl::string_view(bytes).substr(spans[i].first, spans[i].second);
  }
};
absl::StatusOr<Trace> LoadTrace(const std::string& path);
// The same for bytes already in memory; `name` is used in errors.
absl::StatusOr<Trace> ParseTrace(std::string name, std::string bytes);

// What ParseTrace and TraceView::Parse share: the header into *header, each
// event into the message `slot` returns, its bytes' offset and size into
// *spans, and the input into *kept once read.
absl::Status ReadTrace(std::string name, std::string bytes, trace::Header* header,
                       std::vector<std::pair<uint32_t, uint32_t>>* spans, std::string* kept,
                       absl::FunctionRef<trace::Event*()> slot);

}  // namespace iocpsim::traces

#endif  // IOCPSIM_TRACES_READER_H_
