"""Write mutated copies of real clips: the corpus for fuzzing the video path (fuzz/fuzz_video.py).

``python fuzz/mutate_clips.py [--clips N] [--only NAME ...] [--seed S] [CLIP ...] [--out DIR]``

Each clip (default: the N smallest ``*.mp4`` of ``../shared/data/pushup-clips/kaggle``) gives
47 copies, each damaged one way: cut short (inside the header and inside the media data, also
with ``moov`` moved first), bytes flipped or zeroed in the header (``moov``) or in the media
data (``mdat``), the ``moov`` removed, ``mdat`` blocks shuffled or duplicated, a wrong extension,
an empty file, an odd display matrix in the track header, frame durations and composition
offsets rewritten (zero, huge, backwards: timestamps that do not increase), packets remuxed with
PyAV with presentation times running backwards or all equal or with a display matrix as side
data, an audio-only file and a picture renamed ``.mp4``. Everything is derived from ``--seed``,
so a run writes the same bytes each time. ``manifest.json`` in the output folder says what each
file is.

The output goes to ``~/.cache/pushup-coach/fuzz/clips`` (or ``$PUSHUP_COACH_FUZZ_DIR/clips``),
never into the repository: no video is committed.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import random
import struct
import sys
import tempfile
import zlib
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

import av
import numpy as np

REPO = Path(__file__).resolve().parents[1]
CLIPS = REPO.parent / "shared" / "data" / "pushup-clips" / "kaggle"
DEFAULT_OUT = (
    Path(os.environ.get("PUSHUP_COACH_FUZZ_DIR", Path.home() / ".cache" / "pushup-coach" / "fuzz"))
    / "clips"
)
IDENTITY = (0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000)
# tkhd display matrices (a b u c d v x y w; 16.16 fixed point, u v w 2.30).
MATRICES: dict[str, tuple[int, ...]] = {
    "zero": (0,) * 9,
    "mirror": (-0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000),
    "turn45": (0xB505, 0xB505, 0, -0xB505, 0xB505, 0, 0, 0, 0x40000000),
    "scale3": (0x30000, 0, 0, 0, 0x30000, 0, 0, 0, 0x40000000),
    "max": (0x7FFFFFFF,) * 9,
    "turn90": (0, 0x10000, 0, -0x10000, 0, 0, 0, 0, 0x40000000),
}


@dataclass(frozen=True)
class Mutant:
    name: str  # file name in the output folder
    source: str  # the real clip it came from
    mutation: str  # which mutation (see MUTATIONS)
    detail: str  # what exactly was done
    size: int
    sha256: str


Box = tuple[int, int]  # (offset, size) of an ISO BMFF box, header included
Mutation = Callable[[bytes, random.Random], tuple[bytes, str, str]]  # -> data, suffix, detail


def top_boxes(data: bytes) -> dict[str, Box]:
    """The top-level boxes of an MP4 (the first of each type)."""
    boxes: dict[str, Box] = {}
    at = 0
    while at + 8 <= len(data):
        size, kind = struct.unpack(">I4s", data[at : at + 8])
        if size == 1 and at + 16 <= len(data):
            size = struct.unpack(">Q", data[at + 8 : at + 16])[0]
        size = size or len(data) - at
        boxes.setdefault(kind.decode("latin-1"), (at, size))
        if size < 8:
            break
        at += size
    return boxes


def inner_box(data: bytes, outer: Box, kind: str) -> Box:
    """The first box of type ``kind`` inside ``outer`` (a byte search: fine within a moov)."""
    at = data.find(kind.encode(), outer[0] + 8, outer[0] + outer[1])
    if at < 0:
        raise LookupError(kind)
    return at - 4, struct.unpack(">I", data[at - 4 : at])[0]


def _flip(data: bytes, box: Box, n: int, rng: random.Random) -> tuple[bytes, str]:
    out = bytearray(data)
    start, end = box[0] + 8, box[0] + box[1]
    spots = sorted(rng.randrange(start, end) for _ in range(n))
    for at in spots:
        out[at] ^= 1 << rng.randrange(8)
    return bytes(out), f"{n} single-bit flips in [{start}, {end})"


def _zero(data: bytes, box: Box, length: int, rng: random.Random) -> tuple[bytes, str]:
    start = rng.randrange(box[0] + 8, max(box[0] + 9, box[0] + box[1] - length))
    length = min(length, len(data) - start)
    return data[:start] + bytes(length) + data[start + length :], f"{length} zero bytes at {start}"


def truncate_at(where: str) -> Mutation:
    def mutate(data: bytes, rng: random.Random) -> tuple[bytes, str, str]:
        boxes = top_boxes(data)
        if where in ("moov", "mdat"):
            start, size = boxes[where]
            cut = start + size // 2
        elif where == "after-ftyp":
            cut = sum(boxes["ftyp"])
        else:
            cut = int(len(data) * float(where))
        return data[:cut], ".mp4", f"first {cut} of {len(data)} bytes ({where})"

    return mutate


def flip_in(box: str, n: int) -> Mutation:
    def mutate(data: bytes, rng: random.Random) -> tuple[bytes, str, str]:
        out, detail = _flip(data, top_boxes(data)[box], n, rng)
        return out, ".mp4", f"{box}: {detail}"

    return mutate


def zero_in(box: str, length: int) -> Mutation:
    def mutate(data: bytes, rng: random.Random) -> tuple[bytes, str, str]:
        out, detail = _zero(data, top_boxes(data)[box], length, rng)
        return out, ".mp4", f"{box}: {detail}"

    return mutate


def drop_moov(data: bytes, rng: random.Random) -> tuple[bytes, str, str]:
    start, size = top_boxes(data)["moov"]
    return data[:start] + data[start + size :], ".mp4", f"moov ({size} bytes) removed"


def set_box_size(box: str, value: int) -> Mutation:
    def mutate(data: bytes, rng: random.Random) -> tuple[bytes, str, str]:
        start, _ = top_boxes(data)[box]
        out = data[:start] + struct.pack(">I", value) + data[start + 4 :]
        return out, ".mp4", f"{box} size field set to {value}"

    return mutate


def shuffle_mdat(block: int) -> Mutation:
    def mutate(data: bytes, rng: random.Random) -> tuple[bytes, str, str]:
        start, size = top_boxes(data)["mdat"]
        body = data[start + 8 : start + size]
        chunks = [body[i : i + block] for i in range(0, len(body), block)]
        rng.shuffle(chunks)
        out = data[: start + 8] + b"".join(chunks) + data[start + size :]
        return out, ".mp4", f"{len(chunks)} mdat blocks of {block} bytes shuffled"

    return mutate


def duplicate_mdat(data: bytes, rng: random.Random) -> tuple[bytes, str, str]:
    """A block of the media data copied over the next one (sizes and offsets unchanged)."""
    start, size = top_boxes(data)["mdat"]
    length = min(8192, size // 4)
    at = rng.randrange(start + 8, start + size - 2 * length)
    out = data[: at + length] + data[at : at + length] + data[at + 2 * length :]
    return out, ".mp4", f"mdat bytes [{at}, {at + length}) copied over the next {length}"


def appended_twice(data: bytes, rng: random.Random) -> tuple[bytes, str, str]:
    return data + data, ".mp4", "the whole file, twice"


def suffix(new: str) -> Mutation:
    def mutate(data: bytes, rng: random.Random) -> tuple[bytes, str, str]:
        return data, new, f"an intact MP4 named {new}"

    return mutate


def empty(data: bytes, rng: random.Random) -> tuple[bytes, str, str]:
    return b"", ".mp4", "zero bytes"


def matrix(kind: str) -> Mutation:
    def mutate(data: bytes, rng: random.Random) -> tuple[bytes, str, str]:
        start, _ = inner_box(data, top_boxes(data)["moov"], "tkhd")
        version = data[start + 8]
        at = start + (60 if version == 1 else 48)
        assert struct.unpack(">9i", data[at : at + 36]) == IDENTITY, "unexpected tkhd matrix"
        packed = struct.pack(">9I", *(v & 0xFFFFFFFF for v in MATRICES[kind]))
        return data[:at] + packed + data[at + 36 :], ".mp4", f"tkhd display matrix: {kind}"

    return mutate


def frame_times(kind: str) -> Mutation:
    """Rewrite the sample durations (``stts``) or composition offsets (``ctts``) in place."""

    def mutate(data: bytes, rng: random.Random) -> tuple[bytes, str, str]:
        table = "ctts" if kind == "ctts-random" else "stts"
        start, _ = inner_box(data, top_boxes(data)["moov"], table)
        n = struct.unpack(">I", data[start + 12 : start + 16])[0]
        out = bytearray(data)
        for i in range(n):
            at = start + 16 + 8 * i + 4  # the delta / offset of entry i
            old = struct.unpack(">i", out[at : at + 4])[0]
            new = {
                "stts-zero": 0,
                "stts-huge": 0x7FFFFFFF,
                "stts-backwards": -abs(old) or -1,
                "ctts-random": rng.randrange(-50, 50) * 512,
            }[kind]
            out[at : at + 4] = struct.pack(">i", new)
        return bytes(out), ".mp4", f"{table}: {n} entries rewritten ({kind})"

    return mutate


def remux(kind: str) -> Mutation:
    """Copy the video packets into a new MP4 with PyAV, changing their timestamps or side data.

    The muxer keeps decoding times increasing, so presentation times are changed within
    ``pts >= dts``: running backwards, or all the same.
    """

    def mutate(data: bytes, rng: random.Random) -> tuple[bytes, str, str]:
        buffer = io.BytesIO()
        with av.open(io.BytesIO(data), mode="r") as source, av.open(buffer, "w", "mp4") as out:
            stream = out.add_stream_from_template(source.streams.video[0])
            if kind.startswith("matrix-"):
                stream.set_display_matrix(list(MATRICES[kind.removeprefix("matrix-")]))
            packets = [p for p in source.demux(source.streams.video[0]) if p.dts is not None]
            last = packets[-1].dts or 0
            for packet in packets:
                if kind == "pts-backwards":
                    packet.pts = last + (last - (packet.dts or 0))
                elif kind == "pts-repeated":
                    packet.pts = last
                packet.stream = stream
                out.mux(packet)
        return buffer.getvalue(), ".mp4", f"remuxed with PyAV: {kind}"

    return mutate


def faststart_cut(data: bytes, rng: random.Random) -> tuple[bytes, str, str]:
    """The real clips keep ``moov`` at the end, so a cut loses it; remux it to the front first."""
    with tempfile.TemporaryDirectory() as scratch:  # faststart rewrites the file: a real one
        moved = Path(scratch) / "faststart.mp4"
        options = {"movflags": "faststart"}
        with (
            av.open(io.BytesIO(data), mode="r") as source,
            av.open(str(moved), "w", options=options) as out,
        ):
            stream = out.add_stream_from_template(source.streams.video[0])
            for packet in source.demux(source.streams.video[0]):
                if packet.dts is not None:
                    packet.stream = stream
                    out.mux(packet)
        whole = moved.read_bytes()
    start, size = top_boxes(whole)["mdat"]
    assert top_boxes(whole)["moov"][0] < start, "faststart left moov at the end"
    cut = start + size // 2
    return whole[:cut], ".mp4", f"moov moved first, then cut at {cut} of {len(whole)} (mid mdat)"


def audio_only(data: bytes, rng: random.Random) -> tuple[bytes, str, str]:
    buffer = io.BytesIO()
    with av.open(buffer, "w", format="mp4") as out:
        stream = out.add_stream("aac", rate=44100, layout="mono")
        t = np.arange(44100, dtype=np.float32) / 44100
        tone = (0.2 * np.sin(2 * np.pi * 440 * t)).astype(np.float32)
        for i in range(0, tone.size, 1024):
            frame = av.AudioFrame.from_ndarray(
                tone[None, i : i + 1024], format="fltp", layout="mono"
            )
            frame.sample_rate, frame.pts = 44100, i
            out.mux(stream.encode(frame))
        out.mux(stream.encode(None))
    return buffer.getvalue(), ".mp4", "1 s of AAC audio, no video stream"


def picture(fmt: str) -> Mutation:
    def mutate(data: bytes, rng: random.Random) -> tuple[bytes, str, str]:
        with av.open(io.BytesIO(data), mode="r") as container:
            first = next(container.decode(video=0))
        buffer = io.BytesIO()
        first.to_image().save(buffer, format=fmt)
        return buffer.getvalue(), ".mp4", f"the first frame as a {fmt} picture"

    return mutate


MUTATIONS: dict[str, Mutation] = {
    "truncate-after-ftyp": truncate_at("after-ftyp"),
    "truncate-10pct": truncate_at("0.1"),
    "truncate-50pct": truncate_at("0.5"),
    "truncate-90pct": truncate_at("0.9"),
    "truncate-in-moov": truncate_at("moov"),
    "truncate-in-mdat": truncate_at("mdat"),
    "flip-moov-1": flip_in("moov", 1),
    "flip-moov-8": flip_in("moov", 8),
    "flip-moov-64": flip_in("moov", 64),
    "flip-mdat-16": flip_in("mdat", 16),
    "flip-mdat-256": flip_in("mdat", 256),
    "flip-mdat-4096": flip_in("mdat", 4096),
    "zero-moov-64": zero_in("moov", 64),
    "zero-moov-512": zero_in("moov", 512),
    "zero-mdat-4k": zero_in("mdat", 4096),
    "zero-mdat-32k": zero_in("mdat", 32768),
    "no-moov": drop_moov,
    "moov-size-0": set_box_size("moov", 0),
    "moov-size-huge": set_box_size("moov", 0xFFFFFFFF),
    "mdat-size-huge": set_box_size("mdat", 0xFFFFFFFF),
    "mdat-size-8": set_box_size("mdat", 8),
    "shuffle-mdat-4k": shuffle_mdat(4096),
    "shuffle-mdat-64k": shuffle_mdat(65536),
    "duplicate-mdat": duplicate_mdat,
    "appended-twice": appended_twice,
    "ext-avi": suffix(".avi"),
    "ext-webm": suffix(".webm"),
    "ext-mkv": suffix(".mkv"),
    "empty": empty,
    **{f"matrix-{kind}": matrix(kind) for kind in MATRICES},
    **{
        f"times-{kind}": frame_times(kind)
        for kind in ("stts-zero", "stts-huge", "stts-backwards", "ctts-random")
    },
    **{
        f"remux-{kind}": remux(kind)
        for kind in ("pts-backwards", "pts-repeated", "matrix-turn45", "matrix-mirror")
    },
    "faststart-truncate-in-mdat": faststart_cut,
    "audio-only": audio_only,
    "jpeg-as-mp4": picture("JPEG"),
    "png-as-mp4": picture("PNG"),
}


def mutate_clip(clip: Path, out: Path, seed: int, only: list[str] | None = None) -> list[Mutant]:
    data = clip.read_bytes()
    mutants = []
    for name, mutation in MUTATIONS.items():
        if only and name not in only:
            continue
        rng = random.Random(zlib.crc32(f"{seed}:{clip.name}:{name}".encode()))
        mutated, suffix_, detail = mutation(data, rng)
        target = out / f"{clip.stem}--{name}{suffix_}"
        target.write_bytes(mutated)
        digest = hashlib.sha256(mutated).hexdigest()
        mutants.append(Mutant(target.name, clip.name, name, detail, len(mutated), digest))
    return mutants


def smallest_clips(n: int, folder: Path = CLIPS) -> list[Path]:
    return sorted(folder.glob("*.mp4"), key=lambda p: (p.stat().st_size, p.name))[:n]


def write_corpus(
    clips: list[Path], out: Path, seed: int = 0, only: list[str] | None = None
) -> list[Mutant]:
    """Mutate each clip into ``out`` and write ``out/manifest.json``."""
    resolved = out.resolve()
    if resolved == REPO or REPO in resolved.parents:
        raise SystemExit(f"{out} is inside the repository; videos are never written there")
    out.mkdir(parents=True, exist_ok=True)
    mutants = [m for clip in clips for m in mutate_clip(clip, out, seed, only)]
    manifest = {
        "seed": seed,
        "clips": [c.name for c in clips],
        "mutants": [asdict(m) for m in mutants],
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")
    return mutants


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "clips", nargs="*", type=Path, help="real clips (default: --clips smallest)"
    )
    parser.add_argument("--clips", dest="n_clips", type=int, default=10)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--only", nargs="+", choices=sorted(MUTATIONS), help="these mutations")
    args = parser.parse_args(argv)
    clips = args.clips or smallest_clips(args.n_clips)
    if not clips:
        print(f"no clips given and none in {CLIPS}", file=sys.stderr)
        return 2
    mutants = write_corpus(clips, args.out, args.seed, args.only)
    print(f"{len(mutants)} mutated files from {len(clips)} clips in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
