#include "sim/workloads/scenario_loader.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "files/read.h"
#include "google/protobuf/io/tokenizer.h"
#include "google/protobuf/text_format.h"
#include "sim/workloads/scenario_checks.h"

namespace iocpsim::workloads {
namespace {

using google::protobuf::TextFormat;

class FirstError : public google::protobuf::io::ErrorCollector {
 public:
  void AddError(int line, int column, const std::string& message) override {
    if (error.empty()) error = absl::StrCat(line + 1, ":", column + 1, ": ", message);
  }
  std::string error;
};

// Editors on Windows start UTF-8 files with a byte order mark, which the
// text format tokenizer would refuse as a stray character.
constexpr absl::string_view kUtf8Bom = "\xEF\xBB\xBF";

}  // namespace

absl::StatusOr<scenario::Scenario> ParseScenario(const std::string& name, const std::string& text) {
  scenario::Scenario s;
  TextFormat::Parser parser;
  FirstError errors;
  TextFormat::ParseInfoTree tree;
  parser.RecordErrorsTo(&errors);
  parser.WriteLocationsTo(&tree);
  absl::string_view body = text;
  if (absl::StartsWith(body, kUtf8Bom)) body.remove_prefix(kUtf8Bom.size());
  if (!parser.ParseFromString(std::string(body), &s)) {
    return absl::InvalidArgumentError(absl::StrCat(name, ":", errors.error));
  }
  const Locator at(name, &tree, &s);
  for (auto check : {&CheckScenario, &CheckRaces, &CheckLabelsReached}) {
    if (absl::Status st = check(s, at); !st.ok()) return st;
  }
  return s;
}

absl::StatusOr<scenario::Scenario> LoadScenario(const std::string& path) {
  absl::StatusOr<std::string> text =
      files::ReadBounded(path, files::kMaxScenarioBytes, "scenario");
  if (!text.ok()) return text.status();
  return ParseScenario(path, *text);
}

}  // namespace iocpsim::workloads
