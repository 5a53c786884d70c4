// Several observers watching one run, called in the order added.
#ifndef IOCPSIM_SIM_OBSERVER_LIST_H_
#define IOCPSIM_SIM_OBSERVER_LIST_H_

#include <vector>

#include "sim/observer.h"

namespace iocpsim::sim {

class ObserverList : public Observer {
 public:
  void Add(Observer* o) { observers_.push_back(o); }

  void OnThreadStart(int thread, const std::string& name, bool is_m) override {
    for (Observer* o : observers_) o->OnThreadStart(thread, name, is_m);
  }
  void OnThreadEnd(int64_t now, int thread) override {
    for (Observer* o : observers_) o->OnThreadEnd(now, thread);
  }
  void OnDecision(int64_t now, absl::Span<const Choice> options, size_t picked) override {
    for (Observer* o : observers_) o->OnDecision(now, options, picked);
  }
  void OnKernelEvent(int64_t now, const KernelEvent& e) override {
    for (Observer* o : observers_) o->OnKernelEvent(now, e);
  }
  void OnCallStart(const CallRecord& call) override {
    for (Observer* o : observers_) o->OnCallStart(call);
  }
  void OnCall(const CallRecord& call) override {
    for (Observer* o : observers_) o->OnCall(call);
  }
  void OnNetpollEnter(int64_t now, int thread, int64_t delay) override {
    for (Observer* o : observers_) o->OnNetpollEnter(now, thread, delay);
  }
  void OnNetpoll(int64_t now, const NetpollReturn& r) override {
    for (Observer* o : observers_) o->OnNetpoll(now, r);
  }
  void OnFatal(int64_t now, int thread, const std::string& message,
               const std::vector<std::string>& printed) override {
    for (Observer* o : observers_) o->OnFatal(now, thread, message, printed);
  }
  void OnRunEnd(int64_t now, const RunSummary& end) override {
    for (Observer* o : observers_) o->OnRunEnd(now, end);
  }

 private:
  std::vector<Observer*> observers_;
};

}  // namespace iocpsim::sim

#endif  // IOCPSIM_SIM_OBSERVER_LIST_H_
