#include "tools/json.h"

#include <algorithm>
#include <numeric>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "tools/utf8.h"

namespace iocpsim::tools {
namespace {

void Quote(std::string& out, const std::string& s) {
  out += '"';
  for (char c : ValidUtf8(s)) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          out += absl::StrFormat("\\u%04x", static_cast<int>(c));
        } else {
          out += c;
        }
    }
  }
  out += '"';
}

}  // namespace

Json::Json(bool b) : kind_(Kind::kLiteral), text_(b ? "true" : "false") {}
Json::Json(int64_t v) : kind_(Kind::kLiteral), text_(absl::StrCat(v)) {}
Json::Json(uint64_t v) : kind_(Kind::kLiteral), text_(absl::StrCat(v)) {}
Json::Json(const std::string& s) : kind_(Kind::kString), text_(s) {}

Json Json::Object() {
  Json j;
  j.kind_ = Kind::kObject;
  return j;
}

Json Json::Array() {
  Json j;
  j.kind_ = Kind::kArray;
  return j;
}

Json Json::Strings(const std::vector<std::string>& items) {
  Json j = Array();
  for (const std::string& s : items) j.Push(s);
  return j;
}

Json& Json::Set(const std::string& key, Json value) {
  auto it = std::find(keys_.begin(), keys_.end(), key);
  if (it != keys_.end()) {
    items_[it - keys_.begin()] = std::move(value);
  } else {
    keys_.push_back(key);
    items_.push_back(std::move(value));
  }
  return *this;
}

Json& Json::Push(Json value) {
  items_.push_back(std::move(value));
  return *this;
}

std::string Json::Dump() const {
  std::string out;
  DumpTo(out, 0);
  return out + "\n";
}

void Json::DumpTo(std::string& out, int indent) const {
  switch (kind_) {
    case Kind::kNull: out += "null"; return;
    case Kind::kLiteral: out += text_; return;
    case Kind::kString: Quote(out, text_); return;
    case Kind::kArray:
    case Kind::kObject: break;
  }
  const bool object = kind_ == Kind::kObject;
  if (items_.empty()) {
    out += object ? "{}" : "[]";
    return;
  }
  std::vector<size_t> order(items_.size());
  std::iota(order.begin(), order.end(), 0);
  if (object) {
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return keys_[a] < keys_[b]; });
  }
  const std::string pad(2 * (indent + 1), ' ');
  out += object ? "{\n" : "[\n";
  for (size_t k = 0; k < order.size(); ++k) {
    out += pad;
    if (object) {
      Quote(out, keys_[order[k]]);
      out += ": ";
    }
    items_[order[k]].DumpTo(out, indent + 1);
    out += k + 1 < order.size() ? ",\n" : "\n";
  }
  out += std::string(2 * indent, ' ');
  out += object ? '}' : ']';
}

}  // namespace iocpsim::tools
