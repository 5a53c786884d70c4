#!/usr/bin/env bash
# How many schedules each strategy needs to reach each race path of a
# scenario on its own (--noforce_races: no scripted race is forced), as the
# median over independent trials of the first schedule reaching it
# (docs/exploration.md has the table this prints).
#   tools/race_medians.sh [--iocpsim=BIN] [--trials=T] [--schedules=N]
#                         [--strategies=a,b] [--races] [SCENARIO]
#   --iocpsim=BIN    the binary (default: bazel-bin/tools/iocpsim, built)
#   --trials=T       trials per strategy, seeds 1, 1001, 2001, ... (default 21)
#   --schedules=N    schedules per trial; a path not reached counts as >N
#                    (default 1000)
#   --strategies=    default "default,random,pct,systematic" ("default" is
#                    what explore runs without --strategy)
#   --races          rows for the scenario's scripted races (reached
#                    unforced) instead of issue 10's five race paths
#   SCENARIO         default tests/scenarios/default.textproto
# Exit 0, 2 on usage.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
iocpsim="" trials=21 schedules=1000 strategies=default,random,pct,systematic races=0
scenario=tests/scenarios/default.textproto
for arg in "$@"; do
  case $arg in
    --iocpsim=*) iocpsim=${arg#*=} ;;
    --trials=*) trials=${arg#*=} ;;
    --schedules=*) schedules=${arg#*=} ;;
    --strategies=*) strategies=${arg#*=} ;;
    --races) races=1 ;;
    --*) echo "race_medians.sh: unknown argument $arg" >&2; exit 2 ;;
    *) scenario=$arg ;;
  esac
done
for n in "$trials" "$schedules"; do
  [[ $n =~ ^[1-9][0-9]*$ ]] || { echo "race_medians.sh: not a count: $n" >&2; exit 2; }
done
cd "$root"
if [[ -z $iocpsim ]]; then
  bazel build --noshow_progress --ui_event_filters=-info,-stdout,-stderr //tools:iocpsim
  iocpsim=$root/bazel-bin/tools/iocpsim
fi
# The race paths of issue 10: the poller branch (or extra path) each ends in.
paths=(queue_timer.cancel_pending_fallback queue_timer.cancel_cancelled
       netpoll.timer_signaled_early_return timer_packet_taken_by_another_m
       netpoll.break_forwarded)
# "first #N" ends each reached row: a path's ("NAME runs times #N") or a
# scripted race's ("NAME N of M  first #N").
first_of() {
  if ((races)); then
    awk -v p="$1" 'index($0, "  " p " ") == 1 && $NF ~ /^#/ { print substr($NF, 2) }' <<<"$2"
  else
    awk -v p="$1" '$1 == p && $NF ~ /^#/ { print substr($NF, 2) }' <<<"$2"
  fi
}
if ((races)); then
  mapfile -t paths < <("$iocpsim" explore "$scenario" --noforce_races --schedules=1 --jobs=1 \
    --out_dir= 2>/dev/null | awk '/^scripted races/ { on = 1; next } on && /^  / {
      sub(/^  /, ""); sub(/ +[0-9]+ of [0-9]+.*$/, ""); print; next } on { exit }')
fi
printf '%s: median schedules to reach, unforced, over %s trials of %s schedules\n' \
  "$scenario" "$trials" "$schedules"
width=38
((races)) && width=56
printf "%-${width}s" path
IFS=, read -r -a names <<<"$strategies"
for s in "${names[@]}"; do printf ' %11s' "$s"; done
printf '\n'
declare -A firsts
for s in "${names[@]}"; do
  flag=()
  [[ $s == default ]] || flag=(--strategy="$s")
  for ((t = 0; t < trials; t++)); do
    out=$("$iocpsim" explore "$scenario" "${flag[@]}" --noforce_races --seed=$((1 + t * 1000)) \
      --schedules="$schedules" --jobs=1 --out_dir= 2>/dev/null || true)
    for p in "${paths[@]}"; do
      n=$(first_of "$p" "$out")
      firsts[$s,$p]+="${n:-$((schedules + 1))} "
    done
  done
done
for p in "${paths[@]}"; do
  printf "%-${width}s" "$p"
  for s in "${names[@]}"; do
    m=$(tr ' ' '\n' <<<"${firsts[$s,$p]}" | grep . | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
    if ((m > schedules)); then m=">$schedules"; fi
    printf ' %11s' "$m"
  done
  printf '\n'
done
