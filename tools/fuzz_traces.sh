#!/usr/bin/env bash
# Builds the trace fuzzer with clang/libFuzzer + ASan (outside Bazel, whose
# toolchain here is GCC) and runs it for a bounded time over the corpus kept
# in traces/fuzz/corpus, with a fixed seed so a CI run is reproducible. New
# inputs go to a scratch directory, not the repo.
#   tools/fuzz_traces.sh [SECONDS]        (default 30)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-30}
out=${TMPDIR:-/tmp}/iocpsim-fuzz
mkdir -p "$out/gen" "$out/new"

protoc --cpp_out="$out/gen" -I"$root" "$root/proto/trace.proto"
absl_libs=$(sed -n 's/^ *"\(-labsl_[a-z_]*\)",$/\1/p' "$root/third_party/BUILD.bazel")
srcs=(
  traces/fuzz/trace_reader_fuzzer.cc
  traces/reader.cc traces/writer.cc traces/timeline.cc traces/perfetto.cc
  traces/call_schema.cc traces/recorder.cc traces/replayer.cc traces/header.cc
  traces/call_issuer.cc traces/check_real.cc traces/outcome.cc traces/time_text.cc traces/printable.cc
  sim/kernel.cc sim/kernel_faults.cc sim/kernel_work.cc sim/scheduler.cc sim/handle_table.cc sim/names.cc
  sim/host_profiles.cc sim/strategy.cc
  sim/observed_nt_api.cc sim/observed_environment.cc sim/fiber_posix.cc sim/fiber_switch_x86_64.S
  poller/nt_names.cc poller/mutant.cc
  files/read.cc files/output.cc
)
cd "$root"
clang++ -std=c++17 -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
  -I"$root" -I"$out/gen" "${srcs[@]}" "$out/gen/proto/trace.pb.cc" \
  -o "$out/trace_fuzzer" -lprotobuf $absl_libs -lpthread
"$out/trace_fuzzer" -seed=1 -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
  -print_final_stats=1 "$out/new" "$root/traces/fuzz/corpus"
