// iocpsim bench: a quick table of the simulator's speed, each figure next
// to its target (issue 10), from the units of work the Google Benchmark
// suite measures too (bench/measures.h). Figures are rates and ratios
// measured side by side in this run; bench/sim_benchmark.cc gives them
// with Google Benchmark's repetitions.
#include <chrono>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "bench/measures.h"
#include "tools/paths.h"
#include "tools/run_flags.h"
#include "tools/verb.h"

ABSL_FLAG(std::string, scenarios_dir, "tests/scenarios",
          "Where cancel_pending, timer_taken and default.textproto are (the repository's).");
ABSL_FLAG(std::string, idle_scenario, "bench/scenarios/idle_heavy.textproto",
          "The idle process whose virtual time is divided by wall time.");

namespace iocpsim::tools {
namespace {

// Seconds `work` takes.
double Seconds(const std::function<void()>& work) {
  const auto t0 = std::chrono::steady_clock::now();
  work();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

std::string Rate(double per_s) {
  if (per_s >= 1e6) return absl::StrFormat("%.1f M/s", per_s / 1e6);
  if (per_s >= 1e3) return absl::StrFormat("%.1f k/s", per_s / 1e3);
  return absl::StrFormat("%.0f /s", per_s);
}

void Row(const std::string& what, const std::string& figure, const std::string& target) {
  std::printf("  %-48s %14s   %s\n", what.c_str(), figure.c_str(), target.c_str());
}

int Run(const std::vector<std::string>& args) {
  if (!args.empty()) {
    std::fprintf(stderr, "iocpsim bench: unexpected argument \"%s\"\n", args[0].c_str());
    return kExitBadInput;
  }
  absl::StatusOr<std::optional<poller::Variant>> variant = PollerFromFlag();
  if (!variant.ok()) {
    std::fprintf(stderr, "iocpsim bench: %s\n", std::string(variant.status().message()).c_str());
    return kExitBadInput;
  }
  const std::string dir = ResolvePath(absl::GetFlag(FLAGS_scenarios_dir));
  const std::string idle = ResolvePath(absl::GetFlag(FLAGS_idle_scenario));
#if !defined(NDEBUG)
  std::printf("(an unoptimized build: for the real figures, "
              "bazel run -c opt //tools:iocpsim -- bench)\n");
#endif
  std::printf("  %-48s %14s   %s\n", "measure", "figure", "target");
  Row("fiber switches", Rate(2e6 / Seconds([] { bench::FiberSwitches(1'000'000); })), "");
  Row("simulated kernel calls, one core",
      Rate(2e6 / Seconds([] { bench::KernelCalls(1'000'000); })), ">= 20 M/s");
  Row("netpoll cycles (netpoll(0), one M)",
      Rate(5e5 / Seconds([&] { bench::NetpollCycles(500'000, *variant); })), "");
  for (const char* s : {"cancel_pending", "timer_taken", "default"}) {
    const std::string path = absl::StrCat(dir, "/", s, ".textproto");
    constexpr int64_t kSchedules = 20'000;
    double rate[3] = {0, 0, 0};
    for (int jobs : {1, 2}) {
      absl::Status st;
      const double secs =
          Seconds([&] { st = bench::ExploreSchedules(path, kSchedules, jobs, *variant); });
      if (!st.ok()) {
        std::fprintf(stderr, "iocpsim bench: %s (--scenarios_dir)\n", std::string(st.message()).c_str());
        return kExitBadInput;
      }
      rate[jobs] = kSchedules / secs;
      const char* target = jobs == 1                          ? ""
                           : std::string(s) == "cancel_pending" ? ">= 30 k/s"
                           : std::string(s) == "default"        ? ">= 15 k/s"
                                                                : "";
      Row(absl::StrCat("explore ", s, ", ", jobs, jobs == 1 ? " job" : " jobs"), Rate(rate[jobs]), target);
    }
    Row(absl::StrCat("  2 jobs over 1"), absl::StrFormat("%.2fx", rate[2] / rate[1]), ">= 1.8x");
  }
  absl::StatusOr<explore::Target> path =
      bench::ScenarioTarget(absl::StrCat(dir, "/default.textproto"), *variant);
  if (!path.ok()) {
    std::fprintf(stderr, "iocpsim bench: %s\n", std::string(path.status().message()).c_str());
    return kExitBadInput;
  }
  double plain = 0, recorded = 0, replayed = 0;
  for (uint64_t seed = 1; seed <= 300; ++seed) {
    plain += Seconds([&] { (void)bench::RunScenario(*path, seed, false); });
    absl::StatusOr<std::string> trace;
    recorded += Seconds([&] { trace = bench::RunScenario(*path, seed, true); });
    absl::Status st = trace.status();
    if (!st.ok()) {
      std::fprintf(stderr, "iocpsim bench: %s\n", std::string(st.message()).c_str());
      return kExitBadInput;
    }
    replayed += Seconds([&] { st = bench::Replay(*trace); });
    if (!st.ok()) {  // a recorded run that does not replay: a bug found
      std::fprintf(stderr, "iocpsim bench: seed %llu: %s\n", static_cast<unsigned long long>(seed),
                   std::string(st.message()).c_str());
      return kExitFound;
    }
  }
  Row("recording: recorded over unrecorded (default)", absl::StrFormat("%.2fx", recorded / plain),
      "<= 1.2x");
  Row("replay: replay over recording time", absl::StrFormat("%.2fx", replayed / recorded), "<= 1x");
  absl::StatusOr<int64_t> virtual_ns;
  const double idle_s = Seconds([&] { virtual_ns = bench::VirtualNs(idle, *variant); });
  if (!virtual_ns.ok()) {
    std::fprintf(stderr, "iocpsim bench: %s (--idle_scenario)\n",
                 std::string(virtual_ns.status().message()).c_str());
    return kExitBadInput;
  }
  Row("virtual over wall time, idle process", absl::StrFormat("%.3g x", *virtual_ns / 1e9 / idle_s),
      ">= 1e6 x");
  Row("peak memory", absl::StrFormat("%.0f MiB", bench::PeakKiB() / 1024), "");
  return kExitOk;
}

}  // namespace

const Verb& BenchVerb() {
  static const Verb v = {
      "bench",
      "a quick table of the simulator's speed, next to its targets",
      "Measure the simulator's speed in this process and print each figure next to its "
      "target: fiber switches, kernel calls and netpoll cycles per second, explore's "
      "schedules per second on cancel_pending, timer_taken and default with 1 and 2 jobs and "
      "the speedup, recording's overhead and replay's speed side by side, virtual over wall "
      "time on an idle process, and peak memory. Run it optimized (bazel run -c opt "
      "//tools:iocpsim -- bench) on an otherwise idle machine; bazel run -c opt "
      "//bench:sim_benchmark measures the same with repetitions. --poller measures that version "
      "of Go's poller.",
      "[--scenarios_dir=DIR] [--idle_scenario=FILE] [--poller=V]",
      {"scenarios_dir", "idle_scenario", "poller"},
      &Run,
  };
  return v;
}

}  // namespace iocpsim::tools
