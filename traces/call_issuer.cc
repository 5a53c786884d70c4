#include "traces/call_issuer.h"

#include <algorithm>
#include <vector>

namespace iocpsim::traces {

template <typename Recorded>
void CallIssuer::IssueArgs(trace::Function function, const Recorded& c, uint64_t* result,
                           uint64_t* out) {
  std::vector<uint64_t> a;
  for (const trace::Value& v : c.args()) a.push_back(Resolve(v));
  switch (function) {
    case trace::Function::CREATE_IO_COMPLETION_PORT:
      *result = nt_.CreateIoCompletionPort(a[0], a[1], a[2], static_cast<nt::DWORD>(a[3]));
      break;
    case trace::Function::POST_QUEUED_COMPLETION_STATUS:
      *result = nt_.PostQueuedCompletionStatus(a[0], static_cast<nt::DWORD>(a[1]), a[2], a[3]);
      break;
    case trace::Function::GET_QUEUED_COMPLETION_STATUS_EX: {
      std::vector<nt::OverlappedEntry> entries(std::max<uint64_t>(a[1], 1));
      nt::ULONG removed = 0;
      *result = nt_.GetQueuedCompletionStatusEx(a[0], entries.data(), static_cast<nt::ULONG>(a[1]),
                                               &removed, static_cast<nt::DWORD>(a[2]),
                                               static_cast<nt::BOOL>(a[3]));
      break;
    }
    case trace::Function::CREATE_WAITABLE_TIMER_EX_W:
      *result = nt_.CreateWaitableTimerExW(a[0], a[1], static_cast<nt::DWORD>(a[2]),
                                          static_cast<nt::DWORD>(a[3]));
      break;
    case trace::Function::SET_WAITABLE_TIMER: {
      const int64_t due = static_cast<int64_t>(a[1]);
      *result = nt_.SetWaitableTimer(a[0], &due, static_cast<nt::LONG>(a[2]), a[3], a[4],
                                    static_cast<nt::BOOL>(a[5]));
      break;
    }
    case trace::Function::CLOSE_HANDLE:
      *result = nt_.CloseHandle(a[0]);
      if (forget_closed_ && *result != 0 && c.args(0).v_case() == trace::Value::kHandle) {
        ids_.erase(c.args(0).handle());
      }
      break;
    case trace::Function::NT_CREATE_WAIT_COMPLETION_PACKET: {
      nt::HANDLE h = 0;
      *result = nt_.NtCreateWaitCompletionPacket(&h, static_cast<nt::ACCESS_MASK>(a[0]), a[1]);
      *out = h;
      break;
    }
    case trace::Function::NT_ASSOCIATE_WAIT_COMPLETION_PACKET: {
      nt::BOOLEAN signaled = 0;
      *result = nt_.NtAssociateWaitCompletionPacket(a[0], a[1], a[2], a[3], a[4],
                                                   static_cast<nt::NTSTATUS>(a[5]), a[6],
                                                   &signaled);
      break;
    }
    case trace::Function::NT_CANCEL_WAIT_COMPLETION_PACKET:
      *result = nt_.NtCancelWaitCompletionPacket(a[0], static_cast<nt::BOOLEAN>(a[1]));
      break;
    case trace::Function::CREATE_FILE:
      *result = env_.CreateFile();
      break;
    case trace::Function::COMPLETE_IO:
      *result = env_.CompleteIo(a[0], a[1], static_cast<nt::DWORD>(a[2]),
                               static_cast<nt::NTSTATUS>(a[3]));
      break;
    case trace::Function::SLEEP:
      env_.Sleep(static_cast<int64_t>(a[0]));
      break;
    case trace::Function::GOPARK:
      env_.Gopark();
      break;
    case trace::Function::QUEUE_USER_APC:
      *result = env_.QueueUserApc(static_cast<int>(a[0]));
      break;
    default:
      break;
  }
}

void CallIssuer::Issue(trace::Function function, const trace::Call& c) {
  uint64_t result = 0, out = 0;
  IssueArgs(function, c, &result, &out);
  Learn(c, result, out);
}

void CallIssuer::Issue(trace::Function function, const trace::CallStart& c) {
  uint64_t result = 0, out = 0;
  IssueArgs(function, c, &result, &out);
}

void CallIssuer::Learn(const trace::Call& c, uint64_t result, uint64_t out) {
  if (c.result().v_case() == trace::Value::kHandle && c.result().handle() != 0) {
    ids_[c.result().handle()] = result;
  }
  if (c.outs_size() > 0 && c.outs(0).v_case() == trace::Value::kHandle) {
    ids_[c.outs(0).handle()] = out;
  }
}

uint64_t CallIssuer::Resolve(const trace::Value& v) const {
  if (v.v_case() != trace::Value::kHandle) return v.raw();
  if (v.handle() == 0) return 0;
  auto it = ids_.find(v.handle());
  // An identity the replay never saw created: a value no handle has.
  return it == ids_.end() ? 0xDEAD0000u + v.handle() * 4 : it->second;
}

// Calls recorded with a CallStart: the replay issues them from it.
bool IssuedAtStart(trace::Function f) {
  return f == trace::Function::GET_QUEUED_COMPLETION_STATUS_EX || f == trace::Function::SLEEP;
}

}  // namespace iocpsim::traces
