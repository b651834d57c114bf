"""The landmark CSV layout (documented in ``docs/landmark-files.md``).

- Optional ``# key=value`` lines before the header: ``format_version``, ``coords`` (normalized or
  pixel), ``size`` (``1920x1080``), ``fps``, ``source``, ``video`` (VideoInfo as JSON).
- Header: a time column, ``t_s`` (seconds) or ``frame`` (index, needs an fps), then for each
  BlazePose landmark present ``{name}_x, {name}_y, {name}_z, {name}_v`` (names from
  :data:`pushup_coach.skeleton.LANDMARK_NAMES`). Shoulders, elbows, wrists and hips are required;
  other landmarks may be left out (they load as NaN); other columns are ignored with a warning.
- Cells: numbers; empty or ``nan`` = not seen. A landmark whose x or y is missing is NaN entirely.
"""

from __future__ import annotations

import csv
import dataclasses
import json
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import numpy as np

from pushup_coach.errors import LandmarkFileError
from pushup_coach.pose.file_checks import check_fps, check_size_wh, video_info_from_json
from pushup_coach.skeleton import CORE_LANDMARKS, LANDMARK_NAMES, N_LANDMARKS
from pushup_coach.types import FloatArray, PoseSeries, VideoInfo

DEFAULT_FPS = 30.0
# Normalised coordinates stay within a little of 0..1; anything beyond this must be pixels.
PIXEL_THRESHOLD = 2.0
# Assumed for normalised coordinates when no size is given: square, so angles are unscaled.
DEFAULT_SIZE_WH = (1000, 1000)
AXES = ("x", "y", "z", "v")

_DIRECTIVE = re.compile(r"^#\s*([a-z_]+)\s*=\s*(.*)$")
_SIZE = re.compile(r"^(\d{1,100})\s*x\s*(\d{1,100})$")  # int() refuses over 4300 digits


@dataclass(frozen=True)
class CsvLandmarks:
    """What a CSV held: (T,) times, (T, 33, 4) normalised landmarks, size, fps, warnings."""

    t_s: FloatArray
    landmarks: FloatArray
    size_wh: tuple[int, int]
    fps: float | None
    info: VideoInfo | None
    warnings: tuple[str, ...]


def landmark_columns() -> list[str]:
    """The 132 landmark column names in file order: ``nose_x, nose_y, nose_z, nose_v, ...``."""
    return [f"{name}_{axis}" for name in LANDMARK_NAMES for axis in AXES]


def write_csv(
    handle: IO[str], series: PoseSeries, info: VideoInfo | None, format_version: int
) -> None:
    """Write normalised landmarks with ``t_s`` and directives; NaN cells are left empty."""
    width, height = series.size_wh
    handle.write(f"# format_version={format_version}\n# coords=normalized\n")
    handle.write(f"# size={width}x{height}\n")
    if len(series) > 1:
        handle.write(f"# fps={series.fps!r}\n")
    if series.source:
        handle.write(f"# source={_one_line(series.source)}\n")
    if info is not None:
        handle.write(f"# video={json.dumps(dataclasses.asdict(info))}\n")
    writer = csv.writer(handle, lineterminator="\n")
    writer.writerow(["t_s", *landmark_columns()])
    flat = np.asarray(series.landmarks, dtype=np.float64).reshape(len(series), N_LANDMARKS * 4)
    for t_s, row in zip(series.t_s, flat, strict=True):
        writer.writerow([repr(float(t_s)), *("" if np.isnan(v) else repr(float(v)) for v in row)])


def _one_line(text: str) -> str:
    """``text`` as is when it is printable, else as a JSON string, so a path holding a newline
    (or any other line break) cannot break the directive into two lines."""
    return text if text.isprintable() else json.dumps(text)


def read_csv(
    path: Path, *, coords: str, size_wh: tuple[int, int] | None, fps: float | None
) -> CsvLandmarks:
    """Parse ``path`` (see the module docstring); raises LandmarkFileError on a bad layout."""
    directives, header, rows, line_numbers = _split(path)
    notes: list[str] = []
    columns = _column_map(path, header, notes)
    values = _numbers(path, header, rows, line_numbers, columns)
    landmarks = _landmarks(values, columns)
    fps = check_fps(fps, "the given fps") if fps else _float_directive(path, directives, "fps")
    t_s, fps = _times(path, values, columns, fps, line_numbers, notes)
    landmarks, size = _normalised(path, landmarks, coords, directives, size_wh, notes)
    info_json = directives.get("video", "")
    info = video_info_from_json(info_json, f"{path}, '# video=' line") if info_json else None
    return CsvLandmarks(t_s, landmarks, size, fps, info, tuple(notes))


