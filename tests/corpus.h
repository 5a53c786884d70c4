// The bundled scenarios (tests/scenarios/*.textproto), in name order, for
// tests that run the whole corpus: a new scenario is covered without a list
// to keep. Paths are relative to the test's working directory (runfiles).
#ifndef IOCPSIM_TESTS_CORPUS_H_
#define IOCPSIM_TESTS_CORPUS_H_

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

namespace iocpsim::testing {

inline const std::vector<std::string>& ScenarioCorpus() {
  static const std::vector<std::string>* files = [] {
    auto* out = new std::vector<std::string>;
    for (const auto& e : std::filesystem::directory_iterator("tests/scenarios")) {
      if (e.path().extension() == ".textproto") out->push_back(e.path().generic_string());
    }
    std::sort(out->begin(), out->end());
    return out;
  }();
  return *files;
}

}  // namespace iocpsim::testing

#endif  // IOCPSIM_TESTS_CORPUS_H_
