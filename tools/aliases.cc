#include "tools/aliases.h"

#include <cstdint>
#include <optional>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "tools/flag_limits.h"

namespace iocpsim::tools {
namespace {

// "--name=value", "--name value" or "-name ...": the value, consuming the
// next argument when it is separate; nullopt if args[*i] is not the flag.
// A separate value that looks like a flag is no value ("" is returned), so
// `record -o --seed=3` is an error, not a file named "--seed=3".
std::optional<std::string> TakeFlag(const std::vector<std::string>& args, size_t* i,
                                    absl::string_view name) {
  absl::string_view a = args[*i];
  if (!absl::ConsumePrefix(&a, "--") && !absl::ConsumePrefix(&a, "-")) return std::nullopt;
  if (!absl::ConsumePrefix(&a, name)) return std::nullopt;
  if (absl::ConsumePrefix(&a, "=")) return std::string(a);
  if (!a.empty()) return std::nullopt;  // another flag that starts with name
  if (*i + 1 >= args.size() || absl::StartsWith(args[*i + 1], "-")) return std::string();
  return args[++*i];
}

absl::StatusOr<std::vector<std::string>> Simulate(const std::vector<std::string>& args) {
  std::vector<std::string> rest;
  bool log = false, list = false;
  std::optional<std::string> seeds;
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--log" || args[i] == "--log=true") {
      log = true;
    } else if (args[i] == "--list" || args[i] == "--list=true") {
      list = true;
    } else if (std::optional<std::string> v = TakeFlag(args, &i, "seeds")) {
      seeds = *v;
    } else {
      rest.push_back(args[i]);
    }
  }
  if (list) return std::vector<std::string>{"explore", "--list_workloads"};
  int64_t n = 1;
  if (seeds && !absl::SimpleAtoi(*seeds, &n)) {  // "" too: --seeds with no value
    return absl::InvalidArgumentError(absl::StrCat("--seeds: invalid value \"", *seeds, "\""));
  }
  if (absl::Status st = CheckRange("seeds", n, 1, kMaxSchedules); !st.ok()) return st;
  if (log) {
    // One run's every call and decision: run --log.
    if (n != 1) return absl::InvalidArgumentError("--log shows one run: leave out --seeds");
    std::vector<std::string> out = {"run", "--log"};
    out.insert(out.end(), rest.begin(), rest.end());
    return out;
  }
  std::vector<std::string> out = {"explore", absl::StrCat("--schedules=", n), "--out_dir="};
  out.insert(out.end(), rest.begin(), rest.end());
  return out;
}

absl::StatusOr<std::vector<std::string>> Record(const std::vector<std::string>& args) {
  std::vector<std::string> out = {"run"};
  bool written = false;
  for (size_t i = 0; i < args.size(); ++i) {
    if (std::optional<std::string> v = TakeFlag(args, &i, "o")) {
      out.push_back(absl::StrCat("--record=", *v));
      written = !v->empty();
    } else {
      out.push_back(args[i]);
    }
  }
  if (!written) return absl::InvalidArgumentError("-o TRACE: where to write the trace");
  return out;
}

}  // namespace

const std::vector<Alias>& Aliases() {
  static const std::vector<Alias> kAliases = {
      {"simulate", "explore a bundled workload (alias)",
       "simulate [--workload=W] [--seed=S] [--seeds=N] [flags] stands for\n"
       "  iocpsim explore [--workload=W] [--seed=S] --schedules=N --out_dir= [flags]\n"
       "(no finding files written); simulate --log [--seed=S] for\n"
       "  iocpsim run [--workload=W] [--seed=S] --log\n"
       "and simulate --list for 'iocpsim explore --list_workloads'."},
      {"record", "run a bundled workload and write its trace (alias)",
       "record [--workload=W] [--seed=S] -o TRACE [flags] stands for\n"
       "  iocpsim run [--workload=W] [--seed=S] --record=TRACE [flags]"},
  };
  return kAliases;
}

absl::StatusOr<std::vector<std::string>> ExpandAlias(const std::string& alias,
                                                     const std::vector<std::string>& args) {
  if (alias == "simulate") return Simulate(args);
  if (alias == "record") return Record(args);
  return absl::InvalidArgumentError(absl::StrCat("\"", alias, "\" is not an alias"));
}

}  // namespace iocpsim::tools
