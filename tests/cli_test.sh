#!/usr/bin/env bash
# The iocpsim command line end to end: record, show, replay, export, and bad
# input, which must give a one-line error naming the file and offset and a
# non-zero exit, never a crash.
set -uo pipefail
iocpsim="$1"
tmp="${TEST_TMPDIR:-$(mktemp -d)}"
fail=0
check() { if ! eval "$2"; then echo "FAIL: $1"; fail=1; fi; }

for verb in simulate record replay show export run explore regress; do
  check "$verb --help" "\"$iocpsim\" $verb --help >/dev/null"
done
check "help lists verbs" "\"$iocpsim\" help | grep -c replay >/dev/null"
check "unknown verb exits 2" "! \"$iocpsim\" frobnicate 2>/dev/null"

"$iocpsim" record --seed=4 -o "$tmp/a.trace" >/dev/null
"$iocpsim" record --seed=4 -o "$tmp/b.trace" >/dev/null
check "same seed, same bytes" "cmp -s \"$tmp/a.trace\" \"$tmp/b.trace\""
"$iocpsim" record --seed=5 -o "$tmp/c.trace" >/dev/null
check "other seed, other bytes" "! cmp -s \"$tmp/a.trace\" \"$tmp/c.trace\""

"$iocpsim" show "$tmp/a.trace" > "$tmp/a.show"
check "show" "grep -q 'NtCancelWaitCompletionPacket' \"$tmp/a.show\""
check "show decodes keys" "grep -q 'key=ready pd#1 (H' \"$tmp/a.show\""
"$iocpsim" show --raw "$tmp/a.trace" > "$tmp/a.raw"
check "show --raw keeps the numbers" "grep -q 'key=0x2 ov=0' \"$tmp/a.raw\" && ! grep -q 'pd#' \"$tmp/a.raw\""
"$iocpsim" show --thread=T1 --from_ms=1 --to_ms=3 "$tmp/a.trace" | grep -v '^#' > "$tmp/a.t1"
check "show --thread keeps one thread" "[ -s \"$tmp/a.t1\" ] && ! grep -qv '^ *[0-9.]* T1 ' \"$tmp/a.t1\""
check "show --from_ms/--to_ms keep a window" \
  "awk '{ if (\$1 < 1 || \$1 > 3) bad = 1 } END { exit bad }' \"$tmp/a.t1\""
check "show --thread=bogus exits 2" "\"$iocpsim\" show --thread=x1 \"$tmp/a.trace\" >/dev/null 2>&1; [ \$? -eq 2 ]"
check "replay ok" "\"$iocpsim\" replay \"$tmp/a.trace\" -o \"$tmp/re.trace\" | grep -q ' 0 diverged'"
check "re-recorded bytes identical" "cmp -s \"$tmp/a.trace\" \"$tmp/re.trace\""
check "replay --keep-going spelled with a dash" "\"$iocpsim\" replay --keep-going \"$tmp/a.trace\" >/dev/null"

# A run with an injected fault replays bit for bit: the fault plan is in the
# header, so the replaying kernel fails the same call.
"$iocpsim" run tests/scenarios/fault_cancel.textproto --seed=3 --record="$tmp/f.trace" >/dev/null
check "fault run replays" "\"$iocpsim\" replay \"$tmp/f.trace\" -o \"$tmp/fre.trace\" | grep -q ' 0 diverged'"
check "fault run re-recorded identical" "cmp -s \"$tmp/f.trace\" \"$tmp/fre.trace\""
"$iocpsim" show "$tmp/f.trace" > "$tmp/f.show"
check "fault shown in the header" "grep -q 'NtCancelWaitCompletionPacket #2 fails' \"$tmp/f.show\""

"$iocpsim" export --format=perfetto "$tmp/a.trace" -o "$tmp/a.json" >/dev/null
check "perfetto json" "python3 - \"$tmp/a.json\" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
ev = d['traceEvents']
names = {e.get('name') for e in ev}
threads = {e['args']['name'] for e in ev if e.get('name') == 'thread_name'}
assert any(n.startswith('T1 ') for n in threads), threads
assert any(e['ph'] == 'C' and 'queue depth' in e['name'] for e in ev)
assert any(e['ph'] == 'C' and 'state' in e['name'] for e in ev)
assert 'break posted' in names
assert any(n and n.startswith('cancel: ') for n in names)
assert any(n and n.endswith(' fired') for n in names)
assert any(e['ph'] == 'X' and e['name'] == 'GetQueuedCompletionStatusEx' for e in ev)
PY"

size=$(stat -c %s "$tmp/a.trace")
head -c $((size - 5)) "$tmp/a.trace" > "$tmp/trunc.trace"
printf 'not a trace at all\n' > "$tmp/junk.trace"
cp "$tmp/a.trace" "$tmp/corrupt.trace"
printf '\xff\xff\xff\xff\x0f' | dd of="$tmp/corrupt.trace" bs=1 seek=2000 conv=notrunc 2>/dev/null

