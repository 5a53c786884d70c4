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
#include "traces/decoder.h"
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

// The arguments as raw values, or with a decoder as what they mean.
std::vector<std::string> Args(const trace::Call& c, const TraceDecoder* d) {
  std::vector<std::string> args;
  for (const trace::Value& a : c.args()) args.push_back(Val(a));
  if (d == nullptr) return args;
  auto raw = [&c](int i) { return c.args(i).raw(); };
  auto set = [&args](size_t i, std::string v) {
    if (i < args.size()) args[i] = std::move(v);
  };
  const int n = c.args_size();
  switch (c.function()) {
    case trace::Function::CREATE_IO_COMPLETION_PORT:
      if (n < 4) break;
      if (c.args(0).v_case() != trace::Value::kHandle) set(0, "INVALID_HANDLE_VALUE");
      if (c.args(0).v_case() == trace::Value::kHandle) set(2, "key=" + d->Key(raw(2)));
      set(3, absl::StrCat("threads=", raw(3)));
      break;
    case trace::Function::POST_QUEUED_COMPLETION_STATUS:
      if (n < 4) break;
      set(1, absl::StrCat("bytes=", raw(1)));
      set(2, "key=" + d->Key(raw(2)));
      set(3, "ov=" + d->Overlapped(raw(3)));
      break;
    case trace::Function::GET_QUEUED_COMPLETION_STATUS_EX:
      if (n < 4) break;
      set(1, absl::StrCat("max=", raw(1)));
      set(2, raw(2) == 0xffffffff ? "wait=INFINITE" : absl::StrCat("wait=", raw(2), " ms"));
      set(3, raw(3) != 0 ? "alertable" : "not alertable");
      break;
    case trace::Function::SET_WAITABLE_TIMER:
      if (n < 2) break;
      set(1, "due " + d->DueTime(static_cast<int64_t>(raw(1))));
      break;
    case trace::Function::NT_ASSOCIATE_WAIT_COMPLETION_PACKET:
      if (n < 4) break;
      set(3, "key=" + d->Key(raw(3)));
      break;
    case trace::Function::CREATE_WAITABLE_TIMER_EX_W:
      if (n < 4) break;
      set(2, raw(2) == 0x2 ? "HIGH_RESOLUTION" : absl::StrFormat("flags=%#x", raw(2)));
      set(3, nt::AccessName(static_cast<uint32_t>(raw(3))));
      break;
    case trace::Function::NT_CREATE_WAIT_COMPLETION_PACKET:
      if (n < 1) break;
      set(0, nt::AccessName(static_cast<uint32_t>(raw(0))));
      break;
    case trace::Function::NT_CANCEL_WAIT_COMPLETION_PACKET:
      if (n < 2) break;
      set(1, raw(1) != 0 ? "remove signaled packet" : "keep signaled packet");
      break;
    case trace::Function::COMPLETE_IO:
      if (n < 3) break;
      set(1, "ov=" + d->Overlapped(raw(1)));
      set(2, absl::StrCat("bytes=", raw(2)));
      break;
    case trace::Function::SLEEP:
      if (n < 1) break;
      set(0, MsText(static_cast<int64_t>(raw(0))) + " ms");
      break;
    default:
      break;
  }
  return args;
}

std::string CallLine(const trace::Call& c, const TraceDecoder* d) {
  const CallSchema* s = SchemaByFunction(c.function());
  std::vector<std::string> args = Args(c, d);
  std::string line = absl::StrCat(s != nullptr ? s->name : "?", "(", absl::StrJoin(args, ", "), ") = ");
  const trace::Value& r = c.result();
  bool failed = false;
  if (s != nullptr && s->is_nt) {
    absl::StrAppend(&line, nt::StatusName(static_cast<nt::NTSTATUS>(r.raw())));
  } else if (s != nullptr && (s->result_is_handle || r.v_case() == trace::Value::kHandle)) {
    absl::StrAppend(&line, Val(r));
    failed = r.v_case() == trace::Value::kHandle && r.handle() == 0;
    if (d != nullptr && !failed && r.v_case() == trace::Value::kHandle &&
        !d->HandleKind(r.handle()).empty() &&
        (c.function() != trace::Function::CREATE_IO_COMPLETION_PORT ||
         (c.args_size() > 0 && c.args(0).v_case() != trace::Value::kHandle))) {
      absl::StrAppend(&line, " (", d->HandleKind(r.handle()), ")");
    }
  } else if (c.function() == trace::Function::SLEEP ||
             c.function() == trace::Function::GOPARK) {
    line.resize(line.size() - 3);  // returns nothing
  } else {
    absl::StrAppend(&line, r.raw() != 0 ? "TRUE" : "FALSE");
    failed = r.raw() == 0;
  }
  if (c.outs_size() > 0) {
    std::vector<std::string> outs;
    for (const trace::Value& o : c.outs()) {
      outs.push_back(Val(o));
      // The out-parameters that are counts or flags, by name.
      if (d != nullptr && c.function() == trace::Function::GET_QUEUED_COMPLETION_STATUS_EX) {
        outs.back() = absl::StrCat("removed=", o.raw());
      } else if (d != nullptr &&
                 c.function() == trace::Function::NT_ASSOCIATE_WAIT_COMPLETION_PACKET) {
        outs.back() = o.raw() != 0 ? "AlreadySignaled" : "not signaled";
      }
      if (d != nullptr && o.v_case() == trace::Value::kHandle &&
          !d->HandleKind(o.handle()).empty()) {
        absl::StrAppend(&outs.back(), " (", d->HandleKind(o.handle()), ")");
      }
    }
    absl::StrAppend(&line, " out=[", absl::StrJoin(outs, ", "), "]");
  }
  for (const trace::Entry& e : c.entries()) {
    if (d != nullptr) {
      absl::StrAppend(&line, " {", d->Key(e.key()), ", ov=", d->Overlapped(e.overlapped()), "}");
    } else {
      absl::StrAppendFormat(&line, " {key=%#x ov=%#x}", e.key(), e.overlapped());
    }
  }
  if (failed) absl::StrAppend(&line, " err=", nt::ErrorName(c.last_error()));
  return line;
}

}  // namespace

std::string FormatEvent(const trace::Event& e, const TraceDecoder* decoder) {
  std::string who = e.thread() > 0 ? absl::StrCat("T", e.thread()) : "--";
  std::string line = absl::StrFormat("%s %-4s ", Ms(e.time_ns()), who);
  switch (e.kind_case()) {
    case trace::Event::kThreadStart:
      absl::StrAppend(&line, "thread ", Printable(e.thread_start().name()),
                      e.thread_start().is_m() ? " (M)" : "");
      break;
    case trace::Event::kCall:
      absl::StrAppend(&line, CallLine(e.call(), decoder));
      if (e.call().start_ns() != e.time_ns()) {
        absl::StrAppend(&line, " (blocked since ", Ms(e.call().start_ns()), ")");
      }
      break;
    case trace::Event::kThreadEnd:
      absl::StrAppend(&line, "thread ends");
      break;
    case trace::Event::kCallStart: {
      const CallSchema* s = SchemaByFunction(e.call_start().function());
      trace::Call started;  // as the call it begins, for its arguments
      started.set_function(e.call_start().function());
      *started.mutable_args() = e.call_start().args();
      std::vector<std::string> args = Args(started, decoder);
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
      if ((k.key() != 0 || k.overlapped() != 0) && decoder != nullptr) {
        absl::StrAppend(&line, " ", decoder->Key(k.key()), ", ov=", decoder->Overlapped(k.overlapped()));
      } else if (k.key() != 0 || k.overlapped() != 0) {
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
