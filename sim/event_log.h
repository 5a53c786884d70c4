// An Observer that keeps a run as text, one line per event: kernel calls,
// kernel-side events and (optionally) scheduling decisions. Two runs are the
// same run exactly when their logs are equal.
#ifndef IOCPSIM_SIM_EVENT_LOG_H_
#define IOCPSIM_SIM_EVENT_LOG_H_

#include <string>
#include <vector>

#include "sim/observer.h"

namespace iocpsim::sim {

// `ns` in units of `unit` ns with `digits` decimals, the whole part (sign
// included) right-aligned in `width`, exact for every int64 (INT64_MIN too):
// FixedPoint(-500000, 1000000, 6, 0) is "-0.500000".
std::string FixedPoint(int64_t ns, int64_t unit, int digits, int width);

// Virtual nanoseconds as milliseconds with six decimals: "1.000500", "-0.500000".
std::string FormatMs(int64_t ns);

class EventLog : public Observer {
 public:
  explicit EventLog(bool decisions = true) : decisions_(decisions) {}

  void OnDecision(int64_t now, absl::Span<const Choice> options, size_t picked) override;
  void OnKernelEvent(int64_t now, const KernelEvent& e) override;
  void OnCall(const CallRecord& call) override;

  const std::vector<std::string>& lines() const { return lines_; }
  std::string Text() const;

 private:
  bool decisions_;
  std::vector<std::string> lines_;
};

}  // namespace iocpsim::sim

#endif  // IOCPSIM_SIM_EVENT_LOG_H_
