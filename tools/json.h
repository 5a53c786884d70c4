// A JSON document built in memory and written deterministically: object
// keys sorted, two-space indentation, integers exact, strings valid UTF-8.
// Enough for explore's report (docs/report-format.md); no parsing.
#ifndef IOCPSIM_TOOLS_JSON_H_
#define IOCPSIM_TOOLS_JSON_H_

#include <cstdint>
#include <string>
#include <vector>

namespace iocpsim::tools {

class Json {
 public:
  Json() = default;  // null
  Json(bool b);      // NOLINT: values convert implicitly, as in a literal
  Json(int v) : Json(static_cast<int64_t>(v)) {}  // NOLINT
  Json(int64_t v);                                 // NOLINT
  Json(uint64_t v);                                // NOLINT
  Json(const std::string& s);                      // NOLINT
  Json(const char* s) : Json(std::string(s)) {}    // NOLINT
  static Json Object();
  static Json Array();
  static Json Strings(const std::vector<std::string>& items);

  // On an object: sets `key` (replacing it). On an array: appends.
  Json& Set(const std::string& key, Json value);
  Json& Push(Json value);

  // The document, ending in a newline.
  std::string Dump() const;

 private:
  enum class Kind { kNull, kLiteral, kString, kArray, kObject };
  void DumpTo(std::string& out, int indent) const;

  Kind kind_ = Kind::kNull;
  std::string text_;  // a literal's JSON text, or a string's value
  std::vector<std::string> keys_;  // an object's, beside items_
  std::vector<Json> items_;
};

}  // namespace iocpsim::tools

#endif  // IOCPSIM_TOOLS_JSON_H_
