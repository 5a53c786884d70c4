// iocpsim record: runs a bundled workload in the simulator and records it.
#include <cstdio>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "traces/record_workload.h"
#include "tools/paths.h"
#include "tools/run_flags.h"
#include "tools/verb.h"

namespace iocpsim::tools {
namespace {

int Run(const std::vector<std::string>& args) {
  const std::string out = absl::GetFlag(FLAGS_o);
  if (!args.empty() || out.empty()) {
    std::fprintf(stderr, "usage: iocpsim record [--workload=NAME] [--seed=N] -o TRACE\n");
    return kExitBadInput;
  }
  absl::StatusOr<std::unique_ptr<traces::FileSink>> sink = traces::FileSink::Open(ResolvePath(out));
  if (!sink.ok()) {
    std::fprintf(stderr, "iocpsim record: %s\n", std::string(sink.status().message()).c_str());
    return kExitBadInput;
  }
  absl::StatusOr<std::optional<poller::Variant>> variant = PollerFromFlag();
  if (!variant.ok()) {
    std::fprintf(stderr, "iocpsim record: %s\n", std::string(variant.status().message()).c_str());
    return kExitBadInput;
  }
  absl::StatusOr<sim::RunResult> r =
      traces::RecordWorkload(absl::GetFlag(FLAGS_workload), absl::GetFlag(FLAGS_seed),
                             HostSpecFromFlags(), **sink, *variant);
  absl::Status closed = (*sink)->Close();
  if (!r.ok() || !closed.ok()) {
    std::fprintf(stderr, "iocpsim record: %s\n",
                 std::string((r.ok() ? closed : r.status()).message()).c_str());
    return kExitBadInput;
  }
  std::printf("recorded %s (seed %llu) to %s: %s after %lld steps\n",
              absl::GetFlag(FLAGS_workload).c_str(),
              static_cast<unsigned long long>(absl::GetFlag(FLAGS_seed)), out.c_str(),
              sim::OutcomeName(r->outcome), static_cast<long long>(r->steps));
  return kExitOk;
}

}  // namespace

const Verb& RecordVerb() {
  static const Verb v = {
      "record",
      "record a bundled workload run as a trace",
      "Run a bundled multi-M workload in the simulator and record it as a trace; the same "
      "seed gives the same bytes.",
      "[--workload=NAME] [--seed=N] -o TRACE",
      WithHostFlags({"workload", "seed", "o"}),
      &Run,
  };
  return v;
}

}  // namespace iocpsim::tools
