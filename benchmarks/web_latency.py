"""Page latency of the web app while analyses run, and how long an upload takes to analyse.

    .venv/bin/python benchmarks/web_latency.py [--clips 2] [--out docs/web-latency.json]

Starts the whole app (``create_app``, real pose model, ``job_workers`` = ``--clips``) under uvicorn
on a free local port with a temporary database, uploads ``--clips`` real clips at once, and while
their analyses run requests the pages a person would look at (home, plan, history, the analyses,
an analysis' JSON that the progress page polls) one after another, timing each. Writes the
latencies' p50 / p95 / max, the analysis time of each upload (upload answered -> job done) and,
for comparison, ``analyze_file`` of the same clip in this process, as JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
import numpy as np

from pushup_coach.analysis import analyze_file
from pushup_coach.web.settings import WebSettings

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "web"))
from web_helpers import free_port, running_server  # noqa: E402  (starts the app as the tests do)

CLIPS = ROOT.parent / "shared" / "data" / "pushup-clips"
CLIP_NAMES = ("calimiro/push-up_1.mp4", "calimiro/push-up_10.mp4", "calimiro/push-up_2.mp4")
PAGES = ("/", "/plan", "/history", "/jobs", "/jobs/1.json", "/privacy")
PAUSE_S = 0.1  # between two page requests: a person clicking fast, not a load generator


def measure(base: str, clips: list[Path]) -> dict[str, Any]:
    with httpx.Client(base_url=base, timeout=120) as client:
        started: dict[int, float] = {}
        for clip in clips:
            files = {"video": (clip.name, clip.read_bytes(), "video/mp4")}
            answer = client.post("/upload", files=files, headers={"accept": "application/json"})
            started[answer.raise_for_status().json()["job"]] = time.perf_counter()
        latencies_ms: list[float] = []
        done_s: dict[int, float] = {}
        while len(done_s) < len(started):
            for path in PAGES:
                t0 = time.perf_counter()
                client.get(path)
                latencies_ms.append(1000 * (time.perf_counter() - t0))
                time.sleep(PAUSE_S)
            for job_id, t0 in started.items():
                status = client.get(f"/jobs/{job_id}.json").json()["status"]
                if job_id not in done_s and status in ("done", "failed"):
                    done_s[job_id] = time.perf_counter() - t0
    lat = np.asarray(latencies_ms)
    return {
        "pages_requested": len(lat),
        "page_latency_ms": {
            "p50": round(float(np.percentile(lat, 50)), 1),
            "p95": round(float(np.percentile(lat, 95)), 1),
            "max": round(float(lat.max()), 1),
        },
        "analysis_s": [round(s, 2) for s in done_s.values()],
    }


def cli_equivalent(clip: Path) -> dict[str, float]:
    """The same work as one upload's job, done alone in this process the way
    ``analyze CLIP --report R.html --overlay O.mp4`` does it: seconds per step."""
    from pushup_coach.report.html import write_html
    from pushup_coach.report.video import write_overlay_video
    from pushup_coach.video.source import VideoFile

    steps: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        analysis = analyze_file(clip)
        steps["analyse"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        write_html(analysis.report, Path(tmp) / "r.html", analysis.features)
        steps["report"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        with VideoFile(clip) as video:
            write_overlay_video(
                video.frames(),
                analysis.smoothed,
                analysis.features,
                analysis.report,
                Path(tmp) / "o.mp4",
            )
        steps["overlay"] = time.perf_counter() - t0
    steps["total"] = sum(steps.values())
    return {k: round(v, 2) for k, v in steps.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clips", type=int, default=2, choices=(1, 2, 3))
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "web-latency.json")
    args = parser.parse_args()
    clips = [CLIPS / name for name in CLIP_NAMES[: args.clips]]
    with tempfile.TemporaryDirectory() as tmp:
        settings = WebSettings(
            db_url=f"sqlite:///{tmp}/web.db",
            data_dir=Path(tmp) / "web",
            port=free_port(),
            job_workers=args.clips,
        )
        with running_server(settings, access_log=False) as base:
            figures = measure(base, clips)
    figures["cli_s_alone"] = cli_equivalent(clips[0])
    figures["clips"] = [str(c.relative_to(CLIPS)) for c in clips]
    figures["load_average_1min"] = round(os.getloadavg()[0], 2)  # other work on the machine
    figures["cpus"] = os.cpu_count()
    args.out.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
