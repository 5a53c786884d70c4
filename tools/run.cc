// iocpsim run: one seeded schedule of a scenario, with the oracles, its
// scripted races and (optionally) a trace.
#include <cstdio>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "explore/explorer.h"
#include "files/output.h"
#include "poller/branches.h"
#include "sim/event_log.h"
#include "sim/host_profiles.h"
#include "traces/writer.h"
#include "tools/coverage_table.h"
#include "tools/paths.h"
#include "tools/real_backend.h"
#include "tools/run_flags.h"
#include "tools/verb.h"

ABSL_FLAG(std::string, record, "", "Write the run as a trace to this file.");

namespace iocpsim::tools {
namespace {

int Run(const std::vector<std::string>& args) {
  if (args.size() != 1) {
    std::fprintf(stderr, "usage: iocpsim run SCENARIO [--seed=N] [--record=TRACE]\n");
    return kExitBadInput;
  }
  if (absl::Status st = CheckBackendFlag(); !st.ok()) {
    std::fprintf(stderr, "iocpsim run: %s\n", std::string(st.message()).c_str());
    return kExitBadInput;
  }
  absl::StatusOr<poller::Mutant> mutant = MutantFromFlag();
  if (!mutant.ok()) {
    std::fprintf(stderr, "iocpsim run: %s\n", std::string(mutant.status().message()).c_str());
    return kExitBadInput;
  }
  if (absl::Status st = files::CheckNotAnInput("--record", ResolvePath(absl::GetFlag(FLAGS_record)),
                                               {ResolvePath(args[0])});
      !st.ok()) {
    std::fprintf(stderr, "iocpsim run: %s\n", std::string(st.message()).c_str());
    return kExitBadInput;
  }
  absl::StatusOr<std::optional<poller::Variant>> variant = PollerFromFlag();
  if (!variant.ok()) {
    std::fprintf(stderr, "iocpsim run: %s\n", std::string(variant.status().message()).c_str());
    return kExitBadInput;
  }
  if (RealBackend()) {
    if (*mutant != poller::Mutant::kNone) {
      std::fprintf(stderr, "iocpsim run: --mutant: the real backend runs the faithful poller only\n");
      return kExitBadInput;
    }
    return RunOnRealBackend(args[0], absl::GetFlag(FLAGS_seed), absl::GetFlag(FLAGS_record),
                            *variant);
  }
  explore::Target target;
  target.workload = ResolvePath(args[0]);
  target.host_flags = HostSpecFromFlags();
  target.poller = *variant;
  target.host.runtime.mutant = *mutant;
  std::unique_ptr<traces::FileSink> file;
  if (const std::string path = absl::GetFlag(FLAGS_record); !path.empty()) {
    absl::StatusOr<std::unique_ptr<traces::FileSink>> f = traces::FileSink::Open(ResolvePath(path));
    if (!f.ok()) {
      std::fprintf(stderr, "iocpsim run: %s\n", std::string(f.status().message()).c_str());
      return kExitBadInput;
    }
    file = *std::move(f);
  }
  const uint64_t seed = absl::GetFlag(FLAGS_seed);
  absl::StatusOr<explore::ScheduleOutcome> r =
      explore::RunSchedule(target, seed, nullptr, file.get());
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
  std::printf("%s, seed %llu: %s\n", args[0].c_str(), static_cast<unsigned long long>(seed),
              r->outcome.c_str());
  std::printf("  host %s\n  poller %s\n", sim::DescribeHost(r->host).c_str(),
              poller::VariantName(r->poller));
  for (const auto& [race, n] : r->races) {
    std::printf("  race %-58s %s\n", race.c_str(), n > 0 ? "reached" : "NOT reached");
  }
  PrintPathsTaken(r->branches);
  if (r->extra.timer_packet_taken_by_other_m > 0) std::printf(" timer_packet_taken_by_another_m");
  if (r->extra.destroyed_m_left_timer_packet_queued > 0) {
    std::printf(" destroyed_m_left_timer_packet_queued");
  }
  std::printf("\n");
  if (r->violation) {
    std::printf("  VIOLATION %s at %s ms: %s\n", r->violation->oracle.c_str(),
                sim::FormatMs(r->violation->time_ns).c_str(), r->violation->detail.c_str());
    return kExitFound;
  }
  std::printf("  no oracle violated\n");
  return kExitOk;
}

}  // namespace

const Verb& RunVerb() {
  static const Verb v = {
      "run",
      "run one schedule of a scenario, with oracles and its races",
      "Run one seeded schedule of a scenario file with the oracles and its scripted races; "
      "report the races reached, the poller paths taken and any violation (exit 1); --mutant "
      "runs the schedule with a deliberately wrong poller, as explore does, and --poller "
      "another version of Go's (lowres: before commit cf52e709). With "
      "--backend=real (iocpsim.exe) the scenario runs once on the host's kernel, on real threads "
      "and loopback sockets, in real time; its races cannot be forced there.",
      "SCENARIO.textproto [--seed=N] [--record=TRACE] [--mutant=NAME] [--poller=V] "
      "[--backend=sim|real]",
      WithHostFlags({"seed", "record", "backend", "mutant"}),
      &Run,
  };
  return v;
}

}  // namespace iocpsim::tools
