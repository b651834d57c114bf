"""Legacy graph vs Tasks API on the same frames, with a bundle built from the wheel's own models.

    python benchmarks/tasks_api.py [--clip PATH] [--seconds 40]

MediaPipe's Tasks API (``PoseLandmarker``) needs a ``.task`` bundle; mediapipe 0.10.14 ships only
the two tflite files of the legacy graph. This script assembles the bundle in a temporary folder
(the float models get the input-normalisation metadata the Tasks API reads: detector mean/std
127.5, landmarks mean 0 std 255, written by mediapipe's own metadata writers; the files stay under
their Apache-2.0 licence), then times both APIs in video mode on the same decoded frames, one
process, and prints ms a frame and how far apart their landmarks are. Nothing is downloaded.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
import zipfile
from pathlib import Path

import numpy as np

from pushup_coach.pose.mediapipe_backend import MediaPipePose, quiet_stderr
from pushup_coach.types import Frame
from pushup_coach.video import VideoFile

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CLIP = ROOT.parent / "shared" / "data" / "pushup-clips" / "calimiro" / "videoplayback.mp4"
# (file in the wheel, name in the bundle, normalisation mean, std, number of output tensors)
MODELS = [
    ("pose_detection/pose_detection.tflite", "pose_detector.tflite", 127.5, 127.5, 2),
    ("pose_landmark/pose_landmark_full.tflite", "pose_landmarks_detector.tflite", 0.0, 255.0, 5),
]


def build_bundle(target: Path) -> Path:
    """Write ``pose_landmarker_full.task`` from the wheel's models (deterministic zip)."""
    import mediapipe
    from mediapipe.tasks.python.metadata.metadata_writers import metadata_writer

    modules = Path(mediapipe.__file__).parent / "modules"
    with zipfile.ZipFile(target, "w") as bundle:
        for source, name, mean, std, n_outputs in MODELS:
            writer = metadata_writer.MetadataWriter.create((modules / source).read_bytes())
            writer.add_general_info(name, "BlazePose from the mediapipe 0.10.14 wheel")
            writer.add_image_input(norm_mean=[mean], norm_std=[std])
            for k in range(n_outputs):
                writer.add_feature_output(name=f"output_{k}")
            model, _ = writer.populate()
            bundle.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), model)
    return target


def time_legacy(frames: list[Frame]) -> tuple[list[float], list[np.ndarray | None]]:
    backend = MediaPipePose()
    times, out = [], []
    for frame in frames:
        start = time.perf_counter()
        out.append(backend.estimate(frame))
        times.append(time.perf_counter() - start)
    backend.close()
    return times, out


def time_tasks(frames: list[Frame], bundle: Path) -> tuple[list[float], list[np.ndarray | None]]:
    import mediapipe as mp
    from mediapipe.tasks.python import BaseOptions, vision

    options = vision.PoseLandmarkerOptions(
        base_options=BaseOptions(model_asset_path=str(bundle)),
        running_mode=vision.RunningMode.VIDEO,
        num_poses=1,
    )
    with quiet_stderr():
        landmarker = vision.PoseLandmarker.create_from_options(options)
    times, out = [], []
    for frame in frames:
        image = mp.Image(image_format=mp.ImageFormat.SRGB, data=frame.image)
        start = time.perf_counter()
        result = landmarker.detect_for_video(image, round(frame.t_s * 1000))
        times.append(time.perf_counter() - start)
        points = result.pose_landmarks[0] if result.pose_landmarks else None
        out.append(
            None
            if points is None
            else np.array([(p.x, p.y, p.z, p.visibility or 0.0) for p in points])
        )
    landmarker.close()
    return times, out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--clip", type=Path, default=DEFAULT_CLIP)
    ap.add_argument("--seconds", type=float, default=40.0)
    args = ap.parse_args()
    with VideoFile(args.clip) as video:
        frames = list(video.frames(end_s=args.seconds))
        width, height = video.info.width, video.info.height
    with tempfile.TemporaryDirectory() as tmp:
        bundle = build_bundle(Path(tmp) / "pose_landmarker_full.task")
        legacy_s, legacy = time_legacy(frames)
        tasks_s, tasks = time_tasks(frames, bundle)
    both = [(a, b) for a, b in zip(legacy, tasks, strict=True) if a is not None and b is not None]
    px = [
        float(np.median(np.hypot((a[:, 0] - b[:, 0]) * width, (a[:, 1] - b[:, 1]) * height)))
        for a, b in both
    ]
    print(f"{args.clip.name}: {len(frames)} frames {width}x{height}")
    print(f"legacy graph: median {1000 * statistics.median(legacy_s):.2f} ms a frame")
    print(f"Tasks API:    median {1000 * statistics.median(tasks_s):.2f} ms a frame")
    print(f"landmarks apart: median {statistics.median(px):.1f} px over {len(both)} frames")


if __name__ == "__main__":
    main()
