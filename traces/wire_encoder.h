// Writes protobuf's wire format directly, for the trace's events: the
// recorder encodes each event as it happens instead of filling messages and
// serializing them (the two took about half of recording's cost, bench
// BM_MixedWorkloadRun). The bytes are those protobuf writes for the same
// message: fields in number order, proto3 defaults left out, a oneof member
// written even when zero, int32 negatives as ten-byte varints
// (protobuf.dev/programming-guides/encoding). tests/wire_encoder_test.cc
// checks them against protobuf's serializer.
#ifndef IOCPSIM_TRACES_WIRE_ENCODER_H_
#define IOCPSIM_TRACES_WIRE_ENCODER_H_

#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"

namespace iocpsim::traces {

class WireEncoder {
 public:
  WireEncoder() { Clear(); }

  // Starts a new top-level message. The buffer only grows: shrinking and
  // growing it again would zero its bytes every event.
  void Clear() {
    if (buf_.size() < kPrefixRoom + kSlack) buf_.resize(kPrefixRoom + kSlack);
    pos_ = kPrefixRoom;
  }

  // A varint field (uint32/64, enum, bool; int32/64 through Int). Proto3
  // leaves a zero out; `present` writes it anyway (a oneof member).
  void Varint(int field, uint64_t v, bool present = false) {
    if (v == 0 && !present) return;
    Reserve(2 * kMaxVarint);
    PutVarint(static_cast<uint64_t>(field) << 3);
    PutVarint(v);
  }
  // int32 and int64 alike: a negative is its 64-bit two's complement.
  void Int(int field, int64_t v) { Varint(field, static_cast<uint64_t>(v)); }
  // A string: left out when empty unless `present` (an element of a
  // repeated field is always written).
  void String(int field, absl::string_view s, bool present = false);

  // A nested message: Begin writes its tag and leaves room for a one-byte
  // length; End fills it in, moving the body if the length needs more.
  size_t Begin(int field) {
    Reserve(kMaxVarint + 1);
    PutVarint(static_cast<uint64_t>(field) << 3 | kLengthDelimited);
    return pos_++;
  }
  void End(size_t mark) {
    const size_t len = pos_ - (mark + 1);
    if (len < 0x80) {
      buf_[mark] = static_cast<char>(len);
    } else {
      EndLong(mark, len);
    }
  }

  // The top-level message, and the same bytes after their length prefix
  // (what a trace file holds for one event).
  absl::string_view message() const {
    return absl::string_view(buf_.data() + kPrefixRoom, pos_ - kPrefixRoom);
  }
  absl::string_view Framed();

 private:
  static constexpr size_t kMaxVarint = 10;
  static constexpr size_t kPrefixRoom = 5;  // a uint32 length's longest varint
  static constexpr size_t kSlack = 256;
  static constexpr uint64_t kLengthDelimited = 2;

  void EndLong(size_t mark, size_t len);
  void Reserve(size_t n) {
    if (pos_ + n > buf_.size()) buf_.resize(2 * (pos_ + n));
  }
  void PutVarint(uint64_t v) {
    while (v >= 0x80) {
      buf_[pos_++] = static_cast<char>(v | 0x80);
      v >>= 7;
    }
    buf_[pos_++] = static_cast<char>(v);
  }

  std::string buf_;
  size_t pos_ = 0;
};

}  // namespace iocpsim::traces

#endif  // IOCPSIM_TRACES_WIRE_ENCODER_H_
