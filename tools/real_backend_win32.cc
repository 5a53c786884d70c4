// iocpsim.exe's real backend: run a scenario on the host's kernel, replay a
// trace on it.
#include <cstdio>
#include <memory>
#include <string>

#include "poller/branches.h"
#include "sim/event_log.h"
#include "tools/coverage_table.h"
#include "tools/exit_codes.h"
#include "tools/paths.h"
#include "tools/real_backend.h"
#include "traces/writer.h"
#include "win32/host.h"
#include "win32/real_replay.h"
#include "win32/real_run.h"

namespace iocpsim::tools {

int RunOnRealBackend(const std::string& scenario, uint64_t seed, const std::string& record,
                     std::optional<poller::Variant> poller) {
  std::unique_ptr<traces::FileSink> file;
  if (!record.empty()) {
    absl::StatusOr<std::unique_ptr<traces::FileSink>> f = traces::FileSink::Open(ResolvePath(record));
    if (!f.ok()) {
      std::fprintf(stderr, "iocpsim run: %s\n", std::string(f.status().message()).c_str());
      return kExitBadInput;
    }
    file = *std::move(f);
  }
  absl::StatusOr<win32::RealRunOutcome> r =
      win32::RunOnRealKernel(ResolvePath(scenario), seed, win32::RealProcessConfig{}, file.get(),
                             poller);
  if (!r.ok()) {
    std::fprintf(stderr, "iocpsim run: %s\n", std::string(r.status().message()).c_str());
    return kExitBadInput;
  }
  if (file != nullptr) {
    if (absl::Status st = file->Close(); !st.ok()) {
      std::fprintf(stderr, "iocpsim run: %s\n", std::string(st.message()).c_str());
      return kExitBadInput;
    }
  }
  const win32::HostDescription host = win32::DescribeHost();
  std::printf("%s on %s (%s), seed %llu: %s%s%s\n", scenario.c_str(), host.os.c_str(),
              host.machine.c_str(), static_cast<unsigned long long>(seed),
              sim::OutcomeName(r->result.outcome), r->result.stop_reason.empty() ? "" : ": ",
              r->result.stop_reason.c_str());
  if (r->wait_packets_hidden) std::printf("  wait packets hidden, as the scenario's host has none\n");
  for (const auto& [race, n] : r->races) {
    std::printf("  race %-58s not forced (a real kernel cannot be steered)\n", race.c_str());
  }
  PrintPathsTaken(r->branches);
  std::printf("\n  I/O: %lld completions, %lld deliveries, %lld duplicates\n",
              static_cast<long long>(r->tally.completions),
              static_cast<long long>(r->tally.deliveries),
              static_cast<long long>(r->tally.duplicates));
  // What a real run is held to: it ends, throws only if expected, and
  // delivers no goroutine twice. The timing oracles need the simulator.
  const char* violation = nullptr;
  if (r->result.outcome == sim::RunResult::Outcome::kStepLimit) {
    violation = "the run did not end";
  } else if ((r->result.outcome == sim::RunResult::Outcome::kStopped) != r->expect_fatal) {
    violation = r->expect_fatal ? "the expected fatal error did not happen"
                                : "unexpected fatal error";
  } else if (r->tally.duplicates > 0) {
    violation = "a goroutine was delivered with no completion pending";
  }
  if (violation != nullptr) {
    std::printf("  VIOLATION: %s\n", violation);
    return kExitFound;
  }
  std::printf("  no violation\n");
  return kExitOk;
}

absl::StatusOr<traces::ReplayReport> ReplayOnRealBackend(const traces::Trace& trace,
                                                         const traces::ReplayOptions& options) {
  return win32::ReplayOnRealKernel(trace, options);
}

}  // namespace iocpsim::tools
