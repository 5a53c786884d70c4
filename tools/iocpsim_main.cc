// iocpsim: deterministic simulation of Go's Windows network poller.
//
//   iocpsim VERB [flags] [args]     iocpsim VERB --help     iocpsim help
#include <algorithm>
#include <cstdio>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "absl/flags/reflection.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "sim/host_profiles.h"
#include "tools/run_flags.h"
#include "traces/format.h"
#include "tools/verb.h"
#include "tools/verb_flags.h"

namespace iocpsim::tools {
namespace {

std::vector<const Verb*> Verbs() {
  return {&RunVerb(),    &ExploreVerb(), &RegressVerb(), &SimulateVerb(), &RecordVerb(),
          &ReplayVerb(), &ShowVerb(),    &ExportVerb(),  &SleepModelVerb()};
}

bool TakesHostFlags(const Verb& v) {
  return std::find_if(v.flags.begin(), v.flags.end(), [](const char* f) {
           return std::strcmp(f, "host") == 0;
         }) != v.flags.end();
}

void PrintTopHelp(FILE* out) {
  std::fprintf(out,
               "iocpsim: deterministic simulation of Go's Windows network poller\n\n"
               "usage: iocpsim VERB [flags] [args]\n\nverbs:\n");
  for (const Verb* v : Verbs()) std::fprintf(out, "  %-10s %s\n", v->name, v->summary);
  std::fprintf(out, "\nhosts (--host=NAME, or host { profile: \"NAME\" } in a scenario):\n");
  for (const sim::HostProfile& h : sim::HostProfiles()) {
    std::fprintf(out, "  %-16s %s\n", h.name, h.summary);
  }
  std::fprintf(out, "\n%s", kExitCodeHelp);
  std::fprintf(out, "\n'iocpsim VERB --help' describes a verb and its flags; 'iocpsim --version' "
                    "the version.\n");
}

void PrintVerbHelp(const Verb& v) {
  std::printf("usage: iocpsim %s %s\n\n%s\n\nflags:\n", v.name, v.usage, v.description);
  for (const char* name : v.flags) {
    absl::CommandLineFlag* f = absl::FindCommandLineFlag(name);
    if (f == nullptr) continue;
    // An empty default is no value: the help says what stands in for it.
    const std::string def = f->DefaultValue();
    const std::string shown = def.empty() ? "" : absl::StrCat(" (default ", def, ")");
    std::printf("  --%s%s\n      %s\n", name, shown.c_str(), f->Help().c_str());
  }
}

int Main(int argc, char** argv) {
  absl::SetProgramUsageMessage("iocpsim VERB [flags] [args]; see 'iocpsim help'");
  if (argc >= 2 && (std::strcmp(argv[1], "version") == 0 || std::strcmp(argv[1], "--version") == 0)) {
    std::printf("%s (trace format %u)\n", traces::kToolVersion, traces::kFormatVersion);
    return kExitOk;
  }
  if (argc < 2 || std::strcmp(argv[1], "help") == 0 || std::strcmp(argv[1], "--help") == 0) {
    PrintTopHelp(stdout);
    return argc < 2 ? 2 : 0;
  }
  const Verb* verb = nullptr;
  for (const Verb* v : Verbs()) {
    if (std::strcmp(argv[1], v->name) == 0) verb = v;
  }
  if (verb == nullptr) {
    std::fprintf(stderr, "iocpsim: unknown verb \"%s\"\n\n", argv[1]);
    PrintTopHelp(stderr);
    return kExitBadInput;
  }
  for (int i = 2; i < argc; ++i) {
    if (std::strcmp(argv[i], "--help") == 0 || std::strcmp(argv[i], "-h") == 0) {
      PrintVerbHelp(*verb);
      return kExitOk;
    }
  }
  absl::StatusOr<std::vector<std::string>> args =
      ParseVerbFlags(*verb, std::vector<std::string>(argv + 2, argv + argc));
  if (!args.ok()) {
    std::fprintf(stderr, "iocpsim %s: %s\n", verb->name, std::string(args.status().message()).c_str());
    return kExitBadInput;
  }
  if (TakesHostFlags(*verb)) {
    if (absl::Status st = CheckHostFlags(); !st.ok()) {
      std::fprintf(stderr, "iocpsim %s: %s\n", verb->name, std::string(st.message()).c_str());
      return kExitBadInput;
    }
  }
  return verb->run(*args);
}

}  // namespace
}  // namespace iocpsim::tools

int main(int argc, char** argv) { return iocpsim::tools::Main(argc, argv); }
