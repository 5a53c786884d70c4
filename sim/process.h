// A Go process around the ported poller, on some kernel: the simulated one
// (sim::Simulation, Ms on fibers in virtual time) or a real one
// (win32::RealProcess, Ms on OS threads in real time). Workloads drive the
// poller through this interface, so one scenario runs on either.
#ifndef IOCPSIM_SIM_PROCESS_H_
#define IOCPSIM_SIM_PROCESS_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>

#include "poller/nt_api.h"
#include "poller/runtime.h"
#include "sim/environment.h"
#include "sim/scheduler.h"

namespace iocpsim::sim {

// A runtime fatal error (Go's throw) and the thread that hit it.
struct FatalInfo {
  int thread = 0;
  std::string message;
};

class Simulation;
class Observer;
class CallClock;

// The process start-up the poller depends on, outside any thread:
// loadOptionalSyscalls, initHighResTimer (osinit) and netpollinit. The
// runtime's fatal message if it threw.
std::optional<std::string> BootRuntime(poller::Runtime& rt);

// netpoll(delay) as the Go scheduler calls it (findRunnable): netpoll, then
// the delta applied to netpollWaiters; reported to `observer` (if any) with
// the caller and times `clock` gives.
std::pair<poller::gList, int32_t> ObservedNetpoll(poller::Runtime& rt, Observer* observer,
                                                  CallClock& clock, int64_t delay);

class Process {
 public:
  virtual ~Process() = default;

  // The process start-up the poller depends on, outside any thread:
  // loadOptionalSyscalls, initHighResTimer (osinit) and netpollinit. False if
  // the runtime threw (see fatal()).
  virtual bool Boot() = 0;
  // Adds an M: a thread running minit, body and mdestroy.
  virtual poller::M& SpawnM(std::string name, std::function<void(poller::M&)> body) = 0;
  // Adds a thread outside the Go runtime (a device, a script); its id.
  virtual int SpawnThread(std::string name, std::function<void()> body) = 0;
  // Runs until the threads finish (or the run is stopped).
  virtual RunResult Run() = 0;
  // netpoll as the Go scheduler calls it (findRunnable): netpoll(delay), then
  // the delta applied to netpollWaiters. Reports the return.
  virtual std::pair<poller::gList, int32_t> Netpoll(int64_t delay) = 0;

  virtual Environment& env() = 0;
  // The kernel as the poller calls it (recorded when observed).
  virtual nt::NtApi& nt() = 0;
  virtual poller::Runtime& runtime() = 0;
  // Nanoseconds: virtual time, or real time since the process started.
  virtual int64_t now() = 0;
  virtual const std::optional<FatalInfo>& fatal() const = 0;
  // The simulation, when this process is one (scripted races need it).
  virtual Simulation* simulation() { return nullptr; }
  // Set-up that calls into the runtime outside any thread (a workload
  // opening its first sockets): a throw there, which only a wrong poller
  // makes, is a fatal error of the start-up, reported as Boot's are. False
  // if the runtime threw.
  bool SetUp(const std::function<void()>& body);

 protected:
  virtual void ReportFatal(int thread, const std::string& message) = 0;
};

}  // namespace iocpsim::sim

#endif  // IOCPSIM_SIM_PROCESS_H_
