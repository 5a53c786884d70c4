// Single-point mutants of a C++ source file, by the standard operators of
// mutation testing (Offutt et al., "An experimental determination of
// sufficient mutant operators", 1996): flip a comparison, negate a
// condition, swap && and ||, change a constant, swap a related name (status
// codes, sources, modes, pollDesc states), replace an arithmetic operator,
// delete a statement. tools/mutate.sh builds each and explores the corpus.
//
// Not mutated, because no change there is a poller bug: comments and
// preprocessor lines; lines that count coverage (cover(...)) or print
// (print, println); the named --mutant hooks (`mutant == Mutant::kX`, the
// block or ternary arm that runs only for that mutant).
#ifndef IOCPSIM_TOOLS_MUTATE_MUTANTS_H_
#define IOCPSIM_TOOLS_MUTATE_MUTANTS_H_

#include <cstddef>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace iocpsim::mutate {

struct Mutation {
  int line = 0;          // 1-based line of the replaced span's start
  std::string op;        // ror, negate, lcr, const, swap, aor, unary, delete
  size_t offset = 0;     // byte span of the file replaced
  size_t length = 0;
  std::string original;  // the span's text
  std::string replacement;
};

// Every mutation of `text`, in file order (then by operator), so a mutant's
// index is stable while the file is unchanged.
std::vector<Mutation> FindMutations(absl::string_view text);

// `text` with the mutation applied.
std::string Apply(absl::string_view text, const Mutation& m);

// Each mutation's name, independent of line numbers so a list of reviewed
// mutants (docs/mutants.md) survives edits elsewhere in the file:
// "op: `original` -> `replacement` in `the source line`", with " #N" for the
// Nth identical one on an identical line.
std::vector<std::string> Keys(absl::string_view text, const std::vector<Mutation>& mutations);

}  // namespace iocpsim::mutate

#endif  // IOCPSIM_TOOLS_MUTATE_MUTANTS_H_
