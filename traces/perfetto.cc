#include "traces/perfetto.h"

#include <cstdint>
#include <map>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
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

class Json {
 public:
  void Event(const std::string& body) { events_.push_back(absl::StrCat("{", body, "}")); }
  void Instant(int64_t ns, int tid, const std::string& name, const std::string& scope) {
    Event(absl::StrCat("\"name\":", Quote(name), ",\"ph\":\"i\",\"s\":\"", scope, "\",\"ts\":",
                       Us(ns), ",\"pid\":", kPid, ",\"tid\":", tid));
  }
  void Counter(int64_t ns, const std::string& name, int64_t value) {
    Event(absl::StrCat("\"name\":", Quote(name), ",\"ph\":\"C\",\"ts\":", Us(ns),
                       ",\"pid\":", kPid, ",\"args\":{\"value\":", value, "}"));
  }
  std::string Text() const {
    return absl::StrCat("{\"displayTimeUnit\":\"ns\",\"traceEvents\":[\n",
                        absl::StrJoin(events_, ",\n"), "\n]}\n");
  }

 private:
  std::vector<std::string> events_;
};

std::string ResultText(const trace::Call& c, const CallSchema& s) {
  const trace::Value& r = c.result();
  if (s.is_nt) return nt::StatusName(static_cast<nt::NTSTATUS>(r.raw()));
  if (r.v_case() == trace::Value::kHandle) return absl::StrCat("H", r.handle());
  return r.raw() != 0 ? "TRUE" : absl::StrCat("FALSE ", nt::ErrorName(c.last_error()));
}

}  // namespace

std::string ExportChromeJson(const Trace& t) {
  Json j;
  j.Event(absl::StrCat("\"name\":\"process_name\",\"ph\":\"M\",\"pid\":", kPid,
                       ",\"args\":{\"name\":", Quote("iocpsim " + t.header.workload()), "}"));
  std::map<uint64_t, int64_t> depth;  // port object -> queued packets
  for (const trace::Event& e : t.events) {
    const int tid = e.thread();
    switch (e.kind_case()) {
      case trace::Event::kThreadStart:
        j.Event(absl::StrCat("\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":", kPid, ",\"tid\":", tid,
                             ",\"args\":{\"name\":",
                             Quote(absl::StrCat("T", tid, " ", e.thread_start().name(),
                                                e.thread_start().is_m() ? " (M)" : "")),
                             "}"));
        break;
      case trace::Event::kCall: {
        const CallSchema* s = SchemaByFunction(e.call().function());
        if (s == nullptr) break;
        const int64_t start = e.call().start_ns();
        j.Event(absl::StrCat("\"name\":", Quote(s->name), ",\"ph\":\"X\",\"ts\":", Us(start),
                             ",\"dur\":", Us(SaturatingSub(e.time_ns(), start)), ",\"pid\":", kPid,
                             ",\"tid\":", tid, ",\"args\":{\"result\":",
                             Quote(ResultText(e.call(), *s)), "}"));
        if (e.call().function() == trace::Function::POST_QUEUED_COMPLETION_STATUS &&
            e.call().args_size() > 2 && e.call().args(2).raw() == kBreakKey) {
          j.Instant(e.time_ns(), tid, "break posted", "t");
        }
        if (e.call().function() == trace::Function::NT_CANCEL_WAIT_COMPLETION_PACKET) {
          j.Instant(e.time_ns(), tid, "cancel: " + ResultText(e.call(), *s), "t");
        }
        break;
      }
      case trace::Event::kKernel: {
        const trace::KernelEvent& k = e.kernel();
        const std::string timer = absl::StrCat("timer obj", k.object(), " state");
        const std::string port = absl::StrCat("port obj", k.object(), " queue depth");
        switch (k.kind()) {
          case trace::KernelEvent::TIMER_ARMED:
            j.Instant(e.time_ns(), 0, absl::StrCat("timer obj", k.object(), " armed"), "g");
            j.Counter(e.time_ns(), timer, 1);
            break;
          case trace::KernelEvent::TIMER_FIRED:
            j.Instant(e.time_ns(), 0, absl::StrCat("timer obj", k.object(), " fired"), "g");
            j.Counter(e.time_ns(), timer, 2);
            break;
          case trace::KernelEvent::TIMER_RESET:
            j.Counter(e.time_ns(), timer, 0);
            break;
          case trace::KernelEvent::PACKET_QUEUED:
            j.Counter(e.time_ns(), port, ++depth[k.object()]);
            break;
          case trace::KernelEvent::PACKET_DEQUEUED:
          case trace::KernelEvent::PACKET_REMOVED:
            j.Counter(e.time_ns(), port, --depth[k.object()]);
            break;
          default:
            break;
        }
        break;
      }
      case trace::Event::kFatal:
        j.Instant(e.time_ns(), tid, "fatal error: " + e.fatal().message(), "g");
        break;
      default:
        break;
    }
  }
  return j.Text();
}

}  // namespace iocpsim::traces
