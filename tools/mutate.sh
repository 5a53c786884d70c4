#!/usr/bin/env bash
# The poller's mutation score: builds every single-point mutant of the ported
# files (operators in tools/mutate/mutants.h), explores the bundled corpus
# with each, and prints the score, the survivors and the median number of
# schedules until a killed mutant was first caught. docs/mutants.md lists the
# reviewed survivors: equivalent mutants, and known gaps with what would kill
# them; a survivor listed in neither fails the run.
#
#   tools/mutate.sh [--sample=N] [--match=TEXT] [--known] [--schedules=N] [--jobs=N] [FILE...]
#
#   --sample=N      only N mutants, spread evenly over the list (0: all; CI uses a few)
#   --match=TEXT    only mutants whose line (file, key) contains TEXT
#   --known         only the known gaps (docs/mutants.md, "Not yet killed"):
#                   after a new oracle or scenario, which of them it kills
#   --schedules=N   schedules per scenario and mutant (default 200)
#   --jobs=N        explore threads and Bazel CPUs (default 1, so it can run
#                   beside other work on this 2-core machine)
#   FILE...         the sources to mutate (default: the three poller files)
#
# Mutants are built in a scratch copy of the repo under
# ${TMPDIR:-/tmp}/iocpsim-mutate, with its own Bazel output base kept between
# runs, so each mutant recompiles one file. The results are in
# ${TMPDIR:-/tmp}/iocpsim-mutate/results.tsv.
# Exit 0: every survivor is reviewed in docs/mutants.md; 1: one is not;
# 2: usage, or the faithful poller itself fails the corpus.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
sample=0 match= known_only=0 schedules=200 jobs=1 files=()
for arg in "$@"; do
  case $arg in
    --sample=*) sample=${arg#*=} ;;
    --match=*) match=${arg#*=} ;;
    --known) known_only=1 ;;
    --schedules=*) schedules=${arg#*=} ;;
    --jobs=*) jobs=${arg#*=} ;;
    -*) echo "mutate.sh: unknown flag $arg" >&2; exit 2 ;;
    *) files+=("$arg") ;;
  esac
done
for n in "$sample" "$schedules" "$jobs"; do
  [[ $n =~ ^[0-9]+$ ]] || { echo "mutate.sh: not a count: $n" >&2; exit 2; }