def _split(path: Path) -> tuple[dict[str, str], list[str], list[list[str]], list[int]]:
    """Directives, lower-cased header, data rows and their 1-based line numbers."""
    directives, lines = _read_lines(path)
    if len(lines) < 2:
        raise LandmarkFileError(
            f"{path} needs a header line and at least one data row; see docs/landmark-files.md"
        )
    header = [cell.strip().lower() for cell in lines[0][1]]
    for number, cells in lines[1:]:
        if len(cells) != len(header):
            raise LandmarkFileError(
                f"{path}, line {number}: {len(cells)} cells but the header has {len(header)}"
            )
    rows = [cells for _, cells in lines[1:]]
    return directives, header, rows, [number for number, _ in lines[1:]]


def _read_lines(path: Path) -> tuple[dict[str, str], list[tuple[int, list[str]]]]:
    """``# key=value`` directives, and the other non-blank lines split into cells."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise LandmarkFileError(f"{path} is not a readable UTF-8 CSV file ({exc})") from exc
    directives: dict[str, str] = {}
    rows: list[tuple[int, list[str]]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith("#"):
            match = _DIRECTIVE.match(line.strip())
            if match:
                directives[match.group(1)] = match.group(2).strip()
        elif line.strip():
            rows.append((number, _cells(path, number, line)))
    return directives, rows


def _cells(path: Path, number: int, line: str) -> list[str]:
    """One line's cells; a quote never spans lines (no cell of this format holds a newline)."""
    try:
        return next(csv.reader([line]))
    except csv.Error as exc:
        raise LandmarkFileError(
            f"{path}, line {number}: not a CSV row ({exc}; the limit is {csv.field_size_limit()} "
            "characters a cell); landmark cells are numbers"
        ) from None


@dataclass(frozen=True)
class _Columns:
    """Where things are in the header: the time column and each landmark's x, y, z, v columns."""

    time_name: str | None
    time_index: int | None
    landmarks: dict[int, tuple[int, int, int, int]]


def _column_map(path: Path, header: list[str], notes: list[str]) -> _Columns:
    position = {name: i for i, name in enumerate(header)}
    duplicated = sorted({name for name in header if header.count(name) > 1})
    if duplicated:
        raise LandmarkFileError(f"{path}: duplicated columns: {', '.join(duplicated)}")
    core = {LANDMARK_NAMES[lm] for lm in CORE_LANDMARKS}
    missing: list[str] = []
    absent: list[str] = []
    found: dict[int, tuple[int, int, int, int]] = {}
    for index, name in enumerate(LANDMARK_NAMES):
        wanted = [f"{name}_{axis}" for axis in AXES]
        have = [column for column in wanted if column in position]
        if len(have) == len(AXES):
            x, y, z, v = (position[column] for column in wanted)
            found[index] = (x, y, z, v)
        elif have or name in core:
            missing.extend(column for column in wanted if column not in position)
        else:
            absent.append(name)
    if missing:
        raise LandmarkFileError(
            f"{path}: missing columns: {', '.join(missing)} (each landmark needs _x, _y, _z and _v "
            "columns; shoulders, elbows, wrists and hips are required)"
        )
    time_name = next((name for name in ("t_s", "frame") if name in position), None)
    used = {f"{LANDMARK_NAMES[i]}_{axis}" for i in found for axis in AXES} | {time_name}
    ignored = [name for name in header if name not in used]
    if ignored:
        notes.append(f"ignored columns that are not landmarks or time: {', '.join(ignored)}")
    if absent:
        notes.append(
            f"{len(absent)} landmarks are not in the file and count as not seen: "
            f"{', '.join(absent)}"
        )
    time_index = position[time_name] if time_name else None
    return _Columns(time_name=time_name, time_index=time_index, landmarks=found)


def _numbers(
    path: Path,
    header: list[str],
    rows: list[list[str]],
    line_numbers: list[int],
    columns: _Columns,
) -> dict[int, FloatArray]:
    """Column index -> (T,) floats for the columns used; empty or ``nan`` cells become NaN."""
    used = [i for group in columns.landmarks.values() for i in group]
    if columns.time_index is not None:
        used.append(columns.time_index)
    values: dict[int, FloatArray] = {}
    for j in used:
        column = np.empty(len(rows), dtype=np.float64)
        for r, row in enumerate(rows):
            cell = row[j].strip()
            try:
                column[r] = np.nan if cell == "" else float(cell)
            except ValueError:
                raise LandmarkFileError(
                    f"{path}, line {line_numbers[r]}: column {header[j]} has the non-numeric "
                    f"value {_short(row[j])}; use numbers, and leave a cell empty for 'not seen'"
                ) from None
            if math.isinf(column[r]):
                raise LandmarkFileError(
                    f"{path}, line {line_numbers[r]}: column {header[j]} is {_short(row[j])}; "
                    "values must be finite numbers (leave a cell empty for 'not seen')"
                )
        values[j] = column
    return values