for f in trunc junk corrupt; do
  out=$("$iocpsim" replay "$tmp/$f.trace" 2>&1); rc=$?
  check "replay $f exits non-zero" "[ $rc -ne 0 ] && [ $rc -lt 128 ]"
  check "replay $f names file and offset" "echo \"\$out\" | grep -q \"$f.trace: byte offset [0-9]*: \""
  check "replay $f error is one line" "[ \$(echo \"\$out\" | wc -l) -eq 1 ]"
done
"$iocpsim" show "$tmp/trunc.trace" > "$tmp/show.out" 2> "$tmp/show.err"; rc=$?
check "show truncated exits 2 (bad input)" "[ $rc -eq 2 ]"
events=$(grep -vc '^#' "$tmp/a.show")
shown=$(grep -vc '^#' "$tmp/show.out")
check "show prints every whole event before the damage" "[ $shown -eq $((events - 1)) ]"
check "show then prints the error" "grep -q 'trunc.trace: byte offset' \"$tmp/show.err\""
# Exit codes: the same damage is bad input (2) from every verb that reads it.
for f in trunc junk corrupt; do
  for verb in show replay; do
    "$iocpsim" $verb "$tmp/$f.trace" >/dev/null 2>&1; rc=$?
    check "$verb $f exits 2" "[ $rc -eq 2 ]"
  done
  "$iocpsim" export "$tmp/$f.trace" -o "$tmp/$f.json" >/dev/null 2>&1; rc=$?
  check "export $f exits 2" "[ $rc -eq 2 ]"
done
check "help prints the exit codes" "\"$iocpsim\" help | grep -q '^  2    bad input'"
check "missing file" "! \"$iocpsim\" replay \"$tmp/none.trace\" 2>/dev/null"
check "record needs -o" "! \"$iocpsim\" record 2>/dev/null"
check "replay unknown backend" "! \"$iocpsim\" replay --backend=windows \"$tmp/a.trace\" 2>/dev/null"

# Host profiles: listed in help, chosen with --host, changed by the single
# host flags, named in the trace header, replayed byte for byte.
for host in windows windows-pre1803 wine8; do
  check "help lists host $host" "\"$iocpsim\" help | grep -c \"^  $host \" >/dev/null"
done
for verb in run explore simulate record; do
  check "$verb --help has --host" "\"$iocpsim\" $verb --help | grep -c -- '--host' >/dev/null"
  o=""; [ $verb = record ] && o="-o $tmp/x.trace"
  out=$("$iocpsim" $verb --host=wine9 $o 2>&1); rc=$?
  check "$verb unknown host exits 2" "[ $rc -eq 2 ]"
  check "$verb unknown host lists the hosts" \
    "echo \"\$out\" | grep -q 'unknown host \"wine9\" (hosts: windows, windows-pre1803, wine8)'"
done
"$iocpsim" record --seed=4 --host=windows -o "$tmp/w.trace" >/dev/null
check "--host=windows is the default, byte for byte" "cmp -s \"$tmp/a.trace\" \"$tmp/w.trace\""
"$iocpsim" record --seed=4 --host=wine8 -o "$tmp/wine.trace" >/dev/null
"$iocpsim" show "$tmp/wine.trace" > "$tmp/wine.show"
check "show names the host" "grep -q '^# backend: simulator, host wine8: tick 1 ms' \"$tmp/wine.show\""
check "wine8 trace replays" "\"$iocpsim\" replay \"$tmp/wine.trace\" -o \"$tmp/wine.re.trace\" | grep -c ' 0 diverged' >/dev/null"
check "wine8 trace re-recorded identical" "cmp -s \"$tmp/wine.trace\" \"$tmp/wine.re.trace\""
"$iocpsim" record --seed=4 --host=wine8 --tick_ms=2 --wait_packets -o "$tmp/wine2.trace" >/dev/null
"$iocpsim" show "$tmp/wine2.trace" > "$tmp/wine2.show"
check "flags change the profile" \
  "grep -q 'host wine8: tick 2 ms, high-resolution timers 1 ms, wait packets yes; waiters FIFO' \"$tmp/wine2.show\""
"$iocpsim" record --seed=4 --nowait_packets --tick_ms=1 -o "$tmp/nowp.trace" >/dev/null
"$iocpsim" show "$tmp/nowp.trace" > "$tmp/nowp.show"
check "--nowait_packets still spelled" \
  "grep -q 'host windows: tick 1 ms, high-resolution timers 0.5 ms and up to 0.1 ms late \\[S46\\], wait packets no' \"$tmp/nowp.show\""
