"""Decoding: real timestamps, rotation, segments, and clear errors for bad files."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest
from synthetic_video import WriteVideo, noise_images, write_video

from pushup_coach.errors import VideoError
from pushup_coach.types import VideoInfo
from pushup_coach.video import VideoFile, iter_frames, probe_video, upright_image
from pushup_coach.video.source import frame_rgb, frames_posed, pose_stride

KINDS = "mp4/mov/m4v/webm/mkv/avi"


def test_probe_reports_size_rate_duration_and_codec(make_video: WriteVideo) -> None:
    path = make_video("clip.mp4", 12, fps=30)
    assert probe_video(path) == VideoInfo(
        path=str(path),
        width=64,
        height=48,
        fps=30.0,
        duration_s=0.4,
        n_frames=12,
        rotation_deg=0,
        codec="h264",
    )


def test_frames_are_rgb_uint8_in_decode_order(tmp_path: Path) -> None:
    red = np.zeros((48, 64, 3), np.uint8)
    red[..., 0] = 200
    path = write_video(tmp_path / "red.mp4", [red] * 3)
    frames = list(iter_frames(path))
    assert [f.index for f in frames] == [0, 1, 2]
    assert frames[0].image.shape == (48, 64, 3)
    assert frames[0].image.dtype == np.uint8
    assert np.abs(frames[0].image.astype(int) - red).max() <= 8


def test_variable_frame_rate_times_come_from_the_container(make_video: WriteVideo) -> None:
    pts_ms = [0, 40, 70, 150, 160, 200]
    path = make_video("vfr.mp4", 6, pts_ms=pts_ms)
    assert [f.t_s for f in iter_frames(path)] == [0.0, 0.04, 0.07, 0.15, 0.16, 0.2]


@pytest.mark.parametrize(
    ("start_s", "end_s", "indices"),
    [
        (0.0, 0.2, [0, 1, 2, 3, 4, 5]),
        (0.5, 0.7, [15, 16, 17, 18, 19, 20]),  # after a seek to the key frame at 10 (gop 10)
        (1.9, None, [57, 58, 59]),
    ],
)
def test_segments_decode_their_own_frames(
    make_video: WriteVideo, start_s: float, end_s: float | None, indices: list[int]
) -> None:
    path = make_video("two_s.mp4", 60, fps=30, gop=10)
    frames = list(iter_frames(path, start_s=start_s, end_s=end_s))
    assert [f.index for f in frames] == indices
    assert [round(f.t_s * 1000) for f in frames] == [round(i * 1000 / 30) for i in indices]


@pytest.mark.parametrize(
    ("fps", "rate_hz", "stride"),
    [
        (29.97, 15.0, 2),
        (30.0, 15.0, 2),
        (25.0, 15.0, 1),
        (24.0, 15.0, 1),
        (15.0, 15.0, 1),
        (50.0, 15.0, 3),
        (59.94, 15.0, 4),
        (120.0, 15.0, 8),
        (60.0, 0.0, 1),
    ],
)
def test_pose_stride_keeps_at_least_the_rate(fps: float, rate_hz: float, stride: int) -> None:
    assert pose_stride(fps, rate_hz) == stride
    assert fps / stride >= min(rate_hz, fps) - 0.1


def test_stride_keeps_one_frame_per_slot_and_the_last(make_video: WriteVideo) -> None:
    path = make_video("ten.mp4", 10, fps=30)
    skipped: list[float] = []
    with VideoFile(path) as video:
        frames = list(video.frames(stride=2, on_skip=skipped.append))
    assert [f.index for f in frames] == [0, 2, 4, 6, 8, 9]
    assert [round(t * 30) for t in skipped] == [1, 3, 5, 7]
    with VideoFile(path) as video:
        assert [f.index for f in video.frames(stride=3)] == [0, 3, 6, 9]
    assert (frames_posed(10, 2), frames_posed(10, 3), frames_posed(10, 1)) == (6, 4, 10)


def test_strided_segment_picks_the_frames_of_a_single_pass(make_video: WriteVideo) -> None:
    path = make_video("two_s.mp4", 60, fps=30, gop=10)
    with VideoFile(path) as video:
        single = [f.index for f in video.frames(stride=2)]
        # A segment that starts on an odd frame (after a seek) keeps it, then falls in step.
        segment = [f.index for f in video.frames(start_s=0.5, end_s=1.0, stride=2)]
    assert single == [*range(0, 60, 2), 59]
    assert segment == [15, *range(16, 30, 2)]


def test_stride_on_variable_frame_rate_keeps_one_frame_per_slot(make_video: WriteVideo) -> None:
    # Nominal rate: 6 frames over 0.2 s; slots of 2 / fps seconds.
    pts_ms = [0, 40, 70, 150, 160, 200]
    path = make_video("vfr.mp4", 6, pts_ms=pts_ms)
    with VideoFile(path) as video:
        rate = video.info.fps / 2
        kept = [f.t_s for f in video.frames(stride=2)]
    slots = [int(t * rate + 0.25) for t in kept[:-1]]
    assert len(set(slots)) == len(slots) and kept[-1] == 0.2


# A 2 x 3 picture turned clockwise by rotation_deg.
@pytest.mark.parametrize(
    ("rotation_deg", "expected"),
    [
        (0, [[1, 2, 3], [4, 5, 6]]),
        (90, [[4, 1], [5, 2], [6, 3]]),
        (180, [[6, 5, 4], [3, 2, 1]]),
        (270, [[3, 6], [2, 5], [1, 4]]),
    ],
)
def test_upright_image_turns_clockwise(rotation_deg: int, expected: list[list[int]]) -> None:
    image = np.array([[1, 2, 3], [4, 5, 6]], dtype=np.uint8)[:, :, None].repeat(3, axis=2)
    turned = upright_image(image, rotation_deg)
    assert turned[:, :, 0].tolist() == expected
    assert turned.flags["C_CONTIGUOUS"]


def _portrait_with_marker() -> np.ndarray:
    """48 wide x 64 tall, white square in the top-left corner, the rest black."""
    image = np.zeros((64, 48, 3), np.uint8)
    image[:16, :16] = 255
    return image


# ``display_ccw`` is what a phone writes in the display matrix (av_display_rotation_get's sense);
# the stored picture is the upright one turned the other way, as a sensor would record it.
@pytest.mark.parametrize(
    ("display_ccw", "rotation_deg"),
    [(-90, 90), (90, 270), (180, 180), (0, 0)],
)
def test_rotated_video_decodes_upright(tmp_path: Path, display_ccw: int, rotation_deg: int) -> None:
    upright = _portrait_with_marker()
    stored = np.ascontiguousarray(np.rot90(upright, k=rotation_deg // 90))
    path = write_video(tmp_path / "phone.mp4", [stored] * 3, display_rotation_ccw_deg=display_ccw)
    info = probe_video(path)
    assert (info.width, info.height, info.rotation_deg) == (48, 64, rotation_deg)
    image = next(iter_frames(path)).image
    assert image.shape == (64, 48, 3)
    assert image[:16, :16].mean() > 200
    assert image[16:, :].mean() < 30


def test_truncated_file_keeps_the_frames_before_the_cut(make_video: WriteVideo) -> None:
    path = make_video("cut.mp4", 90, faststart=True)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    warnings: list[str] = []
    frames = list(iter_frames(path, warnings_out=warnings))
    assert 30 < len(frames) < 60
    assert warnings == [
        f"cut.mp4 ends early: decoded {len(frames)} of the 90 frames it declares (the file is "
        "probably truncated); only those frames were analysed"
    ]
    with VideoFile(path) as video:
        assert not video.truncated
        list(video.frames())
        assert video.truncated


def test_complete_file_has_no_warnings(make_video: WriteVideo) -> None:
    with VideoFile(make_video("ok.mp4", 20)) as video:
        assert len(list(video.frames())) == 20
        assert video.warnings == []
        assert not video.truncated


def _audio_only(path: Path) -> Path:
    with av.open(str(path), "w") as container:
        stream = container.add_stream("aac", rate=8000)
        for i in range(3):
            samples = np.zeros((1, 1024), np.float32)
            frame = av.AudioFrame.from_ndarray(samples, format="fltp", layout="mono")
            frame.sample_rate, frame.pts = 8000, i * 1024
            container.mux(stream.encode(frame))
        container.mux(stream.encode())
    return path


def _bad_file(tmp_path: Path, kind: str) -> tuple[Path, str]:
    """A broken input of the given kind and the exact message it must raise."""
    if kind == "missing":
        path = tmp_path / "nope.mp4"
        return path, f"no such file: {path}"
    if kind == "directory":
        return tmp_path, f"{tmp_path} is a directory; give the path of a video file inside it"
    if kind == "text":
        path = tmp_path / "notes.mp4"
        path.write_text("these are not frames\n")
    elif kind == "moov_cut":
        path = write_video(tmp_path / "moov.mp4", [np.zeros((48, 64, 3), np.uint8)] * 30)
        path.write_bytes(path.read_bytes()[:-400])
    elif kind == "audio":
        path = _audio_only(tmp_path / "voice.m4a")
        return path, f"{path} has no video stream (audio only?); give a file with video"
    elif kind == "zeroed":
        path = write_video(tmp_path / "zeroed.mp4", noise_images(20), faststart=True)
        data = bytearray(path.read_bytes())
        payload = data.find(b"mdat") + 4
        data[payload:] = bytes(len(data) - payload)
        path.write_bytes(bytes(data))
        return path, (
            f"no frames could be decoded from {path} (Invalid data found when processing input): "
            "the file is corrupt or truncated: re-export or re-record it"
        )
    reason = "End of file" if kind == "moov_cut" else "Invalid data found when processing input"
    return path, (
        f"{path} could not be opened as a video ({reason}): it "
        f"is not a video, or it is corrupt or truncated; give a {KINDS} file that plays"
    )


@pytest.mark.parametrize("kind", ["missing", "directory", "text", "moov_cut", "audio", "zeroed"])
def test_bad_inputs_raise_video_error_with_a_fix(tmp_path: Path, kind: str) -> None:
    path, message = _bad_file(tmp_path, kind)
    with pytest.raises(VideoError) as excinfo:
        probe_video(path)
    assert str(excinfo.value) == message
    with pytest.raises(VideoError):
        list(iter_frames(path))


def test_frames_with_a_repeated_timestamp_are_dropped(tmp_path: Path) -> None:
    path = tmp_path / "repeat.mkv"
    with av.open(str(path), "w") as container:
        stream = container.add_stream("mjpeg", rate=10)
        stream.width, stream.height, stream.pix_fmt = 64, 48, "yuvj420p"
        stream.time_base = Fraction(1, 1000)
        for i, pts_ms in enumerate([0, 100, 100, 200, 300]):
            image = np.full((48, 64, 3), i * 50, np.uint8)
            for packet in stream.encode(av.VideoFrame.from_ndarray(image, format="rgb24")):
                packet.pts = packet.dts = pts_ms
                packet.time_base = Fraction(1, 1000)
                container.mux(packet)
    frames = list(iter_frames(path))
    assert [(f.index, f.t_s) for f in frames] == [(0, 0.0), (1, 0.1), (2, 0.2), (3, 0.3)]
    assert [round(float(f.image.mean()) / 50) for f in frames] == [0, 1, 3, 4]


@pytest.mark.parametrize(
    ("name", "codec", "codec_name"),
    [
        ("clip.mov", "libx264", "h264"),
        ("clip.m4v", "libx264", "h264"),
        ("clip.mkv", "libx264", "h264"),
        ("clip.webm", "libvpx-vp9", "vp9"),
        ("clip.avi", "mpeg4", "mpeg4"),
    ],
)
def test_each_supported_container_decodes(
    tmp_path: Path, name: str, codec: str, codec_name: str
) -> None:
    path = tmp_path / name
    with av.open(str(path), "w") as container:
        stream = container.add_stream(codec, rate=25)
        stream.width, stream.height, stream.pix_fmt = 64, 48, "yuv420p"
        for i in range(10):
            frame = av.VideoFrame.from_ndarray(np.full((48, 64, 3), 100, np.uint8), format="rgb24")
            frame.pts, frame.time_base = i, Fraction(1, 25)
            container.mux(stream.encode(frame))
        container.mux(stream.encode())
    info = probe_video(path)
    assert (info.width, info.height, info.fps, info.codec) == (64, 48, 25.0, codec_name)
    assert [round(f.t_s, 6) for f in iter_frames(path)] == [i / 25 for i in range(10)]


@pytest.mark.parametrize(
    ("fmt", "width", "height"),
    [("yuv420p", 64, 48), ("yuv420p", 63, 47), ("yuv444p", 64, 48), ("rgb24", 64, 48)],
)
def test_frame_rgb_matches_swscale(fmt: str, width: int, height: int) -> None:
    """OpenCV's fast 4:2:0 path and the swscale fallback give the same picture within rounding."""
    rng = np.random.default_rng(5)
    # Smooth colour gradients plus a little noise: like a camera picture, unlike pure noise.
    yy, xx = np.mgrid[0:height, 0:width]
    rgb = np.stack([xx * 255 // width, yy * 255 // height, (xx + yy) * 127 // (width + height)], -1)
    rgb = np.clip(rgb + rng.integers(-8, 9, rgb.shape), 0, 255).astype(np.uint8)
    frame = av.VideoFrame.from_ndarray(rgb, format="rgb24").reformat(format=fmt)
    image = frame_rgb(frame)
    assert image.shape == (height, width, 3) and image.dtype == np.uint8
    reference = frame.to_ndarray(format="rgb24").astype(int)
    assert np.abs(image.astype(int) - reference).mean() < 3.0
