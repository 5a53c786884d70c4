// Text for the reports: JSON and XML must be valid UTF-8, while paths and
// messages may hold any bytes.
#ifndef IOCPSIM_TOOLS_UTF8_H_
#define IOCPSIM_TOOLS_UTF8_H_

#include <string>

#include "absl/strings/string_view.h"

namespace iocpsim::tools {

// `s` with each byte that is not part of a well-formed UTF-8 sequence
// replaced by U+FFFD.
std::string ValidUtf8(absl::string_view s);

}  // namespace iocpsim::tools

#endif  // IOCPSIM_TOOLS_UTF8_H_
