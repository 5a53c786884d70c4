#include "traces/wire_encoder.h"

#include <cstring>

namespace iocpsim::traces {
namespace {

size_t VarintSize(uint64_t v) {
  size_t n = 1;
  while (v >= 0x80) {
    v >>= 7;
    ++n;
  }
  return n;
}

}  // namespace

void WireEncoder::String(int field, absl::string_view s, bool present) {
  if (s.empty() && !present) return;
  Reserve(2 * kMaxVarint + s.size());
  PutVarint(static_cast<uint64_t>(field) << 3 | kLengthDelimited);
  PutVarint(s.size());
  if (!s.empty()) std::memcpy(&buf_[pos_], s.data(), s.size());
  pos_ += s.size();
}

void WireEncoder::EndLong(size_t mark, size_t len) {
  const size_t extra = VarintSize(len) - 1;
  Reserve(extra);
  std::memmove(&buf_[mark + 1 + extra], &buf_[mark + 1], len);
  const size_t end = pos_ + extra;
  pos_ = mark;
  PutVarint(len);
  pos_ = end;
}

absl::string_view WireEncoder::Framed() {
  const uint64_t len = pos_ - kPrefixRoom;
  const size_t start = kPrefixRoom - VarintSize(len);
  const size_t end = pos_;
  pos_ = start;
  PutVarint(len);
  pos_ = end;
  return absl::string_view(buf_.data() + start, end - start);
}

}  // namespace iocpsim::traces
