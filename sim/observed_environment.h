// The Environment counterpart of ObservedNtApi: reports CreateFile,
// CompleteIo, Sleep, Gopark and QueueUserApc as calls.
#ifndef IOCPSIM_SIM_OBSERVED_ENVIRONMENT_H_
#define IOCPSIM_SIM_OBSERVED_ENVIRONMENT_H_

#include "sim/environment.h"
#include "sim/observed_nt_api.h"
#include "sim/observer.h"

namespace iocpsim::sim {

class ObservedEnvironment : public Environment {
 public:
  ObservedEnvironment(Environment& inner, nt::NtApi& nt, CallClock& clock, Observer& observer)
      : inner_(inner), nt_(nt), clock_(clock), observer_(observer) {}

  nt::HANDLE CreateFile() override;
  bool CompleteIo(nt::HANDLE file, nt::uintptr overlapped, nt::DWORD bytes,
                  nt::NTSTATUS status) override;
  void Sleep(int64_t ns) override;
  void Gopark() override;
  bool QueueUserApc(int thread) override;

 private:
  void Report(const char* name, std::vector<uint64_t> args, uint64_t result);

  Environment& inner_;
  nt::NtApi& nt_;  // for the thread's last error
  CallClock& clock_;
  Observer& observer_;
};

}  // namespace iocpsim::sim

#endif  // IOCPSIM_SIM_OBSERVED_ENVIRONMENT_H_
