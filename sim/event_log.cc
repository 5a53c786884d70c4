#include "sim/event_log.h"

#include <cstdint>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "poller/nt_names.h"

namespace iocpsim::sim {
namespace {

std::string Hex(uint64_t v) { return absl::StrFormat("%#x", v); }

// How a call's return value reads: NTSTATUS for Nt*, BOOL or HANDLE else.
std::string Result(const CallRecord& c) {
  if (c.name.rfind("Nt", 0) == 0) return nt::StatusName(static_cast<nt::NTSTATUS>(c.result));
  if (c.name == "CreateIoCompletionPort" || c.name == "CreateWaitableTimerExW" ||
      c.name == "CreateFile") {
    return c.result == 0 ? "NULL" : Hex(c.result);
  }
  if (c.name == "Sleep") return "done";
  return c.result != 0 ? "TRUE" : "FALSE";
}

// A failed Win32 call: its last error is worth showing.
bool Failed(const CallRecord& c) {
  return c.name.rfind("Nt", 0) != 0 && c.name != "Sleep" && c.name != "CompleteIo" &&
         c.result == 0;
}

}  // namespace

std::string FixedPoint(int64_t ns, int64_t unit, int digits, int width) {
  // The magnitude as unsigned: -INT64_MIN does not fit an int64.
  const uint64_t mag = ns < 0 ? 0 - static_cast<uint64_t>(ns) : static_cast<uint64_t>(ns);
  const uint64_t u = static_cast<uint64_t>(unit);
  const std::string whole = absl::StrCat(ns < 0 ? "-" : "", mag / u);
  return absl::StrFormat("%*s.%0*d", width, whole, digits, mag % u);
}

std::string FormatMs(int64_t ns) { return FixedPoint(ns, 1'000'000, 6, 0); }

void EventLog::OnDecision(int64_t now, absl::Span<const Choice> options, size_t picked) {
  if (!decisions_) return;
  std::vector<std::string> names;
  for (const Choice& c : options) names.push_back(ChoiceName(c));
  lines_.push_back(absl::StrCat(FormatMs(now), " sched ", absl::StrJoin(names, "|"), " -> ",
                                ChoiceName(options[picked])));
}

void EventLog::OnKernelEvent(int64_t now, const KernelEvent& e) {
  std::string line = absl::StrCat(FormatMs(now), " kernel ", KernelEventName(e.kind));
  if (e.thread >= 0) absl::StrAppend(&line, " T", e.thread);
  if (e.object != 0) absl::StrAppend(&line, " obj=", e.object);
  if (e.key != 0 || e.overlapped != 0) {
    absl::StrAppend(&line, " key=", Hex(e.key), " ov=", Hex(e.overlapped));
  }
  if (e.kind == KernelEvent::Kind::kTimerArmed) absl::StrAppend(&line, " at=", FormatMs(e.value));
  lines_.push_back(std::move(line));
}

void EventLog::OnCall(const CallRecord& c) {
  std::vector<std::string> args;
  for (uint64_t a : c.args) args.push_back(Hex(a));
  std::string line = absl::StrCat(FormatMs(c.end_ns), " T", c.thread, " ", c.name, "(",
                                  absl::StrJoin(args, ", "), ") = ", Result(c));
  if (!c.outs.empty()) {
    std::vector<std::string> outs;
    for (uint64_t o : c.outs) outs.push_back(Hex(o));
    absl::StrAppend(&line, " out=[", absl::StrJoin(outs, ", "), "]");
  }
  for (const nt::OverlappedEntry& e : c.entries) {
    absl::StrAppend(&line, " {key=", Hex(e.lpCompletionKey), " ov=", Hex(e.lpOverlapped), "}");
  }
  if (Failed(c)) absl::StrAppend(&line, " err=", nt::ErrorName(c.last_error));
  if (c.start_ns != c.end_ns) absl::StrAppend(&line, " (since ", FormatMs(c.start_ns), ")");
  lines_.push_back(std::move(line));
}

std::string EventLog::Text() const {
  std::string out;
  for (const std::string& l : lines_) absl::StrAppend(&out, l, "\n");
  return out;
}

}  // namespace iocpsim::sim
