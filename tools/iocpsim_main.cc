// iocpsim: deterministic simulation of Go's Windows network poller.
//
//   iocpsim VERB [flags] [args]     iocpsim VERB --help     iocpsim help
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/reflection.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "tools/run_flags.h"
#include "tools/verb.h"

namespace iocpsim::tools {
namespace {

std::vector<const Verb*> Verbs() {
  return {&RunVerb(),    &ExploreVerb(), &SimulateVerb(), &RecordVerb(),
          &ReplayVerb(), &ShowVerb(),    &ExportVerb()};
}

// Abseil flag names use '_'; accept the '-' spelling too (--keep-going).
std::string Underscored(const char* arg) {
  std::string a(arg);
  if (a.rfind("--", 0) != 0) return a;
  for (size_t i = 2; i < a.size() && a[i] != '='; ++i) {
    if (a[i] == '-') a[i] = '_';
  }
  return a;
}

void PrintTopHelp(FILE* out) {
  std::fprintf(out,
               "iocpsim: deterministic simulation of Go's Windows network poller\n\n"
               "usage: iocpsim VERB [flags] [args]\n\nverbs:\n");
  for (const Verb* v : Verbs()) std::fprintf(out, "  %-10s %s\n", v->name, v->summary);
  std::fprintf(out, "\n'iocpsim VERB --help' describes a verb and its flags.\n");
}

void PrintVerbHelp(const Verb& v) {
  std::printf("usage: iocpsim %s %s\n\n%s\n\nflags:\n", v.name, v.usage, v.description);
  for (const char* name : v.flags) {
    absl::CommandLineFlag* f = absl::FindCommandLineFlag(name);
    if (f == nullptr) continue;
    std::printf("  --%s (default %s)\n      %s\n", name, f->DefaultValue().c_str(),
                f->Help().c_str());
  }
}

int Main(int argc, char** argv) {
  absl::SetProgramUsageMessage("iocpsim VERB [flags] [args]; see 'iocpsim help'");
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
    return 2;
  }
  for (int i = 2; i < argc; ++i) {
    if (std::strcmp(argv[i], "--help") == 0 || std::strcmp(argv[i], "-h") == 0) {
      PrintVerbHelp(*verb);
      return 0;
    }
  }
  // Parse the verb's flags after the program name.
  std::vector<std::string> spelled;
  for (int i = 2; i < argc; ++i) spelled.push_back(Underscored(argv[i]));
  std::vector<char*> rest = {argv[0]};
  for (std::string& a : spelled) rest.push_back(a.data());
  std::vector<char*> positional =
      absl::ParseCommandLine(static_cast<int>(rest.size()), rest.data());
  std::vector<std::string> args(positional.begin() + 1, positional.end());
  for (const char* f : verb->flags) {
    if (std::strcmp(f, "tick_ms") != 0) continue;
    if (absl::Status st = CheckHostFlags(); !st.ok()) {
      std::fprintf(stderr, "iocpsim %s: %s\n", verb->name, std::string(st.message()).c_str());
      return 2;
    }
  }
  return verb->run(args);
}

}  // namespace
}  // namespace iocpsim::tools

int main(int argc, char** argv) { return iocpsim::tools::Main(argc, argv); }
