// iocpsim show: a trace as a timeline, one line per event.
#include <cstdio>
#include <string>
#include <vector>

#include "traces/reader.h"
#include "traces/timeline.h"
#include "tools/paths.h"
#include "tools/verb.h"

namespace iocpsim::tools {
namespace {

int Run(const std::vector<std::string>& args) {
  if (args.size() != 1) {
    std::fprintf(stderr, "usage: iocpsim show TRACE\n");
    return kExitBadInput;
  }
  const std::string path = ResolvePath(args[0]);
  absl::StatusOr<std::string> bytes = traces::ReadFileBytes(path);
  if (!bytes.ok()) {
    std::fprintf(stderr, "iocpsim show: %s\n", std::string(bytes.status().message()).c_str());
    return kExitBadInput;
  }
  traces::TraceReader reader(path, *std::move(bytes));
  absl::StatusOr<trace::Header> h = reader.ReadHeader();
  if (!h.ok()) {
    std::fprintf(stderr, "iocpsim show: %s\n", std::string(h.status().message()).c_str());
    return kExitBadInput;
  }
  std::fputs(traces::FormatHeader(*h).c_str(), stdout);
  trace::Event e;
  while (true) {
    absl::StatusOr<bool> more = reader.Next(&e);
    if (!more.ok()) {
      std::fflush(stdout);
      std::fprintf(stderr, "iocpsim show: %s\n", std::string(more.status().message()).c_str());
      return kExitBadInput;
    }
    if (!*more) return kExitOk;
    std::printf("%s\n", traces::FormatEvent(e).c_str());
  }
}

}  // namespace

const Verb& ShowVerb() {
  static const Verb v = {
      "show",
      "print a trace as a timeline",
      "Print a trace as a timeline, one line per event (time in ms, thread, what happened). A "
      "damaged trace is shown up to its last whole event, then the error.",
      "TRACE",
      {},
      &Run,
  };
  return v;
}

}  // namespace iocpsim::tools
