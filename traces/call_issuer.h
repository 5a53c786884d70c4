// Issues a trace's recorded calls against a backend (the simulated kernel or
// a real one), mapping the trace's handle identities to the values this
// run's backend hands out.
#ifndef IOCPSIM_TRACES_CALL_ISSUER_H_
#define IOCPSIM_TRACES_CALL_ISSUER_H_

#include <cstdint>
#include <map>

#include "poller/nt_api.h"
#include "proto/trace.pb.h"
#include "sim/environment.h"

namespace iocpsim::traces {

class CallIssuer {
 public:
  // With `forget_closed`, an identity whose handle was closed maps to no
  // handle afterwards: on a real kernel the value may already name another
  // object of this process. (The simulator replays the recorded values.)
  CallIssuer(nt::NtApi& nt, sim::Environment& env, bool forget_closed = false)
      : nt_(nt), env_(env), forget_closed_(forget_closed) {}

  // Issues a recorded call (a Call, or the CallStart of one that may block).
  void Issue(trace::Function function, const trace::Call& c);
  void Issue(trace::Function function, const trace::CallStart& c);

  // This run's value for a recorded argument (a handle identity mapped).
  uint64_t Resolve(const trace::Value& v) const;

 private:
  template <typename Recorded>
  void IssueArgs(trace::Function function, const Recorded& c, uint64_t* result, uint64_t* out);
  // This run's value for each handle identity the trace created.
  void Learn(const trace::Call& c, uint64_t result, uint64_t out);

  nt::NtApi& nt_;
  sim::Environment& env_;
  const bool forget_closed_;
  std::map<uint32_t, uint64_t> ids_;
};

// Calls recorded with a CallStart: a replay issues them from it.
bool IssuedAtStart(trace::Function f);

}  // namespace iocpsim::traces

#endif  // IOCPSIM_TRACES_CALL_ISSUER_H_
