#!/usr/bin/env bash
# The iocpsim command line end to end: record, show, replay, export, and bad
# input, which must give a one-line error naming the file and offset and a
# non-zero exit, never a crash.
set -uo pipefail
iocpsim="$1"
tmp="${TEST_TMPDIR:-$(mktemp -d)}"
fail=0
check() { if ! eval "$2"; then echo "FAIL: $1"; fail=1; fi; }

for verb in simulate record replay show export; do
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
  "grep -q 'host windows: tick 1 ms, high-resolution timers 0.5 ms, wait packets no' \"$tmp/nowp.show\""
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
usage "run --strategy" "--strategy: not a flag of iocpsim run" run $sc --strategy=pct
usage "run --schedules" "--schedules: not a flag of iocpsim run" run $sc --schedules=5
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

# Interruption (issue 9): a signal stops explore between schedules; it
# writes the findings made, prints the summary of what ran and exits 128+N.
for sig in INT TERM; do
  want=$([ $sig = INT ] && echo 130 || echo 143)
  "$iocpsim" explore --mutant=no-break-forward --schedules=100000000 --jobs=1 \
    --minimize_budget=0 --out_dir="$tmp/sig$sig" > "$tmp/sig.out" 2>&1 &
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
done
# simulate too: it stops between seeds and reports those that ran.
"$iocpsim" simulate --seeds=100000000 > "$tmp/simsig.out" 2>&1 &
pid=$!
sleep 2
kill -INT $pid; wait $pid; rc=$?
check "SIGINT: simulate exits 130" "[ $rc -eq 130 ]"
check "SIGINT: simulate says so" "grep -q '^interrupted by SIGINT after [0-9]* seeds' \"$tmp/simsig.out\""
check "SIGINT: simulate prints the summary" "grep -q 'runs broke an invariant' \"$tmp/simsig.out\""
check "help lists the interrupted exit codes" "\"$iocpsim\" help | grep -q '^  130  interrupted by SIGINT'"

exit $fail
