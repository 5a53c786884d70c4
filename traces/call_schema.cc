#include "traces/call_schema.h"

#include <utility>

namespace iocpsim::traces {
namespace {

using trace::Function;

const std::vector<CallSchema>& Schemas() {
  static const std::vector<CallSchema> kSchemas = {
      {Function::CREATE_IO_COMPLETION_PORT, "CreateIoCompletionPort", {0, 1}, true, false, false, 4},
      {Function::POST_QUEUED_COMPLETION_STATUS, "PostQueuedCompletionStatus", {0}, false, false,
       false, 4},
      {Function::GET_QUEUED_COMPLETION_STATUS_EX, "GetQueuedCompletionStatusEx", {0}, false,
       false, false, 4},
      {Function::CREATE_WAITABLE_TIMER_EX_W, "CreateWaitableTimerExW", {}, true, false, false, 4},
      {Function::SET_WAITABLE_TIMER, "SetWaitableTimer", {0}, false, false, false, 6},
      {Function::CLOSE_HANDLE, "CloseHandle", {0}, false, false, false, 1},
      {Function::NT_CREATE_WAIT_COMPLETION_PACKET, "NtCreateWaitCompletionPacket", {}, false,
       true, true, 2},
      {Function::NT_ASSOCIATE_WAIT_COMPLETION_PACKET, "NtAssociateWaitCompletionPacket",
       {0, 1, 2}, false, false, true, 7},
      {Function::NT_CANCEL_WAIT_COMPLETION_PACKET, "NtCancelWaitCompletionPacket", {0}, false,
       false, true, 2},
      {Function::CREATE_FILE, "CreateFile", {}, true, false, false, 0},
      {Function::COMPLETE_IO, "CompleteIo", {0}, false, false, false, 4},
      {Function::SLEEP, "Sleep", {}, false, false, false, 1},
      {Function::GOPARK, "Gopark", {}, false, false, false, 0},
      {Function::QUEUE_USER_APC, "QueueUserApc", {}, false, false, false, 1},
  };
  return kSchemas;
}

}  // namespace

const CallSchema* SchemaByName(absl::string_view name) {
  // Every recorded call looks its schema up: names measured once, not by
  // strlen at every comparison.
  static const std::vector<std::pair<absl::string_view, const CallSchema*>> kByName = [] {
    std::vector<std::pair<absl::string_view, const CallSchema*>> v;
    for (const CallSchema& s : Schemas()) v.emplace_back(s.name, &s);
    return v;
  }();
  for (const auto& [n, s] : kByName) {
    if (name == n) return s;
  }
  return nullptr;
}

const CallSchema* SchemaByFunction(trace::Function f) {
  for (const CallSchema& s : Schemas()) {
    if (s.function == f) return &s;
  }
  return nullptr;
}

}  // namespace iocpsim::traces
