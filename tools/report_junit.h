// explore --junit: the results as JUnit XML for CI dashboards
// (docs/report-format.md): a test suite per scenario, a test case per
// oracle and per scripted race or fault.
#ifndef IOCPSIM_TOOLS_REPORT_JUNIT_H_
#define IOCPSIM_TOOLS_REPORT_JUNIT_H_

#include <string>

#include "tools/explore_results.h"

namespace iocpsim::tools {

// The document: the same results give the same bytes (no times).
std::string JunitXml(const ExploreResults& results);

// `s` escaped for XML text (or an attribute value), valid XML 1.0: markup
// characters as entities; in attributes line breaks and tabs as character
// references, so that they survive; other control characters as "\xNN".
std::string XmlEscape(const std::string& s, bool attribute);

}  // namespace iocpsim::tools

#endif  // IOCPSIM_TOOLS_REPORT_JUNIT_H_