# S46: --timer_latency_ms=0 puts high-resolution timers back on their grid,
# which is what format version 1 recorded; out of range is bad input.
"$iocpsim" record --seed=4 --timer_latency_ms=0 -o "$tmp/grid.trace" >/dev/null
"$iocpsim" show "$tmp/grid.trace" > "$tmp/grid.show"
check "--timer_latency_ms=0 records on the grid" \
  "grep -q 'trace format 1\$' \"$tmp/grid.show\" && grep -q 'high-resolution timers 0.5 ms, wait packets yes' \"$tmp/grid.show\""
check "the default host records its latency bound" "grep -q 'trace format 5\$' \"$tmp/nowp.show\""
for v in -0.1 1000.5 nan; do
  "$iocpsim" run --timer_latency_ms=$v > "$tmp/lat.out" 2>&1
  rc=$?
  check "--timer_latency_ms=$v exits 2" \
    "[ $rc -eq 2 ] && grep -q 'timer_latency_ms must be between 0 and 1000' \"$tmp/lat.out\""
done
check "--host replaces a scenario's host" \
  "\"$iocpsim\" run tests/scenarios/default.textproto --host=windows-pre1803 | grep -c '^  host windows-pre1803: ' >/dev/null"
# The real backend lives in iocpsim.exe: the Linux build says so, exit 2.
out=$("$iocpsim" run tests/scenarios/default.textproto --backend=real 2>&1); rc=$?
check "run --backend=real on Linux exits 2" "[ $rc -eq 2 ]"
check "... and names iocpsim.exe" "echo \"\$out\" | grep -q 'iocpsim.exe'"
out=$("$iocpsim" replay "$tmp/a.trace" --backend=real 2>&1); rc=$?
check "replay --backend=real on Linux exits 2" "[ $rc -eq 2 ]"
out=$("$iocpsim" replay "$tmp/a.trace" --backend=rael 2>&1); rc=$?
check "unknown backend exits 2" "[ $rc -eq 2 ] && echo \"\$out\" | grep -q 'sim or real'"

# False success and flag limits: a count of nothing, a shard outside the
# count, a flag the verb does not take, a value out of range: usage, exit 2,
# naming the flag.
sc=tests/scenarios/break_collision.textproto
usage() {  # usage NAME EXPECTED-STDERR ARGS...
  local name="$1" want="$2"; shift 2
  out=$("$iocpsim" "$@" 2>&1 >/dev/null); rc=$?
  check "$name exits 2" "[ $rc -eq 2 ]"
  check "$name says: $want" "echo \"\$out\" | grep -qF -- \"$want\""
}
usage "explore --schedules=0" "--schedules: 0 is out of range 1..100000000" explore $sc --schedules=0 --out_dir=
usage "explore --schedules -1" "--schedules: -1 is out of range 1..100000000" explore $sc --schedules -1 --out_dir=
usage "explore shard index past count" "--shard_index: 2 is out of range 0..1" \
  explore $sc --shard_count=2 --shard_index=2 --out_dir=
