// What may happen next at a scheduling point.
#ifndef IOCPSIM_SIM_CHOICE_H_
#define IOCPSIM_SIM_CHOICE_H_

#include <string>

namespace iocpsim::sim {

struct Choice {
  enum class Kind {
    kThread,   // resume a runnable thread until its next kernel call
    kKernel,   // run the kernel's oldest ready step (deliver a packet, ...)
    kAdvance,  // preempt everyone: jump virtual time to the next event
  };
  Kind kind = Kind::kThread;
  int thread = -1;  // for kThread

  friend bool operator==(const Choice& a, const Choice& b) {
    return a.kind == b.kind && a.thread == b.thread;
  }
};

std::string ChoiceName(const Choice& c);

}  // namespace iocpsim::sim

#endif  // IOCPSIM_SIM_CHOICE_H_
