"""Cue latency of live coaching in the browser: landmarks sent -> count and cue on screen.

    .venv/bin/python benchmarks/live_browser.py [--runs 5] [--out docs/live-browser.json]

Runs ``tests/web/test_live_web_browser.py`` (Debian's Chromium, its fake camera playing
``calimiro/push-up_1.mp4`` at 640x360, the page posing with MediaPipe Tasks Vision in wasm, the app
counting over /ws/live on this machine) ``--runs`` times, pools the latencies every run's page
measured (performance.now() when the update is painted minus the echoed send time of its frame),
and writes the figures as JSON. Every posed frame gets an update, so "count shown" is measured on
every frame and "cue shown" on the frames whose update carried a cue.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
TEST = "tests/web/test_live_web_browser.py"


def run_once(figures: Path) -> None:
    env = os.environ | {"PUSHUP_COACH_LIVE_FIGURES": str(figures)}
    cmd = [sys.executable, "-m", "pytest", TEST, "-q", "-p", "no:cacheprovider"]
    done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"{TEST} failed or skipped:\n{done.stdout[-2000:]}")


def pooled(runs: list[dict]) -> dict:
    every = np.concatenate([np.asarray(r["latencies_ms"]) for r in runs])
    cues = np.asarray([v for r in runs for v in r["cue_latency_ms"]])
    return {
        "runs": len(runs),
        "updates": int(every.size),
        "latency_p50_ms": round(float(np.percentile(every, 50)), 1),
        "latency_p95_ms": round(float(np.percentile(every, 95)), 1),
        "latency_max_ms": round(float(every.max()), 1),
        "cues": int(cues.size),
        "cue_latency_p50_ms": round(float(np.percentile(cues, 50)), 1) if cues.size else None,
        "cue_latency_p95_ms": round(float(np.percentile(cues, 95)), 1) if cues.size else None,
        "posed_hz": [r["posed_hz"] for r in runs],
        "reps": [r["reps"] for r in runs],
        "analyze_reps": runs[0]["analyze_reps"],
        "load_average_1min": round(os.getloadavg()[0], 2),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "live-browser.json")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        figures = Path(tmp) / "figures.jsonl"
        for k in range(args.runs):
            run_once(figures)
            print(f"run {k + 1}/{args.runs} done", file=sys.stderr)
        runs = [json.loads(line) for line in figures.read_text().splitlines()]
    result = pooled(runs)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