out=$(TEST_TOTAL_SHARDS=2 TEST_SHARD_INDEX=5 "$iocpsim" explore $sc --out_dir= 2>&1); rc=$?
check "explore Bazel shard index past count exits 2" "[ $rc -eq 2 ]"
usage "explore --jobs=100000" "--jobs: 100000 is out of range 0..64" explore $sc --jobs=100000 --out_dir=
usage "explore --pct_depth=0" "--pct_depth: 0 is out of range 1..100" explore $sc --pct_depth=0 --out_dir=
usage "explore --pct_depth=1000000" "--pct_depth: 1000000 is out of range 1..100" explore $sc --pct_depth=1000000
usage "simulate --seeds=0" "--seeds: 0 is out of range 1..100000000" simulate --seeds=0
usage "explore --schedules=abc" "--schedules: invalid value" explore $sc --schedules=abc
usage "run --jobs" "--jobs: not a flag of iocpsim run" run $sc --jobs=2
usage "run --strategy unknown" "--strategy: unknown strategy" run $sc --strategy=dfs
usage "run --pct_depth=0" "--pct_depth: 0 is out of range 1..100" run $sc --strategy=pct --pct_depth=0
usage "run --schedules" "--schedules: not a flag of iocpsim run" run $sc --schedules=5
usage "explore --preemption_bound=11" "--preemption_bound: 11 is out of range 0..10" explore $sc --strategy=systematic --preemption_bound=11
usage "explore --checkpoint without the search" "--checkpoint: only --strategy=systematic has a frontier to keep" explore $sc --checkpoint="$tmp/cp"
printf 'campaign x\n' > "$tmp/bad.cp"
usage "explore damaged checkpoint" "bad.cp: no complete line: not an iocpsim checkpoint" explore $sc --strategy=systematic --checkpoint="$tmp/bad.cp" --out_dir=
# The systematic search says when it has run every schedule within its
# bound, and a checkpoint resumes it where it stopped.
ta=tests/scenarios/timer_before_associate.textproto
out=$("$iocpsim" explore $ta --noforce_races --strategy=systematic --preemption_bound=2 --out_dir= 2>&1)
check "systematic completes" "echo \"\$out\" | grep -q '^all 29 schedules with at most 2 preemptions explored, no violation\$'"
out=$("$iocpsim" explore $ta --noforce_races --strategy=systematic --schedules=20 --checkpoint="$tmp/s.cp" --out_dir= 2>&1)
check "systematic stops incomplete" "echo \"\$out\" | grep -q '^stopped after 20 schedules with at most 2 preemptions (--schedules): incomplete'"
out=$("$iocpsim" explore $ta --noforce_races --strategy=systematic --schedules=20 --checkpoint="$tmp/s.cp" --out_dir= 2>&1)
check "systematic resumes to the end" "echo \"\$out\" | grep -q '^all 29 schedules with at most 2 preemptions explored, no violation\$'"
usage "run -o" "-o: not a flag of iocpsim run" run $sc -o "$tmp/x.out"
usage "show --seed" "--seed: not a flag of iocpsim show" show "$tmp/a.trace" --seed=3
usage "flag no verb knows" "--frobnicate: not a flag of iocpsim explore" explore --frobnicate
usage "run unknown mutant" "--mutant: unknown mutant" run $sc --mutant=nope
# run honours --mutant: this seed of this scenario is a violation only with it.
"$iocpsim" run $sc --seed=1 >/dev/null; rc=$?
check "run without the mutant is clean" "[ $rc -eq 0 ]"
out=$("$iocpsim" run $sc --seed=1 --mutant=wakesig-never-reset); rc=$?
check "run --mutant runs the mutant (exit 1)" "[ $rc -eq 1 ] && echo \"\$out\" | grep -q 'VIOLATION wakesig-stuck'"
# A header-only trace replays nothing: not a success.
python3 - "$tmp/a.trace" "$tmp/header.trace" <<'PY'
import sys
b = open(sys.argv[1], 'rb').read()
i = 8  # after the magic: a varint length, then the header
n, shift = 0, 0
while True:
    c = b[i]; i += 1; n |= (c & 0x7f) << shift; shift += 7
    if c < 0x80: break
open(sys.argv[2], 'wb').write(b[:i + n])
PY
usage "replay header-only trace" "header.trace: no events" replay "$tmp/header.trace"

# Unbounded reads: a device, a directory, each named in a one-line error.
usage "show /dev/zero" "/dev/zero: larger than 64 MiB, the limit for a trace" show /dev/zero
usage "replay /dev/urandom" "/dev/urandom: larger than 64 MiB" replay /dev/urandom
usage "show a directory" "$tmp: is a directory, not a trace" show "$tmp"
mkdir -p "$tmp/dir.textproto"
ln -sf /dev/zero "$tmp/zero.textproto"
usage "run a directory" "dir.textproto: is a directory, not a scenario" run "$tmp/dir.textproto"
usage "run /dev/zero" "zero.textproto: larger than 1 MiB, the limit for a scenario" run "$tmp/zero.textproto"
usage "explore /dev/zero" "zero.textproto: larger than 1 MiB" explore "$tmp/zero.textproto" --out_dir=

# Outputs over inputs: refused, the input untouched; a failed run leaves an
# existing output as it was.
cp "$tmp/a.trace" "$tmp/in.trace"; cp "$tmp/a.trace" "$tmp/keep.trace"
cp $sc "$tmp/in.textproto"
usage "export -o onto its input" "-o: $tmp/in.trace is the input" export "$tmp/in.trace" -o "$tmp/in.trace"
usage "replay -o onto its input" "is the input" replay "$tmp/in.trace" -o "$tmp/./in.trace"
ln -sf "$tmp/in.trace" "$tmp/link.trace"
usage "export -o onto a link to its input" "is the input" export "$tmp/in.trace" -o "$tmp/link.trace"
usage "run --record onto its scenario" "--record: $tmp/in.textproto is the input" \
  run "$tmp/in.textproto" --record="$tmp/in.textproto"
check "input trace untouched" "cmp -s \"$tmp/a.trace\" \"$tmp/in.trace\""
check "input scenario untouched" "cmp -s $sc \"$tmp/in.textproto\""
printf 'bogus_field: 1\n' > "$tmp/bad.textproto"
"$iocpsim" run "$tmp/bad.textproto" --record="$tmp/keep.trace" >/dev/null 2>&1; rc=$?
check "failed run exits 2" "[ $rc -eq 2 ]"
check "failed run leaves the output untouched" "cmp -s \"$tmp/a.trace\" \"$tmp/keep.trace\""
check "failed run leaves no temporary file" "! ls \"$tmp\" | grep -q '\\.tmp-'"

