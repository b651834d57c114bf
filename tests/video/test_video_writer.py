"""VideoWriter: H.264/yuv420p MP4 whose frame times and duration match the input's."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import av
import numpy as np
import pytest

from pushup_coach.errors import VideoError
from pushup_coach.video.writer import VideoWriter


def _vfr_times_s(n: int, start_s: float = 0.0) -> np.ndarray:
    """Frame times with gaps between 20 and 60 ms, like a phone's variable frame rate."""
    gaps = np.random.default_rng(7).uniform(0.02, 0.06, n - 1)
    return start_s + np.concatenate([[0.0], np.cumsum(gaps)])


def _write(path: Path, times_s: np.ndarray, size_hw: tuple[int, int]) -> None:
    with VideoWriter(path, fps_hint=30.0) as writer:
        for i, t in enumerate(times_s):
            image = np.zeros((*size_hw, 3), dtype=np.uint8)
            image[:, : (i * 3) % size_hw[1]] = (200, 60, 30)
            writer.write(image, float(t))


def _probe(path: Path) -> dict[str, object]:
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        times = [float(f.pts * f.time_base) for f in container.decode(stream)]
        assert stream.duration is not None
        return {
            "codec": stream.codec_context.name,
            "pix_fmt": stream.codec_context.pix_fmt,
            "size_wh": (stream.codec_context.width, stream.codec_context.height),
            "times_s": np.array(times),
            "duration_s": float(stream.duration * stream.time_base),
        }


@pytest.mark.parametrize(
    ("size_hw", "start_s", "expected_wh"),
    [
        ((48, 64), 0.0, (64, 48)),
        ((47, 63), 0.0, (64, 48)),  # odd sizes are padded by one pixel
        ((48, 64), 2.5, (64, 48)),  # a clip cut from the middle keeps its absolute times
    ],
)
def test_vfr_frames_keep_their_times_and_duration(
    tmp_path: Path, size_hw: tuple[int, int], start_s: float, expected_wh: tuple[int, int]
) -> None:
    times_s = _vfr_times_s(30, start_s)
    path = tmp_path / "out.mp4"
    _write(path, times_s, size_hw)
    info = _probe(path)
    assert info["codec"] == "h264"
    assert info["pix_fmt"] == "yuv420p"
    assert info["size_wh"] == expected_wh
    decoded = info["times_s"]
    assert isinstance(decoded, np.ndarray)
    assert decoded.shape == (30,)
    np.testing.assert_allclose(decoded, times_s, atol=1e-4)
    last_gap_s = float(np.median(np.diff(times_s)))
    expected_duration_s = times_s[-1] - times_s[0] + last_gap_s
    assert info["duration_s"] == pytest.approx(expected_duration_s, abs=1e-3)


def test_moov_atom_comes_first_so_browsers_can_stream(tmp_path: Path) -> None:
    path = tmp_path / "out.mp4"
    _write(path, _vfr_times_s(5), (32, 32))
    data = path.read_bytes()
    assert 0 <= data.find(b"moov") < data.find(b"mdat")


def test_single_frame_lasts_one_nominal_frame(tmp_path: Path) -> None:
    path = tmp_path / "one.mp4"
    with VideoWriter(path, fps_hint=25.0) as writer:
        writer.write(np.zeros((16, 16, 3), np.uint8), 0.0)
    assert _probe(path)["duration_s"] == pytest.approx(0.04, abs=1e-4)


@pytest.mark.parametrize(
    ("frames", "message"),
    [
        (
            [((16, 16, 3), 0.0), ((16, 16, 3), 0.0)],
            "frame times must increase: got t=0.000000 s after t=0.000000 s",
        ),
        (
            [((16, 16, 3), 0.0), ((16, 18, 3), 0.1)],
            "every frame must have the same size: expected (16, 16) (w, h) but got (18, 16)",
        ),
        (
            [((16, 16), 0.0)],
            "frames must be RGB uint8 arrays of shape (H, W, 3), got uint8 (16, 16)",
        ),
    ],
)
def test_bad_frames_raise_video_error_and_leave_no_file(
    tmp_path: Path, frames: list[tuple[tuple[int, ...], float]], message: str
) -> None:
    path = tmp_path / "bad.mp4"
    with pytest.raises(VideoError) as info, VideoWriter(path) as writer:
        for shape, t in frames:
            writer.write(np.zeros(shape, np.uint8), t)
    assert message in str(info.value)
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_no_frames_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(VideoError, match="no frames to write to"), VideoWriter(tmp_path / "x.mp4"):
        pass
    assert list(tmp_path.iterdir()) == []


def test_unwritable_folder_is_a_video_error(tmp_path: Path) -> None:
    path = tmp_path / "missing" / "x.mp4"
    with pytest.raises(VideoError) as info, VideoWriter(path) as writer:
        writer.write(np.zeros((16, 16, 3), np.uint8), 0.0)
    assert str(info.value) == (
        f"could not create the video {path}: folder {path.parent} does not exist"
    )


def test_write_after_close_is_an_error(tmp_path: Path) -> None:
    writer = VideoWriter(tmp_path / "x.mp4")
    writer.write(np.zeros((16, 16, 3), np.uint8), 0.0)
    writer.close()
    with pytest.raises(VideoError, match="already closed"):
        writer.write(np.zeros((16, 16, 3), np.uint8), 0.1)


def test_an_error_in_the_caller_leaves_no_file_and_propagates(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError, match="pose failed"), VideoWriter(tmp_path / "x.mp4") as w:
        w.write(np.zeros((16, 16, 3), np.uint8), 0.0)
        w.write(np.zeros((16, 16, 3), np.uint8), 0.1)
        raise RuntimeError("pose failed")
    assert list(tmp_path.iterdir()) == []


def test_close_twice_keeps_the_video(tmp_path: Path) -> None:
    writer = VideoWriter(tmp_path / "x.mp4")
    writer.write(np.zeros((16, 16, 3), np.uint8), 0.0)
    writer.close()
    writer.close()
    writer.abort()
    assert [p.name for p in tmp_path.iterdir()] == ["x.mp4"]


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
PLAYER_HTML = """<!DOCTYPE html><html><body>
<video id="v" src="out.mp4" muted></video><p id="s">-</p>
<script>
const v = document.getElementById("v"), s = document.getElementById("s");
v.addEventListener("loadedmetadata", () => {
  s.textContent = `duration ${v.duration.toFixed(3)} size ${v.videoWidth}x${v.videoHeight}`;
});
v.addEventListener("error", () => { s.textContent = `error ${v.error.code}`; });
</script></body></html>"""


@pytest.mark.skipif(CHROMIUM is None, reason="needs headless Chromium (apt-get install chromium)")
def test_chromium_plays_the_video(tmp_path: Path) -> None:
    times_s = _vfr_times_s(30)
    _write(tmp_path / "out.mp4", times_s, (47, 63))
    page = tmp_path / "player.html"
    page.write_text(PLAYER_HTML)
    assert CHROMIUM is not None
    command = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        f"--user-data-dir={tmp_path / 'profile'}",
        "--virtual-time-budget=5000",
        "--dump-dom",
        page.as_uri(),
    ]
    dom = subprocess.run(command, check=True, timeout=120, capture_output=True, text=True).stdout
    duration_s = times_s[-1] + float(np.median(np.diff(times_s)))
    assert f'<p id="s">duration {duration_s:.3f} size 64x48</p>' in dom
