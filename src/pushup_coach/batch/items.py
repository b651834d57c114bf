"""What a batch works on: the input files, their names in ``--out``, and what makes a result stale.

Inputs come from a folder (searched recursively, in sorted order, by file extension) or from a
list file (one path a line; relative paths are relative to the list's folder, blank lines and
``#`` comments ignored). Every item is named by its path relative to the inputs' common folder
(``sub/clip.mp4``); its results are ``--out/sub/clip.mp4.json`` and ``.html``, so a video and its
landmark file of the same stem never collide.

A result is stale when the file's content (SHA-256) or the analysis settings changed. Hashing a
folder of videos on every start would read every byte again, so a file whose size and
modification time (ns) match what the manifest recorded keeps its recorded hash, as make and
rsync do.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pushup_coach.analysis import LANDMARK_SUFFIXES
from pushup_coach.app.analyse import content_hash
from pushup_coach.config import AnalysisConfig
from pushup_coach.errors import InputError
from pushup_coach.pose import MediaPipePose, PoseBackend
from pushup_coach.types import Variation
from pushup_coach.video.source import SUPPORTED_SUFFIXES

BATCH_SUFFIXES: tuple[str, ...] = SUPPORTED_SUFFIXES + LANDMARK_SUFFIXES
RESULT_SUFFIXES = (".json", ".html")


@dataclass(frozen=True)
class BatchItem:
    """One input file: ``key`` (its relative name, unique in the batch) and ``path`` (to open)."""

    key: str
    path: Path

    def output(self, out_dir: Path, suffix: str) -> Path:
        """Where this item's ``suffix`` (``.json`` / ``.html``) result goes."""
        return out_dir / f"{self.key}{suffix}"


@dataclass(frozen=True)
class Inputs:
    """The items found, in order, and the files passed over (with why) while searching a folder."""

    items: tuple[BatchItem, ...]
    skipped: tuple[str, ...]


@dataclass(frozen=True)
class Stamp:
    """What a file was when last hashed: size, modification time (ns) and SHA-256."""

    size: int
    mtime_ns: int
    sha256: str


def find_inputs(source: str | Path, out_dir: Path | None = None) -> Inputs:
    """The batch's items from a folder or a ``.txt`` list (see the module docstring).

    Files inside ``out_dir`` are never inputs. Raises InputError for a missing source, a list
    naming a missing file, or no input at all.
    """
    root = Path(source)
    if root.is_dir():
        paths, skipped = _search(root, out_dir)
        base = root
    elif root.is_file():
        if root.suffix.lower() in BATCH_SUFFIXES:
            raise InputError(
                f"{source} is one file: `pushup-coach analyze` analyses one file; batch takes "
                "a folder or a .txt list of files"
            )
        paths, skipped = _read_list(root), []
        base = _common_folder(paths)
    else:
        raise InputError(f"{source} does not exist; give a folder of videos or a list file")
    if not paths:
        raise InputError(
            f"no videos or landmark files in {source} (looked for {' '.join(BATCH_SUFFIXES)})"
        )
    items = tuple(BatchItem(p.relative_to(base).as_posix(), p) for p in paths)
    return Inputs(items, tuple(skipped))


def _search(root: Path, out_dir: Path | None) -> tuple[list[Path], list[str]]:
    paths, skipped = [], []
    out = out_dir.resolve() if out_dir is not None else None
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        if out is not None and path.resolve().is_relative_to(out):
            continue
        if path.name.startswith("."):
            skipped.append(f"{path}: hidden file")
        elif path.suffix.lower() in BATCH_SUFFIXES:
            paths.append(path)
        else:
            skipped.append(f"{path}: not a video or landmark file ({path.suffix or 'no suffix'})")
    return paths, skipped


def _read_list(list_file: Path) -> list[Path]:
    try:
        lines = list_file.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(
            f"cannot read the list {list_file}: {exc}; give a UTF-8 text file"
        ) from exc
    paths: list[Path] = []
    for number, line in enumerate(lines, 1):
        entry = line.strip()
        if not entry or entry.startswith("#"):
            continue
        path = (list_file.parent / entry).resolve()
        if not path.is_file():
            raise InputError(f"{list_file} line {number}: {entry} is not a file; fix or remove it")
        if path not in paths:
            paths.append(path)
    return paths


def _common_folder(paths: list[Path]) -> Path:
    return Path(os.path.commonpath([p.parent for p in paths])) if paths else Path()


def stamp_file(path: Path, known: Stamp | None) -> Stamp:
    """The file's :class:`Stamp`; ``known`` is reused when size and mtime still match it."""
    try:
        info = path.stat()
        if known is not None and (known.size, known.mtime_ns) == (info.st_size, info.st_mtime_ns):
            return known
        return Stamp(info.st_size, info.st_mtime_ns, content_hash(path))
    except OSError as exc:
        raise InputError(
            f"cannot read {path}: {exc.strerror or exc}; fix its permissions or leave it out"
        ) from exc


def backend_name(factory: Callable[[], PoseBackend] | None) -> str:
    """The pose backend's name (a class's ``name``, or that of a ``functools.partial``'s class)."""
    target = getattr(factory, "func", factory) if factory is not None else MediaPipePose
    return str(getattr(target, "name", "") or getattr(target, "__name__", "unnamed"))


def settings_json(config: AnalysisConfig, backend: str, variation: Variation | None = None) -> str:
    """Every setting that changes a result, as canonical JSON (its hash names it in the manifest).

    The HTML report is not part of it: a report asked for later is made by analysing again only
    when its file is missing. ``variation`` is there only when given, so a batch run before it
    existed keeps its settings' hash.
    """
    settings: dict[str, object] = {"backend": backend, "config": dataclasses.asdict(config)}
    if variation is not None:
        settings["variation"] = variation.value
    return json.dumps(settings, sort_keys=True, default=str)


def settings_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