# Messages (issue 9): a version; export's status line on stderr, so that
# -o /dev/stdout is JSON alone, written to the device, not renamed over it;
# a failed write says why; a scenario with a byte order mark runs.
check "--version" "\"$iocpsim\" --version | grep -q '^iocpsim [0-9]'"
check "version" "\"$iocpsim\" version | grep -q '^iocpsim [0-9]'"
check "export -o /dev/stdout is JSON alone" "\"$iocpsim\" export \"$tmp/a.trace\" -o /dev/stdout 2>/dev/null | python3 -c 'import json,sys; json.load(sys.stdin)'"
check "/dev/stdout is still a link" "[ -L /dev/stdout ]"
if [ -c /dev/full ]; then
  "$iocpsim" export "$tmp/a.trace" -o /dev/full 2> "$tmp/full.err"; rc=$?
  check "write failed exits 2 with the reason" "[ $rc -eq 2 ] && grep -q '/dev/full: write failed: No space left on device' \"$tmp/full.err\""
  check "/dev/full is still a device" "[ -c /dev/full ]"
fi
printf '\xef\xbb\xbfm { name: "a" step { netpoll: 0 } }\n' > "$tmp/bom.textproto"
check "a scenario with a BOM runs" "\"$iocpsim\" run \"$tmp/bom.textproto\" >/dev/null"

# Findings (issue 12): for each finding explore prints the commands that
# reproduce it (the schedule as found, with every flag that shapes it; the
# minimized scenario with its saved decisions), replay its traces and write
# a regression test. Each runs as printed: the run commands exit 1 with the
# same oracle, the replays agree, regress writes the test.
finding_commands() {  # finding_commands NAME OUT: checks each printed command
  local name="$1" out="$2" iocpsim="$iocpsim"
  case "$iocpsim" in /*) ;; *) iocpsim="$PWD/$iocpsim" ;; esac  # regress runs elsewhere
  oracle=$(sed -n 's/^  \([a-z-]*\): [0-9]* schedules, first seed .*/\1/p' "$out" | head -1)
  check "$name: a finding" "[ -n \"$oracle\" ]"
  for label in "reproduce" "reproduce minimized"; do
    cmd=$(sed -n "s/^    $label: *//p" "$out" | head -1)
    check "$name: $label printed" "[ \"\${cmd%% *}\" = iocpsim ]"
    got=$(eval "\"\$iocpsim\" ${cmd#iocpsim }" 2>&1); rc=$?
    check "$name: $label exits 1 ($cmd)" "[ $rc -eq 1 ]"
    check "$name: $label violates $oracle" "echo \"\$got\" | grep -q \"VIOLATION $oracle \""
  done
  for label in "replay" "replay minimized"; do
    cmd=$(sed -n "s/^    $label: *//p" "$out" | head -1)
    got=$(eval "\"\$iocpsim\" ${cmd#iocpsim }" 2>&1); rc=$?
    check "$name: $label agrees ($cmd)" "[ $rc -eq 0 ] && echo \"\$got\" | grep -q ' 0 diverged'"
  done
  cmd=$(sed -n "s/^    regression test: *//p" "$out" | head -1)
  check "$name: regress writes into tests/" "echo \"\$cmd\" | grep -q ' -o tests/regress_[a-z0-9_]*_test.cc\$'"
  mkdir -p "$tmp/$name.ws/tests"
  got=$(cd "$tmp/$name.ws" && eval "\"\$iocpsim\" ${cmd#iocpsim }" 2>&1); rc=$?
  written=$(ls "$tmp/$name.ws"/tests/regress_*_test.cc 2>/dev/null)
  check "$name: regress exits 0" "[ $rc -eq 0 ] && [ -n \"$written\" ]"
  check "$name: the test expects $oracle" "grep -qF 'EXPECT_EQ(r->violation->oracle, \"$oracle\")' \"$written\""
  check "$name: the test embeds the seed" "grep -q \"c.seed = $(sed -n 's/.*first seed \([0-9]*\) .*/\1/p' "$out" | head -1)u;\" \"$written\""
}
"$iocpsim" explore tests/scenarios/cancel_cancelled.textproto --mutant=no-break-forward \
  --schedules=100 --jobs=2 --out_dir="$tmp/find1" --report="$tmp/r1.json" --junit="$tmp/r1.xml" \
  > "$tmp/find1.out" 2>&1; rc=$?
