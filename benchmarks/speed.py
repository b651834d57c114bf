"""Speed, memory and live latency of pushup-coach on this machine, as ratios from one run.

Run: .venv/bin/python benchmarks/speed.py [--quick]
Writes docs/performance.md and docs/performance.json. Inputs are built in a temporary folder
from ../shared/data/pushup-clips (the 1080p calimiro clips joined into one ~2 min clip; the 55 s
videoplayback clip looped to 30 minutes) and deleted afterwards. ``--quick`` shortens every
input for a smoke run; its figures are not the ones to publish.

Figures: (a) the naive loop (cv2.VideoCapture -> legacy MediaPipe per frame -> elbow angle);
(b) model-only frames/s on pre-decoded frames, one process; (c) ``pushup-coach analyze --json``
(default: 15 poses a second; and with every frame posed);
(d) the same with ``--overlay``; (e) peak memory of ``analyze`` on the 30-minute video;
(f) ``pushup-coach live --source`` at real pace: latency and dropped frames.
"""

from __future__ import annotations

import argparse
import json
import platform
import subprocess
import sys
import tempfile
import threading
import time
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np

from clips import concatenate, loop_to_length
from speed_report import write_report

ROOT = Path(__file__).resolve().parents[1]
CLIPS = ROOT.parent / "shared" / "data" / "pushup-clips" / "calimiro"
CLI = [sys.executable, "-m", "pushup_coach"]
MODEL_ONLY_FRAMES = 150
NAIVE_FRAMES = 600


def machine() -> dict[str, Any]:
    """CPU model, cores, RAM, load and the versions that matter for speed."""
    cpu = next(
        (line.split(":", 1)[1].strip() for line in _read("/proc/cpuinfo") if "model name" in line),
        platform.processor(),
    )
    ram_kb = next(
        (int(line.split()[1]) for line in _read("/proc/meminfo") if "MemTotal" in line), 0
    )
    versions = {
        name: _version(name) for name in ("mediapipe", "numpy", "av", "opencv-contrib-python")
    }
    return {
        "cpu": cpu,
        "cores": len(__import__("os").sched_getaffinity(0)),
        "ram_gb": round(ram_kb / 1024**2, 1),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "load_average_at_start": [round(x, 2) for x in __import__("os").getloadavg()],
        **versions,
    }


def _read(path: str) -> list[str]:
    try:
        return Path(path).read_text().splitlines()
    except OSError:
        return []


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


def build_inputs(folder: Path, quick: bool) -> dict[str, Path]:
    """The 1080p clip, a 30 s 1080p clip for live, and the long low-resolution clip."""
    sources = sorted(CLIPS.glob("push-up_*.mp4"), key=lambda p: int(p.stem.split("_")[1]))
    return {
        "hd": concatenate(sources, folder / "hd.mp4", max_s=20 if quick else None),
        "live": concatenate(sources, folder / "live.mp4", max_s=10 if quick else 30),
        "long": loop_to_length(
            CLIPS / "videoplayback.mp4", folder / "long.mp4", 2 if quick else 30
        ),
    }


def naive_loop(path: Path, n_frames: int) -> dict[str, float]:
    """cv2.VideoCapture -> BGR2RGB -> legacy Pose.process -> elbow angle, one frame at a time."""
    import cv2
    from mediapipe.python.solutions import pose as mp_pose

    capture = cv2.VideoCapture(str(path))
    pose = mp_pose.Pose(model_complexity=1)
    angles = []
    start = time.perf_counter()
    done = 0
    while done < n_frames:
        ok, bgr = capture.read()
        if not ok:
            break
        result = pose.process(cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB))
        if result.pose_landmarks is not None:
            p = result.pose_landmarks.landmark
            a, b, c = (np.array([p[k].x, p[k].y]) for k in (11, 13, 15))
            cos = np.dot(a - b, c - b) / (np.linalg.norm(a - b) * np.linalg.norm(c - b))
            angles.append(float(np.degrees(np.arccos(np.clip(cos, -1, 1)))))
        done += 1
    elapsed_s = time.perf_counter() - start
    pose.close()
    capture.release()
    return {"frames": done, "seconds": elapsed_s, "fps": done / elapsed_s}


