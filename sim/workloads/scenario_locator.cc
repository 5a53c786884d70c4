#include "sim/workloads/scenario_locator.h"

#include "absl/strings/str_cat.h"

namespace iocpsim::workloads {

absl::Status Locator::Error(const FieldPath& path, const std::string& what) const {
  const google::protobuf::TextFormat::ParseInfoTree* tree = root_;
  const google::protobuf::Message* msg = top_;
  int line = -1;
  std::string field_path;
  for (size_t i = 0; i < path.size() && tree != nullptr && msg != nullptr; ++i) {
    const auto* f = msg->GetDescriptor()->FindFieldByName(path[i].first);
    if (f == nullptr) break;
    const int index = path[i].second;
    absl::StrAppend(&field_path, i == 0 ? "" : ".", path[i].first);
    if (index >= 0) absl::StrAppend(&field_path, "[", index, "]");
    const google::protobuf::TextFormat::ParseLocation loc = tree->GetLocation(f, index);
    if (loc.line >= 0) line = loc.line;
    if (f->message_type() == nullptr) break;
    const auto* refl = msg->GetReflection();
    msg = index >= 0 ? &refl->GetRepeatedMessage(*msg, f, index) : &refl->GetMessage(*msg, f);
    tree = tree->GetTreeForNested(f, index);
  }
  return absl::InvalidArgumentError(absl::StrCat(name_, ":", line >= 0 ? line + 1 : 1, ": ",
                                                 field_path, field_path.empty() ? "" : ": ",
                                                 what));
}

}  // namespace iocpsim::workloads
