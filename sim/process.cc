#include "sim/process.h"

#include "sim/observed_nt_api.h"
#include "sim/observer.h"

namespace iocpsim::sim {

std::optional<std::string> BootRuntime(poller::Runtime& rt) {
  try {
    rt.loadOptionalSyscalls();
    rt.initHighResTimer();
    rt.netpollinit();
  } catch (const poller::Fatal& f) {
    return std::string(f.what());
  }
  return std::nullopt;
}

bool Process::SetUp(const std::function<void()>& body) {
  try {
    body();
  } catch (const poller::Fatal& f) {
    ReportFatal(0, f.what());
    return false;
  }
  return true;
}

std::pair<poller::gList, int32_t> ObservedNetpoll(poller::Runtime& rt, Observer* observer,
                                                  CallClock& clock, int64_t delay) {
  const int64_t start = clock.Now();
  const int thread = clock.CallThread();
  if (observer != nullptr) observer->OnNetpollEnter(start, thread, delay);
  auto result = rt.netpoll(delay);
  rt.netpollAdjustWaiters(result.second);
  if (observer != nullptr) {
    NetpollReturn r;
    r.thread = thread;
    r.start_ns = start;
    r.delay = delay;
    r.goroutines = static_cast<int32_t>(result.first.size());
    r.delta = result.second;
    for (const poller::g* gp : result.first.gs()) r.gs.push_back(gp->addr);
    observer->OnNetpoll(clock.Now(), r);
  }
  return result;
}

}  // namespace iocpsim::sim
