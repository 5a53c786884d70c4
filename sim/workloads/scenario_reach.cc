#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "sim/workloads/scenario_checks.h"

namespace iocpsim::workloads {
namespace {

using scenario::Event;
using scenario::Step;

// May this step put something on Go's port, or start a timer whose packet
// lands there, and so end another M's blocking netpoll?
bool CanWake(const Step& st) {
  switch (st.kind_case()) {
    case Step::kNetpollBreak:
    case Step::kCloseSocket:
    case Step::kPollUntil:
      return true;
    case Step::kNetpoll:
      return st.netpoll() > 0;
    default:
      return false;
  }
}

// The labels reached when a netpoll that blocks (a negative delay) ends
// only if `woken`; and whether a step reached may wake one.
struct Reach {
  std::set<std::string> labels;
  bool wakes = false;
};

Reach Walk(const scenario::Scenario& s, bool woken) {
  Reach r;
  for (const scenario::MSpec& m : s.m()) {
    for (const Step& st : m.step()) {
      if (st.kind_case() == Step::kNetpoll && st.netpoll() < 0 && !woken) break;
      r.wakes |= CanWake(st);
      if (!st.label().empty()) r.labels.insert(st.label());
    }
  }
  return r;
}

}  // namespace

// A may-analysis, so it refuses only what surely never happens: anything
// that may post to the port counts as a wake-up for every blocked netpoll.
// With none but events after labels that sit behind a blocked netpoll, those
// labels are never reached.
absl::Status CheckLabelsReached(const scenario::Scenario& s, const Locator& at) {
  bool woken = false;
  for (const Event& e : s.event()) woken |= e.when_case() == Event::kAtNs;
  Reach r = Walk(s, woken);
  if (!woken) {
    bool wakes = r.wakes;
    for (const Event& e : s.event()) wakes |= r.labels.count(e.after()) > 0;
    if (wakes) r = Walk(s, true);
  }
  for (int i = 0; i < s.event_size(); ++i) {
    const Event& e = s.event(i);
    if (e.when_case() == Event::kAfter && r.labels.count(e.after()) == 0) {
      return at.Error({{"event", i}, {"after", -1}},
                      absl::StrCat("step \"", e.after(),
                                   "\" is never reached: a netpoll before it blocks and nothing "
                                   "in the scenario can wake it"));
    }
  }
  return absl::OkStatus();
}

}  // namespace iocpsim::workloads
