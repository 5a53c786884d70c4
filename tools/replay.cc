// iocpsim replay: drives a backend from a trace and compares every event.
#include <cstdio>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "files/output.h"
#include "tools/real_backend.h"
#include "traces/check_real.h"
#include "traces/header.h"
#include "traces/reader.h"
#include "traces/replayer.h"
#include "traces/wire_trace.h"
#include "traces/writer.h"
#include "sim/host_profiles.h"
#include "tools/paths.h"
#include "tools/run_flags.h"
#include "tools/verb.h"

ABSL_FLAG(bool, keep_going, false, "Go on after a divergence and count them all.");

namespace iocpsim::tools {
namespace {

void PrintDivergence(const std::string& path, const traces::Divergence& d) {
  std::printf("%s: event %lld %s\n", path.c_str(), static_cast<long long>(d.index),
              d.kind.c_str());
  if (!d.before.empty()) std::printf("  after:\n");
  for (const std::string& b : d.before) std::printf("    %s\n", b.c_str());
  std::printf("  expected: %s\n  got:      %s\n", d.expected.c_str(), d.got.c_str());
}

int Run(const std::vector<std::string>& args) {
  if (args.size() != 1) {
    std::fprintf(stderr, "usage: iocpsim replay TRACE [--backend=sim|real] [--keep-going] [-o TRACE]\n");
    return kExitBadInput;
  }
  if (absl::Status st = CheckBackendFlag(); !st.ok()) {
    std::fprintf(stderr, "iocpsim replay: %s\n", std::string(st.message()).c_str());
    return kExitBadInput;
  }
  const std::string path = ResolvePath(args[0]);
  if (absl::Status st = files::CheckNotAnInput("-o", ResolvePath(absl::GetFlag(FLAGS_o)), {path});
      !st.ok()) {
    std::fprintf(stderr, "iocpsim replay: %s\n", std::string(st.message()).c_str());
    return kExitBadInput;
  }
  absl::StatusOr<std::string> bytes = traces::ReadFileBytes(path);
  if (!bytes.ok()) {
    std::fprintf(stderr, "iocpsim replay: %s\n", std::string(bytes.status().message()).c_str());
    return kExitBadInput;
  }
  // Framed only: a simulated replay reads what it needs off the wire (its
  // fastest read); the real-kernel paths take the trace as messages, read
  // again from the same bytes.
  absl::StatusOr<traces::WireTrace> t = traces::WireTrace::Read(path, *bytes);
  if (!t.ok()) {
    std::fprintf(stderr, "iocpsim replay: %s\n", std::string(t.status().message()).c_str());
    return kExitBadInput;
  }
  // A trace replays against the poller that made it: --poller only checks.
  if (absl::Status st = CheckTracePoller(t->header()); !st.ok()) {
    std::fprintf(stderr, "iocpsim replay: %s: %s; a trace replays only against the poller that "
                 "made it\n", path.c_str(), std::string(st.message()).c_str());
    return kExitBadInput;
  }
  // Nothing compared is not a replay that agreed: a header-only trace (a
  // recording cut off before its first event) must not pass.
  if (t->empty()) {
    std::fprintf(stderr, "iocpsim replay: %s: no events (header only): nothing to replay\n",
                 path.c_str());
    return kExitBadInput;
  }
  traces::ReplayOptions options;
  options.keep_going = absl::GetFlag(FLAGS_keep_going);
  // A simulated run replays exactly in the simulator; a real run is checked
  // against the model of its host (the profile its header's OS implies, or
  // --host and the host flags); any trace replays on a real kernel, in
  // iocpsim.exe.
  absl::StatusOr<traces::ReplayReport> r;
  const trace::Header& header = t->header();
  absl::StatusOr<traces::Trace> messages = traces::Trace{};
  if (RealBackend() || header.backend().has_real()) messages = traces::ParseTrace(path, *bytes);
  if (!messages.ok()) {  // the bytes read above: not expected
    std::fprintf(stderr, "iocpsim replay: %s\n", std::string(messages.status().message()).c_str());
    return kExitBadInput;
  }
  if (RealBackend()) {
    r = ReplayOnRealBackend(*messages, options);
  } else if (header.backend().has_real()) {
    sim::KernelConfig model;
    model.ptr_size = header.ptr_size();
    sim::HostSpec spec = HostSpecFromFlags();
    if (!spec.profile) spec.profile = traces::ProfileOfRealHost(header.backend().real());
    if (absl::Status st = sim::ApplyHostSpec(spec, model); !st.ok()) {
      std::fprintf(stderr, "iocpsim replay: %s\n", std::string(st.message()).c_str());
      return kExitBadInput;
    }
    std::printf("%s: recorded on %s; checking against the model of host %s\n", path.c_str(),
                header.backend().real().os().c_str(), sim::DescribeHost(model).c_str());
    r = traces::CheckInSimulator(*messages, model, options);
  } else {
    r = traces::ReplayInSimulator(*t, options);  // its errors name the file
    if (!r.ok()) {
      std::fprintf(stderr, "iocpsim replay: %s\n", std::string(r.status().message()).c_str());
      return kExitBadInput;
    }
  }
  if (!r.ok()) {
    std::fprintf(stderr, "iocpsim replay: %s: %s\n", path.c_str(),
                 std::string(r.status().message()).c_str());
    return kExitBadInput;
  }
  if (const std::string out = absl::GetFlag(FLAGS_o); !out.empty() && !r->rerecorded.empty()) {
    absl::StatusOr<std::unique_ptr<traces::FileSink>> sink =
        traces::FileSink::Open(ResolvePath(out));
    if (!sink.ok()) {
      std::fprintf(stderr, "iocpsim replay: %s\n", std::string(sink.status().message()).c_str());
      return kExitBadInput;
    }
    (*sink)->Append(r->rerecorded);
    if (absl::Status st = (*sink)->Close(); !st.ok()) {
      std::fprintf(stderr, "iocpsim replay: %s\n", std::string(st.message()).c_str());
      return kExitBadInput;
    }
  }
  for (const traces::Divergence& d : r->shown) PrintDivergence(path, d);
  if (r->divergences > static_cast<int64_t>(r->shown.size())) {
    std::printf("... and %lld more\n",
                static_cast<long long>(r->divergences - static_cast<int64_t>(r->shown.size())));
  }
  std::printf("%s: %lld events compared, %lld diverged", path.c_str(),
              static_cast<long long>(r->compared), static_cast<long long>(r->divergences));
  if (r->unsupported + r->not_reproducible > 0) {
    std::printf(" (%lld unsupported by this host, %lld not reproducible on a real kernel)",
                static_cast<long long>(r->unsupported),
                static_cast<long long>(r->not_reproducible));
  }
  std::printf("\n");
  return r->divergences == 0 ? kExitOk : kExitFound;
}

}  // namespace

const Verb& ReplayVerb() {
  static const Verb v = {
      "replay",
      "replay a trace against a backend and compare every event",
      "Replay a trace against a backend, issuing each thread's recorded calls in the recorded "
      "order, and compare every event; exits 1 on the first divergence (all of them with "
      "--keep-going). A simulated run replays bit for bit in the simulator; a run recorded on a "
      "real kernel is checked against the simulator's model of the host (--host and the host "
      "flags), naming the first outcome the model does not allow; --backend=real (iocpsim.exe) "
      "replays any trace on the host's kernel, telling calls the host lacks (unsupported) and "
      "outcomes it cannot be forced into (not reproducible) from divergences.",
      "TRACE [--backend=sim|real] [--keep-going] [-o TRACE]",
      WithHostFlags({"backend", "keep_going", "o"}),
      &Run,
  };
  return v;
}

}  // namespace iocpsim::tools