def model_only(path: Path, n_frames: int) -> dict[str, float]:
    """Frames/s of MediaPipePose.estimate alone on frames decoded beforehand (one process)."""
    from pushup_coach.pose import MediaPipePose
    from pushup_coach.video.source import VideoFile

    # Decoded as a pose worker decodes: on its own thread, deblocking skipped at 1080p.
    with VideoFile(path, threaded=False, for_pose=True) as video:
        frames = []
        for frame in video.frames():
            frames.append(frame)
            if len(frames) == n_frames:
                break
        start = time.perf_counter()
        sum(1 for _ in video.frames(end_s=frames[-1].t_s + 1e-6))
        decode_ms = (time.perf_counter() - start) * 1000 / len(frames)
    backend = MediaPipePose()
    backend.estimate(frames[0])  # graph start-up is not per-frame cost
    times = []
    cpu_start = time.process_time()  # all threads: MediaPipe runs graph nodes on a thread pool
    for frame in frames[1:]:
        t0 = time.perf_counter()
        backend.estimate(frame)
        times.append(time.perf_counter() - t0)
    cpu_ms = (time.process_time() - cpu_start) * 1000 / len(times)
    backend.close()
    ms = np.array(times) * 1000
    return {
        "frames": len(times),
        "fps": 1000 / float(ms.mean()),
        "ms_median": float(np.median(ms)),
        "cpu_ms": cpu_ms,
        "decode_ms": decode_ms,
    }


