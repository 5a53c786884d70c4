// libFuzzer target: arbitrary bytes as a scenario file (and as the other
// text files users hand the tool: a schedule file, a systematic search's
// checkpoint). Parsing and checking must end in a clean error or a value; a
// scenario that loads must run a schedule to its end within the fuzzer's
// time and memory bounds, never crash. Built and run by tools/fuzz.sh
// (clang, outside Bazel).
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "explore/checkpoint.h"
#include "explore/explorer.h"
#include "explore/schedule_file.h"
#include "files/read.h"
#include "sim/workloads/scenario_loader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace iocpsim;
  if (size > files::kMaxScenarioBytes) return 0;  // the reader refuses these first
  const std::string text(reinterpret_cast<const char*>(data), size);
  (void)explore::ParseSchedule("fuzz.schedule", text);
  (void)explore::ParseCheckpoint("fuzz.checkpoint", text);
  absl::StatusOr<scenario::Scenario> sc = workloads::ParseScenario("fuzz.textproto", text);
  if (!sc.ok()) return 0;
  explore::Target t;
  t.workload = "fuzz.textproto";
  t.scenario = std::make_shared<const scenario::Scenario>(*std::move(sc));
  (void)explore::RunSchedule(t, 1, nullptr, nullptr);
  return 0;
}
