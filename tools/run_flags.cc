#include "tools/run_flags.h"

#include "absl/flags/flag.h"

ABSL_FLAG(std::string, workload, "mixed", "Bundled workload to run (see 'simulate --list').");
ABSL_FLAG(uint64_t, seed, 1, "Seed; a seed fixes the whole run.");
ABSL_FLAG(double, tick_ms, 15.625, "System clock tick in ms (1 after timeBeginPeriod(1)).");
ABSL_FLAG(bool, wait_packets, true,
          "Host exports the NT wait completion packet functions (false: like Wine 8).");
ABSL_FLAG(bool, high_res_timers, true,
          "Host supports CREATE_WAITABLE_TIMER_HIGH_RESOLUTION (Windows 10 1803+).");
ABSL_FLAG(std::string, o, "", "Output file.");
ABSL_FLAG(std::string, backend, "sim",
          "Kernel to run on: sim (the simulated kernel) or real (the host's; iocpsim.exe only).");

namespace iocpsim::tools {

absl::Status CheckBackendFlag() {
  const std::string b = absl::GetFlag(FLAGS_backend);
  if (b != "sim" && b != "real") {
    return absl::InvalidArgumentError("--backend must be sim or real");
  }
  return absl::OkStatus();
}

bool RealBackend() { return absl::GetFlag(FLAGS_backend) == "real"; }

absl::Status CheckHostFlags() {
  const double tick = absl::GetFlag(FLAGS_tick_ms);
  if (!(tick >= 0.001 && tick <= 1000)) {
    return absl::InvalidArgumentError("--tick_ms must be between 0.001 and 1000");
  }
  return absl::OkStatus();
}

sim::SimulationConfig HostConfigFromFlags() {
  sim::SimulationConfig c;
  c.kernel.tick_ns = static_cast<int64_t>(absl::GetFlag(FLAGS_tick_ms) * 1e6);
  c.kernel.SetWaitPacketsAvailable(absl::GetFlag(FLAGS_wait_packets));
  c.kernel.high_resolution_timers = absl::GetFlag(FLAGS_high_res_timers);
  return c;
}

}  // namespace iocpsim::tools
