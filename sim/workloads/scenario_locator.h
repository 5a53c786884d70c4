// Names where a scenario field was written, for FILE:LINE: field: problem.
#ifndef IOCPSIM_SIM_WORKLOADS_SCENARIO_LOCATOR_H_
#define IOCPSIM_SIM_WORKLOADS_SCENARIO_LOCATOR_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "google/protobuf/text_format.h"
#include "proto/scenario.pb.h"

namespace iocpsim::workloads {

// (field name, index) pairs from the top; index -1 for a singular field.
using FieldPath = std::vector<std::pair<const char*, int>>;

class Locator {
 public:
  Locator(std::string name, const google::protobuf::TextFormat::ParseInfoTree* root,
          const scenario::Scenario* top)
      : name_(std::move(name)), root_(root), top_(top) {}

  // An InvalidArgument error "FILE:LINE: field: what" (the line of the
  // deepest field written; "FILE:1: what" for the scenario as a whole).
  absl::Status Error(const FieldPath& path, const std::string& what) const;

 private:
  std::string name_;
  const google::protobuf::TextFormat::ParseInfoTree* root_;
  const scenario::Scenario* top_;
};

}  // namespace iocpsim::workloads

#endif  // IOCPSIM_SIM_WORKLOADS_SCENARIO_LOCATOR_H_
