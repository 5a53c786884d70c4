#include "traces/decoder.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "poller/runtime.h"
#include "poller/tagptr.h"
#include "traces/time_text.h"

namespace iocpsim::traces {
namespace {

using poller::Runtime;

std::string Hex(uint64_t v) { return absl::StrFormat("%#x", v); }

// A call's argument as its handle identity, or 0.
uint32_t HandleArg(const trace::Call& c, int i) {
  return i < c.args_size() && c.args(i).v_case() == trace::Value::kHandle ? c.args(i).handle() : 0;
}
uint64_t RawArg(const trace::Call& c, int i) { return i < c.args_size() ? c.args(i).raw() : 0; }

}  // namespace



TraceDecoder::TraceDecoder(const trace::Header& header)
    : ptr_size_(header.ptr_size() == 4 ? 4 : 8),
      epoch_filetime_(header.backend().has_sim() ? header.backend().sim().epoch_filetime() : 0) {}

TraceDecoder::TraceDecoder(const trace::Header& header, const std::vector<trace::Event>& events)
    : TraceDecoder(header) {
  for (const trace::Event& e : events) Learn(e);
}

uint8_t TraceDecoder::Source(uint64_t key) const {
  // unpackNetpollSource (netpoll_windows.go).
  return ptr_size_ == 4 ? static_cast<uint8_t>(key & Runtime::sourceMasks)
                        : static_cast<uint8_t>(poller::taggedPointer{key}.tag());
}

uint64_t TraceDecoder::Pointer(uint64_t key) const {
  return ptr_size_ == 4 ? (key & 0xffffffff) >> Runtime::sourceBits
                        : poller::taggedPointer{key}.pointer();
}

void TraceDecoder::Learn(const trace::Event& e) {
  if (e.kind_case() != trace::Event::kCall) return;
  const trace::Call& c = e.call();
  const trace::Value& r = c.result();
  const uint32_t made = r.v_case() == trace::Value::kHandle ? r.handle() : 0;
  switch (c.function()) {
    case trace::Function::CREATE_IO_COMPLETION_PORT: {
      const uint32_t file = HandleArg(c, 0);
      if (file == 0) {
        if (made != 0 && handles_.size() < kMaxNames) handles_[made] = "port";
        break;
      }
      // netpollopen: the socket's key carries its pollDesc.
      const uint64_t key = RawArg(c, 2);
      if (Source(key) != Runtime::netpollSourceReady) break;
      const uint64_t pd = Pointer(key);
      if (!pds_.count(pd) && pds_.size() < kMaxNames) {
        pds_[pd] = absl::StrCat("pd#", pds_.size() + 1, " (H", file, ")");
      }
      break;
    }
    case trace::Function::CREATE_FILE:
      if (made != 0 && handles_.size() < kMaxNames) handles_[made] = "socket";
      break;
    case trace::Function::CREATE_WAITABLE_TIMER_EX_W:
      if (made != 0 && handles_.size() < kMaxNames) handles_[made] = "timer";
      break;
    case trace::Function::NT_CREATE_WAIT_COMPLETION_PACKET:
      if (c.outs_size() > 0 && c.outs(0).v_case() == trace::Value::kHandle &&
          handles_.size() < kMaxNames) {
        handles_[c.outs(0).handle()] = absl::StrCat("wait packet of T", e.thread());
      }
      break;
    case trace::Function::NT_ASSOCIATE_WAIT_COMPLETION_PACKET:
      // netpollQueueTimer: the M's timer behind its wait packet.
      if (const uint32_t timer = HandleArg(c, 2); timer != 0 && handles_.size() < kMaxNames) {
        handles_[timer] = absl::StrCat("netpoll timer of T", e.thread());
      }
      break;
    case trace::Function::COMPLETE_IO: {
      const uint64_t ov = RawArg(c, 1);
      if (ov != 0 && !ios_.count(ov) && ios_.size() < kMaxNames) {
        ios_[ov] = absl::StrCat("io#", ios_.size() + 1, " on H", HandleArg(c, 0));
      }
      break;
    }
    default:
      break;
  }
}

std::string TraceDecoder::Key(uint64_t key) const {
  switch (Source(key)) {
    case Runtime::netpollSourceBreak:
      return key == poller::kBreakKey ? "break" : absl::StrCat("break ", Hex(key));
    case Runtime::netpollSourceTimer:
      return key == poller::kTimerKey ? "timer" : absl::StrCat("timer ", Hex(key));
    case Runtime::netpollSourceReady:
      break;
    default:
      return Hex(key);
  }
  {
    const uint64_t pd = Pointer(key);
    auto it = pds_.find(pd);
    return it != pds_.end() ? absl::StrCat("ready ", it->second) : absl::StrCat("ready ", Hex(pd));
  }
}

std::string TraceDecoder::Overlapped(uint64_t ov) const {
  if (ov == 0) return "0";
  auto it = ios_.find(ov);
  return it != ios_.end() ? it->second : Hex(ov);
}

std::string TraceDecoder::HandleKind(uint32_t handle) const {
  auto it = handles_.find(handle);
  return it != handles_.end() ? it->second : "";
}

std::string TraceDecoder::DueTime(int64_t due) const {
  if (due < 0) {
    // -due * 100 without overflow for INT64_MIN: show it in 100 ns units.
    if (due < -(INT64_MAX / 100)) return absl::StrCat("in ", -(due / 10'000), " ms");
    return absl::StrCat("in ", MsText(-due * 100), " ms");
  }
  if (due <= epoch_filetime_) return "long past (absolute)";
  const int64_t since = SaturatingSub(due, epoch_filetime_);  // the epoch is the trace's
  if (since > INT64_MAX / 100) return absl::StrCat("at ", since / 10'000, " ms (absolute)");
  return absl::StrCat("at ", MsText(since * 100), " ms (absolute)");
}

}  // namespace iocpsim::traces
