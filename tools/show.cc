// iocpsim show: a trace as a timeline, one line per event, its numbers
// decoded for a Go developer (traces/decoder.h) unless --raw.
#include <cstdio>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "sim/host_profiles.h"
#include "traces/decoder.h"
#include "traces/reader.h"
#include "traces/timeline.h"
#include "tools/paths.h"
#include "tools/run_flags.h"
#include "tools/verb.h"

ABSL_FLAG(bool, raw, false, "Print arguments, keys and OVERLAPPEDs as the raw numbers recorded.");
ABSL_FLAG(std::string, thread, "",
          "Only these threads' events, comma-separated (T1,T3 or 1,3; 0 or -- for the kernel's).");
ABSL_FLAG(std::optional<double>, from_ms, std::nullopt, "Only events at or after this time (ms).");
ABSL_FLAG(std::optional<double>, to_ms, std::nullopt, "Only events at or before this time (ms).");

namespace iocpsim::tools {
namespace {

// The --thread list as thread numbers, or an error naming the bad entry.
absl::StatusOr<std::set<int>> Threads() {
  std::set<int> out;
  const std::string list = absl::GetFlag(FLAGS_thread);
  if (list.empty()) return out;
  for (absl::string_view part : absl::StrSplit(list, ',')) {
    int t = 0;
    const absl::string_view n = absl::StripPrefix(absl::StripAsciiWhitespace(part), "T");
    if (n == "--") {
      out.insert(0);
    } else if (absl::SimpleAtoi(n, &t) && t >= 0) {
      out.insert(t);
    } else {
      return absl::InvalidArgumentError(absl::StrCat("--thread: \"", part, "\" is not a thread (T1, 2, --)"));
    }
  }
  return out;
}

// The filters, read from the flags once.
struct Filter {
  std::set<int> threads;  // empty: all
  std::optional<int64_t> from_ns, to_ns;

  bool Shows(const trace::Event& e) const {
    if (!threads.empty() && !threads.count(e.thread())) return false;
    if (from_ns && e.time_ns() < *from_ns) return false;
    return !to_ns || e.time_ns() <= *to_ns;
  }
};

int Run(const std::vector<std::string>& args) {
  if (args.size() != 1) {
    std::fprintf(stderr, "usage: iocpsim show TRACE [--raw] [--thread=T1,T2] [--from_ms=A] [--to_ms=B]\n");
    return kExitBadInput;
  }
  absl::StatusOr<std::set<int>> threads = Threads();
  if (!threads.ok()) {
    std::fprintf(stderr, "iocpsim show: %s\n", std::string(threads.status().message()).c_str());
    return kExitBadInput;
  }
  Filter filter;
  filter.threads = *std::move(threads);
  for (const auto& [name, v, out] :
       {std::tuple{"from_ms", absl::GetFlag(FLAGS_from_ms), &filter.from_ns},
        std::tuple{"to_ms", absl::GetFlag(FLAGS_to_ms), &filter.to_ns}}) {
    if (v && !(*v >= 0 && *v <= 4.6e12)) {  // NaN fails too; 4.6e12 ms is the clock's ceiling
      std::fprintf(stderr, "iocpsim show: --%s must be between 0 and 4.6e12\n", name);
      return kExitBadInput;
    }
    if (v) *out = sim::ClockNs(*v);
  }
  const std::string path = ResolvePath(args[0]);
  absl::StatusOr<std::string> bytes = traces::ReadFileBytes(path);
  if (!bytes.ok()) {
    std::fprintf(stderr, "iocpsim show: %s\n", std::string(bytes.status().message()).c_str());
    return kExitBadInput;
  }
  // Decoding needs what comes later (a completion names its OVERLAPPED
  // after its packet is queued): a first pass learns from every whole
  // event, the second prints. Both stream, so memory stays near the trace's
  // bytes (twice them during the first pass).
  absl::StatusOr<trace::Header> h;
  std::optional<traces::TraceDecoder> decoder;
  {
    traces::TraceReader learn(path, *bytes);
    h = learn.ReadHeader();
    absl::Status st = h.ok() ? CheckTracePoller(*h) : h.status();
    if (!st.ok()) {
      std::fprintf(stderr, "iocpsim show: %s\n", std::string(st.message()).c_str());
      return kExitBadInput;
    }
    if (!absl::GetFlag(FLAGS_raw)) {
      decoder.emplace(*h);
      for (trace::Event e; learn.Next(&e).value_or(false);) decoder->Learn(e);
    }
  }
  traces::TraceReader reader(path, *std::move(bytes));
  (void)reader.ReadHeader();  // read above
  std::fputs(traces::FormatHeader(*h).c_str(), stdout);
  absl::Status damage;
  for (trace::Event e;;) {
    absl::StatusOr<bool> more = reader.Next(&e);
    if (!more.ok()) damage = more.status();
    if (!more.ok() || !*more) break;
    if (filter.Shows(e)) {
      std::printf("%s\n", traces::FormatEvent(e, decoder ? &*decoder : nullptr).c_str());
    }
  }
  if (!damage.ok()) {
    std::fflush(stdout);
    std::fprintf(stderr, "iocpsim show: %s\n", std::string(damage.message()).c_str());
    return kExitBadInput;
  }
  return kExitOk;
}

}  // namespace

const Verb& ShowVerb() {
  static const Verb v = {
      "show",
      "print a trace as a timeline",
      "Print a trace as a timeline, one line per event (time in ms, thread, what happened), "
      "with what its numbers mean to a Go developer: completion keys as their netpoll source "
      "and pollDesc (break, timer, ready pd#2), OVERLAPPEDs as the I/O they carry, timer due "
      "times and waits in ms, handles by kind, NTSTATUS and Win32 errors by name (--raw: the "
      "numbers as recorded). --thread and --from_ms/--to_ms keep some threads or a time "
      "window; --poller refuses a trace of another poller. A damaged trace is shown up to its "
      "last whole event, then the error.",
      "TRACE [--raw] [--thread=T1,T2] [--from_ms=A] [--to_ms=B] [--poller=V]",
      {"raw", "thread", "from_ms", "to_ms", "poller"},
      &Run,
  };
  return v;
}

}  // namespace iocpsim::tools
