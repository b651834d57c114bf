"""Benchmark inputs built from the shared real clips, in a temporary folder (never the repo).

Clips are joined by stream copy (no re-encoding): the calimiro 1080p clips all share one encoder
configuration, so their packets can follow each other in one MP4 with shifted timestamps.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import av


def concatenate(sources: Sequence[Path], target: Path, *, max_s: float | None = None) -> Path:
    """Join ``sources`` (same codec settings) end to end into ``target``, up to ``max_s`` s."""
    with av.open(str(sources[0])) as first:
        template = first.streams.video[0]
        with av.open(str(target), "w") as out:
            stream = out.add_stream_from_template(template)
            offset = 0
            for source in sources:
                offset = _append(source, out, stream, offset)
                if max_s is not None and float(offset * stream.time_base) >= max_s:
                    break
    return target


def _append(
    source: Path, out: av.container.OutputContainer, stream: av.stream.Stream, offset: int
) -> int:
    """Mux ``source``'s video packets after ``offset`` (stream time base); returns the new end."""
    end = offset
    with av.open(str(source)) as container:
        video = container.streams.video[0]
        if video.time_base != stream.time_base:
            raise ValueError(
                f"{source} has time base {video.time_base}, expected {stream.time_base}"
            )
        start = video.start_time or 0
        for packet in container.demux(video):
            if packet.dts is None or packet.pts is None:
                continue
            packet.pts += offset - start
            packet.dts += offset - start
            end = max(end, packet.pts + (packet.duration or 0))
            packet.stream = stream
            out.mux(packet)
    return end


def loop_to_length(source: Path, target: Path, minutes: float) -> Path:
    """``source`` repeated until the result lasts at least ``minutes``."""
    with av.open(str(source)) as container:
        video = container.streams.video[0]
        duration_s = float(video.duration * video.time_base) if video.duration else 60.0
    repeats = max(1, int(minutes * 60 / duration_s) + 1)
    return concatenate([source] * repeats, target, max_s=minutes * 60)
