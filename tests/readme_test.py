#!/usr/bin/env python3
"""Runs every iocpsim command in README.md, so that the README cannot rot.

usage: readme_test.py IOCPSIM README.md SCENARIO_DIR

In ```console blocks, a "$ " line is a command and the lines after it are
what it prints: each must appear, in order; "..." stands for any number of
lines, and lines without one between them must be adjacent. In ```sh blocks
each line that starts with "iocpsim " runs and must exit 0 (ran) or 1
(found something), never 2 or a crash. Blocks about iocpsim.exe, which
needs Windows, are skipped. Commands run in a scratch directory holding a
copy of tests/scenarios, with `iocpsim` on PATH.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile


def blocks(readme):
    """(kind, lines) of each fenced block."""
    out, kind, lines = [], None, []
    for line in open(readme, encoding="utf-8").read().splitlines():
        m = re.match(r"^```(\w*)$", line)
        if m and kind is None:
            kind, lines = m.group(1), []
        elif line == "```" and kind is not None:
            out.append((kind, lines))
            kind = None
        elif kind is not None:
            lines.append(line)
    return out


def matches(expected, actual):
    """Whether the expected lines (with "..." gaps) appear in actual."""
    pos, anchored = 0, True
    for want in expected:
        if want == "...":
            anchored = False
            continue
        if anchored:
            if pos >= len(actual) or actual[pos] != want:
                return f"expected {want!r} at line {pos + 1}, got {actual[pos] if pos < len(actual) else 'the end'!r}"
            pos += 1
        else:
            try:
                pos = actual.index(want, pos) + 1
            except ValueError:
                return f"expected {want!r} after line {pos}, not found"
        anchored = True
    return None


def run(cmd, cwd, env):
    p = subprocess.run(cmd, shell=True, cwd=cwd, env=env, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True, timeout=300)
    return p.returncode, p.stdout.splitlines(), p.stderr


def main(iocpsim, readme, scenarios):
    work = tempfile.mkdtemp(dir=os.environ.get("TEST_TMPDIR"))
    os.makedirs(os.path.join(work, "tests"))
    shutil.copytree(scenarios, os.path.join(work, "tests", "scenarios"))
    bindir = os.path.join(work, "bin")
    os.makedirs(bindir)
    os.symlink(os.path.abspath(iocpsim), os.path.join(bindir, "iocpsim"))
    env = dict(os.environ, PATH=bindir + os.pathsep + os.environ.get("PATH", ""))
    failures, ran = [], 0
    for kind, lines in blocks(readme):
        if any("iocpsim.exe" in l for l in lines):
            continue
        if kind == "console":
            i = 0
            while i < len(lines):
                cmd = lines[i][2:]
                expected = []
                i += 1
                while i < len(lines) and not lines[i].startswith("$ "):
                    expected.append(lines[i])
                    i += 1
                if not cmd.startswith("iocpsim "):
                    continue  # building it: the test already has it
                rc, out, err = run(cmd, work, env)
                ran += 1
                problem = matches(expected, out) if rc in (0, 1) else f"exit {rc}: {err.strip()}"
                if problem:
                    failures.append(f"$ {cmd}\n  {problem}")
        elif kind == "sh":
            for line in lines:
                if not line.startswith("iocpsim "):
                    continue
                cmd = line.split("  #")[0].strip()
                rc, _, err = run(cmd, work, env)
                ran += 1
                if rc not in (0, 1):
                    failures.append(f"$ {cmd}\n  exit {rc}: {err.strip()}")
    print(f"{ran} README commands run, {len(failures)} failed")
    for f in failures:
        print("FAIL:", f)
    return 1 if failures or ran == 0 else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
