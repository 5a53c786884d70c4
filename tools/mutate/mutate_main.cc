// mutate: lists and applies the single-point mutants of poller sources, for
// tools/mutate.sh.
//   mutate list FILE...            one line per mutant: FILE<TAB>INDEX<TAB>LINE<TAB>KEY
//   mutate apply FILE INDEX OUT    writes FILE with mutant INDEX applied to OUT
// Exit 0 on success, 2 on bad usage or an unreadable file or index.
#include <cstdio>
#include <fstream>
#include <string>

#include "absl/strings/numbers.h"
#include "files/output.h"
#include "files/read.h"
#include "tools/mutate/mutants.h"

namespace {

constexpr int kUsage = 2;
// A source file of the poller is a few hundred lines; this bounds a mistake.
constexpr uint64_t kMaxSourceBytes = uint64_t{1} << 20;

int Fail(const std::string& message) {
  std::fprintf(stderr, "mutate: %s\n", message.c_str());
  return kUsage;
}

int List(int argc, char** argv) {
  for (int i = 2; i < argc; ++i) {
    auto text = iocpsim::files::ReadBounded(argv[i], kMaxSourceBytes, "source");
    if (!text.ok()) return Fail(std::string(text.status().message()));
    const auto mutations = iocpsim::mutate::FindMutations(*text);
    const auto keys = iocpsim::mutate::Keys(*text, mutations);
    for (size_t k = 0; k < mutations.size(); ++k) {
      std::printf("%s\t%zu\t%d\t%s\n", argv[i], k, mutations[k].line, keys[k].c_str());
    }
  }
  return 0;
}

int ApplyOne(const std::string& file, const std::string& index, const std::string& out) {
  auto text = iocpsim::files::ReadBounded(file, kMaxSourceBytes, "source");
  if (!text.ok()) return Fail(std::string(text.status().message()));
  const auto mutations = iocpsim::mutate::FindMutations(*text);
  size_t k = 0;
  if (!absl::SimpleAtoi(index, &k) || k >= mutations.size()) {
    return Fail(file + ": no mutant " + index + " (it has " + std::to_string(mutations.size()) + ")");
  }
  const std::string temp = iocpsim::files::TempPathFor(out);
  {
    std::ofstream os(temp, std::ios::binary | std::ios::trunc);
    os << iocpsim::mutate::Apply(*text, mutations[k]);
    if (!os.flush()) return Fail(out + ": write failed");
  }
  absl::Status committed = iocpsim::files::CommitTemp(temp, out);
  if (!committed.ok()) return Fail(std::string(committed.message()));
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string verb = argc > 1 ? argv[1] : "";
  if (verb == "list" && argc > 2) return List(argc, argv);
  if (verb == "apply" && argc == 5) return ApplyOne(argv[2], argv[3], argv[4]);
  return Fail("usage: mutate list FILE... | mutate apply FILE INDEX OUT");
}
