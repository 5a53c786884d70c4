#!/usr/bin/env bash
# Installs what building and testing iocpsim needs on Debian 12, offline but
# for Debian's archive. Idempotent: with everything present it only checks.
set -euo pipefail

packages=(
  bazel-bootstrap    # Bazel 4.2.3
  bazel-platforms    # @platforms (WORKSPACE)
  bazel-rules-java   # @rules_java (WORKSPACE)
  g++
  libabsl-dev
  libprotobuf-dev
  protobuf-compiler
  libgtest-dev
  libgmock-dev
  libbenchmark-dev
  clang              # the fuzzers (tools/fuzz.sh)
  libclang-rt-14-dev # libFuzzer and sanitizer runtimes for clang
  python3            # tests/cli_test.sh checks exported JSON
  # Windows: --config=mingw cross-builds iocpsim.exe, Wine runs it.
  g++-mingw-w64-x86-64-posix
  gcc-mingw-w64-x86-64-posix
  wine64
  cmake              # tools/mingw_deps.sh
  dpkg-dev           # apt-get source (tools/mingw_deps.sh)
  googletest         # GoogleTest's sources, cross-built for mingw
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]} > 0)); then
  echo "setup: installing ${missing[*]}" >&2
  sudo=()
  if [[ $(id -u) -ne 0 ]]; then sudo=(sudo); fi
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# Abseil, protobuf and GoogleTest for mingw-w64, cached by version stamp.
"$(dirname "$0")/mingw_deps.sh"

# The Wine prefix toolchains/mingw/wine_run.sh uses: made once here so that no
# test pays the ~10 s of creating it (and Bazel's tests have no HOME).
wineprefix=/var/cache/iocpsim/wine
if [[ ! -f "$wineprefix/system.reg" ]]; then
  echo "setup: creating the Wine prefix $wineprefix" >&2
  WINEPREFIX=$wineprefix WINEDEBUG=-all wineboot --init >/dev/null 2>&1
  WINEPREFIX=$wineprefix wineserver -w
fi
echo "setup: ok" >&2
