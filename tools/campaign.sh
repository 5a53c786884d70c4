#!/usr/bin/env bash
# The no-false-alarm campaign: the faithful poller explores every corpus
# scenario (tests/scenarios) with every strategy on every host profile. Any
# violation, or a scripted race or fault never forced, fails it: the oracles
# must hold on Go's own code, whatever the schedule.
#   tools/campaign.sh [--schedules=N] [--jobs=N]
#   --schedules=N   per scenario, strategy and host (default 100000)
#   --jobs=N        explore threads (default: every core)
# Findings go under ${TMPDIR:-/tmp}/iocpsim-campaign. Exit 0 clean, 1 not,
# 2 usage.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
schedules=100000 jobs=0
for arg in "$@"; do
  case $arg in
    --schedules=*) schedules=${arg#*=} ;;
    --jobs=*) jobs=${arg#*=} ;;
    *) echo "campaign.sh: unknown argument $arg" >&2; exit 2 ;;
  esac
done
for n in "$schedules" "$jobs"; do
  [[ $n =~ ^[0-9]+$ ]] || { echo "campaign.sh: not a count: $n" >&2; exit 2; }
done
cd "$root"
bazel build -c opt --noshow_progress --ui_event_filters=-info,-stdout,-stderr //tools:iocpsim
out=${TMPDIR:-/tmp}/iocpsim-campaign
mkdir -p "$out"
# A copy: later builds in the repo move bazel-bin while the campaign runs.
cp -f "$root/bazel-bin/tools/iocpsim" "$out/iocpsim"
iocpsim=$out/iocpsim
scenarios=(tests/scenarios/*.textproto)
failed=0
for host in windows windows-pre1803 wine8; do
  # systematic: every schedule within its preemption bound (explore/dfs.h),
  # up to --schedules; it runs on one thread.
  for strategy in swarm random pct systematic; do
    log=$out/$host-$strategy.txt
    start=$SECONDS
    rc=0
    "$iocpsim" explore "${scenarios[@]}" --host="$host" --strategy="$strategy" \
      --schedules="$schedules" --jobs="$jobs" --out_dir="$out/$host-$strategy" >"$log" \
      2>"$out/$host-$strategy.progress" || rc=$?
    clean=$(grep -c '^no oracle violated' "$log" || true)
    printf '%-16s %-7s %d scenarios x %d schedules: %d clean, exit %d, %d s\n' "$host" "$strategy" \
      "${#scenarios[@]}" "$schedules" "$clean" "$rc" $((SECONDS - start))
    if ((rc != 0)); then
      failed=1
      grep -E '^exploring|^  [a-z-]+: [0-9]+ schedules|never forced' "$log" |
        grep -B1 -E '^  [a-z]|never forced' | sed 's/^/    /' || true
    fi
  done
done
exit $failed
