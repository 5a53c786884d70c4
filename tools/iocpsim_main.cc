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
#include "tools/aliases.h"
#include "tools/run_flags.h"
#include "traces/format.h"
#include "tools/verb.h"
#include "tools/verb_flags.h"

namespace iocpsim::tools {
namespace {

std::vector<const Verb*> Verbs() {
  return {&RunVerb(),  &ExploreVerb(), &RegressVerb(),   &ReplayVerb(),
          &ShowVerb(), &ExportVerb(),  &SleepModelVerb(), &BenchVerb()};
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
  for (const Alias& a : Aliases()) std::fprintf(out, "  %-10s %s\n", a.name, a.summary);
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
    // Asked for, on stdout; as the usage of a command with no verb, on stderr.
    PrintTopHelp(argc < 2 ? stderr : stdout);
    return argc < 2 ? kExitBadInput : kExitOk;
  }
  std::vector<std::string> words(argv + 1, argv + argc);
  for (const Alias& a : Aliases()) {
    if (words[0] != a.name) continue;
    const bool help = std::find(words.begin(), words.end(), "--help") != words.end() ||
                      std::find(words.begin(), words.end(), "-h") != words.end();
    // Its help: what it stands for, then that verb's help.
    if (help) std::printf("iocpsim %s is an alias: %s\n\n", a.name, a.expands);
    absl::StatusOr<std::vector<std::string>> expanded =
        help ? std::vector<std::string>{ExpandAlias(a.name, {"-o=x"})->front(), "--help"}
             : ExpandAlias(a.name, std::vector<std::string>(words.begin() + 1, words.end()));
    if (!expanded.ok()) {
      std::fprintf(stderr, "iocpsim %s: %s\n", a.name, std::string(expanded.status().message()).c_str());
      return kExitBadInput;
    }
    words = *std::move(expanded);
  }
  const Verb* verb = nullptr;
  for (const Verb* v : Verbs()) {
    if (words[0] == v->name) verb = v;
  }
  if (verb == nullptr) {
    std::fprintf(stderr, "iocpsim: unknown verb \"%s\"\n\n", argv[1]);
    PrintTopHelp(stderr);
    return kExitBadInput;
  }
  for (size_t i = 1; i < words.size(); ++i) {
    if (words[i] == "--help" || words[i] == "-h") {
      PrintVerbHelp(*verb);
      return kExitOk;
    }
  }
  absl::StatusOr<std::vector<std::string>> args =
      ParseVerbFlags(*verb, std::vector<std::string>(words.begin() + 1, words.end()));
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