check "explore finding exits 1" "[ $rc -eq 1 ]"
finding_commands scenario "$tmp/find1.out"
# PCT on a bundled workload, on another host: the seed reproduces only with
# --strategy=pct and --pct_depth, and the host flags, all printed.
"$iocpsim" explore --mutant=no-break-forward --strategy=pct --pct_depth=2 --host=wine8 \
  --tick_ms=2 --schedules=30 --jobs=2 --out_dir="$tmp/find2" > "$tmp/find2.out" 2>&1
check "pct: the command names the strategy and host" \
  "grep -q '^    reproduce: *iocpsim run --workload=mixed --seed=[0-9]* --mutant=no-break-forward --host=wine8 --tick_ms=2 --strategy=pct --pct_depth=2\$' \"$tmp/find2.out\""
finding_commands pct "$tmp/find2.out"
# A path that needs quoting runs as printed too.
odd="$tmp/it's a & b"; mkdir -p "$odd"
cp tests/scenarios/break_collision.textproto "$odd/x <1>.textproto"
"$iocpsim" explore "$odd/x <1>.textproto" --mutant=wakesig-never-reset --schedules=5 --jobs=1 \
  --out_dir="$odd/f" --report="$odd/r.json" --junit="$odd/r.xml" > "$tmp/find3.out" 2>&1
finding_commands quoted "$tmp/find3.out"

# --report and --junit: valid, as documented (docs/report-format.md), and the
# same bytes whatever the job count.
check "report is JSON" "python3 -m json.tool \"$tmp/r1.json\" >/dev/null"
check "report holds the finding" "python3 - \"$tmp/r1.json\" \"$tmp/find1.out\" <<'PY'
import json, re, sys
r = json.load(open(sys.argv[1]))
out = open(sys.argv[2]).read()
assert r['schema'] == 'iocpsim.explore.report' and r['schema_version'] == 1, r['schema']
assert r['poller'] == 'no-break-forward' and r['strategy'] == {'name': 'swarm'}
assert r['seeds'] == {'first': 1, 'schedules': 100, 'shard_index': 0, 'shard_count': 1}
assert r['exit_code'] == 1 and r['interrupted'] is False
assert r['totals']['runs'] == 100 and r['totals']['findings'] == 1
assert 'lost-wakeup' in r['oracles'] and len(r['oracles']) == 21
t = r['targets'][0]
assert t['workload'] == 'tests/scenarios/cancel_cancelled.textproto'
assert sum(t['outcomes'].values()) == t['runs'] == 100
f = t['findings'][0]
assert f['oracle'] == 'lost-wakeup' and f['minimized_reproduces'] is True
assert f['seed'] == int(re.search(r'first seed (\d+)', out).group(1))
assert 0 < f['runs_hitting'] <= 100 and f['minimized_decisions'] <= f['decisions']
assert len(f['minimized_schedule'].split()) == f['minimized_decisions']
assert f['commands']['run'] in out and f['commands']['regress'] in out
assert f['files']['minimized_schedule'].endswith('.min.schedule')
assert t['coverage']['branches']['break.posted']['runs'] == 100
assert t['coverage']['branches']['netpoll.uninitialized']['unreachable_by_design']
assert len(t['races']) == 1, t['races']
assert all(v['status'] == 'forced' and v['runs_forced'] > 0 for v in t['races'].values())
assert t['unforced_races'] == [] and t['inapplicable_races'] == []
PY"
check "junit is XML with the finding" "python3 - \"$tmp/r1.xml\" <<'PY'
import sys, xml.etree.ElementTree as E
root = E.parse(sys.argv[1]).getroot()
assert root.tag == 'testsuites' and root.get('failures') == '1', root.attrib
suite = root.find('testsuite')
cases = {c.get('name'): c for c in suite.findall('testcase')}
assert len([n for n in cases if n.startswith('oracle ')]) == 21
failure = cases['oracle lost-wakeup'].find('failure')
assert failure is not None and failure.get('type') == 'lost-wakeup'
assert 'iocpsim run ' in failure.text and 'iocpsim regress ' in failure.text
assert cases['oracle fatal'].find('failure') is None
races = [n for n in cases if n.startswith('race ')]
assert len(races) == 1 and cases[races[0]].find('failure') is None, races
assert int(suite.get('tests')) == len(cases)
PY"
check "odd paths: report is JSON" "python3 -m json.tool \"$odd/r.json\" >/dev/null"
check "odd paths: junit is XML" "python3 -c 'import sys, xml.etree.ElementTree as E; E.parse(sys.argv[1])' \"$odd/r.xml\""
"$iocpsim" explore tests/scenarios/cancel_cancelled.textproto --mutant=no-break-forward \
  --schedules=100 --jobs=1 --out_dir="$tmp/find1" --report="$tmp/r1b.json" --junit="$tmp/r1b.xml" \
  >/dev/null 2>&1
