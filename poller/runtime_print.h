// Go's println and print, recorded one line per call.
#ifndef IOCPSIM_POLLER_RUNTIME_PRINT_H_
#define IOCPSIM_POLLER_RUNTIME_PRINT_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace iocpsim::poller {

template <typename... Args>
void Runtime::println(const Args&... args) {
  std::vector<std::string> parts = {absl::StrCat(args)...};
  record_print(absl::StrJoin(parts, " "));
}

// Go's print: operands concatenated; the callers end with "\n".
template <typename... Args>
void Runtime::print(const Args&... args) {
  std::string line = absl::StrCat(args...);
  if (!line.empty() && line.back() == '\n') line.pop_back();
  record_print(std::move(line));
}

}  // namespace iocpsim::poller

#endif  // IOCPSIM_POLLER_RUNTIME_PRINT_H_
