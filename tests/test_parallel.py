"""Parallel pose over segments: exact stitching (replay backend), clean errors, same answers.

The replay backend returns stored landmarks for each frame time, so stitching can be checked
exactly without the model; the real-clip tests check that the model gives the same reps and
faults with two workers as with one.
"""

from __future__ import annotations

import functools
import json
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from pushup_coach.analysis import _auto_workers, analyze_file
from pushup_coach.errors import PoseBackendError, VideoError
from pushup_coach.pose import ReplayBackend, landmarks_from_video
from pushup_coach.pose.parallel import (
    Segment,
    default_workers,
    landmarks_parallel,
    split_segments,
)
from pushup_coach.types import PoseSeries
from real_clips import analysed, faults_found, needs_clips
from synthetic_pushups import pushup_series, write_timed_video


@pytest.mark.parametrize(
    ("duration_s", "workers", "expected"),
    [
        (10.0, 1, [Segment(0, 0.0, None, 0.0)]),
        # the second worker also poses 1 s of warm-up, so its own part is 1 s shorter
        (10.0, 2, [Segment(0, 0.0, 5.5, 0.0), Segment(1, 5.5, None, 4.5)]),
        # too short to balance (each part would be under the warm-up): equal parts
        (
            0.9,
            3,
            [Segment(0, 0.0, 0.3, 0.0), Segment(1, 0.3, 0.6, 0.3), Segment(2, 0.6, None, 0.6)],
        ),
    ],
)
def test_split_segments(duration_s: float, workers: int, expected: list[Segment]) -> None:
    assert split_segments(duration_s, workers) == pytest.approx(expected)


@pytest.mark.parametrize(("duration_s", "workers"), [(11.0, 2), (60.0, 3), (1800.0, 2)])
def test_segments_are_contiguous_and_pose_equal_lengths(duration_s: float, workers: int) -> None:
    segments = split_segments(duration_s, workers)
    assert segments[0].start_s == 0.0 and segments[-1].end_s is None
    assert [s.end_s for s in segments[:-1]] == [s.start_s for s in segments[1:]]
    posed = [(s.end_s or duration_s) - s.warm_s for s in segments]
    assert posed == pytest.approx([posed[0]] * workers)


@pytest.fixture(scope="module")
def replay_clip(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, PoseSeries]:
    series = pushup_series(reps=4)  # 12 s, 360 frames
    path = write_timed_video(tmp_path_factory.mktemp("clip") / "synthetic.mp4", series.t_s)
    return path, series


@pytest.mark.parametrize(
    ("workers", "rate_hz", "n_posed"),
    [(2, 0.0, 360), (3, 0.0, 360), (2, 15.0, 181), (3, 15.0, 181)],  # 15 Hz: even frames + last
)
def test_stitched_series_equals_single_pass(
    replay_clip: tuple[Path, PoseSeries], workers: int, rate_hz: float, n_posed: int
) -> None:
    path, series = replay_clip
    factory = functools.partial(ReplayBackend, series)
    _, single, _ = landmarks_from_video(path, factory, rate_hz=rate_hz)
    ticks: list[int] = []
    info, stitched, notes = landmarks_parallel(
        path, factory, workers, ticks.append, rate_hz=rate_hz
    )
    assert len(stitched) == len(single) == n_posed
    np.testing.assert_array_equal(stitched.t_s, single.t_s)
    np.testing.assert_array_equal(stitched.landmarks, single.landmarks)
    assert stitched.size_wh == (info.width, info.height) == (64, 48)
    assert notes == []  # the skipped frames count as decoded: the file is complete
    assert ticks[-1] == n_posed - 1
    assert ticks == sorted(ticks)


def test_analyze_file_with_workers_matches_one(replay_clip: tuple[Path, PoseSeries]) -> None:
    path, series = replay_clip
    factory = functools.partial(ReplayBackend, series)
    one = analyze_file(path, backend_factory=factory, workers=1).report
    two = analyze_file(path, backend_factory=factory, workers=2).report
    assert two.to_dict() == one.to_dict()
    assert one.rep_count == 4


def test_worker_error_comes_back_as_one_line(
    replay_clip: tuple[Path, PoseSeries], tmp_path: Path
) -> None:
    path, series = replay_clip
    early = PoseSeries(series.t_s[:30], series.landmarks[:30], series.size_wh)
    with pytest.raises(PoseBackendError) as caught:
        landmarks_parallel(path, functools.partial(ReplayBackend, early), 2)
    assert str(caught.value).startswith("replayed landmarks have no frame near t=")
    assert "\n" not in str(caught.value)


def test_unreadable_video_is_a_video_error(tmp_path: Path) -> None:
    broken = tmp_path / "broken.mp4"
    broken.write_bytes(b"not a video at all")
    with pytest.raises(VideoError, match="could not be opened as a video"):
        landmarks_parallel(broken, ReplayBackend, 2)


