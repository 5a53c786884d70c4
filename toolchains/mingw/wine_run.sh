#!/bin/sh
# --run_under for --config=mingw: runs a Windows .exe under Wine, anything
# else (a test script) as it is. Wine passes the exit status through.
set -u
prog=$1
shift
case "$prog" in
  *.exe) ;;
  *) exec "$prog" "$@" ;;
esac

# The Wine prefix tools/setup.sh made (wineboot --init), so that no test pays
# for creating one; Bazel's test environment has no HOME to find it by.
export WINEPREFIX="${IOCPSIM_WINEPREFIX:-/var/cache/iocpsim/wine}"
export WINEDEBUG=-all

# Bazel hands the test Unix paths; a Windows program takes a relative path
# against its own drive and an absolute one as nothing. Z: is Wine's "/".
winpath() {
  case "$1" in
    /*) p=$1 ;;
    *) p=$PWD/$1 ;;
  esac
  printf 'Z:%s' "$p" | tr / '\\'
}
for v in XML_OUTPUT_FILE TEST_TMPDIR TEST_UNDECLARED_OUTPUTS_DIR \
  TEST_PREMATURE_EXIT_FILE TEST_SHARD_STATUS_FILE TEST_WARNINGS_OUTPUT_FILE \
  TEST_INFRASTRUCTURE_FAILURE_FILE TEST_SRCDIR RUNFILES_DIR; do
  eval "val=\${$v:-}"
  if [ -n "$val" ]; then
    export "$v=$(winpath "$val")"
  fi
done
# One wineserver for all the tests, up for a minute past the last client:
# by default it exits seconds after its last client, and two programs that
# start it at once, or one that starts while it exits, can fail with "wine
# client error ... Connection reset by peer". Starting it under a lock makes
# the start single; when one runs, this is a no-op.
flock "$WINEPREFIX/.iocpsim-wineserver.lock" wineserver -p60 </dev/null >/dev/null 2>&1
# A Wine program may start the wineserver, which inherits the program's
# output and outlives it: Bazel would wait for that pipe to close. So the
# program writes to a file, which tail streams until the program ends.
out=$(mktemp "${TMPDIR:-/tmp}/wine_run.XXXXXX")
trap 'rm -f "$out"' EXIT
run() {
  wine "$prog" "$@" </dev/null >"$out" 2>&1 &
  pid=$!
  tail -n +1 -s 0.05 -f --pid="$pid" "$out"
  rc=0
  wait "$pid" || rc=$?
}
run "$@"
# A program that failed having printed nothing never ran (every test binary
# prints): Wine itself failed to start it, as seen once in hundreds of runs.
# That is retried once, and said so; a failing test always prints.
if [ "$rc" -ne 0 ] && [ ! -s "$out" ]; then
  echo "wine_run: $prog exited $rc before printing anything; retrying it once" >&2
  run "$@"
fi
exit "$rc"
