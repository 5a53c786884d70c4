// Strings from a trace made safe to print: a damaged or hostile trace must
// not send control characters (escape sequences) to a terminal.
#ifndef IOCPSIM_TRACES_PRINTABLE_H_
#define IOCPSIM_TRACES_PRINTABLE_H_

#include <string>

#include "absl/strings/string_view.h"

namespace iocpsim::traces {

// `s` with each control character (below 0x20, and 0x7f) and backslash
// written as \xNN (\\ for a backslash); other bytes, UTF-8 included, as they are.
std::string Printable(absl::string_view s);

}  // namespace iocpsim::traces

#endif  // IOCPSIM_TRACES_PRINTABLE_H_
