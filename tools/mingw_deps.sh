#!/usr/bin/env bash
# Cross-builds Abseil, protobuf and GoogleTest for x86_64-w64-mingw32 from
# Debian's own sources (the versions the Linux build links), once, into a
# version-stamped prefix. No Debian package ships mingw builds of them
# (../shared/notes/windows-build.md). Quick when the stamped prefix exists.
#
# The prefix is /var/cache/iocpsim/mingw-deps-<stamp>; the link
# /var/cache/iocpsim/mingw-deps, which the mingw toolchain
# (toolchains/mingw/) names, points at the current one.
set -euo pipefail

# The stamp changes when any input changes: the three source versions, the
# compiler, and this script's build recipe (RECIPE).
RECIPE=1
cache=/var/cache/iocpsim

srcver() { dpkg-query -W -f='${source:Version}' "$1" 2>/dev/null || echo none; }
gccver=$(x86_64-w64-mingw32-g++-posix -dumpfullversion 2>/dev/null || echo none)
stamp="absl-$(srcver libabsl-dev)_pb-$(srcver libprotobuf-dev)_gt-$(srcver googletest)_gcc-${gccver}_r${RECIPE}"
stamp=${stamp//[^A-Za-z0-9._-]/_}
prefix="$cache/mingw-deps-$stamp"

link_prefix() { ln -sfn "$prefix" "$cache/mingw-deps"; }

if [[ -f "$prefix/.complete" ]]; then
  link_prefix
  exit 0
fi

log="$cache/mingw-deps-$stamp.log"
# The cache is machine-wide; a user with sudo owns it once created.
if ! mkdir -p "$cache" 2>/dev/null || [[ ! -w "$cache" ]]; then
  sudo install -d -o "$(id -u)" -g "$(id -g)" "$cache"
fi
echo "setup: cross-building Abseil, protobuf and GoogleTest for mingw-w64 (a few minutes, once; log: $log)" >&2

work=$(mktemp -d "$cache/build.XXXXXX")
trap 'rm -rf "$work"' EXIT
staging="$work/prefix"

{
  # Debian's source packages need a deb-src line for the suites already used.
  if ! apt-get source --print-uris abseil >/dev/null 2>&1; then
    src=/etc/apt/sources.list.d/iocpsim-src.sources
    sed -n '/^Types:/,/^$/p' /etc/apt/sources.list.d/debian.sources |
      sed 's/^Types: deb$/Types: deb-src/' >"$work/src.sources"
    sudo=(); [[ $(id -u) -eq 0 ]] || sudo=(sudo)
    "${sudo[@]}" tee "$src" >/dev/null <"$work/src.sources"
    "${sudo[@]}" apt-get update -qq
  fi
  cd "$work"
  apt-get source -qq --download-only abseil protobuf
  for dsc in abseil_*.dsc protobuf_*.dsc; do
    dpkg-source --no-check -x "$dsc" >/dev/null
  done

  cat >"$work/toolchain.cmake" <<'EOF'
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)
set(CMAKE_C_COMPILER x86_64-w64-mingw32-gcc-posix)
set(CMAKE_CXX_COMPILER x86_64-w64-mingw32-g++-posix)
set(CMAKE_RC_COMPILER x86_64-w64-mingw32-windres)
set(CMAKE_FIND_ROOT_PATH /usr/x86_64-w64-mingw32)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
EOF
  common=(-DCMAKE_TOOLCHAIN_FILE="$work/toolchain.cmake" -DCMAKE_BUILD_TYPE=Release
          -DCMAKE_INSTALL_PREFIX="$staging" -DCMAKE_CXX_STANDARD=17
          -DBUILD_SHARED_LIBS=OFF -DBUILD_TESTING=OFF)

  cmake -S abseil-*/ -B build-absl "${common[@]}" -DABSL_PROPAGATE_CXX_STD=ON
  cmake --build build-absl -j2 --target install

  cmake -S protobuf-*/ -B build-pb "${common[@]}" -Dprotobuf_BUILD_TESTS=OFF \
    -Dprotobuf_BUILD_PROTOC_BINARIES=OFF -Dprotobuf_WITH_ZLIB=OFF \
    -Dprotobuf_MSVC_STATIC_RUNTIME=OFF
  cmake --build build-pb -j2 --target install

  cmake -S /usr/src/googletest -B build-gt "${common[@]}" -Dgtest_disable_pthreads=OFF
  cmake --build build-gt -j2 --target install
} >"$log" 2>&1 || { echo "setup: the mingw cross-build failed; see $log" >&2; exit 1; }

touch "$staging/.complete"
rm -rf "$prefix"
mv "$staging" "$prefix"
# Older stamps are no longer used.
find "$cache" -maxdepth 1 -name 'mingw-deps-*' ! -name "mingw-deps-$stamp*" -exec rm -rf {} +
link_prefix
