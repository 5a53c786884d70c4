#include "traces/perfetto.h"

#include <cstdint>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "poller/nt_names.h"
#include "poller/runtime.h"
#include "traces/call_schema.h"
#include "traces/time_text.h"

namespace iocpsim::traces {
namespace {

constexpr int kPid = 1;
using poller::kBreakKey;

std::string Quote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      absl::StrAppendFormat(&out, "\\u%04x", c);
    } else {
      out += c;
    }
  }
  return out + "\"";
}

// Microseconds, as the format wants, exactly: ns / 1000 with 3 decimals.
std::string Us(int64_t ns) { return FixedPoint(ns, 1000, 3, 0); }

std::string ResultText(const trace::Call& c, const CallSchema& s) {
  const trace::Value& r = c.result();
  if (s.is_nt) return nt::StatusName(static_cast<nt::NTSTATUS>(r.raw()));
  if (r.v_case() == trace::Value::kHandle) return absl::StrCat("H", r.handle());
  return r.raw() != 0 ? "TRUE" : absl::StrCat("FALSE ", nt::ErrorName(c.last_error()));
}

}  // namespace

ChromeJsonWriter::ChromeJsonWriter(const trace::Header& header, ByteSink& out) : out_(out) {
  out_.Append("{\"displayTimeUnit\":\"ns\",\"traceEvents\":[\n");
  Event(absl::StrCat("\"name\":\"process_name\",\"ph\":\"M\",\"pid\":", kPid,
                     ",\"args\":{\"name\":", Quote("iocpsim " + header.workload()), "}"));
}

void ChromeJsonWriter::Event(const std::string& body) {
  out_.Append(absl::StrCat(first_ ? "{" : ",\n{", body, "}"));
  first_ = false;
}

void ChromeJsonWriter::Instant(int64_t ns, int tid, const std::string& name,
                               const std::string& scope) {
  Event(absl::StrCat("\"name\":", Quote(name), ",\"ph\":\"i\",\"s\":\"", scope, "\",\"ts\":",
                     Us(ns), ",\"pid\":", kPid, ",\"tid\":", tid));
}

void ChromeJsonWriter::Counter(int64_t ns, const std::string& name, int64_t value) {
  Event(absl::StrCat("\"name\":", Quote(name), ",\"ph\":\"C\",\"ts\":", Us(ns), ",\"pid\":", kPid,
                     ",\"args\":{\"value\":", value, "}"));
}

void ChromeJsonWriter::Finish() { out_.Append("\n]}\n"); }

void ChromeJsonWriter::Arrow(const Flow& f) {
  // Flow events bind to the slice enclosing their time on their thread: the
  // post (or arming) call, and the GetQueuedCompletionStatusEx that took it.
  Event(absl::StrCat("\"name\":", Quote(f.name), ",\"cat\":\"flow\",\"ph\":\"s\",\"id\":", f.id,
                     ",\"ts\":", Us(f.from_ns), ",\"pid\":", kPid, ",\"tid\":", f.from_tid));
  Event(absl::StrCat("\"name\":", Quote(f.name), ",\"cat\":\"flow\",\"ph\":\"f\",\"bp\":\"e\",\"id\":",
                     f.id, ",\"ts\":", Us(f.to_ns), ",\"pid\":", kPid, ",\"tid\":", f.to_tid));
}

void ChromeJsonWriter::Add(const trace::Event& e) {
  const int tid = e.thread();
  for (const Flow& f : flows_.Add(e)) Arrow(f);
  switch (e.kind_case()) {
    case trace::Event::kThreadStart:
      Event(absl::StrCat("\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":", kPid, ",\"tid\":", tid,
                         ",\"args\":{\"name\":",
                         Quote(absl::StrCat("T", tid, " ", e.thread_start().name(),
                                              e.thread_start().is_m() ? " (M)" : "")),
                         "}"));
      break;
    case trace::Event::kCall: {
      const CallSchema* s = SchemaByFunction(e.call().function());
      if (s == nullptr) break;
      const int64_t start = e.call().start_ns();
      Event(absl::StrCat("\"name\":", Quote(s->name), ",\"ph\":\"X\",\"ts\":", Us(start),
                         ",\"dur\":", Us(SaturatingSub(e.time_ns(), start)), ",\"pid\":", kPid,
                         ",\"tid\":", tid, ",\"args\":{\"result\":",
                         Quote(ResultText(e.call(), *s)), "}"));
      if (e.call().function() == trace::Function::POST_QUEUED_COMPLETION_STATUS &&
          e.call().args_size() > 2 && e.call().args(2).raw() == kBreakKey) {
        Instant(e.time_ns(), tid, "break posted", "t");
      }
      if (e.call().function() == trace::Function::NT_CANCEL_WAIT_COMPLETION_PACKET) {
        Instant(e.time_ns(), tid, "cancel: " + ResultText(e.call(), *s), "t");
      }
      break;
    }
    case trace::Event::kKernel: {
      const trace::KernelEvent& k = e.kernel();
      const std::string timer = absl::StrCat("timer obj", k.object(), " state");
      const std::string port = absl::StrCat("port obj", k.object(), " queue depth");
      switch (k.kind()) {
        case trace::KernelEvent::TIMER_ARMED:
          Instant(e.time_ns(), 0, absl::StrCat("timer obj", k.object(), " armed"), "g");
          Counter(e.time_ns(), timer, 1);
          break;
        case trace::KernelEvent::TIMER_FIRED:
          Instant(e.time_ns(), 0, absl::StrCat("timer obj", k.object(), " fired"), "g");
          Counter(e.time_ns(), timer, 2);
          break;
        case trace::KernelEvent::TIMER_RESET:
          Counter(e.time_ns(), timer, 0);
          break;
        case trace::KernelEvent::PACKET_QUEUED:
          Counter(e.time_ns(), port, ++depth_[k.object()]);
          break;
        case trace::KernelEvent::PACKET_DEQUEUED:
        case trace::KernelEvent::PACKET_REMOVED:
          Counter(e.time_ns(), port, --depth_[k.object()]);
          break;
        default:
          break;
      }
      break;
    }
    case trace::Event::kFatal:
      Instant(e.time_ns(), tid, "fatal error: " + e.fatal().message(), "g");
      break;
    default:
      break;
  }
}

std::string ExportChromeJson(const Trace& t) {
  StringSink sink;
  ChromeJsonWriter j(t.header, sink);
  for (const trace::Event& e : t.events) j.Add(e);
  j.Finish();
  return sink.data();
}

}  // namespace iocpsim::traces
