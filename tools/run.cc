// iocpsim run: one seeded schedule of a scenario, with the oracles, its
// scripted races and (optionally) a trace.
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "explore/explorer.h"
#include "files/output.h"
#include "poller/branches.h"
#include "sim/event_log.h"
#include "sim/host_profiles.h"
#include "traces/decoder.h"
#include "traces/reader.h"
#include "traces/timeline.h"
#include "traces/writer.h"
#include "tools/coverage_table.h"
#include "tools/paths.h"
#include "tools/real_backend.h"
#include "tools/run_flags.h"
#include "tools/verb.h"

ABSL_FLAG(std::string, record, "", "Write the run as a trace to this file.");
ABSL_FLAG(bool, log, false,
          "Print the run's every call, kernel event and decision, decoded as 'show' does.");

namespace iocpsim::tools {
namespace {

// Why the real backend cannot run this, or null: it runs a scenario file
// with the faithful poller on threads iocpsim does not schedule.
const char* RefusedByRealBackend(const explore::Target& t, bool schedule, bool scenario) {
  if (t.host.runtime.mutant != poller::Mutant::kNone) {
    return "--mutant: the real backend runs the faithful poller only";
  }
  if (schedule) return "--schedule: the real backend's threads follow no schedule";
  if (!scenario) return "the real backend runs a scenario file, not a bundled workload";
  return nullptr;
}

// A recorded run as `show` prints it: the header, then each event decoded.
absl::Status PrintTimeline(const std::string& bytes) {
  absl::StatusOr<traces::Trace> t = traces::ParseTrace("the run", bytes);
  if (!t.ok()) return t.status();
  const traces::TraceDecoder decoder(t->header, t->events);
  std::fputs(traces::FormatHeader(t->header).c_str(), stdout);
  for (const trace::Event& e : t->events) {
    std::printf("%s\n", traces::FormatEvent(e, &decoder).c_str());
  }
  return absl::OkStatus();
}

int Run(const std::vector<std::string>& args) {
  if (args.size() > 1) {
    std::fprintf(stderr, "usage: iocpsim run [SCENARIO | --workload=NAME] [--seed=N] "
                         "[--schedule=FILE] [--record=TRACE]\n");
    return kExitBadInput;
  }
  // A scenario file, or (as explore runs without one) a bundled workload.
  const std::string workload = args.empty() ? absl::GetFlag(FLAGS_workload) : ResolvePath(args[0]);
  const std::string shown = args.empty() ? workload : args[0];
  if (absl::Status st = CheckBackendFlag(); !st.ok()) {
    std::fprintf(stderr, "iocpsim run: %s\n", std::string(st.message()).c_str());
    return kExitBadInput;
  }
  if (absl::Status st = PollerFromFlag().status(); !st.ok()) {
    std::fprintf(stderr, "iocpsim run: %s\n", std::string(st.message()).c_str());
    return kExitBadInput;
  }
  absl::StatusOr<explore::Target> target = TargetFromFlags(workload);
  if (!target.ok()) {
    std::fprintf(stderr, "iocpsim run: %s\n", std::string(target.status().message()).c_str());
    return kExitBadInput;
  }
  if (absl::Status st = files::CheckNotAnInput(
          "--record", ResolvePath(absl::GetFlag(FLAGS_record)),
          {workload, ResolvePath(absl::GetFlag(FLAGS_schedule))});
      !st.ok()) {
    std::fprintf(stderr, "iocpsim run: %s\n", std::string(st.message()).c_str());
    return kExitBadInput;
  }
  absl::StatusOr<std::optional<std::vector<uint32_t>>> picks = ScheduleFromFlag();
  if (!picks.ok()) {
    std::fprintf(stderr, "iocpsim run: %s\n", std::string(picks.status().message()).c_str());
    return kExitBadInput;
  }
  if (RealBackend()) {
    if (const char* refused = RefusedByRealBackend(*target, picks->has_value(), !args.empty())) {
      std::fprintf(stderr, "iocpsim run: %s\n", refused);
      return kExitBadInput;
    }
    return RunOnRealBackend(args[0], absl::GetFlag(FLAGS_seed), absl::GetFlag(FLAGS_record),
                            target->poller);
  }
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
  // --log shows the run's trace: record it, to the file too with --record.
  traces::StringSink logged;
  traces::ByteSink* sink = absl::GetFlag(FLAGS_log) ? static_cast<traces::ByteSink*>(&logged)
                                                    : file.get();
  absl::StatusOr<explore::ScheduleOutcome> r = explore::RunSchedule(
      *target, seed, picks->has_value() ? &**picks : nullptr, sink);
  if (!r.ok()) {
    std::fprintf(stderr, "iocpsim run: %s\n", std::string(r.status().message()).c_str());
    return kExitBadInput;
  }
  if (absl::GetFlag(FLAGS_log)) {
    if (absl::Status st = PrintTimeline(logged.data()); !st.ok()) {
      std::fprintf(stderr, "iocpsim run: %s\n", std::string(st.message()).c_str());
      return kExitBadInput;
    }
    if (file != nullptr) file->Append(logged.data());
  }
  if (file != nullptr) {
    if (absl::Status st = file->Close(); !st.ok()) {
      std::fprintf(stderr, "iocpsim run: %s\n", std::string(st.message()).c_str());
      return kExitBadInput;
    }
  }
  std::printf("%s, seed %llu%s: %s\n", shown.c_str(), static_cast<unsigned long long>(seed),
              picks->has_value() ? ", decisions from the schedule file" : "", r->outcome.c_str());
  std::printf("  host %s\n  poller %s\n", sim::DescribeHost(r->host).c_str(),
              poller::VariantName(r->poller));
  for (const auto& [race, n] : r->races) {
    // Replayed decisions bypass the race director, which counts the races.
    std::printf("  race %-58s %s\n", race.c_str(),
                n > 0                ? "reached"
                : picks->has_value() ? "not counted: the schedule file steers, not the race director"
                                     : "NOT reached");
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
      "Run one seeded schedule of a scenario file (or of --workload) with the oracles and its "
      "scripted races; report the races reached, the poller paths taken and any violation "
      "(exit 1). --mutant, --strategy and --pct_depth run the schedule as explore does, and "
      "--schedule replays a minimized finding's decisions (the command explore prints); --log "
      "prints the run's every call, kernel event and decision first. With "
      "--backend=real (iocpsim.exe) the scenario runs once on the host's kernel, on real threads "
      "and loopback sockets, in real time; its races cannot be forced there.",
      "[SCENARIO.textproto | --workload=NAME] [--seed=N] [--record=TRACE] [--mutant=NAME] "
      "[--strategy=swarm|random|pct] [--pct_depth=D] [--schedule=FILE] [--backend=sim|real]",
      WithHostFlags({"workload", "seed", "record", "log", "backend", "mutant", "strategy",
                     "pct_depth",
                     "schedule"}),
      &Run,
  };
  return v;
}

}  // namespace iocpsim::tools
