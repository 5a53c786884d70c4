#!/usr/bin/env python3
"""Holds the systematic search with sleep sets to the search without them.

For each scenario and preemption bound, and for the faithful poller and each
named mutant, runs `explore --strategy=systematic --noforce_races` twice,
with and without --sleep_sets, and compares what the two searches found:
the oracles violated, the poller branches reached, the scripted races reached
and the run outcomes. Sleep sets prune only reorderings of commuting steps
(docs/exploration.md), so any difference is a soundness bug.

  tools/sleep_sets_check.py [--iocpsim=BIN] [--mutants=a,b] [SCENARIO:BOUND ...]

  --iocpsim=BIN   the binary (default: bazel-bin/tools/iocpsim, built -c opt)
  --mutants=a,b   the mutants (default: faithful and every named mutant)
  SCENARIO:BOUND  a tests/scenarios name and a bound (default: the eight below)

Prints a line per search pair. Exit 0 when every pair agrees, 1 when one
does not, 2 on usage or a failed run.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile

DEFAULT_CASES = ["cancel_pending:3", "break_collision:3", "short_timers:3", "break_consumed:2",
                 "cancel_cancelled:1", "timer_taken:1", "close_race:1", "idle_poller:1"]
# Each search stops here if its tree is larger (both searches alike).
SCHEDULES = 200_000


def explore(iocpsim, root, scenario, bound, mutant, sleep_sets, report):
    args = [iocpsim, "explore", os.path.join(root, "tests/scenarios", scenario + ".textproto"),
            "--strategy=systematic", f"--preemption_bound={bound}", "--noforce_races",
            f"--schedules={SCHEDULES}", "--out_dir=", "--minimize_budget=0", "--report=" + report,
            "--mutant=" + mutant, "--sleep_sets" if sleep_sets else "--nosleep_sets"]
    run = subprocess.run(args, capture_output=True, text=True)
    if run.returncode not in (0, 1):
        sys.exit(f"sleep_sets_check: {' '.join(args)}: exit {run.returncode}\n{run.stderr}")
    with open(report) as f:
        target = json.load(f)["targets"][0]
    return {
        "runs": target["runs"],
        "oracles": sorted(f["oracle"] for f in target["findings"]),
        "branches": sorted(b for b, v in target["coverage"]["branches"].items() if v["runs"] > 0),
        "races": sorted(r for r, v in target["races"].items() if v.get("runs_forced", 0) > 0),
        "outcomes": sorted(target["outcomes"]),
    }


def main():
    parser = argparse.ArgumentParser(usage=__doc__)
    parser.add_argument("--iocpsim", default="")
    parser.add_argument("--mutants", default="")
    parser.add_argument("cases", nargs="*", default=DEFAULT_CASES)
    try:
        opts = parser.parse_args()
    except SystemExit:
        sys.exit(2)
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    iocpsim = opts.iocpsim
    if not iocpsim:
        subprocess.run(["bazel", "build", "-c", "opt", "--noshow_progress",
                        "--ui_event_filters=-info,-stdout,-stderr", "//tools:iocpsim"],
                       cwd=root, check=True)
        iocpsim = os.path.join(root, "bazel-out/k8-opt/bin/tools/iocpsim")
    if opts.mutants:
        mutants = opts.mutants.split(",")
    else:
        listed = subprocess.run([iocpsim, "explore", "--list_mutants"], capture_output=True,
                                text=True, check=True).stdout
        mutants = ["faithful"] + [line.split()[0] for line in listed.splitlines() if line.strip()]
    cases = []
    for case in opts.cases:
        scenario, _, bound = case.partition(":")
        if not bound.isdigit():
            print(f"sleep_sets_check: {case}: not SCENARIO:BOUND", file=sys.stderr)
            sys.exit(2)
        cases.append((scenario, int(bound)))
    differ = 0
    with tempfile.TemporaryDirectory() as tmp:
        report = os.path.join(tmp, "report.json")
        for scenario, bound in cases:
            for mutant in mutants:
                with_sleep = explore(iocpsim, root, scenario, bound, mutant, True, report)
                without = explore(iocpsim, root, scenario, bound, mutant, False, report)
                keys = [k for k in ("oracles", "branches", "races", "outcomes")
                        if with_sleep[k] != without[k]]
                verdict = "same" if not keys else "DIFFERENT " + ", ".join(
                    f"{k}: {with_sleep[k]} with, {without[k]} without" for k in keys)
                print(f"{scenario} bound {bound} {mutant}: {with_sleep['runs']} schedules with "
                      f"sleep sets, {without['runs']} without; {verdict}", flush=True)
                differ += bool(keys)
    print(f"{differ} of {len(cases) * len(mutants)} search pairs differ")
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
