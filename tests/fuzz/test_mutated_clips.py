"""The video path on damaged real clips: a result or one clear line, never a crash.

A short bounded run of ``fuzz/fuzz_video.py`` over a fixed subset of ``fuzz/mutate_clips.py``'s
mutations, each file in its own process with a time limit (the long run and its figures are in
docs/reliability.md). The mutated copies go to pytest's temporary folder, never the repository.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

import av
import numpy as np
import pytest

FUZZ = Path(__file__).resolve().parents[2] / "fuzz"
sys.path.insert(0, str(FUZZ))
import fuzz_video  # noqa: E402
import mutate_clips  # noqa: E402

from pushup_coach.errors import VideoError  # noqa: E402
from pushup_coach.video.source import probe_video  # noqa: E402

# (which of the two smallest clips, mutation): the model runs on the few that still decode.
SUBSET = [
    (0, "truncate-in-moov"),
    (0, "truncate-in-mdat"),
    (0, "faststart-truncate-in-mdat"),
    (0, "flip-mdat-256"),
    (0, "zero-mdat-4k"),
    (0, "no-moov"),
    (0, "shuffle-mdat-4k"),
    (0, "ext-webm"),
    (0, "empty"),
    (0, "matrix-zero"),
    (0, "times-stts-zero"),
    (0, "remux-pts-backwards"),
    (0, "audio-only"),
    (0, "png-as-mp4"),
    (1, "flip-moov-64"),  # named a codec PyAV has no decoder for: an AttributeError once
]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    clips = mutate_clips.smallest_clips(2)
    if len(clips) < 2:
        pytest.skip(f"needs real clips in {mutate_clips.CLIPS} (../shared/data is absent)")
    out = tmp_path_factory.mktemp("mutated-clips")
    only = sorted({name for _, name in SUBSET})
    for index, clip in enumerate(clips):
        for mutant in mutate_clips.mutate_clip(clip, out, seed=0, only=only):
            (out / f"{index}--{mutant.mutation}").symlink_to(out / mutant.name)
    return out


@pytest.mark.fuzz
@pytest.mark.realdata
@pytest.mark.parametrize(("clip", "mutation"), SUBSET)
def test_a_mutated_clip_gives_a_result_or_one_line(corpus: Path, clip: int, mutation: str) -> None:
    target = (corpus / f"{clip}--{mutation}").resolve()
    outcome = fuzz_video.run_one(target, timeout_s=60)
    assert outcome.kind in ("analysed", "coach-error"), outcome.detail


TARGETS = {
    "fine": "def analyse(path):\n    return 'ok'\n",
    "one-line": (
        "from pushup_coach.errors import VideoError\n"
        "def analyse(path):\n    raise VideoError('bad file; re-export it')\n"
    ),
    "key-error": "def analyse(path):\n    return {}['width']\n",
    "segfault": (
        "import os, signal\ndef analyse(path):\n    os.kill(os.getpid(), signal.SIGSEGV)\n"
    ),
    "hang": "import time\ndef analyse(path):\n    time.sleep(60)\n",
    "memory": "def analyse(path):\n    return str(len(bytearray(3 << 30)))\n",
    "many-lines": (
        "from pushup_coach.errors import VideoError\n"
        "def analyse(path):\n    raise VideoError('bad\\nTraceback: ...')\n"
    ),
    "exit": "import os\ndef analyse(path):\n    os._exit(3)\n",
}


@pytest.mark.fuzz
@pytest.mark.parametrize(
    ("target", "kind", "says"),
    [
        ("fine", "analysed", "ok"),
        ("one-line", "coach-error", "bad file; re-export it"),
        ("key-error", "crash", "KeyError: 'width'"),
        ("segfault", "crash", "SIGSEGV"),
        ("hang", "crash", "timeout"),
        ("memory", "crash", "out of memory"),
        ("many-lines", "crash", "several lines"),
        ("exit", "crash", "exit 3"),
    ],
)
def test_the_classifier_flags_every_kind_of_crash(
    tmp_path: Path, target: str, kind: str, says: str
) -> None:
    stand_in = tmp_path / "target.py"
    stand_in.write_text(TARGETS[target])
    outcome = fuzz_video.run_one(
        tmp_path / "any.mp4",
        timeout_s=5,
        memory_bytes=1 << 30,
        target=f"{stand_in}:analyse",
    )
    assert (outcome.kind, says in outcome.detail) == (kind, True), outcome.detail


def _h264_with_sample_entry(kind: bytes) -> bytes:
    buffer = io.BytesIO()
    with av.open(buffer, "w", format="mp4") as out:
        stream = out.add_stream("libx264", rate=10)
        stream.width, stream.height, stream.pix_fmt = 64, 48, "yuv420p"
        for shade in range(0, 200, 40):
            picture = np.full((48, 64, 3), shade, np.uint8)
            out.mux(stream.encode(av.VideoFrame.from_ndarray(picture, format="rgb24")))
        out.mux(stream.encode(None))
    data = buffer.getvalue()
    at = data.find(b"avc1", data.find(b"stsd"))  # the sample entry names the codec
    return data[:at] + kind + data[at + 4 :]


def test_a_codec_with_no_decoder_is_one_line(tmp_path: Path) -> None:
    """Found by the mutated-clip fuzzer: PyAV gives no codec context for an unknown codec."""
    clip = tmp_path / "unknown-codec.mp4"
    clip.write_bytes(_h264_with_sample_entry(b"zzzz"))
    with pytest.raises(VideoError, match="codec FFmpeg cannot decode"):
        probe_video(clip)
