"""Strange and hostile videos (issue 14, item 11): non-UTF-8 metadata, broken or mirroring display
matrices, huge pictures and zero-duration frames give frames and a plain warning, or one clear
VideoError; never a traceback, a silent 90-degree turn or a false "truncated"."""

from __future__ import annotations

import struct
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import numpy.typing as npt
import pytest
from synthetic_video import TICKS_PER_S, noise_images, write_video

import pushup_coach.video.picture as picture
from pushup_coach.errors import VideoError
from pushup_coach.video import VideoFile, iter_frames, probe_video

ONE = 1 << 16  # 1.0 in the display matrix's 16.16 fixed point
W = 1 << 30  # the matrix's w term (2.30 fixed point)
RED, GREEN, BLUE, WHITE = (220, 0, 0), (0, 220, 0), (0, 0, 220), (220, 220, 220)


def _quadrants() -> npt.NDArray[np.uint8]:
    """64x48 picture: red top-left, green top-right, blue bottom-left, white bottom-right."""
    image = np.zeros((48, 64, 3), np.uint8)
    image[:24, :32], image[:24, 32:], image[24:, :32], image[24:, 32:] = RED, GREEN, BLUE, WHITE
    return image


def _with_matrix(path: Path, matrix: list[int]) -> Path:
    with av.open(str(path), "w") as container:
        stream = container.add_stream("libx264", rate=30)
        stream.width, stream.height, stream.pix_fmt = 64, 48, "yuv420p"
        stream.time_base = Fraction(1, TICKS_PER_S)
        stream.set_display_matrix(matrix)
        for i in range(3):
            frame = av.VideoFrame.from_ndarray(_quadrants(), format="rgb24")
            frame.pts, frame.time_base = i * 1000, Fraction(1, TICKS_PER_S)
            container.mux(stream.encode(frame))
        container.mux(stream.encode())
    return path


