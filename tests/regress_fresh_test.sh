#!/usr/bin/env bash
# Every generated regression test in tests/ is what `iocpsim regress` writes
# from its finding today: the command in its header, run again, gives the
# same bytes. A change to the generator, the scenario format or the finding
# shows here, not as a stale test that still passes.
set -uo pipefail
iocpsim="$1"
tmp="${TEST_TMPDIR:-$(mktemp -d)}"
fail=0
n=0
# The command runs as written, from a copy of the workspace's layout, so
# that its -o writes beside the findings without touching tests/.
mkdir -p "$tmp/ws/tests"
ln -sfn "$PWD/tests/findings" "$tmp/ws/tests/findings"
case "$iocpsim" in /*) ;; *) iocpsim="$PWD/$iocpsim" ;; esac
for test in tests/regress_*_test.cc; do
  n=$((n + 1))
  cmd=$(grep -A1 '^// of `iocpsim explore`. Regenerate it rather than edit it:$' "$test" | sed -n '2s|^//   ||p')
  if [ -z "$cmd" ] || [ "${cmd%% *}" != iocpsim ]; then
    echo "FAIL: $test: no regenerate command in its header"; fail=1; continue
  fi
  out="${cmd##* -o }"
  if [ "$out" != "$test" ]; then
    echo "FAIL: $test: its command writes $out"; fail=1; continue
  fi
  (cd "$tmp/ws" && eval "\"\$iocpsim\" ${cmd#iocpsim }" >/dev/null) || {
    echo "FAIL: $test: $cmd exits $?"; fail=1; continue
  }
  if ! cmp -s "$test" "$tmp/ws/$test"; then
    echo "FAIL: $test differs from what its command writes now:"
    diff "$test" "$tmp/ws/$test" | head -20
    fail=1
  fi
done
if [ $n -eq 0 ]; then echo "FAIL: no tests/regress_*_test.cc"; fail=1; fi
exit $fail
