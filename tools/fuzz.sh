#!/usr/bin/env bash
# Builds the fuzzers with clang/libFuzzer + ASan/UBSan (outside Bazel, whose
# toolchain here is GCC) and runs each for a bounded time over its corpus in
# the repo, with a fixed seed so a CI run is reproducible. New inputs go to
# a scratch directory, not the repo. No fuzzer caps the work an input may
# cause: libFuzzer's -timeout and -rss_limit_mb check that the tool's own
# limits (docs/limits.md) bound it.
#   tools/fuzz.sh [SECONDS]     each fuzzer for SECONDS (default 30)
# Fuzzers:
#   traces     traces/fuzz/trace_reader_fuzzer.cc, corpus traces/fuzz/corpus
#   scenarios  sim/workloads/fuzz/scenario_fuzzer.cc, corpus tests/scenarios
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-30}
[[ $seconds =~ ^[0-9]+$ ]] || { echo "fuzz.sh: not a number of seconds: $seconds" >&2; exit 2; }
out=${TMPDIR:-/tmp}/iocpsim-fuzz
mkdir -p "$out/gen" "$out/obj"
cd "$root"

protoc --cpp_out="$out/gen" -I"$root" proto/trace.proto proto/scenario.proto
absl_libs=$(sed -n 's/^ *"\(-labsl_[a-z_]*\)",$/\1/p' third_party/BUILD.bazel)
# Every library source the Linux build has: no list to keep by hand.
srcs=($(ls poller/*.cc sim/*.cc sim/*_x86_64.S sim/workloads/*.cc explore/*.cc files/*.cc \
  traces/*.cc | grep -v '_win32\.cc$') "$out/gen/proto/trace.pb.cc" "$out/gen/proto/scenario.pb.cc")
flags=(-std=c++17 -O1 -g -fsanitize=fuzzer-no-link,address,undefined
  -fno-sanitize-recover=undefined -I"$root" -I"$out/gen")
# Each source to its object, on every core; rebuilt every time, since a
# changed header leaves no trace on a source's date.
obj() { local s=${1#$out/}; echo "$out/obj/${s//\//_}.o"; }
export -f obj; export out
printf '%s\0' "${srcs[@]}" | xargs -0 -P "$(nproc)" -I{} \
  bash -c 'clang++ "$@" -c {} -o "$(obj {})"' _ "${flags[@]}"
objs=()
for s in "${srcs[@]}"; do objs+=("$(obj "$s")"); done

run() {  # NAME SOURCE CORPUS TIMEOUT
  clang++ "${flags[@]}" -fsanitize=fuzzer "$2" "${objs[@]}" -o "$out/$1_fuzzer" \
    -lprotobuf $absl_libs -lpthread
  mkdir -p "$out/new-$1"
  echo "fuzzing $1 for $seconds s (corpus $3)"
  "$out/$1_fuzzer" -seed=1 -max_total_time="$seconds" -timeout="$4" -rss_limit_mb=2048 \
    -print_final_stats=1 "$out/new-$1" "$3"
}
run traces traces/fuzz/trace_reader_fuzzer.cc traces/fuzz/corpus 10
run scenarios sim/workloads/fuzz/scenario_fuzzer.cc tests/scenarios 30
