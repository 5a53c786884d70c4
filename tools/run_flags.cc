#include "tools/run_flags.h"

#include <algorithm>

#include "absl/flags/flag.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "explore/schedule_file.h"
#include "traces/header.h"
#include "explore/systematic.h"
#include "tools/flag_limits.h"
#include "tools/paths.h"

ABSL_FLAG(std::string, workload, "mixed", "Bundled workload to run (see 'simulate --list').");
ABSL_FLAG(uint64_t, seed, 1, "Seed; a seed fixes the whole run.");
ABSL_FLAG(std::string, host, "",
          "Host profile: windows (Windows 10 1803+, the default), windows-pre1803 or wine8 "
          "(see 'iocpsim help'). Replaces a scenario's host; the flags below change it.");
ABSL_FLAG(std::optional<double>, tick_ms, std::nullopt,
          "System clock tick in ms, over the host's (windows 15.625; 1 after "
          "timeBeginPeriod(1)).");
ABSL_FLAG(std::optional<double>, timer_latency_ms, std::nullopt,
          "The most a high-resolution timer expires after its 0.5 ms grid point, in ms, over "
          "the host's (windows 0.1; 0: on the grid); each expiry draws its latency from the "
          "seed (sim/SEMANTICS.md S46).");
ABSL_FLAG(std::optional<bool>, wait_packets, std::nullopt,
          "Host exports the NT wait completion packet functions, over the host's (false: like "
          "Wine 8).");
ABSL_FLAG(std::optional<bool>, high_res_timers, std::nullopt,
          "Host supports CREATE_WAITABLE_TIMER_HIGH_RESOLUTION, over the host's (false: before "
          "Windows 10 1803).");
ABSL_FLAG(std::string, o, "", "Output file.");
ABSL_FLAG(std::string, backend, "sim",
          "Kernel to run on: sim (the simulated kernel) or real (the host's; iocpsim.exe only).");
ABSL_FLAG(std::string, poller, "",
          "Version of Go's poller: highres (since commit cf52e709, the default) or lowres "
          "(before it); explore and sleepmodel take a comma-separated list to compare them. "
          "Replaces a scenario's poller.");
ABSL_FLAG(std::string, mutant, "",
          "Run a deliberately wrong poller (see 'iocpsim explore --list_mutants').");
ABSL_FLAG(std::string, strategy, "swarm",
          "Scheduling strategy: swarm (each seed draws its own time-jump rate and thread "
          "weights; the default), random (uniform), pct, or (explore) systematic: every "
          "schedule with at most --preemption_bound preemptions, depth first "
          "(docs/exploration.md).");
ABSL_FLAG(int, preemption_bound, 2,
          "--strategy=systematic: preemptions per schedule, 0 to 10 (docs/exploration.md).");
ABSL_FLAG(bool, sleep_sets, true,
          "--strategy=systematic: skip schedules that only reorder steps that commute (sleep "
          "sets; not while scripted races are forced). False runs every schedule "
          "(docs/exploration.md).");
ABSL_FLAG(bool, force_races, true,
          "Force the scenario's scripted races (false: only notice those the strategy reaches "
          "on its own).");
ABSL_FLAG(int, pct_depth, 3, "PCT bug depth d (d-1 priority change points), 1 to 100.");
ABSL_FLAG(std::string, schedule, "",
          "Replay this schedule file's decisions (written by explore for each minimized "
          "finding) instead of drawing them from the seed; --strategy is then unused.");

namespace iocpsim::tools {

absl::StatusOr<poller::Mutant> MutantFromFlag() {
  const std::string name = absl::GetFlag(FLAGS_mutant);
  std::optional<poller::Mutant> m = poller::ParseMutant(name);
  if (!m) {
    return absl::InvalidArgumentError(
        absl::StrCat("--mutant: unknown mutant \"", name, "\" (see 'iocpsim explore --list_mutants')"));
  }
  return *m;
}

absl::StatusOr<std::vector<poller::Variant>> PollersFromFlag() {
  std::vector<poller::Variant> out;
  const std::string list = absl::GetFlag(FLAGS_poller);
  if (list.empty()) return out;
  for (absl::string_view name : absl::StrSplit(list, ',')) {
    std::optional<poller::Variant> v = poller::ParseVariant(std::string(name));
    if (!v) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--poller: unknown poller \"", absl::CHexEscape(name), "\" (highres or lowres)"));
    }
    if (std::find(out.begin(), out.end(), *v) != out.end()) {
      return absl::InvalidArgumentError(absl::StrCat("--poller: ", name, " is named twice"));
    }
    out.push_back(*v);
  }
  return out;
}

absl::StatusOr<std::optional<poller::Variant>> PollerFromFlag() {
  absl::StatusOr<std::vector<poller::Variant>> all = PollersFromFlag();
  if (!all.ok()) return all.status();
  if (all->size() > 1) {
    return absl::InvalidArgumentError("--poller: this verb runs one poller; name one");
  }
  if (all->empty()) return std::nullopt;
  return all->front();
}

