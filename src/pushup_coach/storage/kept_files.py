"""Files kept for a person (videos they asked to keep), and bringing them in from an export.

Kept files live flat in one 0700 folder per profile, each 0600. A name is never reused: a second
``clip.mp4`` kept on the same day becomes ``2026-03-02-clip-2.mp4``, so every session has its own.

An export's ``files/`` folder is hostile until proven otherwise: only regular files directly in it
are copied (no links, folders, devices or pipes; each opened without following links and checked
again once open), none larger than :data:`MAX_KEPT_FILE_BYTES`. They are first copied into a
staging folder next to the profile folders and moved into place in one rename, so an import that
fails or is killed never leaves half its files behind.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import stat
import uuid
from pathlib import Path

from pushup_coach.errors import InputError, OutputError
from pushup_coach.storage.private import FILE_MODE, private_dir

MAX_KEPT_FILE_BYTES = 16 << 30  # 16 GiB: longer than any push-up video, far below a disk
MAX_KEPT_FILES = 10_000
MAX_NAME_CHARS = 200  # leaves room for the date and a counter under the 255-character column
STAGING_PREFIX = ".import-"
CHUNK_BYTES = 1 << 20
NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


def _copy_open_file(src_fd: int, dst_fd: int, shown: Path) -> None:
    """Copy the open regular file ``src_fd`` into the open, new file ``dst_fd`` (closed after)."""
    with os.fdopen(dst_fd, "wb") as out:
        if not stat.S_ISREG(os.fstat(src_fd).st_mode):
            raise InputError(f"{shown} is not a regular file; nothing was imported")
        copied = 0
        while chunk := os.read(src_fd, CHUNK_BYTES):
            copied += len(chunk)
            if copied > MAX_KEPT_FILE_BYTES:
                raise InputError(f"{shown} is over {MAX_KEPT_FILE_BYTES >> 30} GiB; not imported")
            out.write(chunk)


def _new_file(path: Path) -> int:
    """Create ``path`` 0600, failing if it exists (even as a link)."""
    return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | NOFOLLOW, FILE_MODE)


def copy_private(src: Path, dst: Path | int) -> None:
    """Copy the regular file ``src`` to a new 0600 file ``dst`` (a path, or an open new file),
    refusing links and devices."""
    dst_fd = _new_file(dst) if isinstance(dst, Path) else dst
    try:
        fd = os.open(src, os.O_RDONLY | NOFOLLOW)
    except OSError as exc:
        os.close(dst_fd)
        raise InputError(f"cannot read {src}: {exc.strerror} (a link?)") from exc
    try:
        _copy_open_file(fd, dst_fd, src)
    finally:
        os.close(fd)


def _unique_file(folder: Path, on: dt.date, video_name: str) -> tuple[Path, int]:
    """A new, empty 0600 file in ``folder`` for a video kept on ``on``, and its open descriptor."""
    stem, suffix = os.path.splitext(Path(video_name).name)
    stem = "".join(c if c.isprintable() and c not in "/\\" else "_" for c in stem)[:MAX_NAME_CHARS]
    suffix = suffix[:16] if suffix.isprintable() else ""
    for n in range(1, MAX_KEPT_FILES + 1):
        path = folder / f"{on.isoformat()}-{stem}{'' if n == 1 else f'-{n}'}{suffix}"
        try:
            return path, _new_file(path)
        except FileExistsError:
            continue
    raise OutputError(f"{folder} already keeps {MAX_KEPT_FILES} videos named like {video_name}")


def keep_file(folder: Path, src: Path, on: dt.date) -> str:
    """Copy ``src`` into ``folder`` under a name no other kept file has; returns the name."""
    private_dir(folder)
    target, fd = _unique_file(folder, on, src.name)
    try:
        copy_private(src, fd)
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    return target.name


def export_file_entries(folder: Path) -> list[Path]:
    """The files an export's ``files/`` folder brings; an InputError for anything else in it."""
    files = folder / "files"
    try:
        info = os.lstat(files)
    except FileNotFoundError:
        return []
    if not stat.S_ISDIR(info.st_mode) or files.resolve().parent != folder.resolve():
        raise InputError(f"{files} is not a plain folder inside the export (a link?); not imported")
    entries = []
    with os.scandir(files) as it:
        for entry in it:
            st = entry.stat(follow_symlinks=False)
            if not stat.S_ISREG(st.st_mode):
                raise InputError(
                    f"{files / entry.name} is not a regular file (a link, folder, device or pipe); "
                    "an export holds only the files it wrote, so nothing was imported"
                )
            if st.st_size > MAX_KEPT_FILE_BYTES:
                raise InputError(f"{files / entry.name} is over {MAX_KEPT_FILE_BYTES >> 30} GiB")
            entries.append(files / entry.name)
    if len(entries) > MAX_KEPT_FILES:
        raise InputError(f"{files} holds {len(entries)} files; an export keeps at most 10000")
    return sorted(entries)


def clear_staging(files_root: Path) -> None:
    """Remove staging folders a killed import left behind (call with the files lock held)."""
    if files_root.is_dir():
        for leftover in files_root.glob(f"{STAGING_PREFIX}*"):
            shutil.rmtree(leftover, ignore_errors=True)


def stage_files(files_root: Path, entries: list[Path]) -> Path | None:
    """Copy ``entries`` into a new staging folder under ``files_root``; None when there are none."""
    if not entries:
        return None
    staging = files_root / f"{STAGING_PREFIX}{uuid.uuid4().hex}"
    private_dir(files_root)
    staging.mkdir(mode=0o700)
    try:
        for src in entries:
            copy_private(src, staging / src.name)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return staging


def install_staged(staging: Path | None, target: Path) -> None:
    """Move a staged folder into place as ``target`` (one rename), replacing a leftover folder
    that no profile owns (what a killed import or erasure left)."""
    if target.exists():
        shutil.rmtree(target)
    if staging is not None:
        staging.rename(target)
