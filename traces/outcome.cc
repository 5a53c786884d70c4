#include "traces/outcome.h"

#include "traces/call_schema.h"

namespace iocpsim::traces {

std::string ComparableOutcome(const trace::Event& e) {
  trace::Event c = e;
  c.set_time_ns(0);
  if (c.has_call()) {
    trace::Call* call = c.mutable_call();
    call->set_start_ns(0);
    const CallSchema* s = SchemaByFunction(call->function());
    const bool failed = call->result().v_case() == trace::Value::kHandle
                            ? call->result().handle() == 0
                            : call->result().raw() == 0;
    // Sleep and Gopark cannot fail and set no error either.
    const bool no_error = (s != nullptr && s->is_nt) || call->function() == trace::Function::SLEEP ||
                          call->function() == trace::Function::GOPARK;
    if (no_error || !failed) call->set_last_error(0);
  }
  return c.SerializeAsString();
}

}  // namespace iocpsim::traces
