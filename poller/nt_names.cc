#include "poller/nt_names.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace iocpsim::nt {

std::string StatusName(NTSTATUS s) {
  switch (s) {
    case STATUS_SUCCESS: return "STATUS_SUCCESS";
    case STATUS_PENDING: return "STATUS_PENDING";
    case STATUS_CANCELLED: return "STATUS_CANCELLED";
    case STATUS_INVALID_HANDLE: return "STATUS_INVALID_HANDLE";
    case STATUS_INVALID_PARAMETER: return "STATUS_INVALID_PARAMETER";
    case STATUS_OBJECT_TYPE_MISMATCH: return "STATUS_OBJECT_TYPE_MISMATCH";
    case STATUS_ACCESS_DENIED: return "STATUS_ACCESS_DENIED";
    case STATUS_PROCEDURE_NOT_FOUND: return "STATUS_PROCEDURE_NOT_FOUND";
    case STATUS_INVALID_PARAMETER_1: return "STATUS_INVALID_PARAMETER_1";
    case STATUS_INVALID_PARAMETER_3: return "STATUS_INVALID_PARAMETER_3";
    case STATUS_ACCESS_VIOLATION: return "STATUS_ACCESS_VIOLATION";
    case STATUS_NOT_SUPPORTED: return "STATUS_NOT_SUPPORTED";
  }
  return absl::StrFormat("0x%08X", s);
}

std::string ErrorName(DWORD e) {
  switch (e) {
    case ERROR_SUCCESS: return "ERROR_SUCCESS";
    case ERROR_ACCESS_DENIED: return "ERROR_ACCESS_DENIED";
    case ERROR_INVALID_HANDLE: return "ERROR_INVALID_HANDLE";
    case ERROR_NOT_SUPPORTED: return "ERROR_NOT_SUPPORTED";
    case ERROR_INVALID_PARAMETER: return "ERROR_INVALID_PARAMETER";
    case WAIT_TIMEOUT: return "WAIT_TIMEOUT";
    case ERROR_ABANDONED_WAIT_0: return "ERROR_ABANDONED_WAIT_0";
  }
  return absl::StrFormat("%u", e);
}

std::string AccessName(ACCESS_MASK a) {
  static constexpr std::pair<ACCESS_MASK, const char*> kRights[] = {
      {GENERIC_ALL, "GENERIC_ALL"},         {GENERIC_READ, "GENERIC_READ"},
      {GENERIC_WRITE, "GENERIC_WRITE"},     {GENERIC_EXECUTE, "GENERIC_EXECUTE"},
      {MAXIMUM_ALLOWED, "MAXIMUM_ALLOWED"}, {SYNCHRONIZE, "SYNCHRONIZE"},
      {TIMER_QUERY_STATE, "TIMER_QUERY_STATE"}, {TIMER_MODIFY_STATE, "TIMER_MODIFY_STATE"},
  };
  std::string out;
  for (const auto& [bit, name] : kRights) {
    if ((a & bit) == 0) continue;
    absl::StrAppend(&out, out.empty() ? "" : "|", name);
    a &= ~bit;
  }
  if (a != 0 || out.empty()) absl::StrAppend(&out, out.empty() ? "" : "|", absl::StrFormat("%#x", a));
  return out;
}

}  // namespace iocpsim::nt
