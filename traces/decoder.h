// What a trace's numbers mean to a Go developer: a completion key as its
// netpoll source and pollDesc ("break", "timer", "ready pd#2"), an
// OVERLAPPED as the I/O it carries ("io#1 on H3"), a handle as what it was
// created as ("timer", "port", "wait packet"). Learned from the whole trace
// first (Learn on every event, then describe), since a completion's packet
// is seen before the call that made it.
#ifndef IOCPSIM_TRACES_DECODER_H_
#define IOCPSIM_TRACES_DECODER_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "proto/trace.pb.h"

namespace iocpsim::traces {

class TraceDecoder {
 public:
  // Names it keeps at most, per kind (a hostile trace cannot grow them past
  // this; what is past it shows as the raw number).
  static constexpr size_t kMaxNames = 100'000;

  explicit TraceDecoder(const trace::Header& header);
  TraceDecoder(const trace::Header& header, const std::vector<trace::Event>& events);
  // What `e` says about handles, pollDescs and OVERLAPPEDs.
  void Learn(const trace::Event& e);

  // "break", "timer", "ready pd#2 (H3)", "ready 0x..." for a pollDesc no
  // association named, or the number for another source (as Go's
  // unpackNetpollSource reads the key for the trace's pointer size).
  std::string Key(uint64_t key) const;
  // "0", "io#1 on H3", or the number for one no completion names.
  std::string Overlapped(uint64_t ov) const;
  // "port", "socket", "timer", "wait packet" ("" if not created in the trace).
  std::string HandleKind(uint32_t handle) const;
  // A SetWaitableTimer due time (100 ns units; negative relative, positive
  // absolute FILETIME): "in 2 ms", "at 12.5 ms", "long past".
  std::string DueTime(int64_t due) const;

 private:
  uint8_t Source(uint64_t key) const;
  uint64_t Pointer(uint64_t key) const;

  int ptr_size_;
  int64_t epoch_filetime_;
  std::map<uint64_t, std::string> pds_;        // pollDesc address -> "pd#N (Hk)"
  std::map<uint64_t, std::string> ios_;        // OVERLAPPED -> "io#N on Hk"
  std::map<uint32_t, std::string> handles_;    // handle identity -> kind
};

}  // namespace iocpsim::traces

#endif  // IOCPSIM_TRACES_DECODER_H_
