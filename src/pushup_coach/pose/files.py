"""Landmark files: save a :class:`PoseSeries` and load it back, as ``.npz`` or ``.csv``.

``.npz`` is the project's own lossless format (arrays ``t_s`` (T,), ``landmarks`` (T, 33, 4),
``size_wh`` (2,), strings ``source`` and ``video_info`` (VideoInfo as JSON, or empty), and
``format_version``). ``.csv`` is for exchange with other tools; its layout (time column, one
``{name}_x/_y/_z/_v`` group per landmark, ``# key=value`` directives, pixel or normalised
coordinates) is documented in ``docs/landmark-files.md`` and implemented in ``pose/csv_format.py``.
Loading returns the series plus a :class:`VideoInfo` (synthesised from the data when the file has
none). Missing landmarks are NaN in both formats.
"""

from __future__ import annotations

import dataclasses
import json
import os
import tokenize
import warnings
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Literal

import numpy as np

import pushup_coach.pose.csv_format as csv_format
from pushup_coach.errors import LandmarkFileError, OutputError
from pushup_coach.pose.file_checks import (
    check_landmark_values,
    check_size_wh,
    check_times,
    video_info_from_json,
)
from pushup_coach.skeleton import N_LANDMARKS
from pushup_coach.types import PoseSeries, VideoInfo

FORMAT_VERSION = 1
LANDMARK_SUFFIXES: tuple[str, ...] = (".npz", ".csv")
Coords = Literal["auto", "normalized", "pixel"]

_NPZ_ARRAYS = ("format_version", "t_s", "landmarks", "size_wh", "source", "video_info")
# What reading a member of a damaged or hostile zip can raise, besides OSError and ValueError
# (a mangled .npy header fails in numpy's tokenizer or literal_eval; found by fuzz/).
_NPZ_READ_ERRORS = (
    EOFError,
    zipfile.BadZipFile,
    zlib.error,
    RuntimeError,
    NotImplementedError,
    tokenize.TokenError,
    SyntaxError,
    MemoryError,
)


class LandmarkFileWarning(UserWarning):
    """Something in a landmark file was assumed or ignored (see :func:`read_landmarks`)."""


@dataclass(frozen=True)
class LandmarkFile:
    """A loaded landmark file: the series, the video it describes, and what was assumed."""

    series: PoseSeries
    info: VideoInfo
    warnings: tuple[str, ...] = ()


