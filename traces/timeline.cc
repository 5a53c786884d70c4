#include "traces/timeline.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "absl/strings/ascii.h"
#include "poller/nt_names.h"
#include "sim/host_profiles.h"
#include "traces/call_schema.h"
#include "traces/header.h"
#include "traces/printable.h"
#include "traces/time_text.h"

namespace iocpsim::traces {
namespace {

std::string Ms(int64_t ns) { return FixedPoint(ns, 1'000'000, 6, 4); }

std::string Val(const trace::Value& v) {
  if (v.v_case() == trace::Value::kHandle) {
    return v.handle() == 0 ? "NULL" : absl::StrCat("H", v.handle());
  }
  return absl::StrFormat("%#x", v.raw());
}

std::string KernelName(trace::KernelEvent::Kind k) {
  std::string n = trace::KernelEvent::Kind_Name(k);
  for (char& c : n) c = c == '_' ? '-' : static_cast<char>(c - 'A' + 'a');
  return n;
}

std::string CallLine(const trace::Call& c) {
  const CallSchema* s = SchemaByFunction(c.function());
  std::vector<std::string> args;
  for (const trace::Value& a : c.args()) args.push_back(Val(a));
  std::string line = absl::StrCat(s != nullptr ? s->name : "?", "(", absl::StrJoin(args, ", "), ") = ");
  const trace::Value& r = c.result();
  bool failed = false;
  if (s != nullptr && s->is_nt) {
    absl::StrAppend(&line, nt::StatusName(static_cast<nt::NTSTATUS>(r.raw())));
  } else if (s != nullptr && (s->result_is_handle || r.v_case() == trace::Value::kHandle)) {
    absl::StrAppend(&line, Val(r));
    failed = r.v_case() == trace::Value::kHandle && r.handle() == 0;
  } else if (c.function() == trace::Function::SLEEP) {
    line.resize(line.size() - 3);
  } else {
    absl::StrAppend(&line, r.raw() != 0 ? "TRUE" : "FALSE");
    failed = r.raw() == 0;
  }
  if (c.outs_size() > 0) {
    std::vector<std::string> outs;
    for (const trace::Value& o : c.outs()) outs.push_back(Val(o));
    absl::StrAppend(&line, " out=[", absl::StrJoin(outs, ", "), "]");
  }
  for (const trace::Entry& e : c.entries()) {
    absl::StrAppendFormat(&line, " {key=%#x ov=%#x}", e.key(), e.overlapped());
  }
  if (failed) absl::StrAppend(&line, " err=", nt::ErrorName(c.last_error()));
  return line;
}

}  // namespace

std::string FormatEvent(const trace::Event& e) {
  std::string who = e.thread() > 0 ? absl::StrCat("T", e.thread()) : "--";
  std::string line = absl::StrFormat("%s %-4s ", Ms(e.time_ns()), who);
  switch (e.kind_case()) {
    case trace::Event::kThreadStart:
      absl::StrAppend(&line, "thread ", Printable(e.thread_start().name()),
                      e.thread_start().is_m() ? " (M)" : "");
      break;
    case trace::Event::kCall:
      absl::StrAppend(&line, CallLine(e.call()));
      if (e.call().start_ns() != e.time_ns()) {
        absl::StrAppend(&line, " (blocked since ", Ms(e.call().start_ns()), ")");
      }
      break;
    case trace::Event::kThreadEnd:
      absl::StrAppend(&line, "thread ends");
      break;
    case trace::Event::kCallStart: {
      const CallSchema* s = SchemaByFunction(e.call_start().function());
      std::vector<std::string> args;
      for (const trace::Value& a : e.call_start().args()) args.push_back(Val(a));
      absl::StrAppend(&line, s != nullptr ? s->name : "?", "(", absl::StrJoin(args, ", "),
                      ") begins");
      break;
    }
    case trace::Event::kDecision: {
      std::vector<std::string> opts;
      for (const trace::Option& o : e.decision().options()) {
        opts.push_back(o.kind() == trace::Option::THREAD ? absl::StrCat("T", o.thread())
                       : o.kind() == trace::Option::KERNEL ? "kernel" : "advance");
      }
      const uint32_t p = e.decision().picked();
      absl::StrAppend(&line, "sched ", absl::StrJoin(opts, "|"), " -> ",
                      p < opts.size() ? opts[p] : absl::StrCat("#", p));
      break;
    }
    case trace::Event::kKernel: {
      const trace::KernelEvent& k = e.kernel();
      absl::StrAppend(&line, "kernel ", KernelName(k.kind()));
      if (k.object() != 0) absl::StrAppend(&line, " obj=", k.object());
      if (k.key() != 0 || k.overlapped() != 0) {
        absl::StrAppendFormat(&line, " key=%#x ov=%#x", k.key(), k.overlapped());
      }
      if (k.kind() == trace::KernelEvent::TIMER_ARMED) {
        absl::StrAppend(&line, " at=", absl::StripLeadingAsciiWhitespace(Ms(k.value())));
      }
      break;
    }
    case trace::Event::kNetpoll:
      absl::StrAppend(&line, "netpoll(", e.netpoll().delay(), ") -> ", e.netpoll().goroutines(),
                      " goroutines, delta ", e.netpoll().delta());
      break;
    case trace::Event::kFatal: {
      // The runtime prints "fatal error: ..." itself as its last line.
      const std::string last = absl::StrCat("fatal error: ", e.fatal().message());
      absl::StrAppend(&line, Printable(absl::StrJoin(e.fatal().printed(), " | ")));
      if (e.fatal().printed().empty() || *e.fatal().printed().rbegin() != last) {
        absl::StrAppend(&line, e.fatal().printed().empty() ? "" : " | ", Printable(last));
      }
      break;
    }
    case trace::Event::kEnd:
      absl::StrAppend(&line, "end: ", Printable(e.end().outcome()), " after ", e.end().steps(),
                      " steps, ", e.end().decisions(), " decisions");
      if (!e.end().reason().empty()) absl::StrAppend(&line, " (", Printable(e.end().reason()), ")");
      break;
    case trace::Event::KIND_NOT_SET:
      absl::StrAppend(&line, "(empty event)");
      break;
  }
  return line;
}

std::string FormatHeader(const trace::Header& h) {
  std::string out =
      absl::StrCat("# ", Printable(h.tool_version()), ", trace format ", h.format_version(), "\n");
  if (h.backend().has_sim()) {
    absl::StrAppend(&out, "# backend: simulator, host ",
                    sim::DescribeHost(KernelFromSimHost(h.backend().sim())), "\n");
  } else if (h.backend().has_real()) {
    absl::StrAppend(&out, "# backend: ", Printable(h.backend().real().os()), " on ",
                    Printable(h.backend().real().machine()), "\n");
  }
  absl::StrAppend(&out, "# workload ", Printable(h.workload()), " (seed ", h.workload_seed(),
                  "), scheduler ", Printable(h.scheduler().strategy()), " seed ", h.scheduler().seed(),
                  h.scheduler().preemption() ? " with preemption" : "", ", poller ",
                  Printable(h.poller().empty() ? "highres" : h.poller()), " (",
                  Printable(h.poller_variant()), "), GOMAXPROCS ", h.gomaxprocs(), ", ", h.ptr_size() * 8,
                  "-bit\n");
  return out;
}

}  // namespace iocpsim::traces
