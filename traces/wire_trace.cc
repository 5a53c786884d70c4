#include "traces/wire_trace.h"

#include <cstdint>
#include <utility>

#include "absl/container/inlined_vector.h"
#include "traces/reader.h"
#include "traces/trace_view.h"

namespace iocpsim::traces {
namespace {

constexpr uint32_t kVarint = 0;
constexpr uint32_t kLengthDelimited = 2;

// Reads protobuf's wire format from a bounded span, refusing (false) what
// runs past its end.
class WireCursor {
 public:
  explicit WireCursor(absl::string_view s) : p_(s.data()), end_(s.data() + s.size()) {}

  bool done() const { return p_ == end_; }

  bool Varint(uint64_t* v) {
    uint64_t r = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (p_ == end_) return false;
      const uint8_t b = static_cast<uint8_t>(*p_++);
      r |= static_cast<uint64_t>(b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        *v = r;
        return true;
      }
    }
    return false;  // more than ten bytes
  }

  bool Bytes(absl::string_view* s) {
    uint64_t n = 0;
    if (!Varint(&n) || n > static_cast<uint64_t>(end_ - p_)) return false;
    *s = absl::string_view(p_, static_cast<size_t>(n));
    p_ += n;
    return true;
  }

 private:
  const char* p_;
  const char* end_;
};

// An int32 field: protobuf writes a negative as the 64-bit two's complement.
bool Int32(uint64_t v, int32_t* out) {
  const auto s = static_cast<int64_t>(v);
  if (s < INT32_MIN || s > INT32_MAX) return false;
  *out = static_cast<int32_t>(s);
  return true;
}

constexpr uint64_t Tag(uint32_t field, uint32_t wire_type) {
  return static_cast<uint64_t>(field) << 3 | wire_type;
}

// An Option: {kind = 1, thread = 2}, each left out when zero.
bool ReadOption(absl::string_view o, trace::Option::Kind* kind, int32_t* thread) {
  WireCursor c(o);
  uint64_t tag = 0, v = 0;
  int32_t k = 0;
  *thread = 0;
  if (!c.done() && (!c.Varint(&tag) || tag == 0)) return false;
  if (tag == Tag(1, kVarint)) {
    if (!c.Varint(&v) || !Int32(v, &k)) return false;
    tag = 0;
    if (!c.done() && (!c.Varint(&tag) || tag == 0)) return false;
  }
  if (tag == Tag(2, kVarint)) {
    if (!c.Varint(&v) || !Int32(v, thread)) return false;
  } else if (tag != 0) {
    return false;
  }
  *kind = static_cast<trace::Option::Kind>(k);
  return c.done();
}

}  // namespace

absl::StatusOr<WireTrace> WireTrace::Read(std::string name, std::string bytes) {
  WireTrace w;
  w.name_ = name;
  if (bytes.size() <= UINT32_MAX) {
    TraceReader reader(name, std::move(bytes));
    absl::StatusOr<trace::Header> h = reader.ReadHeader();
    bool framed = h.ok();
    while (framed && !reader.at_end()) {
      absl::StatusOr<bool> more = reader.NextBytes();
      framed = more.ok();
      if (!framed) break;
      const absl::string_view raw = reader.last_event();
      w.spans_.emplace_back(static_cast<uint32_t>(raw.data() - reader.bytes_data()),
                            static_cast<uint32_t>(raw.size()));
    }
    bytes = reader.TakeBytes();
    if (framed) {
      w.header_ = *std::move(h);
      w.bytes_ = std::move(bytes);
      return w;
    }
  }
  // Damaged: ParseTrace's error is the first damage in file order, which
  // may be an event the framing did not parse. Parse to find it.
  absl::StatusOr<TraceView> parsed = TraceView::Parse(std::move(name), std::move(bytes));
  if (!parsed.ok()) return parsed.status();
  return absl::InternalError("the trace failed to frame but parsed");  // not reached
}

std::optional<ScannedEvent> ScanEvent(absl::string_view event) {
  WireCursor c(event);
  ScannedEvent e;
  uint64_t tag = 0, v = 0;
  if (!c.Varint(&tag)) return std::nullopt;
  if (tag == Tag(1, kVarint)) {
    if (!c.Varint(&v) || !c.Varint(&tag)) return std::nullopt;
    e.time_ns = static_cast<int64_t>(v);
  }
  if (tag == Tag(2, kVarint)) {
    if (!c.Varint(&v) || !Int32(v, &e.thread) || !c.Varint(&tag)) return std::nullopt;
  }
  const uint64_t field = tag >> 3;
  if ((tag & 7) != kLengthDelimited || field < trace::Event::kThreadStart ||
      field > trace::Event::kThreadEnd || !c.Bytes(&e.body) || !c.done()) {
    return std::nullopt;
  }
  e.kind = static_cast<trace::Event::KindCase>(field);
  return e;
}

std::optional<ScannedDecision> ScanDecision(absl::string_view body) {
  // Options (field 1), then picked (field 2). The options are kept until
  // the pick is known; a decision has one per thread and two more.
  ScannedDecision d;
  absl::InlinedVector<std::pair<trace::Option::Kind, int32_t>, 16> options;
  WireCursor c(body);
  uint64_t tag = 0;  // 0: the end (no field has number 0)
  while (!c.done()) {
    if (!c.Varint(&tag) || tag == 0) return std::nullopt;
    if (tag != Tag(1, kLengthDelimited)) break;
    absl::string_view o;
    trace::Option::Kind kind = trace::Option::THREAD;
    int32_t thread = 0;
    if (!c.Bytes(&o) || !ReadOption(o, &kind, &thread) || options.size() >= UINT32_MAX) {
      return std::nullopt;
    }
    options.emplace_back(kind, thread);
    tag = 0;
  }
  if (tag == Tag(2, kVarint)) {
    uint64_t v = 0;
    if (!c.Varint(&v) || v > UINT32_MAX || !c.done()) return std::nullopt;
    d.picked = static_cast<uint32_t>(v);
  } else if (tag != 0) {
    return std::nullopt;
  }
  d.options = static_cast<uint32_t>(options.size());
  if (d.picked < d.options) {
    d.picked_kind = options[d.picked].first;
    d.picked_thread = options[d.picked].second;
  }
  return d;
}

}  // namespace iocpsim::traces