def save_landmarks(series: PoseSeries, path: str | Path, info: VideoInfo | None = None) -> None:
    """Write ``series`` (and the video's ``info``) to ``path``; the suffix picks .npz or .csv.

    The file is written under a temporary name and renamed, so a reader never sees half a file.
    Raises :class:`OutputError` when it cannot be written.
    """
    target = Path(path)
    suffix = _suffix(target)
    tmp = target.with_name(f".{target.name}.partial")
    try:
        with tmp.open("wb" if suffix == ".npz" else "w", **_text_kwargs(suffix)) as handle:
            if suffix == ".npz":
                _write_npz(handle, series, info)
            else:
                csv_format.write_csv(handle, series, info, FORMAT_VERSION)
        os.replace(tmp, target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise OutputError(
            f"cannot write {target}: {exc.strerror or exc}; check that the folder exists and "
            "is writable"
        ) from exc


def _write_npz(handle: IO[bytes], series: PoseSeries, info: VideoInfo | None) -> None:
    np.savez(
        handle,
        format_version=np.array(FORMAT_VERSION),
        t_s=np.asarray(series.t_s, dtype=np.float64),
        landmarks=np.asarray(series.landmarks, dtype=np.float64),
        size_wh=np.array(series.size_wh, dtype=np.int64),
        source=np.array(series.source),
        video_info=np.array("" if info is None else json.dumps(dataclasses.asdict(info))),
    )


def load_landmarks(
    path: str | Path,
    *,
    coords: Coords = "auto",
    size_wh: tuple[int, int] | None = None,
    fps: float | None = None,
) -> tuple[PoseSeries, VideoInfo]:
    """Read a landmark file; see :func:`read_landmarks`. Assumptions become LandmarkFileWarnings."""
    loaded = read_landmarks(path, coords=coords, size_wh=size_wh, fps=fps)
    for message in loaded.warnings:
        warnings.warn(message, LandmarkFileWarning, stacklevel=2)
    return loaded.series, loaded.info


def read_landmarks(
    path: str | Path,
    *,
    coords: Coords = "auto",
    size_wh: tuple[int, int] | None = None,
    fps: float | None = None,
) -> LandmarkFile:
    """Read a .npz or .csv landmark file into a normalised (T, 33, 4) series.

    ``coords``, ``size_wh`` (upright frame size, pixels) and ``fps`` override what a CSV declares
    in its ``# coords=``, ``# size=`` and ``# fps=`` lines; ``size_wh`` also overrides a .npz's
    size.
    Raises :class:`LandmarkFileError` saying what is wrong with the file.
    """
    source = Path(path)
    suffix = _suffix(source)
    if not source.is_file():
        raise LandmarkFileError(f"no such file: {source}")
    if size_wh is not None:
        size_wh = check_size_wh(size_wh, "the given size")
    if suffix == ".npz":
        return _read_npz(source, size_wh)
    table = csv_format.read_csv(source, coords=coords, size_wh=size_wh, fps=fps)
    series = _series(table.t_s, table.landmarks, table.size_wh, str(source), source)
    info = table.info or synthesised_info(series, source, table.fps)
    return LandmarkFile(series=series, info=info, warnings=table.warnings)


def synthesised_info(series: PoseSeries, path: Path, fps: float | None = None) -> VideoInfo:
    """A VideoInfo for landmarks without one: the file's path, size, fps (median step), duration."""
    width, height = series.size_wh
    return VideoInfo(
        path=str(path),
        width=width,
        height=height,
        fps=fps or series.fps or csv_format.DEFAULT_FPS,
        duration_s=series.duration_s,
        n_frames=len(series),
        rotation_deg=0,
        codec="",
    )


def _read_npz(path: Path, size_wh: tuple[int, int] | None) -> LandmarkFile:
    arrays = _npz_arrays(path)
    version = _npz_int(arrays["format_version"], "format_version", path)
    if version > FORMAT_VERSION:
        raise LandmarkFileError(
            f"{path} has landmark format version {version}; this pushup-coach reads up to "
            f"{FORMAT_VERSION}: upgrade pushup-coach"
        )
    landmarks = arrays["landmarks"]
    t_s = arrays["t_s"]
    if t_s.ndim != 1 or landmarks.shape != (t_s.shape[0], N_LANDMARKS, 4):
        raise LandmarkFileError(
            f"{path}: landmarks must have shape (T, {N_LANDMARKS}, 4) with t_s of shape (T,), got "
            f"landmarks {landmarks.shape} and t_s {t_s.shape}"
        )
    stored = arrays["size_wh"]
    if stored.shape != (2,) or stored.dtype.kind not in "iu":
        raise LandmarkFileError(
            f"{path}: array size_wh must hold two integers (width, height), got dtype "
            f"{stored.dtype} and shape {stored.shape}; write the file with save_landmarks"
        )
    width, height = size_wh or check_size_wh((int(stored[0]), int(stored[1])), str(path))
    source = _npz_text(arrays["source"], "source", path)
    series = _series(t_s, landmarks, (width, height), source, path)
    info_json = _npz_text(arrays["video_info"], "video_info", path)
    info = video_info_from_json(info_json, str(path)) if info_json else None
    return LandmarkFile(series=series, info=info or synthesised_info(series, path))


def _npz_int(array: Any, name: str, path: Path) -> int:
    if array.shape != () or array.dtype.kind not in "iu":
        raise LandmarkFileError(
            f"{path}: array {name} must be one integer, got dtype {array.dtype} and shape "
            f"{array.shape}; write the file with save_landmarks"
        )
    return int(array)


def _npz_text(array: Any, name: str, path: Path) -> str:
    if array.shape != () or array.dtype.kind != "U":
        raise LandmarkFileError(
            f"{path}: array {name} must be one string, got dtype {array.dtype} and shape "
            f"{array.shape}; write the file with save_landmarks"
        )
    return str(array)


def _npz_arrays(path: Path) -> dict[str, Any]:
    if not zipfile.is_zipfile(path):
        raise LandmarkFileError(
            f"{path} is not a .npz archive (a zip of NumPy arrays; {_describe(path)}); give a "
            "file written by save_landmarks or --landmarks-out"
        )
    try:
        with np.load(path, allow_pickle=False) as npz:
            missing = [name for name in _NPZ_ARRAYS if name not in npz.files]
            if missing:
                raise LandmarkFileError(
                    f"{path} is not a pushup-coach landmark file: missing arrays "
                    f"{', '.join(missing)}; write it with save_landmarks"
                )
            arrays = {name: npz[name] for name in _NPZ_ARRAYS}
    except (OSError, ValueError, *_NPZ_READ_ERRORS) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise LandmarkFileError(f"{path} is not a readable .npz file ({reason})") from exc
    for name in ("t_s", "landmarks"):
        if arrays[name].dtype.kind not in "iuf":
            raise LandmarkFileError(
                f"{path}: array {name} must hold real numbers, got dtype {arrays[name].dtype}"
            )
    return arrays


def _describe(path: Path) -> str:
    try:
        with path.open("rb") as handle:
            head = handle.read(6)
    except OSError as exc:
        return f"this one cannot be read: {exc.strerror or exc}"
    if not head:
        return "this one is empty"
    if head == b"\x93NUMPY":
        return "this one is a single .npy array renamed"
    return "this one is something else"


def _series(
    t_s: Any, landmarks: Any, size_wh: tuple[int, int], source: str, path: Path
) -> PoseSeries:
    times = np.asarray(t_s, dtype=np.float64)
    values = np.asarray(landmarks, dtype=np.float64)
    check_times(times, path)
    check_landmark_values(values, path)
    bad = np.flatnonzero(~(np.diff(times) > 0))
    if bad.size:
        i = int(bad[0])
        raise LandmarkFileError(
            f"{path}: time must strictly increase, but row {i + 1} (t_s={float(times[i + 1])!r}) "
            f"does not come after row {i} (t_s={float(times[i])!r}); sort the rows and drop "
            "duplicates"
        )
    try:
        return PoseSeries(
            t_s=times,
            landmarks=values,
            size_wh=size_wh,
            source=source,
        )
    except ValueError as exc:
        raise LandmarkFileError(f"{path}: {exc}") from exc


def _suffix(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix not in LANDMARK_SUFFIXES:
        raise LandmarkFileError(
            f"{path}: landmark files must end in .npz or .csv, got {suffix or 'no suffix'!r}"
        )
    return suffix


def _text_kwargs(suffix: str) -> dict[str, Any]:
    return {} if suffix == ".npz" else {"encoding": "utf-8", "newline": ""}
