"""Milliseconds per frame for decoding alone and decoding + MediaPipe pose, one process.

Run: .venv/bin/python benchmarks/decode_pose.py [clip ...]  (default: two real clips from
../shared/data/pushup-clips). Decoding includes the conversion to upright RGB; the pose figure
includes decoding and a fresh MediaPipePose per clip (its ~1 s start-up excluded).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from pushup_coach.pose import MediaPipePose, estimate_series
from pushup_coach.video import iter_frames, probe_video

CLIPS = Path(__file__).resolve().parents[2] / "shared" / "data" / "pushup-clips"
DEFAULT = [CLIPS / "calimiro" / "push-up_1.mp4", CLIPS / "calimiro" / "videoplayback.mp4"]


def ms_per_frame(path: Path) -> tuple[int, float, float, float]:
    """(frames, decode ms/frame, decode + pose ms/frame, fraction of frames with a person)."""
    info = probe_video(path)
    start = time.perf_counter()
    n_frames = sum(1 for _ in iter_frames(path))
    decode_ms = (time.perf_counter() - start) * 1000 / n_frames
    backend = MediaPipePose()
    start = time.perf_counter()
    series = estimate_series(iter_frames(path), backend, (info.width, info.height))
    pose_ms = (time.perf_counter() - start) * 1000 / len(series)
    backend.close()
    return n_frames, decode_ms, pose_ms, float(series.present.mean())


def main(paths: list[Path]) -> None:
    print(
        "| clip | size | frames | decode ms/frame | decode + pose ms/frame | x real time | person |"
    )
    print("|---|---|---|---|---|---|---|")
    for path in paths:
        info = probe_video(path)
        n_frames, decode_ms, pose_ms, coverage = ms_per_frame(path)
        realtime = 1000 / info.fps / pose_ms
        print(
            f"| {path.name} | {info.width}x{info.height} | {n_frames} | {decode_ms:.1f} | "
            f"{pose_ms:.1f} | {realtime:.2f} | {coverage:.1%} |"
        )


if __name__ == "__main__":
    main([Path(p) for p in sys.argv[1:]] or DEFAULT)
