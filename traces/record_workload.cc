#include "traces/record_workload.h"

#include "sim/strategy.h"
#include "sim/workloads/workload.h"
#include "traces/header.h"
#include "traces/recorder.h"

namespace iocpsim::traces {

absl::StatusOr<sim::RunResult> RecordWorkload(const std::string& workload, uint64_t seed,
                                              const sim::HostSpec& host, ByteSink& out,
                                              std::optional<poller::Variant> poller) {
  absl::StatusOr<std::unique_ptr<workloads::Workload>> w = workloads::MakeWorkload(workload);
  if (!w.ok()) return w.status();
  absl::StatusOr<sim::SimulationConfig> configured =
      workloads::RunConfig(**w, sim::SimulationConfig{}, host, poller);
  if (!configured.ok()) return configured.status();
  sim::SimulationConfig config = *std::move(configured);
  config.seed = seed;
  TraceWriter writer(out, SimHeader(config, workload, seed));
  TraceRecorder recorder([&writer](const RecordedEvent& e) { writer.WriteFramed(e.framed); });
  sim::Simulation s(config, (*w)->Steer(std::make_unique<sim::RandomStrategy>(seed, config.preempt_ppm)),
                    &recorder);
  if (absl::Status st = (*w)->Setup(s, seed); !st.ok()) return st;
  return s.Run();
}

}  // namespace iocpsim::traces
