#!/usr/bin/env bash
# --poller on the command line, and `iocpsim sleepmodel` with the plot the
# README shows: regenerated here, it must match the committed one.
set -uo pipefail
iocpsim="$(realpath "$1")"
tmp="${TEST_TMPDIR:-$(mktemp -d)}"
fail=0
check() { if ! eval "$2"; then echo "FAIL: $1"; fail=1; fi; }
exits() { "$@" >/dev/null 2>&1; echo $?; }

# Every verb that runs a poller takes --poller; an unknown one is bad input.
for verb in run explore regress simulate record replay show export sleepmodel bench; do
  # grep -c reads the whole help: -q would stop at the first match, and a
  # help longer than one write would then die of SIGPIPE (pipefail).
  check "$verb documents --poller" "\"$iocpsim\" $verb --help | grep -c -- '--poller' >/dev/null"
done
check "unknown poller exits 2" "[ \$(exits \"$iocpsim\" run tests/scenarios/default.textproto --poller=go1.20) -eq 2 ]"
check "run takes one poller" "[ \$(exits \"$iocpsim\" run tests/scenarios/default.textproto --poller=highres,lowres) -eq 2 ]"
check "a mutant of code lowres lacks exits 2" \
  "[ \$(exits \"$iocpsim\" run tests/scenarios/default.textproto --poller=lowres --mutant=pending-fatal) -eq 2 ]"

"$iocpsim" run tests/scenarios/default.textproto --poller=lowres --record="$tmp/low.trace" > "$tmp/low.out"
check "run says which poller ran" "grep -q '^  poller lowres' \"$tmp/low.out\""
check "lowres trace replays" "\"$iocpsim\" replay \"$tmp/low.trace\" | grep -q ' 0 diverged'"
check "replay with the trace's poller" "\"$iocpsim\" replay --poller=lowres \"$tmp/low.trace\" >/dev/null"
"$iocpsim" replay --poller=highres "$tmp/low.trace" > /dev/null 2> "$tmp/refused.err"
check "replay refuses another poller's trace (exit 2)" "[ \$? -eq 2 ]"
check "... saying why" "grep -q 'the trace is a run of the lowres poller' \"$tmp/refused.err\""
"$iocpsim" show "$tmp/low.trace" > "$tmp/low.show"
check "show names the poller" "grep -q 'poller lowres (faithful)' \"$tmp/low.show\""
for verb in show export; do
  o=""; [ $verb = export ] && o="-o $tmp/low.json"
  "$iocpsim" $verb --poller=highres "$tmp/low.trace" $o > /dev/null 2> "$tmp/$verb.err"
  check "$verb refuses another poller's trace (exit 2)" "[ \$? -eq 2 ]"
  check "$verb says why" "grep -q 'the trace is a run of the lowres poller' \"$tmp/$verb.err\""
  check "$verb takes the trace's own poller" "\"$iocpsim\" $verb --poller=lowres \"$tmp/low.trace\" $o >/dev/null"
done

"$iocpsim" explore tests/scenarios/default.textproto --poller=highres,lowres --schedules=50 \
  --jobs=1 --out_dir= > "$tmp/both.out"
check "explore compares both pollers side by side" "grep -q '^side by side' \"$tmp/both.out\""
check "... with highres-only branches marked absent in lowres" \
  "grep -Eq '^  queue_timer.cancel_pending_fallback +[0-9]+ +-$' \"$tmp/both.out\""

# A finding on the lowres poller reproduces with it: the command says so,
# and the minimized scenario carries it.
( cd "$tmp" && "$iocpsim" explore "$OLDPWD/tests/scenarios/default.textproto" --poller=lowres \
    --mutant=subms-zero-wait --schedules=5 --jobs=1 --minimize_budget=20 --out_dir=fnd > low_finding.out )
check "a lowres finding's command names the poller" \
  "grep -q 'reproduce: .*--mutant=subms-zero-wait --poller=lowres' \"$tmp/low_finding.out\""
check "its minimized scenario names the poller" "grep -q '^poller: \"lowres\"' \"$tmp\"/fnd/*.min.textproto"

"$iocpsim" sleepmodel --curve="$tmp/curve.csv" > "$tmp/model.out"
check "sleepmodel prints BenchmarkSleep" "grep -q 'BenchmarkSleep-12' \"$tmp/model.out\""
check "sleepmodel prints go.dev/issue/44343" "grep -q 'go.dev/issue/44343' \"$tmp/model.out\""
python3 tools/plot_sleep.py "$tmp/curve.csv" "$tmp/plot.svg"
check "docs/sleep-latency.svg is what the tool draws now" "cmp -s \"$tmp/plot.svg\" docs/sleep-latency.svg"

exit $fail
