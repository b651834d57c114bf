"""Files that hold health data are the person's alone: folders 0700, files 0600, any umask.

Every file pushup-coach writes about a person (the database, kept videos, exports, calendars, plots)
goes through :func:`private_file` or :func:`write_private`, which create it with mode 0600 before a
single byte is written (and tighten the mode of a file that already exists), so no other account
on the computer can read it even for a moment. :func:`exclusive_lock` serialises work that must
not run twice at once (first-use migrations, imports, erasure) across processes.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pushup_coach.errors import OutputError

DIR_MODE = 0o700
FILE_MODE = 0o600


def private_dir(path: Path) -> Path:
    """Create ``path`` and any missing parents 0700, and make ``path`` itself 0700; returns it.

    Folders that already exist above ``path`` keep their mode (they may be the person's own).
    """
    missing = [p for p in (path, *path.parents) if not p.exists()]
    for folder in reversed(missing):
        folder.mkdir(mode=DIR_MODE, exist_ok=True)
    if stat.S_IMODE(path.stat().st_mode) != DIR_MODE:
        path.chmod(DIR_MODE)
    return path


def private_file(path: Path) -> Path:
    """Make sure ``path`` exists with mode 0600 (created empty if new; contents kept if not).

    Call it before handing ``path`` to a writer that opens it itself (matplotlib, SQLite): opening
    an existing file for writing keeps its mode.
    """
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), FILE_MODE)
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror}; choose another path") from exc
    try:
        if stat.S_IMODE(os.fstat(fd).st_mode) != FILE_MODE:
            os.fchmod(fd, FILE_MODE)
    finally:
        os.close(fd)
    return path


def write_private(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` (replacing it) as a 0600 file."""
    private_file(path)
    try:
        with path.open("wb") as f:
            f.write(data)
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror}; choose another path") from exc
    return path


def write_private_text(path: Path, text: str) -> Path:
    return write_private(path, text.encode("utf-8"))


@contextmanager
def exclusive_lock(lock_path: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``lock_path`` (a 0600 file, created if missing) while inside.

    The operating system releases it when the process ends, however it ends, so a killed command
    never leaves a stale lock behind. Platforms without ``fcntl`` run unlocked.
    """
    try:
        import fcntl
    except ImportError:  # Windows: no advisory locks; first use is not guarded there
        yield
        return
    private_dir(lock_path.parent)
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, FILE_MODE)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock
