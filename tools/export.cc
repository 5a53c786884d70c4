// iocpsim export: a trace in a format other tools open.
#include <cstdio>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "files/output.h"
#include "traces/perfetto.h"
#include "traces/reader.h"
#include "traces/writer.h"
#include "tools/paths.h"
#include "tools/run_flags.h"
#include "tools/verb.h"

ABSL_FLAG(std::string, format, "perfetto",
          "Output format: perfetto (Chrome trace-event JSON for ui.perfetto.dev and "
          "chrome://tracing).");

namespace iocpsim::tools {
namespace {

int Run(const std::vector<std::string>& args) {
  const std::string out = absl::GetFlag(FLAGS_o);
  if (args.size() != 1 || out.empty()) {
    std::fprintf(stderr, "usage: iocpsim export --format=perfetto TRACE -o FILE\n");
    return kExitBadInput;
  }
  if (absl::GetFlag(FLAGS_format) != "perfetto") {
    std::fprintf(stderr, "iocpsim export: unknown format \"%s\" (known: perfetto)\n",
                 absl::GetFlag(FLAGS_format).c_str());
    return kExitBadInput;
  }
  if (absl::Status st = files::CheckNotAnInput("-o", ResolvePath(absl::GetFlag(FLAGS_o)), {ResolvePath(args[0])});
      !st.ok()) {
    std::fprintf(stderr, "iocpsim export: %s\n", std::string(st.message()).c_str());
    return kExitBadInput;
  }
  auto fail = [](const absl::Status& st) {
    std::fprintf(stderr, "iocpsim export: %s\n", std::string(st.message()).c_str());
    return kExitBadInput;
  };
  absl::StatusOr<std::string> bytes = traces::ReadFileBytes(ResolvePath(args[0]));
  if (!bytes.ok()) return fail(bytes.status());
  traces::TraceReader reader(ResolvePath(args[0]), *std::move(bytes));
  absl::StatusOr<trace::Header> header = reader.ReadHeader();
  if (!header.ok()) return fail(header.status());
  if (absl::Status st = CheckTracePoller(*header); !st.ok()) return fail(st);
  absl::StatusOr<std::unique_ptr<traces::FileSink>> sink = traces::FileSink::Open(ResolvePath(out));
  if (!sink.ok()) return fail(sink.status());
  // Event by event: memory stays the trace's bytes, whatever the output's
  // size. Damage part way leaves no output (the sink is not closed).
  traces::ChromeJsonWriter json(*header, **sink);
  int64_t events = 0;
  trace::Event e;
  for (;;) {
    absl::StatusOr<bool> more = reader.Next(&e);
    if (!more.ok()) return fail(more.status());
    if (!*more) break;
    json.Add(e);
    ++events;
  }
  json.Finish();
  if (absl::Status st = (*sink)->Close(); !st.ok()) return fail(st);
  // On stderr: the output may be stdout itself (-o /dev/stdout).
  std::fprintf(stderr, "wrote %s (%lld events)\n", out.c_str(), static_cast<long long>(events));
  return kExitOk;
}

}  // namespace

const Verb& ExportVerb() {
  static const Verb v = {
      "export",
      "convert a trace (perfetto: Chrome trace-event JSON)",
      "Convert a trace for other tools. perfetto: Chrome trace-event JSON with a track per "
      "thread, port queue depth and timer state as counters, and breaks, timer arming/firing "
      "and cancel results as instant events, and arrows from each break's post and timer's "
      "arming to the poll that dequeued it. --poller refuses a trace of another poller.",
      "--format=perfetto TRACE -o FILE [--poller=V]",
      {"format", "o", "poller"},
      &Run,
  };
  return v;
}

}  // namespace iocpsim::tools
