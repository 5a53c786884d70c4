#include "tools/verb_flags.h"

#include <algorithm>
#include <cstring>
#include <optional>

#include "absl/flags/commandlineflag.h"
#include "absl/flags/reflection.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace iocpsim::tools {
namespace {

bool Takes(const Verb& v, const std::string& name) {
  return std::any_of(v.flags.begin(), v.flags.end(),
                     [&](const char* f) { return name == f; });
}

// Booleans, plain or optional (a host flag unset keeps the host's value),
// need no value: --flag is true, --noflag false.
bool IsBool(absl::CommandLineFlag* f) {
  return f->IsOfType<bool>() || f->IsOfType<std::optional<bool>>();
}

// As the user would write it: -o, --seed.
std::string Spelling(const std::string& name) {
  return absl::StrCat(name.size() == 1 ? "-" : "--", name);
}

absl::Status NotTaken(const Verb& v, const std::string& name) {
  return absl::InvalidArgumentError(absl::StrCat(Spelling(name), ": not a flag of iocpsim ", v.name,
                                                 " (see 'iocpsim ", v.name, " --help')"));
}

}  // namespace

absl::StatusOr<std::vector<std::string>> ParseVerbFlags(const Verb& v,
                                                        const std::vector<std::string>& args) {
  std::vector<std::string> positional;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--") {
      positional.insert(positional.end(), args.begin() + i + 1, args.end());
      break;
    }
    if (a.size() < 2 || a[0] != '-') {
      positional.push_back(a);
      continue;
    }
    std::string name = a.substr(a[1] == '-' ? 2 : 1);
    std::optional<std::string> value;
    if (const size_t eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name.resize(eq);
    }
    std::replace(name.begin(), name.end(), '-', '_');
    absl::CommandLineFlag* f = Takes(v, name) ? absl::FindCommandLineFlag(name) : nullptr;
    if (f == nullptr && !value && name.rfind("no", 0) == 0 && Takes(v, name.substr(2))) {
      absl::CommandLineFlag* b = absl::FindCommandLineFlag(name.substr(2));
      if (b != nullptr && IsBool(b)) {
        f = b;
        name = name.substr(2);
        value = "false";
      }
    }
    if (f == nullptr) return NotTaken(v, name);
    if (!value) {
      if (IsBool(f)) {
        value = "true";
      } else if (i + 1 < args.size()) {
        value = args[++i];
      } else {
        return absl::InvalidArgumentError(absl::StrCat(Spelling(name), ": missing value"));
      }
    }
    std::string error;
    if (!f->ParseFrom(*value, &error)) {
      return absl::InvalidArgumentError(
          absl::StrCat(Spelling(name), ": invalid value \"", *value, "\": ", error));
    }
  }
  return positional;
}

}  // namespace iocpsim::tools
