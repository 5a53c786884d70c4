// The mutant generator behind tools/mutate.sh: which operators it applies,
// what it leaves alone, and that a mutant's name survives edits elsewhere.
#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tools/mutate/mutants.h"

namespace iocpsim::mutate {
namespace {

std::vector<std::string> Applied(const std::string& text) {
  std::vector<std::string> out;
  for (const Mutation& m : FindMutations(text)) out.push_back(Apply(text, m));
  return out;
}

bool Has(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

TEST(Mutants, StandardOperators) {
  const std::string f = "void f() {\n  if (a < 8 && !b) {\n    x += g(STATUS_PENDING, 'r');\n  }\n}\n";
  const std::vector<std::string> all = Applied(f);
  auto with = [&](const std::string& from, const std::string& to) {
    std::string s = f;
    s.replace(s.find(from), from.size(), to);
    return s;
  };
  EXPECT_TRUE(Has(all, with("a < 8", "a <= 8")));                       // ror
  EXPECT_TRUE(Has(all, with("(a < 8 && !b)", "(!(a < 8 && !b))")));    // negate
  EXPECT_TRUE(Has(all, with("&&", "||")));                              // lcr
  EXPECT_TRUE(Has(all, with("!b", "b")));                               // unary
  EXPECT_TRUE(Has(all, with("8", "0")));                                // const
  EXPECT_TRUE(Has(all, with("8", "9")));
  EXPECT_TRUE(Has(all, with("+=", "-=")));                              // aor
  EXPECT_TRUE(Has(all, with("STATUS_PENDING", "STATUS_CANCELLED")));    // swap
  EXPECT_TRUE(Has(all, with("'r'", "'w'")));
  EXPECT_TRUE(Has(all, with("x += g(STATUS_PENDING, 'r');", ";")));     // delete
  for (const std::string& m : all) EXPECT_NE(m, f);
}

TEST(Mutants, LeavesCommentsStringsCoverageAndHooksAlone) {
  const std::string f =
      "#include <a>\n"
      "// if (a == b) x = 1;\n"
      "void f() {\n"
      "  cover(Branch::kX);\n"
      "  println(\"a < b\", 1);\n"
      "  wait = mutant == Mutant::kZeroPollWaits ? 1 : 0;\n"
      "  if (mutant == Mutant::kX) {\n"
      "    y = 2;\n"
      "  }\n"
      "  uint32_t z;\n"
      "}\n";
  std::vector<std::string> described;
  for (const std::string& k : Keys(f, FindMutations(f))) described.push_back(k);
  // Only the statement that runs in the faithful poller (deleted), and its
  // faithful arm of the hook's ternary (0 -> 1).
  EXPECT_EQ(described, (std::vector<std::string>{
                           "delete: `wait = mutant == Mutant::kZeroPollWaits ? 1 : 0;` -> `;` in "
                           "`wait = mutant == Mutant::kZeroPollWaits ? 1 : 0;`",
                           "const: `0` -> `1` in `wait = mutant == Mutant::kZeroPollWaits ? 1 : 0;`"}));
}

TEST(Mutants, TemplatesAndPointersAreNotComparisons) {
  const std::string f = "void f() {\n  std::array<E, 64> e;\n  p->x = q;\n}\n";
  for (const Mutation& m : FindMutations(f)) {
    EXPECT_NE(m.op, "ror") << m.original;
  }
}

TEST(Mutants, KeysDoNotDependOnLineNumbers) {
  const std::string f = "void f() {\n  if (a == 0) b = 0;\n  if (a == 0) b = 0;\n}\n";
  const std::vector<std::string> keys = Keys(f, FindMutations(f));
  const std::string shifted = "\n\n" + f;
  EXPECT_EQ(Keys(shifted, FindMutations(shifted)), keys);
  // Identical mutations on identical lines are told apart by a count.
  EXPECT_TRUE(std::find(keys.begin(), keys.end(),
                        "ror: `==` -> `!=` in `if (a == 0) b = 0;` #2") != keys.end());
  std::vector<std::string> sorted = keys;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(std::adjacent_find(sorted.begin(), sorted.end()), sorted.end());
}

}  // namespace
}  // namespace iocpsim::mutate
