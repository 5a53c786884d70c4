// The arrows of a Perfetto export: from a break's post to the poll that
// dequeued it, and from a timer's arming (SetWaitableTimer) to the poll
// that dequeued its wait packet's packet, on whichever M that was.
#ifndef IOCPSIM_TRACES_PERFETTO_FLOWS_H_
#define IOCPSIM_TRACES_PERFETTO_FLOWS_H_

#include <cstdint>
#include <deque>
#include <map>
#include <string>
#include <vector>

#include "proto/trace.pb.h"

namespace iocpsim::traces {

// One arrow: it leaves thread `from_tid` at `from_ns` and reaches
// `to_tid` at `to_ns`, inside the calls there.
struct Flow {
  uint64_t id = 0;
  std::string name;  // "break", "timer"
  int64_t from_ns = 0;
  int from_tid = 0;
  int64_t to_ns = 0;
  int to_tid = 0;
};

class FlowTracker {
 public:
  // Pending ends kept at most (a damaged or hostile trace cannot grow them).
  static constexpr size_t kMaxPending = 4096;

  // The arrows `e` completes, in order.
  std::vector<Flow> Add(const trace::Event& e);

 private:
  struct End {
    int64_t ns = 0;
    int tid = 0;
  };
  std::vector<Flow> Dequeued(const trace::Event& e);
  Flow Make(const char* name, End from, End to) { return {++next_id_, name, from.ns, from.tid, to.ns, to.tid}; }

  uint64_t next_id_ = 0;
  std::deque<End> breaks_posted_;    // posts whose packet no poll returned yet
  std::deque<End> breaks_dequeued_;  // polls that returned a break before its post was seen
  uint64_t last_armed_timer_ = 0;    // the timer object the last timer-armed event named
  std::map<uint32_t, uint64_t> timer_of_handle_;  // handle identity -> timer object
  std::map<uint64_t, End> armed_;                 // timer object -> its last arming call
  uint64_t last_fired_timer_ = 0;
  std::map<uint64_t, End> packet_armed_;  // wait packet object -> the arming its packet carries
  std::map<int, std::deque<End>> timer_dequeues_;  // thread -> arming of packets it took
};

}  // namespace iocpsim::traces

#endif  // IOCPSIM_TRACES_PERFETTO_FLOWS_H_