check "report: same bytes with --jobs=1" "cmp -s \"$tmp/r1.json\" \"$tmp/r1b.json\""
check "junit: same bytes with --jobs=1" "cmp -s \"$tmp/r1.xml\" \"$tmp/r1b.xml\""
# An unforced race is a JUnit failure and listed in the report; one the
# host cannot have is skipped (the poll_until queues far fewer than 1000
# timers: tests/oracles_test.cc).
printf 'm { name: "a" step { poll_until: 1000 } }\nrace { cancel_answers { m: "a" nth: 1000 status: CANCELLED } }\n' > "$tmp/never.textproto"
"$iocpsim" explore "$tmp/never.textproto" --schedules=3 --out_dir= --report="$tmp/never.json" \
  --junit="$tmp/never.xml" >/dev/null 2>&1; rc=$?
check "unforced race exits 1" "[ $rc -eq 1 ]"
check "unforced race in the report" "grep -q '\"status\": \"unforced\"' \"$tmp/never.json\""
"$iocpsim" explore tests/scenarios/cancel_cancelled.textproto --host=wine8 --schedules=3 --out_dir= \
  --junit="$tmp/inapplicable.xml" >/dev/null 2>&1
for f in never:failure inapplicable:skipped; do
  check "race case: ${f%%:*} is ${f##*:}" "python3 - \"$tmp/${f%%:*}.xml\" ${f##*:} <<'PY'
import sys, xml.etree.ElementTree as E
root = E.parse(sys.argv[1]).getroot()
cases = [c for c in root.find('testsuite').findall('testcase') if c.get('name').startswith('race ')]
assert len(cases) == 1 and cases[0].find(sys.argv[2]) is not None, E.tostring(root)
assert root.get({'failure': 'failures', 'skipped': 'skipped'}[sys.argv[2]]) == '1'
PY"
done
# A clean exploration: exit 0, no findings, no failures.
"$iocpsim" explore $sc --schedules=20 --out_dir= --report="$tmp/clean.json" --junit="$tmp/clean.xml" >/dev/null 2>&1; rc=$?
check "clean explore exits 0" "[ $rc -eq 0 ]"
check "clean report" "python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); assert r[\"exit_code\"]==0 and r[\"totals\"][\"findings\"]==0' \"$tmp/clean.json\""
check "clean junit" "python3 -c 'import sys, xml.etree.ElementTree as E; assert E.parse(sys.argv[1]).getroot().get(\"failures\")==\"0\"' \"$tmp/clean.xml\""
# Several scenarios, one of them bad: a suite each, the bad one an error.
printf 'bogus: 1\n' > "$tmp/bad2.textproto"
"$iocpsim" explore $sc "$tmp/bad2.textproto" --schedules=5 --out_dir= --report="$tmp/two.json" \
  --junit="$tmp/two.xml" >/dev/null 2>&1; rc=$?
check "a bad scenario among several exits 2" "[ $rc -eq 2 ]"
check "its report names the error" "python3 -c 'import json,sys; t=json.load(open(sys.argv[1]))[\"targets\"]; assert len(t)==2 and \"bad2.textproto:1\" in t[1][\"error\"] and t[1][\"exit_code\"]==2' \"$tmp/two.json\""
check "its junit has an error" "python3 -c 'import sys, xml.etree.ElementTree as E; r=E.parse(sys.argv[1]).getroot(); assert r.get(\"errors\")==\"1\" and len(r.findall(\"testsuite\"))==2' \"$tmp/two.xml\""
# Bad input: exit 2 before any schedule runs, naming the flag or file.
usage "--report onto its scenario" "--report: $tmp/in.textproto is the input" \
  explore "$tmp/in.textproto" --report="$tmp/in.textproto" --out_dir=
check "scenario untouched by --report" "cmp -s $sc \"$tmp/in.textproto\""
usage "--junit same as --report" "same.out is also --report" \
  explore $sc --report="$tmp/same.out" --junit="$tmp/./same.out" --out_dir=
