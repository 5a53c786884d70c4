#include "win32/real_run.h"

#include <memory>
#include <optional>

#include "traces/header.h"
#include "traces/recorder.h"
#include "win32/host.h"

namespace iocpsim::win32 {

absl::StatusOr<RealRunOutcome> RunOnRealKernel(const std::string& workload, uint64_t seed,
                                               RealProcessConfig config,
                                               traces::ByteSink* record,
                                               std::optional<poller::Variant> poller) {
  absl::StatusOr<std::unique_ptr<workloads::Workload>> w = workloads::MakeWorkload(workload);
  if (!w.ok()) return w.status();
  // What the workload asks of its process; of the host only what a real
  // kernel can be told: no wait packets (Go's fallback path).
  sim::SimulationConfig wanted;
  wanted.runtime = config.runtime;
  (*w)->Configure(wanted);
  if (!wanted.kernel.faults.empty()) {
    return absl::InvalidArgumentError(
        workload + ": fault: injected faults need the simulated kernel; a real one fails calls "
                   "only on its own");
  }
  config.runtime.gomaxprocs = wanted.runtime.gomaxprocs;
  config.runtime.variant = poller ? *poller : wanted.runtime.variant;
  RealRunOutcome out;
  if (!wanted.kernel.have_NtCreateWaitCompletionPacket) {
    config.nt.hide_wait_packets = true;
    out.wait_packets_hidden = true;
  }

  std::optional<traces::TraceWriter> writer;
  std::optional<traces::TraceRecorder> recorder;
  if (record != nullptr) {
    const HostDescription host = DescribeHost();
    writer.emplace(*record, traces::RealHeader(host.os, host.machine, config.runtime, workload, seed));
    recorder.emplace([&writer](const traces::RecordedEvent& e) { writer->WriteFramed(e.framed); });
  }
  RealProcess p(config, recorder ? &*recorder : nullptr);
  if (absl::Status st = (*w)->Setup(p, seed); !st.ok() && !p.fatal()) return st;
  if (absl::Status st = p.status(); !st.ok()) return st;
  out.result = p.Run();
  out.tally = (*w)->tally();
  out.branches = p.runtime().branches();
  out.races = (*w)->races();
  out.expect_fatal = (*w)->expect_fatal();
  return out;
}

}  // namespace iocpsim::win32
