"""Receiving an uploaded video: streamed to disk as it arrives, never whole in memory.

The multipart body is parsed chunk by chunk (python-multipart's push parser) and the file part is
written straight to its place in the uploads folder; the small form fields are kept in memory
(each at most :data:`MAX_FIELD_BYTES`). A body over the size limit, a client that goes away
half-way, or a malformed form leaves no file behind. Whether the file is a video is decided by
probing its container with PyAV afterwards (:func:`check_video`), never by its name.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from python_multipart.exceptions import FormParserError
from python_multipart.multipart import MultipartParser, parse_options_header

from pushup_coach.errors import InputError
from pushup_coach.video.source import SUPPORTED_SUFFIXES, probe_video

MAX_FIELD_BYTES = 1024
FILE_FIELD = "video"


class UploadTooLarge(InputError):
    """The body is over the configured size limit (HTTP 413)."""


class NotAVideo(InputError):
    """The uploaded file's container could not be read as a video (HTTP 415)."""


def too_large(limit_bytes: int) -> UploadTooLarge:
    return UploadTooLarge(
        f"the video is larger than this server's limit of {limit_bytes / 2**20:.0f} MB, so "
        "nothing was kept: trim it to the push-ups, or start the server with a larger "
        "--max-upload-mb"
    )


@dataclass
class Received:
    """What a form brought: its small fields, and the file (path on disk, name as sent)."""

    fields: dict[str, str] = field(default_factory=dict)
    path: Path | None = None
    filename: str = ""
    size: int = 0


class _Receiver:
    """python-multipart callbacks writing the file part to ``folder`` as the data arrives."""

    def __init__(self, folder: Path, limit_bytes: int) -> None:
        self.folder, self.limit = folder, limit_bytes
        self.got = Received()
        self._header, self._value, self._disposition = b"", b"", b""
        self._name, self._data = "", bytearray()
        self._file: IO[bytes] | None = None

    def callbacks(self) -> dict[str, object]:
        return {
            "on_part_begin": self._begin,
            "on_part_data": self._part_data,
            "on_part_end": self._part_end,
            "on_header_field": lambda d, s, e: setattr(self, "_header", self._header + d[s:e]),
            "on_header_value": lambda d, s, e: setattr(self, "_value", self._value + d[s:e]),
            "on_header_end": self._header_end,
            "on_headers_finished": self._headers_finished,
        }

    def _begin(self) -> None:
        self._disposition, self._name, self._data = b"", "", bytearray()

    def _header_end(self) -> None:
        if self._header.lower() == b"content-disposition":
            self._disposition = self._value
        self._header, self._value = b"", b""

    def _headers_finished(self) -> None:
        _, options = parse_options_header(self._disposition)
        self._name = options.get(b"name", b"").decode("utf-8", "replace")
        if self._name != FILE_FIELD or b"filename" not in options:
            return
        if self.got.path is not None:
            raise InputError("send one video at a time")
        filename = options[b"filename"].decode("utf-8", "replace")
        suffix = Path(filename).suffix.lower()
        name = uuid.uuid4().hex + (suffix if suffix in SUPPORTED_SUFFIXES else ".video")
        self.got.path, self.got.filename = self.folder / name, Path(filename).name
        self._file = open(self.got.path, "xb")  # noqa: SIM115 (closed in _part_end / close)

    def _part_data(self, data: bytes, start: int, end: int) -> None:
        if self._file is not None:
            self.got.size += end - start
            if self.got.size > self.limit:
                raise too_large(self.limit)
            self._file.write(data[start:end])
        elif len(self._data) + end - start > MAX_FIELD_BYTES:
            raise InputError(f"form field {self._name!r} is too long")
        else:
            self._data.extend(data[start:end])

    def _part_end(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None
        elif self._name:
            self.got.fields[self._name] = self._data.decode("utf-8", "replace")

    def close(self) -> None:
        if self._file is not None:
            self._file.close()


async def receive_upload(
    content_type: str, body: AsyncIterator[bytes], folder: Path, limit_bytes: int
) -> Received:
    """Parse a ``multipart/form-data`` body from ``body`` into ``folder`` (made private).

    Raises :class:`UploadTooLarge` past ``limit_bytes`` of file, InputError for a form without a
    ``video`` file or a malformed one; in every failure (also a dropped connection) the partial
    file is deleted before the error goes on.
    """
    kind, params = parse_options_header(content_type)
    if kind != b"multipart/form-data" or b"boundary" not in params:
        raise InputError("send the video as a multipart/form-data form with a 'video' file")
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    receiver = _Receiver(folder, limit_bytes)
    parser = MultipartParser(params[b"boundary"], receiver.callbacks())  # type: ignore[arg-type]
    try:
        try:
            async for chunk in body:
                parser.write(chunk)
            parser.finalize()
        except FormParserError as exc:
            message = f"the upload was not a well-formed form ({exc}); send it again"
            raise InputError(message) from exc
        if receiver.got.path is None or receiver.got.size == 0:
            raise InputError("the form had no video file in it; choose a video and send again")
    except BaseException:  # also a dropped connection: no partial file is left
        receiver.close()
        if receiver.got.path is not None:
            receiver.got.path.unlink(missing_ok=True)
        raise
    return receiver.got


def check_video(path: Path) -> None:
    """Raise :class:`NotAVideo` (deleting the file) unless PyAV can open ``path`` as a video."""
    try:
        probe_video(path)
    except InputError as exc:
        path.unlink(missing_ok=True)
        raise NotAVideo(f"this file is not a video pushup-coach can read: {exc}") from exc