@needs_clips
@pytest.mark.model
@pytest.mark.realdata
@pytest.mark.parametrize("clip", ["calimiro/videoplayback.mp4", "calimiro/push-up_1.mp4"])
def test_two_workers_give_the_same_answers_on_real_clips(clip: str) -> None:
    one, two = analysed(clip, 1), analysed(clip, 2)
    assert len(two.series) == len(one.series)
    np.testing.assert_array_equal(two.series.t_s, one.series.t_s)
    a, b = one.report.to_dict(), two.report.to_dict()
    assert (b["rep_count"], faults_found(b), b["view"]) == (
        a["rep_count"],
        faults_found(a),
        a["view"],
    )


MEMORY_PROBE = """
import functools, json, resource, sys
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from synthetic_pushups import pushup_series
from pushup_coach.analysis import analyze_file
from pushup_coach.config import DEFAULT_CONFIG
from pushup_coach.pose import ReplayBackend

series = pushup_series(reps=int(sys.argv[3]))
analysis = analyze_file(
    sys.argv[2],
    DEFAULT_CONFIG.replace(pose_rate_hz=0),  # every frame: the most landmarks to hold
    backend_factory=functools.partial(ReplayBackend, series),
    workers=int(sys.argv[4]),
)
print(json.dumps({
    "frames": len(analysis.series),
    "self_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    "children_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
}))
"""


@pytest.fixture(scope="module")
def short_and_long(tmp_path_factory: pytest.TempPathFactory) -> dict[int, Path]:
    """3 s and 2 minutes of 320x240 frames, keyed by their number of reps."""
    folder = tmp_path_factory.mktemp("memory")
    return {
        reps: write_timed_video(
            folder / f"{reps}.mp4", pushup_series(reps=reps).t_s, size_wh=(320, 240)
        )
        for reps in (1, 58)
    }


def _peak_memory(path: Path, reps: int, workers: int) -> dict[str, float]:
    here = str(Path(__file__).parent)
    args = [sys.executable, "-c", MEMORY_PROBE, here, str(path), str(reps), str(workers)]
    done = subprocess.run(args, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.splitlines()[-1])


@pytest.mark.parametrize("workers", [1, 2])
def test_peak_memory_does_not_grow_with_video_length(
    short_and_long: dict[int, Path], workers: int
) -> None:
    # Keeping the frames would cost 230 KB each (800 MB for the long clip); what may grow is the
    # landmarks and features, about 1 KB a frame for each copy of them.
    short, long = (_peak_memory(path, reps, workers) for reps, path in short_and_long.items())
    assert long["frames"] - short["frames"] == 57 * 60
    allowed_mb = 8 * (long["frames"] - short["frames"]) * 33 * 4 * 8 / 2**20 + 30
    for key in ("self_mb", "children_mb"):
        assert long[key] - short[key] < allowed_mb, (key, short, long)


@pytest.mark.parametrize(
    ("seconds", "custom_backend", "expected"),
    [(12.0, False, default_workers()), (6.0, False, 1), (12.0, True, 1)],
)
def test_workers_default_to_one_per_core_for_long_videos(
    tmp_path: Path, seconds: float, custom_backend: bool, expected: int
) -> None:
    path = write_timed_video(tmp_path / "clip.mp4", np.arange(round(seconds * 30)) / 30)
    factory = ReplayBackend if custom_backend else None
    assert _auto_workers(path, factory) == expected


ORPHAN_PROBE = r"""
import functools, sys, time
sys.path.insert(0, sys.argv[1])
from pathlib import Path
from pushup_coach.pose import ReplayBackend
from pushup_coach.pose.parallel import landmarks_parallel
from synthetic_pushups import pushup_series


class SlowReplay(ReplayBackend):
    def estimate(self, frame):
        time.sleep(0.5)  # slow enough that killing the parent lands mid-segment
        return super().estimate(frame)


if __name__ == "__main__":
    series = pushup_series(reps=4)
    print("started", flush=True)
    landmarks_parallel(Path(sys.argv[2]), functools.partial(SlowReplay, series), 2)
"""


def _children_of(pid: int) -> set[int]:
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == pid:
            found.add(int(stat.parent.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc to find the workers")
def test_workers_exit_when_the_parent_is_killed(
    replay_clip: tuple[Path, PoseSeries], tmp_path: Path
) -> None:
    path, _ = replay_clip
    script = tmp_path / "probe.py"
    script.write_text(ORPHAN_PROBE)
    here = str(Path(__file__).parent)
    parent = subprocess.Popen(
        [sys.executable, str(script), here, str(path)], stdout=subprocess.PIPE, text=True
    )
    assert parent.stdout is not None and parent.stdout.readline() == "started\n"
    workers: set[int] = set()
    for _ in range(600):  # the workers appear once spawned (bounded wait, not a speed claim)
        workers = {p for p in _children_of(parent.pid) if "spawn_main" in _cmdline(p)}
        if len(workers) == 2:
            break
        time.sleep(0.1)
    assert len(workers) == 2
    parent.kill()  # SIGKILL: no clean-up runs in the parent
    parent.wait()
    for _ in range(600):
        if not any(_alive(p) for p in workers):
            break
        time.sleep(0.1)
    assert not any(_alive(p) for p in workers), "orphaned pose workers kept running"


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""
