// Reads a trace from bytes. Damage is reported, never crashed on: a reader
// hands out every whole event before the damage, then an error naming the
// file and the byte offset where the damage starts.
#ifndef IOCPSIM_TRACES_READER_H_
#define IOCPSIM_TRACES_READER_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
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

  uint64_t offset() const { return pos_; }

 private:
  absl::Status Error(uint64_t at, absl::string_view what) const;
  // A length-delimited message at pos_: its bytes, advancing pos_.
  absl::StatusOr<absl::string_view> NextMessage(absl::string_view what);

  std::string name_;
  std::string bytes_;
  uint64_t pos_ = 0;
};

// Reads a whole file into memory.
absl::StatusOr<std::string> ReadFileBytes(const std::string& path);

// Header and every event of a trace file, or the first error.
struct Trace {
  trace::Header header;
  std::vector<trace::Event> events;
};
absl::StatusOr<Trace> LoadTrace(const std::string& path);
// The same for bytes already in memory; `name` is used in errors.
absl::StatusOr<Trace> ParseTrace(std::string name, std::string bytes);

}  // namespace iocpsim::traces

#endif  // IOCPSIM_TRACES_READER_H_