usage "--report in no directory" "--report: $tmp/nodir/r.json" explore $sc --report="$tmp/nodir/r.json" --out_dir=
printf '1:1\n2:x\n' > "$tmp/bad.schedule"
usage "run --schedule malformed" "$tmp/bad.schedule:2: " run $sc --schedule="$tmp/bad.schedule"
usage "run --schedule missing" "$tmp/none.schedule: cannot open" run $sc --schedule="$tmp/none.schedule"
usage "run --schedule /dev/zero" "larger than 1 MiB, the limit for a schedule" run $sc --schedule=/dev/zero
usage "run --record onto its schedule" "is the input" run $sc --schedule="$tmp/bad.schedule" --record="$tmp/bad.schedule"
usage "regress needs -o" "usage: iocpsim regress" regress $sc --seed=1
usage "regress --expect unknown" "is not violation, clean or auto" regress $sc -o "$tmp/x.cc" --expect=maybe
usage "regress -o onto its scenario" "is the input" regress "$tmp/in.textproto" -o "$tmp/in.textproto"
usage "regress bad scenario" "bad2.textproto:1" regress "$tmp/bad2.textproto" -o "$tmp/x.cc"
out=$("$iocpsim" regress $sc --seed=1 -o "$tmp/clean_test.cc" 2>&1); rc=$?
check "regress of a clean run exits 1" "[ $rc -eq 1 ] && echo \"\$out\" | grep -q 'no oracle violated'"
check "... and writes nothing" "[ ! -e \"$tmp/clean_test.cc\" ]"
"$iocpsim" regress $sc --seed=1 --mutant=wakesig-never-reset --expect=clean -o "$tmp/regress_pin_test.cc" >/dev/null; rc=$?
check "regress --expect=clean asserts no violation" "[ $rc -eq 0 ] && grep -q 'EXPECT_FALSE(r->violation.has_value())' \"$tmp/regress_pin_test.cc\""
check "regress embeds the scenario" "grep -q 'break_at_timer_fire' \"$tmp/regress_pin_test.cc\""

# Interruption (issue 9): a signal stops explore between schedules; it
# writes the findings made, prints the summary of what ran and exits 128+N.
for sig in INT TERM; do
  want=$([ $sig = INT ] && echo 130 || echo 143)
  "$iocpsim" explore --mutant=no-break-forward --schedules=100000000 --jobs=1 \
    --minimize_budget=0 --out_dir="$tmp/sig$sig" --report="$tmp/sig$sig.json" > "$tmp/sig.out" 2>&1 &
  pid=$!
  # Signal once a chunk has run (its findings are made), at most ~20 s in.
  for _ in $(seq 200); do
    grep -q 'explored' "$tmp/sig.out" 2>/dev/null && break
    [ -d "$tmp/sig$sig" ] && [ -n "$(ls "$tmp/sig$sig")" ] && break
    sleep 0.1
  done
  sleep 1
  kill -$sig $pid; wait $pid; rc=$?
  check "SIG$sig: explore exits $want" "[ $rc -eq $want ]"
  check "SIG$sig: says it was interrupted" "grep -q '^interrupted by SIG$sig after [0-9]* schedules' \"$tmp/sig.out\""
  check "SIG$sig: prints the summary" "grep -q '^violations (1 distinct)' \"$tmp/sig.out\""
  check "SIG$sig: keeps the findings" "ls \"$tmp/sig$sig\" | grep -q 'seed.*\\.trace'"
  check "SIG$sig: writes the report, marked interrupted" "python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); assert r[\"interrupted\"] and r[\"exit_code\"]==$want and r[\"totals\"][\"findings\"]==1' \"$tmp/sig$sig.json\""
done
# simulate too, an alias of explore: it stops between schedules and reports
# those that ran.
"$iocpsim" simulate --seeds=100000000 --jobs=1 > "$tmp/simsig.out" 2>&1 &
pid=$!
sleep 2
kill -INT $pid; wait $pid; rc=$?
check "SIGINT: simulate exits 130" "[ $rc -eq 130 ]"
check "SIGINT: simulate says so" "grep -q '^interrupted by SIGINT after [0-9]* schedules' \"$tmp/simsig.out\""
check "SIGINT: simulate prints the summary" "grep -q '^no oracle violated in [0-9]* schedules' \"$tmp/simsig.out\""

# The aliases stand for what their help says.
"$iocpsim" run --workload=mixed --seed=4 --record="$tmp/run4.trace" >/dev/null
check "record is run --record" "cmp -s \"$tmp/a.trace\" \"$tmp/run4.trace\""
"$iocpsim" simulate --seeds=30 --seed=7 > "$tmp/sim30.out" 2>&1
"$iocpsim" explore --workload=mixed --schedules=30 --seed=7 --out_dir= > "$tmp/exp30.out" 2>&1
check "simulate is explore of the workload" "cmp -s \"$tmp/sim30.out\" \"$tmp/exp30.out\""
"$iocpsim" simulate --seed=5 --log > "$tmp/log5.out"
check "simulate --log prints the decoded run" "grep -q 'key=ready pd#1' \"$tmp/log5.out\""
check "simulate --log needs one seed" "\"$iocpsim\" simulate --log --seeds=2 >/dev/null 2>&1; [ \$? -eq 2 ]"
check "simulate --help says what it stands for" "\"$iocpsim\" simulate --help | grep -c 'is an alias' >/dev/null"
check "help lists the interrupted exit codes" "\"$iocpsim\" help | grep -q '^  130  interrupted by SIGINT'"

exit $fail