def run_cli(args: list[str], pss_every_s: float = 1.0) -> dict[str, float]:
    """Wall time and peak memory of one CLI run (largest process, and the whole process tree).

    Reading PSS walks every mapping of every process (measured: sampling it every 0.2 s slowed
    the 1080p analysis by about 0.6 s of 17), so timed runs sample it every ``pss_every_s``.
    """
    start = time.perf_counter()
    process = subprocess.Popen([*CLI, *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = _TreeRss(process.pid, pss_every_s)
    peak.start()
    _, err = process.communicate()
    elapsed_s = time.perf_counter() - start
    peak.stop()
    if process.returncode:
        raise RuntimeError(f"{' '.join(args)} failed: {err.decode()[-2000:]}")
    return {
        "seconds": elapsed_s,
        "peak_tree_pss_mb": peak.peak_pss_mb,
        "peak_tree_rss_mb": peak.peak_rss_mb,
        "peak_process_rss_mb": peak.peak_process_mb,
        "load_average_after": round(__import__("os").getloadavg()[0], 2),
    }


class _TreeRss(threading.Thread):
    """Samples a process tree's RSS from /proc every 0.2 s, and its PSS every ``pss_every_s``.

    PSS (proportional set size) shares each page among the processes mapping it, so the summed
    PSS of the tree is what the tree costs; summed RSS counts shared libraries once per process.
    """

    def __init__(self, pid: int, pss_every_s: float) -> None:
        super().__init__(daemon=True)
        self.pid, self._done = pid, threading.Event()
        self._pss_every = max(1, round(pss_every_s / 0.2))
        self.peak_pss_mb = self.peak_rss_mb = self.peak_process_mb = 0.0

    def run(self) -> None:
        tick = 0
        while not self._done.wait(0.2):
            pids = _tree(self.pid)
            rss = [_status_mb(p, "VmRSS:") for p in pids]
            self.peak_rss_mb = max(self.peak_rss_mb, sum(rss))
            self.peak_process_mb = max(self.peak_process_mb, max(rss, default=0.0))
            tick += 1
            if tick % self._pss_every == 0:
                self.peak_pss_mb = max(self.peak_pss_mb, sum(_pss_mb(p) for p in pids))

    def stop(self) -> None:
        self._done.set()
        self.join()


def _tree(pid: int) -> list[int]:
    """``pid`` and all its descendants, from /proc/PID/task/TID/children."""
    pids, todo = [], [pid]
    while todo:
        p = todo.pop()
        pids.append(p)
        for children in Path(f"/proc/{p}/task").glob("*/children"):
            todo.extend(int(c) for line in _read(str(children)) for c in line.split())
    return pids


def _status_mb(pid: int, key: str) -> float:
    for line in _read(f"/proc/{pid}/status"):
        if line.startswith(key):
            return int(line.split()[1]) / 1024
    return 0.0


def _pss_mb(pid: int) -> float:
    for line in _read(f"/proc/{pid}/smaps_rollup"):
        if line.startswith("Pss:"):
            return int(line.split()[1]) / 1024
    return 0.0


def analyze(
    path: Path,
    out: Path,
    extra: list[str],
    duration_s: float,
    n_frames: int,
    pss_every_s: float = 1.0,
) -> dict:
    """``pushup-coach analyze PATH --json`` (+ ``extra``): wall time, fps, x real time, memory."""
    result = run_cli(["analyze", str(path), "--json", str(out), "-q", *extra], pss_every_s)
    report = json.loads(out.read_text())
    return {
        **result,
        "fps": n_frames / result["seconds"],
        "x_real_time": duration_s / result["seconds"],
        "rep_count": report["rep_count"],
    }


def live(path: Path, out: Path) -> dict[str, Any]:
    run_cli(["live", "--source", str(path), "--headless", "--json", str(out)])
    return json.loads(out.read_text())["live"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="short inputs, for a smoke run")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "performance.md")
    parser.add_argument(
        "--from-json", type=Path, help="only rewrite the page from a saved performance.json"
    )
    options = parser.parse_args()
    if options.from_json:
        write_report(json.loads(options.from_json.read_text()), options.out)
        return
    if not CLIPS.is_dir():
        sys.exit(f"the shared clips are not at {CLIPS}")
    results: dict[str, Any] = {"machine": machine(), "quick": options.quick}
    from pushup_coach.video.source import probe_video

    with tempfile.TemporaryDirectory(prefix="pushup-speed-") as tmp:
        folder = Path(tmp)
        inputs = build_inputs(folder, options.quick)
        hd, long = probe_video(inputs["hd"]), probe_video(inputs["long"])
        results["inputs"] = {
            "hd": {
                "size": f"{hd.width}x{hd.height}",
                "fps": hd.fps,
                "seconds": hd.duration_s,
                "frames": hd.n_frames,
            },
            "long": {
                "size": f"{long.width}x{long.height}",
                "fps": long.fps,
                "seconds": long.duration_s,
                "frames": long.n_frames,
            },
        }
        steps = [
            ("naive", lambda: naive_loop(inputs["hd"], NAIVE_FRAMES)),
            ("model_only", lambda: model_only(inputs["hd"], MODEL_ONLY_FRAMES)),
            (
                "analyze",
                lambda: analyze(
                    inputs["hd"], folder / "a.json", [], hd.duration_s, hd.n_frames or 0
                ),
            ),
            (
                "analyze_every_frame",
                lambda: analyze(
                    inputs["hd"],
                    folder / "a0.json",
                    ["--set", "pose_rate_hz=0"],
                    hd.duration_s,
                    hd.n_frames or 0,
                ),
            ),
            (
                "analyze_1_worker",
                lambda: analyze(
                    inputs["hd"],
                    folder / "a1.json",
                    ["--workers", "1"],
                    hd.duration_s,
                    hd.n_frames or 0,
                ),
            ),
            (
                "overlay",
                lambda: analyze(
                    inputs["hd"],
                    folder / "o.json",
                    ["--overlay", str(folder / "o.mp4")],
                    hd.duration_s,
                    hd.n_frames or 0,
                ),
            ),
            (
                "long",
                lambda: analyze(  # the memory target: PSS every 0.2 s
                    inputs["long"], folder / "l.json", [], long.duration_s, long.n_frames or 0, 0.2
                ),
            ),
            ("live", lambda: live(inputs["live"], folder / "live.json")),
        ]
        for name, step in steps:
            print(f"{name} ...", file=sys.stderr, flush=True)
            load_before = round(__import__("os").getloadavg()[0], 2)
            results[name] = {**step(), "load_average_before": load_before}
            print(f"  {results[name]}", file=sys.stderr, flush=True)
    write_report(results, options.out)
    print(f"wrote {options.out} and {options.out.with_suffix('.json')}", file=sys.stderr)


if __name__ == "__main__":
    main()
