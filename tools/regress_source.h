// The GoogleTest file `iocpsim regress` writes for one finding: the case
// embedded whole (scenario text, seed, decisions, poller, host), replayed by
// explore::RunRegression, and the expectation asserted.
#ifndef IOCPSIM_TOOLS_REGRESS_SOURCE_H_
#define IOCPSIM_TOOLS_REGRESS_SOURCE_H_

#include <string>

#include "explore/regression.h"

namespace iocpsim::tools {

struct RegressionSource {
  explore::RegressionCase regression;
  std::string test_name;  // the test is Regress.<test_name>
  std::string command;    // the command that writes this file again
  // Expect the violation (a mutant still caught, a known bug pinned), or a
  // clean run (the bug fixed).
  bool expect_violation = true;
  std::string oracle;  // what the case violates as it is written
  std::string detail;
};

// The file's text: the same source gives the same bytes.
std::string RegressionTestSource(const RegressionSource& s);

// A GoogleTest name from the output file's name: "regress_a_b-c_test.cc"
// gives "ABC"; "Finding" when nothing is left.
std::string TestNameFor(const std::string& output_path);

}  // namespace iocpsim::tools

#endif  // IOCPSIM_TOOLS_REGRESS_SOURCE_H_
