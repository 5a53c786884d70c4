#!/usr/bin/env python3
"""Draws `iocpsim sleepmodel --curve=FILE.csv` as an SVG line plot.

usage: tools/plot_sleep.py CURVE.csv OUT.svg

Sleep latency (median of back-to-back sleeps) against the requested
duration, one line per poller and tick; the dashed diagonal is a sleep that
lasts exactly what it asked. Plain SVG, so it needs nothing beyond python3.
"""
import csv
import sys

W, H, LEFT, BOTTOM, TOP, RIGHT = 640, 420, 60, 50, 30, 170
COLOURS = {("lowres", "15.625"): "#c0392b", ("highres", "15.625"): "#2471a3",
           ("lowres", "1"): "#e59866", ("highres", "1"): "#7fb3d5"}


def main(src, out):
    series = {}
    with open(src, newline="") as f:
        for row in csv.DictReader(f):
            key = (row["poller"], row["tick_ms"])
            series.setdefault(key, []).append((float(row["requested_ms"]), float(row["median_ms"])))
    xmax = max(x for pts in series.values() for x, _ in pts)
    ymax = max(y for pts in series.values() for _, y in pts)
    pw, ph = W - LEFT - RIGHT, H - TOP - BOTTOM

    def px(x):
        return LEFT + x / xmax * pw

    def py(y):
        return TOP + ph - y / ymax * ph

    svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" '
           f'font-family="sans-serif" font-size="12">',
           f'<rect width="{W}" height="{H}" fill="white"/>',
           f'<text x="{LEFT}" y="18" font-size="14">time.Sleep latency on Windows '
           '(iocpsim sleepmodel, median of back-to-back sleeps)</text>']
    for i in range(0, int(xmax) + 1, 5):
        svg.append(f'<line x1="{px(i):.1f}" y1="{TOP}" x2="{px(i):.1f}" y2="{TOP + ph}" stroke="#eee"/>')
        svg.append(f'<text x="{px(i):.1f}" y="{TOP + ph + 16}" text-anchor="middle">{i}</text>')
    for i in range(0, int(ymax) + 1, 5):
        svg.append(f'<line x1="{LEFT}" y1="{py(i):.1f}" x2="{LEFT + pw}" y2="{py(i):.1f}" stroke="#eee"/>')
        svg.append(f'<text x="{LEFT - 6}" y="{py(i) + 4:.1f}" text-anchor="end">{i}</text>')
    svg.append(f'<text x="{LEFT + pw / 2}" y="{H - 10}" text-anchor="middle">requested (ms)</text>')
    svg.append(f'<text x="16" y="{TOP + ph / 2}" transform="rotate(-90 16 {TOP + ph / 2})" '
               'text-anchor="middle">slept (ms)</text>')
    diag = min(xmax, ymax)
    svg.append(f'<line x1="{px(0)}" y1="{py(0)}" x2="{px(diag):.1f}" y2="{py(diag):.1f}" '
               'stroke="#888" stroke-dasharray="4 4"/>')
    for n, (key, pts) in enumerate(sorted(series.items(), key=lambda kv: (-float(kv[0][1]), kv[0][0]))):
        colour = COLOURS.get(key, "black")
        path = " ".join(f"{px(x):.1f},{py(y):.1f}" for x, y in pts)
        svg.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>')
        ly = TOP + 20 + 20 * n
        svg.append(f'<line x1="{W - RIGHT + 12}" y1="{ly}" x2="{W - RIGHT + 36}" y2="{ly}" '
                   f'stroke="{colour}" stroke-width="2"/>')
        svg.append(f'<text x="{W - RIGHT + 42}" y="{ly + 4}">{key[0]}, tick {key[1]} ms</text>')
    svg.append("</svg>")
    with open(out, "w") as f:
        f.write("\n".join(svg) + "\n")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