absl::Status CheckTracePoller(const trace::Header& header) {
  absl::StatusOr<std::optional<poller::Variant>> wanted = PollerFromFlag();
  if (!wanted.ok()) return wanted.status();
  absl::StatusOr<poller::Variant> recorded = traces::VariantFromHeader(header);
  if (!recorded.ok()) return recorded.status();
  if (*wanted && **wanted != *recorded) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--poller=", poller::VariantName(**wanted), ", but the trace is a run of the ",
        poller::VariantName(*recorded), " poller"));
  }
  return absl::OkStatus();
}

absl::Status CheckBackendFlag() {
  const std::string b = absl::GetFlag(FLAGS_backend);
  if (b != "sim" && b != "real") {
    return absl::InvalidArgumentError("--backend must be sim or real");
  }
  return absl::OkStatus();
}

bool RealBackend() { return absl::GetFlag(FLAGS_backend) == "real"; }

absl::Status CheckHostFlags() {
  if (const std::string h = absl::GetFlag(FLAGS_host); !h.empty()) {
    if (absl::StatusOr<sim::KernelConfig> k = sim::HostProfileConfig(h); !k.ok()) {
      return absl::InvalidArgumentError(absl::StrCat("--host: ", k.status().message()));
    }
  }
  const std::optional<double> tick = absl::GetFlag(FLAGS_tick_ms);
  if (tick && !(*tick >= 0.001 && *tick <= 1000)) {
    return absl::InvalidArgumentError("--tick_ms must be between 0.001 and 1000");
  }
  const std::optional<double> latency = absl::GetFlag(FLAGS_timer_latency_ms);
  if (latency && !(*latency >= 0 && *latency <= sim::kMaxTimerLatencyNs / 1e6)) {
    return absl::InvalidArgumentError("--timer_latency_ms must be between 0 and 1000");
  }
  return PollersFromFlag().status();
}

std::vector<const char*> WithHostFlags(std::vector<const char*> flags) {
  for (const char* f :
       {"host", "tick_ms", "timer_latency_ms", "wait_packets", "high_res_timers", "poller"}) {
    flags.push_back(f);
  }
  return flags;
}

sim::HostSpec HostSpecFromFlags() {
  sim::HostSpec s;
  if (const std::string h = absl::GetFlag(FLAGS_host); !h.empty()) s.profile = h;
  if (const std::optional<double> t = absl::GetFlag(FLAGS_tick_ms)) s.tick_ns = sim::ClockNs(*t);
  if (const std::optional<double> l = absl::GetFlag(FLAGS_timer_latency_ms)) {
    s.timer_latency_ns = sim::ClockNs(*l);
  }
  s.wait_packets = absl::GetFlag(FLAGS_wait_packets);
  s.high_res_timers = absl::GetFlag(FLAGS_high_res_timers);
  return s;
}

absl::StatusOr<explore::Target> TargetFromFlags(const std::string& workload) {
  absl::StatusOr<poller::Mutant> mutant = MutantFromFlag();
  if (!mutant.ok()) return mutant.status();
  const std::string strategy = absl::GetFlag(FLAGS_strategy);
  if (strategy != "random" && strategy != "pct" && strategy != "systematic" &&
      strategy != "swarm") {
    return absl::InvalidArgumentError(absl::StrCat("--strategy: unknown strategy \"",
                                                   absl::CHexEscape(strategy),
                                                   "\" (swarm, random, pct, systematic)"));
  }
  const int depth = absl::GetFlag(FLAGS_pct_depth);
  if (absl::Status st = CheckRange("pct_depth", depth, 1, kMaxPctDepth); !st.ok()) return st;
  const int bound = absl::GetFlag(FLAGS_preemption_bound);
  if (absl::Status st = CheckRange("preemption_bound", bound, 0, explore::kMaxPreemptionBound);
      !st.ok()) {
    return st;
  }
  explore::Target t;
  t.workload = workload;
  t.host_flags = HostSpecFromFlags();
  t.host.runtime.mutant = *mutant;
  absl::StatusOr<std::vector<poller::Variant>> pollers = PollersFromFlag();
  if (!pollers.ok()) return pollers.status();
  if (pollers->size() == 1) t.poller = pollers->front();  // explore sets each of a list
  t.strategy = strategy == "pct"          ? explore::StrategyKind::kPct
               : strategy == "systematic" ? explore::StrategyKind::kSystematic
               : strategy == "swarm"      ? explore::StrategyKind::kSwarm
                                          : explore::StrategyKind::kRandom;
  t.pct_depth = depth;
  t.preemption_bound = bound;
  t.force_races = absl::GetFlag(FLAGS_force_races);
  t.sleep_sets = absl::GetFlag(FLAGS_sleep_sets);
  return t;
}

absl::StatusOr<std::optional<std::vector<uint32_t>>> ScheduleFromFlag() {
  const std::string path = absl::GetFlag(FLAGS_schedule);
  if (path.empty()) return std::optional<std::vector<uint32_t>>();
  absl::StatusOr<std::vector<uint32_t>> picks = explore::LoadSchedule(ResolvePath(path));
  if (!picks.ok()) return picks.status();
  return std::optional<std::vector<uint32_t>>(*std::move(picks));
}

}  // namespace iocpsim::tools
