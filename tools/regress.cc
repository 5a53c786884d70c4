// iocpsim regress: one finding (a scenario, a seed, its decisions, the
// poller) as a self-contained GoogleTest file for tests/.
#include <cstdio>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "explore/regression.h"
#include "explore/schedule_file.h"
#include "files/output.h"
#include "google/protobuf/text_format.h"
#include "poller/mutant.h"
#include "sim/workloads/scenario_host.h"
#include "sim/workloads/scenario_loader.h"
#include "tools/paths.h"
#include "tools/regress_source.h"
#include "tools/repro.h"
#include "tools/run_flags.h"
#include "tools/verb.h"
#include "traces/writer.h"

ABSL_FLAG(std::string, expect, "auto",
          "What the test asserts: violation (the oracle fires: a mutant still caught, a known "
          "bug pinned), clean (no oracle fires: fails until the bug is fixed), or auto "
          "(violation for a --mutant, clean for the faithful poller).");

namespace iocpsim::tools {
namespace {

int Fail(int code, const std::string& message) {
  std::fprintf(stderr, "iocpsim regress: %s\n", message.c_str());
  return code;
}

// The command that writes the same file again, from the flags as given.
std::string Command(const std::vector<std::string>& args, const explore::Target& t,
                    const std::string& expect) {
  std::vector<std::string> w = {"iocpsim", "regress"};
  if (args.empty()) w.push_back(absl::StrCat("--workload=", t.workload));
  for (const std::string& a : args) w.push_back(a);
  w.push_back(absl::StrCat("--seed=", absl::GetFlag(FLAGS_seed)));
  if (t.host.runtime.mutant != poller::Mutant::kNone) {
    w.push_back(absl::StrCat("--mutant=", poller::MutantName(t.host.runtime.mutant)));
  }
  for (const std::string& h : HostFlagWords(t.host_flags)) w.push_back(h);
  if (t.poller) w.push_back(absl::StrCat("--poller=", poller::VariantName(*t.poller)));
  if (const std::string s = absl::GetFlag(FLAGS_schedule); !s.empty()) {
    w.push_back(absl::StrCat("--schedule=", s));
  } else if (t.strategy != explore::StrategyKind::kRandom) {
    w.push_back(absl::StrCat("--strategy=", explore::StrategyKindName(t.strategy)));
    if (t.strategy == explore::StrategyKind::kPct) {
      w.push_back(absl::StrCat("--pct_depth=", t.pct_depth));
    }
  }
  if (absl::GetFlag(FLAGS_expect) != "auto") w.push_back(absl::StrCat("--expect=", expect));
  w.push_back("-o");
  w.push_back(absl::GetFlag(FLAGS_o));
  return ShellCommand(w);
}

int Run(const std::vector<std::string>& args) {
  const std::string out = absl::GetFlag(FLAGS_o);
  if (args.size() > 1 || out.empty()) {
    return Fail(kExitBadInput,
                "usage: iocpsim regress [SCENARIO | --workload=NAME] --seed=N "
                "[--schedule=FILE] [--mutant=NAME] -o tests/regress_NAME_test.cc");
  }
  const std::string workload = args.empty() ? absl::GetFlag(FLAGS_workload) : ResolvePath(args[0]);
  if (absl::Status st = PollerFromFlag().status(); !st.ok()) {
    return Fail(kExitBadInput, std::string(st.message()));
  }
  absl::StatusOr<explore::Target> target = TargetFromFlags(workload);
  if (!target.ok()) return Fail(kExitBadInput, std::string(target.status().message()));
  std::string expect = absl::GetFlag(FLAGS_expect);
  if (expect == "auto") {
    expect = target->host.runtime.mutant != poller::Mutant::kNone ? "violation" : "clean";
  } else if (expect != "violation" && expect != "clean") {
    return Fail(kExitBadInput,
                absl::StrCat("--expect: \"", expect, "\" is not violation, clean or auto"));
  }
  const std::string schedule_path = ResolvePath(absl::GetFlag(FLAGS_schedule));
  if (absl::Status st = files::CheckNotAnInput("-o", ResolvePath(out), {workload, schedule_path});
      !st.ok()) {
    return Fail(kExitBadInput, std::string(st.message()));
  }
  // The case as the test embeds it: the scenario reprinted with the host
  // flags written in, so that it needs nothing else.
  RegressionSource src;
  explore::RegressionCase& c = src.regression;
  c.name = absl::StrCat(std::filesystem::path(out).filename().string(), " kScenario");
  if (args.empty()) {
    c.workload = workload;
    c.host = target->host_flags;
    if (target->poller) c.poller = poller::VariantName(*target->poller);
  } else {
    absl::StatusOr<scenario::Scenario> sc = workloads::LoadScenario(workload);
    if (!sc.ok()) return Fail(kExitBadInput, std::string(sc.status().message()));
    workloads::LayHostSpec(target->host_flags, &*sc);
    if (target->poller) sc->set_poller(poller::VariantName(*target->poller));
    google::protobuf::TextFormat::PrintToString(*sc, &c.scenario_text);
  }
  if (target->host.runtime.mutant != poller::Mutant::kNone) {
    c.mutant = poller::MutantName(target->host.runtime.mutant);
  }
  c.seed = absl::GetFlag(FLAGS_seed);
  // The decisions: the schedule file's, or those the seed's run made (as
  // explore minimizes, a recorded decision list replays the run).
  absl::StatusOr<std::optional<std::vector<uint32_t>>> picks = ScheduleFromFlag();
  if (!picks.ok()) return Fail(kExitBadInput, std::string(picks.status().message()));
  if (picks->has_value()) {
    c.schedule = explore::ScheduleText(**picks);
  } else {
    absl::StatusOr<explore::ScheduleOutcome> seeded =
        explore::RunSchedule(*target, c.seed, nullptr, nullptr);
    if (!seeded.ok()) return Fail(kExitBadInput, std::string(seeded.status().message()));
    c.schedule = explore::ScheduleText(seeded->picks);
  }
  // Run as the test will, so that what it asserts holds now.
  absl::StatusOr<explore::ScheduleOutcome> r = explore::RunRegression(c);
  if (!r.ok()) return Fail(kExitBadInput, std::string(r.status().message()));
  if (!r->violation) {
    return Fail(kExitFound, absl::StrCat(args.empty() ? workload : args[0], ", seed ", c.seed,
                                         ": no oracle violated, so there is no finding to turn "
                                         "into a regression test; no file written"));
  }
  src.test_name = TestNameFor(out);
  src.command = Command(args, *target, expect);
  src.expect_violation = expect == "violation";
  src.oracle = r->violation->oracle;
  src.detail = r->violation->detail;
  if (absl::Status st = traces::FileSink::Write(ResolvePath(out), RegressionTestSource(src));
      !st.ok()) {
    return Fail(kExitBadInput, std::string(st.message()));
  }
  std::printf("wrote %s: Regress.%s expects %s (%s, the %s poller)\n", out.c_str(),
              src.test_name.c_str(),
              src.expect_violation ? "the violation" : "a clean run, failing until the bug is fixed",
              src.oracle.c_str(), c.mutant.empty() ? "faithful" : c.mutant.c_str());
  const std::string file = std::filesystem::path(out).filename().string();
  if (absl::StartsWith(file, "regress_") && absl::EndsWith(file, "_test.cc")) {
    std::printf("in tests/ it runs as //tests:%s (tests/BUILD.bazel builds every "
                "regress_*_test.cc)\n",
                std::filesystem::path(out).stem().string().c_str());
  } else {
    std::printf("named tests/regress_NAME_test.cc, tests/BUILD.bazel builds it as a test\n");
  }
  return kExitOk;
}

}  // namespace

const Verb& RegressVerb() {
  static const Verb v = {
      "regress",
      "write a finding as a GoogleTest regression test",
      "Run one schedule of a scenario (or of --workload) as `run` does, with the decisions of "
      "a --schedule file (explore writes one for each minimized finding) or of the seed, and "
      "write a self-contained GoogleTest file that replays it: the scenario text, seed, "
      "decisions, poller and host embedded. --expect=violation asserts the oracle that fires "
      "now fires again (the default with --mutant: the mutant stays caught); --expect=clean "
      "asserts no oracle fires (the default for the faithful poller: the test fails until the "
      "bug is fixed). Exits 1, writing nothing, if no oracle fires. Explore prints this "
      "command for each finding.",
      "[SCENARIO.textproto | --workload=NAME] --seed=N [--schedule=FILE] [--mutant=NAME] "
      "[--expect=auto|violation|clean] -o tests/regress_NAME_test.cc",
      WithHostFlags({"workload", "seed", "schedule", "mutant", "strategy", "pct_depth", "expect",
                     "o"}),
      &Run,
  };
  return v;
}

}  // namespace iocpsim::tools