def _short(cell: str) -> str:
    text = repr(cell)
    return text if len(text) <= 40 else text[:37] + "..."


def _landmarks(values: dict[int, FloatArray], columns: _Columns) -> FloatArray:
    n_rows = len(next(iter(values.values())))
    landmarks = np.full((n_rows, N_LANDMARKS, 4), np.nan)
    for index, group in columns.landmarks.items():
        landmarks[:, index, :] = np.stack([values[j] for j in group], axis=1)
    unseen = np.isnan(landmarks[:, :, 0]) | np.isnan(landmarks[:, :, 1])
    landmarks[unseen] = np.nan
    return landmarks


def _times(
    path: Path,
    values: dict[int, FloatArray],
    columns: _Columns,
    fps: float | None,
    line_numbers: list[int],
    notes: list[str],
) -> tuple[FloatArray, float | None]:
    """(T,) seconds, and the fps they came from (None when the file gives t_s)."""
    n_rows = len(line_numbers)
    if columns.time_index is None:
        if fps is None:
            fps = DEFAULT_FPS
            notes.append(
                f"no t_s or frame column: rows are taken as consecutive frames at {fps:g} fps"
            )
        return np.arange(n_rows, dtype=np.float64) / fps, fps
    name = columns.time_name
    stamps = values[columns.time_index]
    empty = np.flatnonzero(np.isnan(stamps))
    if empty.size:
        raise LandmarkFileError(f"{path}, line {line_numbers[empty[0]]}: the {name} cell is empty")
    bad = np.flatnonzero(~(np.diff(stamps) > 0))
    if bad.size:
        i = int(bad[0])
        raise LandmarkFileError(
            f"{path}, line {line_numbers[i + 1]}: {name} {stamps[i + 1]:g} does not come after "
            f"{stamps[i]:g} on line {line_numbers[i]}; {name} must strictly increase"
        )
    if name == "t_s":
        return stamps, fps
    if fps is None:
        raise LandmarkFileError(
            f"{path}: the frame column needs a frame rate: add a '# fps=30' line to the file "
            "or pass fps"
        )
    return stamps / fps, fps


def _float_directive(path: Path, directives: dict[str, str], key: str) -> float | None:
    text = directives.get(key)
    if text is None:
        return None
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not value > 0:
        raise LandmarkFileError(f"{path}: '# {key}={text[:40]}' must be a positive number")
    return check_fps(value, f"{path}, '# {key}=' line")


def _normalised(
    path: Path,
    landmarks: FloatArray,
    coords: str,
    directives: dict[str, str],
    size_wh: tuple[int, int] | None,
    notes: list[str],
) -> tuple[FloatArray, tuple[int, int]]:
    """Landmarks in normalised coordinates and the frame size (pixels) they refer to."""
    kind = directives.get("coords", "auto") if coords == "auto" else coords
    if kind not in ("auto", "normalized", "pixel"):
        raise LandmarkFileError(f"{path}: coords must be normalized or pixel, got {kind!r}")
    largest = float(np.nanmax(np.abs(landmarks[:, :, :2]), initial=0.0))
    if kind == "auto":
        kind = "pixel" if largest > PIXEL_THRESHOLD else "normalized"
    size = size_wh or _size_directive(path, directives)
    if kind == "normalized":
        if size is None:
            size = DEFAULT_SIZE_WH
            notes.append(
                "no frame size given: assuming a square frame; pass the video's size (or add "
                "'# size=WxH') if angles look wrong"
            )
        return landmarks, size
    if size is None:
        raise LandmarkFileError(
            f"{path}: coordinates are pixels (values up to {largest:g}) but no frame size is "
            "given: add a '# size=1920x1080' line or pass size_wh"
        )
    width, height = size
    scale = np.array([width, height, width, 1.0])
    return landmarks / scale, size


def _size_directive(path: Path, directives: dict[str, str]) -> tuple[int, int] | None:
    text = directives.get("size")
    if text is None:
        return None
    match = _SIZE.match(text)
    if not match:
        raise LandmarkFileError(f"{path}: '# size={text[:40]}' must look like '# size=1920x1080'")
    return check_size_wh((int(match.group(1)), int(match.group(2))), f"{path}, '# size=' line")
