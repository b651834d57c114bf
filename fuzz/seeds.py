"""Seed inputs for the fuzz harnesses, written at run time (nothing binary is committed).

``python fuzz/seeds.py DIR`` writes them; the harnesses and ``fuzz/run.sh`` call
:func:`write_seeds` themselves.
"""

from __future__ import annotations

import io
import sys
import tempfile
from pathlib import Path

import numpy as np

from pushup_coach.pose.files import save_landmarks
from pushup_coach.types import PoseSeries, VideoInfo

DOC = Path(__file__).resolve().parents[1] / "docs" / "landmark-files.md"
INFO = VideoInfo(path="clip.mp4", width=640, height=480, fps=30.0, duration_s=0.2, n_frames=6)


def _series(n: int = 6) -> PoseSeries:
    rng = np.random.default_rng(3)
    landmarks = rng.uniform(0.0, 1.0, (n, 33, 4))
    landmarks[2] = np.nan
    return PoseSeries(t_s=np.arange(n) / 30.0, landmarks=landmarks, size_wh=(640, 480), source="s")


def landmark_seeds(suffix: str) -> dict[str, bytes]:
    """A few small valid landmark files of ``suffix`` (.csv or .npz), by name."""
    seeds: dict[str, bytes] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, info in (("with-info", INFO), ("no-info", None)):
            path = Path(tmp) / f"{name}{suffix}"
            save_landmarks(_series(), path, info)
            seeds[path.name] = path.read_bytes()
    if suffix == ".csv" and DOC.is_file():
        text = DOC.read_text(encoding="utf-8")
        start = text.index("```csv\n") + len("```csv\n")
        seeds["docs-example.csv"] = text[start : text.index("```", start)].encode()
    if suffix == ".npz":
        raw = io.BytesIO()
        np.save(raw, np.zeros(3))
        seeds["plain.npy.npz"] = raw.getvalue()
    return seeds


SETTINGS_SEEDS = {
    "one": b"hip_sag_dev=0.05",
    "two": b"pose_rate_hz=15\x00smoothing_cutoff_hz=nan",
    "size": b"\x01640x480",
}


def write_seeds(directory: Path, seeds: dict[str, bytes]) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    for name, data in seeds.items():
        (directory / name).write_bytes(data)
    return directory


if __name__ == "__main__":
    root = Path(sys.argv[1])
    write_seeds(root / "csv", landmark_seeds(".csv"))
    write_seeds(root / "npz", landmark_seeds(".npz"))
    write_seeds(root / "settings", SETTINGS_SEEDS)
