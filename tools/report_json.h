// explore --report: the results as JSON, schema in docs/report-format.md.
#ifndef IOCPSIM_TOOLS_REPORT_JSON_H_
#define IOCPSIM_TOOLS_REPORT_JSON_H_

#include <string>

#include "tools/explore_results.h"

namespace iocpsim::tools {

// Bump on a change that would make a reader of the old schema misread the
// new one (a field removed, renamed or given another meaning); adding a
// field does not.
inline constexpr int kReportSchemaVersion = 1;

// The document: the same results give the same bytes (no times, no job
// count, keys sorted).
std::string ReportJson(const ExploreResults& results);

}  // namespace iocpsim::tools

#endif  // IOCPSIM_TOOLS_REPORT_JSON_H_
