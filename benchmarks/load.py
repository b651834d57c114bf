"""Load test of the web app on loopback: uploads, result pages and live WebSocket sessions.

    .venv/bin/python benchmarks/load.py [--users 1,10,50] [--run-time 45s] [--workers 2]
        [--db URL] [--max-queued-jobs 20] [--out docs/load.json]

Needs the ``load`` extra (locust). Starts ``pushup-coach serve --no-workers`` on 127.0.0.1 (a free
port, a temporary data folder, SQLite unless ``--db``) and ``--workers`` worker processes whose
analyses replay synthetic landmarks (so the 2 cores measure the web and queue path: upload, probe,
queue, decode, report, overlay video; not the pose model), then runs locust headless for each
number of simulated people, one after another, each bounded by ``--run-time``. Between levels
it waits (bounded) for the queue to drain. Writes p50/p95 per request kind, errors, 503 "busy"
answers and analyses done, as JSON, and prints a Markdown table.
"""

from __future__ import annotations

import argparse
import csv
import functools
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
LOCUSTFILE = ROOT / "benchmarks" / "load" / "locustfile.py"
LIVE_FRAMES = 45
DRAIN_POLLS = 360  # x 0.5 s: how long to wait for the queue to empty between levels


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def run_worker(db_url: str, data_dir: str) -> None:
    """One ``pushup-coach worker`` whose pose backend replays the synthetic series."""
    from pushup_coach.cli.worker import run_worker as worker
    from pushup_coach.pose import ReplayBackend
    from pushup_coach.web.settings import WebSettings
    from synthetic_pushups import pushup_series

    series = pushup_series(reps=3)
    settings = WebSettings(
        db_url=db_url,
        data_dir=Path(data_dir),
        backend_factory=functools.partial(ReplayBackend, series),
        backend_name="replay",
    )
    worker(settings, 60.0)


def prepare(tmp: Path) -> dict[str, str]:
    """The clip to upload and the live frames, as the locustfile's environment."""
    from synthetic_pushups import pushup_series, write_timed_video

    series = pushup_series(reps=3)
    clip = write_timed_video(tmp / "clip.mp4", series.t_s)
    frames = [row.tolist() for row in series.landmarks[:LIVE_FRAMES]]
    (tmp / "frames.json").write_text(json.dumps(frames))
    return {
        "LOAD_CLIP": str(clip),
        "LOAD_FRAMES": str(tmp / "frames.json"),
        "LOAD_SIZE_WH": json.dumps(list(series.size_wh)),
    }


def start_server(args: argparse.Namespace, tmp: Path, port: int) -> list[subprocess.Popen[bytes]]:
    env = {**os.environ, "PUSHUP_COACH_HOME": str(tmp / "home")}
    serve = [
        str(ROOT / ".venv" / "bin" / "pushup-coach"),
        "serve",
        "--no-workers",
        "--host=127.0.0.1",
        f"--port={port}",
        f"--db={args.db}",
        f"--data-dir={tmp / 'web'}",
        f"--max-queued-jobs={args.max_queued_jobs}",
    ]
    procs = [subprocess.Popen(serve, env=env)]
    worker = [sys.executable, __file__, "--worker", args.db, str(tmp / "web")]
    procs += [subprocess.Popen(worker, env=env) for _ in range(args.workers)]
    for _ in range(600):
        try:
            if httpx.get(f"http://127.0.0.1:{port}/", timeout=2).status_code == 200:
                return procs
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise RuntimeError("the server did not start")


def job_counts(db_url: str) -> dict[str, int]:
    from sqlalchemy import func, select

    from pushup_coach.storage import Store
    from pushup_coach.storage.models import Job

    with Store.open(db_url) as store, store.transaction() as s:
        rows = s.execute(select(Job.status, func.count()).group_by(Job.status)).all()
        return {status: int(n) for status, n in rows}


def drain(db_url: str) -> None:
    for _ in range(DRAIN_POLLS):
        counts = job_counts(db_url)
        if not counts.get("queued") and not counts.get("running"):
            return
        time.sleep(0.5)


def run_level(args: argparse.Namespace, users: int, port: int, tmp: Path, env: dict[str, str]):
    prefix = tmp / f"u{users}"
    before = job_counts(args.db)
    command = [
        str(ROOT / ".venv" / "bin" / "locust"),
        "-f", str(LOCUSTFILE), "--headless", "--only-summary",
        "-u", str(users), "-r", str(min(users, 10)), "--run-time", args.run_time,
        "--host", f"http://127.0.0.1:{port}", "--csv", str(prefix), "--stop-timeout", "30",
    ]  # fmt: skip
    started = time.monotonic()
    subprocess.run(command, env={**os.environ, **env}, check=False, timeout=600)
    elapsed = time.monotonic() - started
    after = job_counts(args.db)
    done = after.get("done", 0) - before.get("done", 0)
    return {
        "users": users,
        "seconds": round(elapsed, 1),
        "requests": read_stats(Path(f"{prefix}_stats.csv")),
        "analyses_done": done,
        "analyses_failed": after.get("failed", 0) - before.get("failed", 0),
        "queued_at_end": after.get("queued", 0),
    }


def read_stats(path: Path) -> list[dict[str, Any]]:
    with path.open() as f:
        return [
            {
                "kind": row["Name"],
                "count": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                "p50_ms": float(row["50%"] or 0),
                "p95_ms": float(row["95%"] or 0),
                "max_ms": float(row["Max Response Time"] or 0),
            }
            for row in csv.DictReader(f)
        ]


def table(levels: list[dict[str, Any]]) -> str:
    lines = ["| users | request | count | errors | p50 ms | p95 ms |", "|---|---|---|---|---|---|"]
    for level in levels:
        for r in level["requests"]:
            lines.append(
                f"| {level['users']} | {r['kind']} | {r['count']} | {r['failures']} | "
                f"{r['p50_ms']:.0f} | {r['p95_ms']:.0f} |"
            )
    return "\n".join(lines)


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--worker":
        run_worker(sys.argv[2], sys.argv[3])
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", default="1,10,50")
    parser.add_argument("--run-time", default="45s")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--db", default=None)
    parser.add_argument("--max-queued-jobs", type=int, default=20)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="pushup-load-") as tmp_name:
        tmp = Path(tmp_name)
        args.db = args.db or f"sqlite:///{tmp / 'load.db'}"
        env, port = prepare(tmp), free_port()
        procs = start_server(args, tmp, port)
        try:
            levels = []
            for users in [int(u) for u in args.users.split(",")]:
                levels.append(run_level(args, users, port, tmp, env))
                drain(args.db)
        finally:
            for proc in procs:
                proc.terminate()
            for proc in procs:
                proc.wait(timeout=60)
    result = {"workers": args.workers, "max_queued_jobs": args.max_queued_jobs, "levels": levels}
    result["db"] = args.db.split(":")[0]
    if args.out:
        args.out.write_text(json.dumps(result, indent=2) + "\n")
    print(table(levels))
    for level in levels:
        print(
            f"{level['users']} users: {level['analyses_done']} analyses done, "
            f"{level['analyses_failed']} failed, {level['queued_at_end']} queued at the end"
        )


if __name__ == "__main__":
    main()
