// Which arguments, results and out-parameters of each recorded call are
// handles, so the recorder can give them stable identities and the replayer
// can map them back.
#ifndef IOCPSIM_TRACES_CALL_SCHEMA_H_
#define IOCPSIM_TRACES_CALL_SCHEMA_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "proto/trace.pb.h"

namespace iocpsim::traces {

struct CallSchema {
  trace::Function function;
  const char* name;             // the Win32/NT name, as CallRecord has it
  std::vector<int> handle_args;  // argument positions holding handles
  bool result_is_handle = false;
  bool out_is_handle = false;   // outs[0]
  bool is_nt = false;           // returns an NTSTATUS
  int arg_count = 0;            // arguments a well-formed record carries
};

// nullptr for a name or function that is not recorded.
const CallSchema* SchemaByName(absl::string_view name);
const CallSchema* SchemaByFunction(trace::Function f);

}  // namespace iocpsim::traces

#endif  // IOCPSIM_TRACES_CALL_SCHEMA_H_
