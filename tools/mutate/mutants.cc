#include "tools/mutate/mutants.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/strip.h"

namespace iocpsim::mutate {
namespace {

enum class Kind { kIdent, kNumber, kChar, kString, kPunct };

struct Token {
  Kind kind;
  size_t offset;
  std::string text;
  int line;
  bool skip = false;  // part of coverage, printing or a named-mutant hook
};

bool IsIdentStart(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool IsIdentChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// Longest first, so "<<=" is not read as "<<" and "=".
constexpr absl::string_view kPuncts[] = {
    "<<=", ">>=", "->", "::", "<<", ">>", "<=", ">=", "==", "!=", "&&", "||",
    "+=",  "-=",  "*=", "/=", "|=", "&=", "++", "--", "[[", "]]",
};

// A C++ lexer good enough for the poller's sources: comments, preprocessor
// lines and literals are skipped or kept whole, so no mutation lands inside them.
std::vector<Token> Lex(absl::string_view s) {
  std::vector<Token> out;
  int line = 1;
  bool line_start = true;
  size_t i = 0;
  auto add = [&](Kind k, size_t from, size_t to) {
    out.push_back({k, from, std::string(s.substr(from, to - from)), line});
  };
  while (i < s.size()) {
    char c = s[i];
    if (c == '\n') { ++line; line_start = true; ++i; continue; }
    if (c == ' ' || c == '\t' || c == '\r') { ++i; continue; }
    if (line_start && c == '#') {
      while (i < s.size() && s[i] != '\n') ++i;
      continue;
    }
    line_start = false;
    if (s.substr(i, 2) == "//") {
      while (i < s.size() && s[i] != '\n') ++i;
      continue;
    }
    if (s.substr(i, 2) == "/*") {
      size_t end = s.find("*/", i + 2);
      end = end == absl::string_view::npos ? s.size() : end + 2;
      line += static_cast<int>(std::count(s.begin() + i, s.begin() + end, '\n'));
      i = end;
      continue;
    }
    size_t from = i;
    if (c == '"' || c == '\'') {
      for (++i; i < s.size() && s[i] != c; ++i) {
        if (s[i] == '\\') ++i;
      }
      i = std::min(i + 1, s.size());
      add(c == '"' ? Kind::kString : Kind::kChar, from, i);
    } else if (IsIdentStart(c)) {
      while (i < s.size() && IsIdentChar(s[i])) ++i;
      add(Kind::kIdent, from, i);
    } else if (std::isdigit(static_cast<unsigned char>(c))) {
      while (i < s.size() && (IsIdentChar(s[i]) || s[i] == '.' || s[i] == '\'')) ++i;
      add(Kind::kNumber, from, i);
    } else {
      size_t len = 1;
      for (absl::string_view p : kPuncts) {
        if (s.substr(i, p.size()) == p) { len = p.size(); break; }
      }
      i += len;
      add(Kind::kPunct, from, i);
    }
  }
  return out;
}

// The token index that closes the bracket opened at `open`, or toks.size().
size_t Matching(const std::vector<Token>& toks, size_t open) {
  const std::string& o = toks[open].text;
  const std::string c = o == "(" ? ")" : o == "{" ? "}" : "]";
  int depth = 0;
  for (size_t j = open; j < toks.size(); ++j) {
    if (toks[j].kind != Kind::kPunct) continue;
    if (toks[j].text == o) ++depth;
    if (toks[j].text == c && --depth == 0) return j;
  }
  return toks.size();
}

void SkipRange(std::vector<Token>& toks, size_t from, size_t to) {
  for (size_t j = from; j <= to && j < toks.size(); ++j) toks[j].skip = true;
}

// Marks what no mutation may touch (see the header).
void MarkSkipped(std::vector<Token>& toks) {
  // Lines that count coverage or print.
  std::set<int> lines;
  for (size_t j = 0; j + 1 < toks.size(); ++j) {
    const Token& t = toks[j];
    if (t.kind == Kind::kIdent && toks[j + 1].text == "(" &&
        (t.text == "cover" || t.text == "print" || t.text == "println")) {
      lines.insert(t.line);
    }
  }
  for (Token& t : toks) {
    if (lines.count(t.line)) t.skip = true;
  }
  // The named mutants' hooks: `mutant ==|!= Mutant::kX`, and what runs only
  // for a mutant (the block of `if (mutant == ...)`, a `?` arm).
  for (size_t j = 0; j + 4 < toks.size(); ++j) {
    if (toks[j].text != "mutant" || toks[j + 2].text != "Mutant") continue;
    const bool only_mutant = toks[j + 1].text == "==";
    SkipRange(toks, j, j + 4);
    const size_t after = j + 5;
    if (j >= 2 && toks[j - 2].text == "if" && toks[j - 1].text == "(" && after < toks.size() &&
        toks[after].text == ")") {
      SkipRange(toks, j - 2, after);
      if (only_mutant && after + 1 < toks.size()) {
        size_t body = after + 1;
        size_t end = body;
        if (toks[body].text == "{") {
          end = Matching(toks, body);
        } else {
          while (end < toks.size() && toks[end].text != ";") ++end;
        }
        SkipRange(toks, body, end);
      }
    } else if (only_mutant && after < toks.size() && toks[after].text == "?") {
      size_t colon = after;
      while (colon < toks.size() && toks[colon].text != ":") ++colon;
      SkipRange(toks, after, colon);
    }
  }
  // An `if` whose condition holds a hook is not negated as a whole.
  for (size_t j = 0; j + 1 < toks.size(); ++j) {
    if (toks[j].text != "if" || toks[j + 1].text != "(") continue;
    size_t close = Matching(toks, j + 1);
    for (size_t k = j + 1; k < close; ++k) {
      if (toks[k].text == "mutant") { toks[j].skip = true; break; }
    }
  }
}

// Names that a slip of the pen swaps for one another.
const std::vector<std::vector<std::string>>& SwapGroups() {
  static const auto* groups = new std::vector<std::vector<std::string>>{
      {"STATUS_SUCCESS", "STATUS_PENDING", "STATUS_CANCELLED"},
      {"netpollSourceReady", "netpollSourceBreak", "netpollSourceTimer"},
      {"pdReady", "pdNil", "pdWait"},
      {"rg", "wg"},
      {"true", "false"},
      {"highResTimer", "waitIocpTimer", "waitIocpHandle"},
      {"haveHighResTimer", "haveHighResSleep"},
  };
  return *groups;
}

bool SpacedBinary(absl::string_view s, const Token& t) {
  size_t end = t.offset + t.text.size();
  return t.offset > 0 && s[t.offset - 1] == ' ' && end < s.size() && s[end] == ' ';
}

// Replacement constants: 0 becomes 1; others become 0 and one more; a power
// of ten written 1eN moves by a decade each way.
std::vector<std::string> ConstantReplacements(const std::string& lit) {
  std::string l = absl::AsciiStrToLower(lit);
  if (l.find('e') != std::string::npos && l.find('x') == std::string::npos) {
    size_t e = l.find('e');
    int exp = std::atoi(l.c_str() + e + 1);
    return {absl::StrCat(lit.substr(0, e), "e", exp - 1), absl::StrCat(lit.substr(0, e), "e", exp + 1)};
  }
  if (l.find('.') != std::string::npos) return {};
  uint64_t v = std::strtoull(l.c_str(), nullptr, 0);
  const bool hex = l.rfind("0x", 0) == 0;
  if (v == 0) return {"1"};
  return {"0", hex ? absl::StrCat("0x", absl::Hex(v + 1, absl::kZeroPad8)) : absl::StrCat(v + 1)};
}

bool StartsDeclaration(const std::vector<Token>& toks, size_t j) {
  static const std::set<std::string> kNever = {
      "std", "constexpr", "using", "auto", "const", "static", "case", "default",
      "if", "for", "while", "switch", "else", "do", "[[", "}", "{"};
  if (kNever.count(toks[j].text)) return true;
  if (j + 1 < toks.size() && toks[j].kind == Kind::kIdent && toks[j + 1].kind == Kind::kIdent) {
    return true;  // `uint32_t wait;`
  }
  return j + 2 < toks.size() && toks[j + 1].text == "*" && toks[j + 2].kind == Kind::kIdent &&
         j + 3 < toks.size() && (toks[j + 3].text == "=" || toks[j + 3].text == ";");
}

void AddStatementDeletions(absl::string_view s, const std::vector<Token>& toks,
                           std::vector<Mutation>& out) {
  int paren = 0;
  for (size_t j = 0; j < toks.size(); ++j) {
    const Token& t = toks[j];
    if (t.text == "(") ++paren;
    if (t.text == ")") --paren;
    if (paren != 0 || j == 0) continue;
    const std::string& prev = toks[j - 1].text;
    // After a label only where it ends its line (`case X:`), not a `?:` arm.
    const bool label = prev == ":" && toks[j - 1].line < t.line;
    if (prev != ";" && prev != "{" && prev != "}" && !label) continue;
    if (t.kind == Kind::kPunct || StartsDeclaration(toks, j)) continue;
    if (t.text == "return" && toks[j + 1].text != ";") continue;  // a value is needed
    // A statement that holds a hook still runs in the faithful poller; one
    // that only counts, prints or runs for a mutant starts with a skipped token.
    if (t.skip) continue;
    size_t end = j;
    int depth = 0;
    for (; end < toks.size(); ++end) {
      if (toks[end].text == "(" || toks[end].text == "{") ++depth;
      if (toks[end].text == ")" || toks[end].text == "}") --depth;
      if (depth == 0 && toks[end].text == ";") break;
    }
    if (end == toks.size() || toks[end].line != t.line) continue;
    size_t stop = toks[end].offset + 1;
    out.push_back({t.line, "delete", t.offset, stop - t.offset,
                   std::string(s.substr(t.offset, stop - t.offset)), ";"});
  }
}

}  // namespace

std::vector<Mutation> FindMutations(absl::string_view s) {
  std::vector<Token> toks = Lex(s);
  MarkSkipped(toks);
  std::vector<Mutation> out;
  auto add = [&](const Token& t, const char* op, const std::string& with) {
    out.push_back({t.line, op, t.offset, t.text.size(), t.text, with});
  };
  for (size_t j = 0; j < toks.size(); ++j) {
    const Token& t = toks[j];
    if (t.skip) continue;
    const std::string& x = t.text;
    const std::string prev = j > 0 ? toks[j - 1].text : "";
    const std::string next = j + 1 < toks.size() ? toks[j + 1].text : "";
    if (t.kind == Kind::kPunct) {
      static const std::pair<const char*, const char*> kRor[] = {
          {"<", "<="}, {"<=", "<"}, {">", ">="}, {">=", ">"}, {"==", "!="}, {"!=", "=="}};
      for (auto [from, to] : kRor) {
        if (x == from && SpacedBinary(s, t)) add(t, "ror", to);
      }
      if ((x == "&&" || x == "||") && SpacedBinary(s, t)) add(t, "lcr", x == "&&" ? "||" : "&&");
      static const std::pair<const char*, const char*> kAor[] = {
          {"+", "-"}, {"-", "+"}, {"*", "/"}, {"/", "*"}, {"<<", ">>"}, {">>", "<<"},
          {"|", "&"}, {"&", "|"}, {"+=", "-="}, {"-=", "+="}};
      for (auto [from, to] : kAor) {
        if (x == from && SpacedBinary(s, t)) add(t, "aor", to);
      }
      const bool operand_follows = j + 1 < toks.size() && !SpacedBinary(s, t) &&
                                   (toks[j + 1].kind == Kind::kIdent || next == "(");
      const bool no_left_operand = prev == "(" || prev == "=" || prev == "," || prev == "return";
      if ((x == "!" || x == "~" || (x == "-" && no_left_operand)) && operand_follows) {
        add(t, "unary", "");
      }
      if (x == "(" && prev == "if" && !toks[j - 1].skip) {
        size_t close = Matching(toks, j);
        bool init_statement = false;  // `if (T x = f(); x != 0)` is not negated whole
        for (size_t k = j; k < close && k < toks.size(); ++k) init_statement |= toks[k].text == ";";
        if (close < toks.size() && !init_statement) {
          size_t end = toks[close].offset + 1;
          std::string cond(s.substr(t.offset + 1, toks[close].offset - t.offset - 1));
          out.push_back({t.line, "negate", t.offset, end - t.offset,
                         std::string(s.substr(t.offset, end - t.offset)),
                         absl::StrCat("(!(", cond, "))")});
        }
      }
    } else if (t.kind == Kind::kNumber) {
      for (const std::string& r : ConstantReplacements(x)) add(t, "const", r);
    } else if (t.kind == Kind::kChar && (x == "'r'" || x == "'w'")) {
      add(t, "const", x == "'r'" ? "'w'" : "'r'");
    } else if (t.kind == Kind::kIdent && prev != "case" &&
               !(next == "=" && j > 0 && toks[j - 1].kind == Kind::kIdent)) {  // a declaration
      for (const auto& group : SwapGroups()) {
        if (std::find(group.begin(), group.end(), x) == group.end()) continue;
        for (const std::string& other : group) {
          if (other != x) add(t, "swap", other);
        }
      }
    }
  }
  AddStatementDeletions(s, toks, out);
  std::stable_sort(out.begin(), out.end(), [](const Mutation& a, const Mutation& b) {
    return a.offset < b.offset;
  });
  return out;
}

std::string Apply(absl::string_view text, const Mutation& m) {
  return absl::StrCat(text.substr(0, m.offset), m.replacement,
                      text.substr(m.offset + m.length));
}

std::vector<std::string> Keys(absl::string_view text, const std::vector<Mutation>& ms) {
  auto one_line = [](absl::string_view v) {
    std::string s = absl::StrReplaceAll(absl::StripAsciiWhitespace(v), {{"\n", " "}});
    return s.size() > 70 ? s.substr(0, 67) + "..." : s;
  };
  std::vector<std::string> keys;
  std::map<std::string, int> seen;
  for (const Mutation& m : ms) {
    size_t begin = text.rfind('\n', m.offset);
    begin = begin == absl::string_view::npos ? 0 : begin + 1;
    size_t end = std::min(text.find('\n', m.offset), text.size());
    std::string key = absl::StrCat(m.op, ": `", one_line(m.original), "` -> `",
                                   one_line(m.replacement), "` in `",
                                   one_line(text.substr(begin, end - begin)), "`");
    if (int n = ++seen[key]; n > 1) absl::StrAppend(&key, " #", n);
    keys.push_back(std::move(key));
  }
  return keys;
}

}  // namespace iocpsim::mutate
