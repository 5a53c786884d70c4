#include "traces/reader.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <utility>

#include "absl/strings/str_cat.h"
#include "files/read.h"
#include "google/protobuf/stubs/logging.h"
#include "traces/format.h"

namespace iocpsim::traces {

TraceReader::TraceReader(std::string name, std::string bytes)
    : name_(std::move(name)), bytes_(std::move(bytes)) {}

absl::Status TraceReader::Error(uint64_t at, absl::string_view what) const {
  return absl::DataLossError(absl::StrCat(name_, ": byte offset ", at, ": ", what));
}

absl::StatusOr<absl::string_view> TraceReader::NextMessage(absl::string_view what) {
  const uint64_t start = pos_;
  uint64_t len = 0;
  int shift = 0;
  uint64_t p = pos_;
  while (true) {
    if (p >= bytes_.size()) {
      return Error(start, absl::StrCat("truncated ", what, " (length prefix cut off)"));
    }
    const uint8_t b = static_cast<uint8_t>(bytes_[p++]);
    len |= static_cast<uint64_t>(b & 0x7F) << shift;
    if ((b & 0x80) == 0) break;
    shift += 7;
    if (shift > 28) return Error(start, absl::StrCat("corrupt ", what, " (bad length prefix)"));
  }
  if (len > kMaxMessageSize) {
    return Error(start, absl::StrCat("corrupt ", what, " (length ", len, " is implausible)"));
  }
  if (len > bytes_.size() - p) {
    return Error(start, absl::StrCat("truncated ", what, " (", len, " bytes announced, ",
                                     bytes_.size() - p, " remain)"));
  }
  pos_ = p + len;
  return absl::string_view(bytes_).substr(p, len);
}

absl::StatusOr<trace::Header> TraceReader::ReadHeader() {
  if (bytes_.size() < static_cast<size_t>(kMagicSize) ||
      bytes_.compare(0, kMagicSize, kMagic, kMagicSize) != 0) {
    return Error(0, "not an iocpsim trace (the file does not start with \"IOCPTRC\")");
  }
  pos_ = kMagicSize;
  const uint64_t at = pos_;
  absl::StatusOr<absl::string_view> msg = NextMessage("header");
  if (!msg.ok()) return msg.status();
  trace::Header h;
  if (!h.ParseFromArray(msg->data(), static_cast<int>(msg->size()))) {
    return Error(at, "corrupt header (not a valid Header message)");
  }
  if (h.format_version() < kOldestFormatVersion || h.format_version() > kFormatVersion) {
    return Error(at, absl::StrCat("trace format version ", h.format_version(), " (written by ",
                                  h.tool_version().empty() ? "an unknown tool" : h.tool_version(),
                                  "); this iocpsim reads versions ", kOldestFormatVersion, " to ",
                                  kFormatVersion));
  }
  return h;
}

absl::StatusOr<bool> TraceReader::Next(trace::Event* event) {
  if (pos_ >= bytes_.size()) return false;
  const uint64_t at = pos_;
  absl::StatusOr<absl::string_view> msg = NextMessage("event");
  if (!msg.ok()) return msg.status();
  last_event_ = *msg;
  if (!event->ParseFromArray(msg->data(), static_cast<int>(msg->size()))) {
    return Error(at, "corrupt event (not a valid Event message)");
  }
  if (event->kind_case() == trace::Event::KIND_NOT_SET) {
    return Error(at, "corrupt event (no kind set)");
  }
  return true;
}

absl::StatusOr<bool> TraceReader::NextBytes() {
  if (pos_ >= bytes_.size()) return false;
  absl::StatusOr<absl::string_view> msg = NextMessage("event");
  if (!msg.ok()) return msg.status();
  last_event_ = *msg;
  return true;
}

absl::StatusOr<std::string> ReadFileBytes(const std::string& path) {
  return files::ReadBounded(path, files::kMaxTraceBytes, "trace");
}

absl::StatusOr<Trace> LoadTrace(const std::string& path) {
  absl::StatusOr<std::string> bytes = ReadFileBytes(path);
  if (!bytes.ok()) return bytes.status();
  return ParseTrace(path, *std::move(bytes));
}

absl::Status ReadTrace(std::string name, std::string bytes, trace::Header* header,
                       std::vector<std::pair<uint32_t, uint32_t>>* spans, std::string* kept,
                       absl::FunctionRef<trace::Event*()> slot) {
  if (bytes.size() > files::kMaxTraceBytes) {
    return absl::InvalidArgumentError(absl::StrCat(name, ": ", bytes.size(),
                                                   " bytes, larger than a trace's limit of ",
                                                   files::kMaxTraceBytes));
  }
  TraceReader reader(std::move(name), std::move(bytes));
  absl::StatusOr<trace::Header> h = reader.ReadHeader();
  if (!h.ok()) return h.status();
  *header = *std::move(h);
  while (!reader.at_end()) {
    absl::StatusOr<bool> more = reader.Next(slot());
    if (!more.ok()) return more.status();
    const absl::string_view raw = reader.last_event();
    // Offsets fit in 32 bits: the size was checked above.
    spans->emplace_back(static_cast<uint32_t>(raw.data() - reader.bytes_data()),
                        static_cast<uint32_t>(raw.size()));
  }
  *kept = reader.TakeBytes();
  return absl::OkStatus();
}

absl::StatusOr<Trace> ParseTrace(std::string name, std::string bytes) {
  Trace t;
  // Parsed in place: a copy would allocate every event's messages twice.
  absl::Status st = ReadTrace(std::move(name), std::move(bytes), &t.header, &t.spans, &t.bytes,
                              [&t] { return &t.events.emplace_back(); });
  if (!st.ok()) return st;
  return t;
}

}  // namespace iocpsim::traces