def _corners(image: npt.NDArray[np.uint8]) -> list[tuple[int, ...]]:
    """Colours at the top-left, top-right, bottom-left, bottom-right, rounded to the palette."""
    height, width = image.shape[:2]
    spots = [(height // 4, width // 4), (height // 4, 3 * width // 4)]
    spots += [(3 * height // 4, width // 4), (3 * height // 4, 3 * width // 4)]
    return [tuple(int(round(v / 220) * 220) for v in image[y, x]) for y, x in spots]


MIRRORED = "m.mp4 is stored mirrored (its display matrix flips it), so frames were flipped back to "
MIRRORED += "how a player shows them"

# (id, display matrix, rotation_deg, corners of the upright picture, warnings)
MATRICES = [
    ("identity", [ONE, 0, 0, 0, ONE, 0, 0, 0, W], 0, [RED, GREEN, BLUE, WHITE], []),
    ("turn-90", [0, ONE, 0, -ONE, 0, 0, 0, 0, W], 90, [BLUE, RED, WHITE, GREEN], []),
    (
        "all-zero",
        [0] * 9,
        0,
        [RED, GREEN, BLUE, WHITE],
        [
            "m.mp4 has an empty display matrix (it would show nothing), so the picture is used "
            "as stored, not turned; re-export the video if it looks sideways"
        ],
    ),
    ("mirror", [-ONE, 0, 0, 0, ONE, 0, 0, 0, W], 0, [GREEN, RED, WHITE, BLUE], [MIRRORED]),
    (
        "turn-45",  # found by fuzz/fuzz_video.py: rounded to no turn without a word
        [0xB505, 0xB505, 0, -0xB505, 0xB505, 0, 0, 0, W],
        0,
        [RED, GREEN, BLUE, WHITE],
        [
            "m.mp4's display matrix turns the picture 45 degrees, not a quarter turn, so it "
            "was turned 0 degrees; re-export the video if it looks tilted"
        ],
    ),
    (
        "upside-down-mirror",
        [ONE, 0, 0, 0, -ONE, 0, 0, 0, W],
        180,
        [BLUE, WHITE, RED, GREEN],
        [MIRRORED],
    ),
]


@pytest.mark.parametrize(
    ("matrix", "rotation_deg", "corners", "warnings"),
    [pytest.param(*case[1:], id=case[0]) for case in MATRICES],
)
def test_display_matrix_turns_mirrors_or_is_ignored_with_a_warning(
    tmp_path: Path,
    matrix: list[int],
    rotation_deg: int,
    corners: list[tuple[int, ...]],
    warnings: list[str],
) -> None:
    with VideoFile(_with_matrix(tmp_path / "m.mp4", matrix)) as video:
        frames = list(video.frames())
        assert video.info.rotation_deg == rotation_deg
        assert _corners(frames[0].image) == corners
        assert video.warnings == warnings
        assert not video.truncated


def _with_bad_metadata(path: Path) -> Path:
    """A clip whose title and handler name hold bytes that are not UTF-8 (patched in place)."""
    with av.open(str(path), "w") as container:
        container.metadata["title"] = "TITLEXXXXXXX"
        stream = container.add_stream("libx264", rate=30)
        stream.width, stream.height, stream.pix_fmt = 64, 48, "yuv420p"
        stream.metadata["handler_name"] = "HANDLERXXXXX"
        for i, image in enumerate(noise_images(3)):
            frame = av.VideoFrame.from_ndarray(image, format="rgb24")
            frame.pts, frame.time_base = i, Fraction(1, 30)
            container.mux(stream.encode(frame))
        container.mux(stream.encode())
    data = path.read_bytes()
    assert data.count(b"TITLEXXXXXXX") == data.count(b"HANDLERXXXXX") == 1
    data = data.replace(b"TITLEXXXXXXX", b"TITLE\xff\xfe\xc3(\x80\xff\xff")
    path.write_bytes(data.replace(b"HANDLERXXXXX", b"HANDL\xff\xfe\xc3(\x80\xff\xff"))
    return path


def test_metadata_that_is_not_utf8_is_no_error(tmp_path: Path) -> None:
    path = _with_bad_metadata(tmp_path / "meta.mp4")
    assert (probe_video(path).width, len(list(iter_frames(path)))) == (64, 3)


def test_a_huge_picture_is_scaled_down_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(picture, "MAX_DECODE_SIDE_PX", 32)  # a 64x48 clip stands in for 8000 px
    path = _with_matrix(tmp_path / "m.mp4", [0, ONE, 0, -ONE, 0, 0, 0, 0, W])
    with VideoFile(path) as video:
        frames = list(video.frames())
        assert (video.info.width, video.info.height) == (24, 32)  # upright: turned a quarter
        assert frames[0].image.shape == (32, 24, 3)
        assert _corners(frames[0].image) == [BLUE, RED, WHITE, GREEN]
        assert video.warnings == [
            "m.mp4 is 64x48 pixels; its frames were scaled down to 32x24 to keep memory in "
            "bounds (the pose model looks at 256x256)"
        ]


def test_a_picture_beyond_8k_is_refused_before_decoding(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(picture, "MAX_DECODE_PIXELS", 64 * 48 - 1)
    path = write_video(tmp_path / "big.mp4", noise_images(2))
    with pytest.raises(VideoError) as caught:
        probe_video(path)
    assert str(caught.value) == (
        f"{path} is 64x48 pixels, more than the 0.0 megapixels of 8K video that pushup-coach "
        "decodes; re-export it at 4K or less"
    )


def _zero_duration_frames(path: Path) -> Path:
    """10 frames of which 5 have no duration: every other entry of the mp4's time-to-sample
    table (stts) is patched to a delta of 0, so pairs of frames share one time."""
    pts_ms = [0, 33, 100, 133, 200, 233, 300, 333, 400, 433]
    data = bytearray(write_video(path, noise_images(10), pts_ms=pts_ms, gop=1).read_bytes())
    at = data.index(b"stts")
    (n_entries,) = struct.unpack(">I", data[at + 8 : at + 12])
    entries = [
        struct.unpack(">II", data[at + 12 + 8 * k : at + 20 + 8 * k]) for k in range(n_entries)
    ]
    shortest = min(delta for _, delta in entries)
    for k, (_, delta) in enumerate(entries):
        if delta == shortest:
            data[at + 16 + 8 * k : at + 20 + 8 * k] = struct.pack(">I", 0)
    path.write_bytes(bytes(data))
    return path


def test_zero_duration_frames_are_not_called_truncated(tmp_path: Path) -> None:
    with VideoFile(_zero_duration_frames(tmp_path / "zd.mp4")) as video:
        assert video.info.n_frames == 10
        assert len(list(video.frames())) == 5
        assert video.warnings == [
            "zd.mp4 has frames with no duration (the same time as the frame before); they were "
            "skipped"
        ]
        assert (video.truncated, video.untimed_frames) == (False, 5)
