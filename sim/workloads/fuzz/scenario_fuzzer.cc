// libFuzzer target: arbitrary bytes as a scenario file. Parsing and checking
// must end in a clean error or a scenario; a scenario that loads must run a
// schedule to its end within the fuzzer's time and memory bounds, never
// crash. Built and run by tools/fuzz.sh (clang, outside Bazel).
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "explore/explorer.h"
#include "files/read.h"
#include "sim/workloads/scenario_loader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace iocpsim;
  if (size > files::kMaxScenarioBytes) return 0;  // the reader refuses these first
  absl::StatusOr<scenario::Scenario> sc = workloads::ParseScenario(
      "fuzz.textproto", std::string(reinterpret_cast<const char*>(data), size));
  if (!sc.ok()) return 0;
  explore::Target t;
  t.workload = "fuzz.textproto";
  t.scenario = std::make_shared<const scenario::Scenario>(*std::move(sc));
  (void)explore::RunSchedule(t, 1, nullptr, nullptr);
  return 0;
}