done
((${#files[@]})) || files=(poller/netpoll_windows.cc poller/os_windows.cc poller/netpoll.cc)

work=${TMPDIR:-/tmp}/iocpsim-mutate
tree=$work/tree
mkdir -p "$tree"
bazel_flags=(--noshow_progress --ui_event_filters=-info,-stdout,-stderr --local_cpu_resources="$jobs")

# A fresh copy of the sources (tracked and new files), beside the output base.
find "$tree" -mindepth 1 -maxdepth 1 ! -name 'bazel-*' -exec rm -rf {} +
(cd "$root" && git ls-files -co --exclude-standard -z | grep -zv '^bazel-' |
  tar --null -T - -cf -) | tar -C "$tree" -xf -

# Mutants are made from this snapshot, so edits in the repo during a run
# cannot mix into it.
rm -rf "$work/pristine" && mkdir -p "$work/pristine"
(cd "$tree" && cp --parents "${files[@]}" "$work/pristine/")
(cd "$tree" && bazel build "${bazel_flags[@]}" //tools/mutate:mutate)
cp "$tree/bazel-bin/tools/mutate/mutate" "$work/mutate"
mutate=$work/mutate
# docs/mutants.md: keys under "## Equivalent" are equivalent mutants; keys
# under "## Not yet killed" are known gaps, reported but not failing.
section() { awk -v h="$1" '/^## /{on = ($0 ~ "^## " h)} on' "$root/docs/mutants.md"; }
section Equivalent >"$work/equivalent.md"
section "Not yet killed" >"$work/known.md"
(cd "$work/pristine" && "$mutate" list "${files[@]}") | grep -F -- "$match" >"$work/all.tsv" || true
if ((known_only)); then  # each reviewed mutant is a line of its own: "    FILE: KEY"
  awk -F'\t' 'NR == FNR { keys[$0]; next } ("    " $1 ": " $4) in keys' "$work/known.md" \
    "$work/all.tsv" >"$work/known.tsv"
  mv "$work/known.tsv" "$work/all.tsv"
  [[ -s $work/all.tsv ]] || { echo "mutate.sh: no known gaps in docs/mutants.md${match:+ matching \"$match\"}"; exit 0; }
fi
total=$(wc -l <"$work/all.tsv")
((total)) || { echo "mutate.sh: no mutant matches \"$match\"" >&2; exit 2; }
if ((sample > 0 && sample < total)); then
  awk -v n="$sample" -v t="$total" 'NR % int(t / n) == 0' "$work/all.tsv" | head -n "$sample" >"$work/chosen.tsv"
else
  cp "$work/all.tsv" "$work/chosen.tsv"
fi

scenarios=("$tree"/tests/scenarios/*.textproto)
explore() {  # prints the exit status, then the output, of exploring the corpus
  local rc=0
  timeout -k 5 120 "$tree/bazel-bin/tools/iocpsim" explore "${scenarios[@]}" --schedules="$schedules" \
    --jobs="$jobs" --minimize_budget=0 --out_dir= >"$work/out.txt" 2>&1 || rc=$?
  echo "$rc"
}

(cd "$tree" && bazel build "${bazel_flags[@]}" //tools:iocpsim)
if [[ $(explore) != 0 ]]; then
  echo "mutate.sh: the faithful poller fails the corpus; see $work/out.txt" >&2
  exit 2
fi

: >"$work/results.tsv"
echo "mutating ${files[*]}: $(wc -l <"$work/chosen.tsv") of $total mutants, $schedules schedules per scenario"
while IFS=$'\t' read -r file index line key; do
  "$mutate" apply "$work/pristine/$file" "$index" "$tree/$file"
  if ! (cd "$tree" && bazel build "${bazel_flags[@]}" //tools:iocpsim >/dev/null 2>&1); then
    verdict=stillborn detail="does not compile" first=""
  else
    rc=$(explore)
    oracles=$(sed -n 's/^  \([a-z-]*\): [0-9]* schedules, first seed.*/\1/p' "$work/out.txt" | sort -u | paste -sd, -)
    first=$(sed -n 's/.*schedules, first seed \([0-9]*\) at.*/\1/p' "$work/out.txt" | sort -n | head -1)
    case $rc in
      0) verdict=survived detail="" ;;
      1) verdict=killed detail=${oracles:-scripted race never forced} ;;
      124) verdict=killed detail="hang (no result in 120 s)" ;;
      137) verdict=killed detail="hang (still running 5 s after the 120 s SIGTERM: SIGKILL)" ;;
      *) verdict=killed detail="crash (exit $rc)" ;;
    esac
  fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$verdict" "$file" "$line" "$key" "$detail" "$first" "$index" >>"$work/results.tsv"
  printf '%-9s %s:%s: %s%s\n' "$verdict" "$file" "$line" "$key" "${detail:+ ($detail)}"
  cp "$work/pristine/$file" "$tree/$file"
done <"$work/chosen.tsv"

killed=$(grep -c '^killed' "$work/results.tsv" || true)
survived=$(grep -c '^survived' "$work/results.tsv" || true)
stillborn=$(grep -c '^stillborn' "$work/results.tsv" || true)
equivalent=0 known=0 unlisted=()
while IFS=$'\t' read -r _ file line key _; do
  # Each reviewed mutant is a line of its own, indented: "    FILE: KEY".
  if grep -qFx -- "    $file: $key" "$work/equivalent.md"; then
    equivalent=$((equivalent + 1))
  elif grep -qFx -- "    $file: $key" "$work/known.md"; then
    known=$((known + 1))
  else
    unlisted+=("    $file: $key    (line $line)")
  fi
done < <(grep '^survived' "$work/results.tsv")
scored=$((killed + survived - equivalent))
echo
echo "mutants: $killed killed, $survived survived ($equivalent equivalent, $known known gaps in docs/mutants.md), $stillborn did not compile"
if ((scored > 0)); then
  echo "mutation score: $killed of $scored non-equivalent mutants killed ($((100 * killed / scored))%)"
fi
median=$(awk -F'\t' '$1 == "killed" && $6 != "" {print $6}' "$work/results.tsv" | sort -n |
  awk '{a[NR] = $1} END {if (NR) print a[int((NR + 1) / 2)]}')
echo "schedules until first caught (killed by an oracle): median ${median:-n/a}"
if ((${#unlisted[@]})); then
  echo "survivors not in docs/mutants.md (kill them, or explain them there):"
  printf '  %s\n' "${unlisted[@]}"
  exit 1
fi
