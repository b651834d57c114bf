"""The batch manifest: one SQLite file in ``--out`` recording each item's state.

It lives beside the results it describes (not in the person's history database): a batch folder
is self-contained, can be moved or shared, and is read with any SQLite tool. Every change is one
committed transaction, so a batch killed with SIGKILL leaves the manifest as of its last finished
item; WAL mode lets a reader (a test, ``sqlite3``) look while the batch runs.

Table ``items``, one row per item key:
``state`` pending | running | done | failed; ``reason`` one line for a failure;
``sha256``, ``size``, ``mtime_ns`` the file analysed; ``settings`` the hash of the settings
(their JSON is in table ``settings``); ``attempts`` how often it was handed to a worker and
``analyses`` how many results were recorded, both counted since the content or settings last
changed (a resumed batch keeps ``analyses`` at 1); ``seconds`` the worker's time for it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from pushup_coach.batch.items import Stamp
from pushup_coach.errors import StorageError

MANIFEST_NAME = "batch-manifest.sqlite"
SCHEMA_VERSION = 1
_SCHEMA = """
CREATE TABLE IF NOT EXISTS settings (hash TEXT PRIMARY KEY, json TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS items (
    key TEXT PRIMARY KEY,
    path TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('pending', 'running', 'done', 'failed')),
    reason TEXT,
    sha256 TEXT NOT NULL,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    settings TEXT NOT NULL REFERENCES settings (hash),
    attempts INTEGER NOT NULL DEFAULT 0,
    analyses INTEGER NOT NULL DEFAULT 0,
    seconds REAL,
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
"""


class ItemState(StrEnum):
    PENDING = "pending"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


@dataclass(frozen=True)
class ItemRecord:
    """One row of ``items``."""

    key: str
    path: str
    state: ItemState
    reason: str | None
    stamp: Stamp
    settings: str
    attempts: int
    analyses: int
    seconds: float | None


class Manifest:
    """The open manifest of one ``--out`` folder; use :meth:`open` as a context manager."""

    def __init__(self, db: sqlite3.Connection, path: Path) -> None:
        self._db, self.path = db, path

    @classmethod
    @contextmanager
    def open(cls, out_dir: Path) -> Iterator[Manifest]:
        path = out_dir / MANIFEST_NAME
        try:
            db = sqlite3.connect(path, isolation_level=None, timeout=30)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=FULL")  # a done item stays done through a power cut
            _migrate(db, path)
        except sqlite3.Error as exc:
            raise StorageError(
                f"cannot open the batch manifest {path}: {exc}; delete it to start the batch over"
            ) from exc
        try:
            yield cls(db, path)
        finally:
            db.close()

    def records(self) -> dict[str, ItemRecord]:
        """Every item recorded so far, by key."""
        rows = self._db.execute(
            "SELECT key, path, state, reason, size, mtime_ns, sha256, settings, attempts, "
            "analyses, seconds FROM items"
        )
        return {row[0]: _record(row) for row in rows}

    def plan(self, key: str, path: str, stamp: Stamp, settings: str, settings_text: str) -> None:
        """Record ``key`` as it is now; its counters restart when its content or settings changed,
        and a ``running`` left by a killed batch becomes ``pending`` again."""
        with self._transaction() as db:
            db.execute("INSERT OR IGNORE INTO settings VALUES (?, ?)", (settings, settings_text))
            db.execute(
                "INSERT INTO items (key, path, state, sha256, size, mtime_ns, settings) "
                "VALUES (?, ?, 'pending', ?, ?, ?, ?) ON CONFLICT (key) DO UPDATE SET "
                "path = excluded.path, size = excluded.size, mtime_ns = excluded.mtime_ns, "
                "state = CASE WHEN sha256 = excluded.sha256 AND settings = excluded.settings "
                "AND state != 'running' THEN state ELSE 'pending' END, "
                "attempts = CASE WHEN sha256 = excluded.sha256 AND settings = excluded.settings "
                "THEN attempts ELSE 0 END, "
                "analyses = CASE WHEN sha256 = excluded.sha256 AND settings = excluded.settings "
                "THEN analyses ELSE 0 END, "
                "sha256 = excluded.sha256, settings = excluded.settings",
                (key, path, stamp.sha256, stamp.size, stamp.mtime_ns, settings),
            )

    def start(self, key: str) -> None:
        """``key`` was handed to a worker."""
        self._set(key, "state = 'running', reason = NULL, attempts = attempts + 1")

    def finish(self, key: str, seconds: float) -> None:
        """``key``'s results are written."""
        self._set(key, "state = 'done', analyses = analyses + 1, seconds = ?", seconds)

    def fail(self, key: str, reason: str, seconds: float | None) -> None:
        self._set(key, "state = 'failed', reason = ?, seconds = ?", reason, seconds)

    def _set(self, key: str, assignments: str, *values: object) -> None:
        with self._transaction() as db:
            db.execute(
                f"UPDATE items SET {assignments}, "
                "updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE key = ?",
                (*values, key),
            )

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        try:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")
        except sqlite3.Error as exc:
            raise StorageError(f"cannot update the batch manifest {self.path}: {exc}") from exc


def _migrate(db: sqlite3.Connection, path: Path) -> None:
    version = db.execute("PRAGMA user_version").fetchone()[0]
    if version == SCHEMA_VERSION:  # nothing to write: a reader never waits for the batch
        return
    if version > SCHEMA_VERSION:
        raise StorageError(
            f"{path} was written by a newer pushup-coach (manifest version {version}); "
            "upgrade pushup-coach or use another --out folder"
        )
    db.executescript(f"BEGIN IMMEDIATE; {_SCHEMA} PRAGMA user_version = {SCHEMA_VERSION}; COMMIT;")


def _record(row: tuple) -> ItemRecord:
    key, path, state, reason, size, mtime_ns, sha256, settings, attempts, analyses, seconds = row
    return ItemRecord(
        key,
        path,
        ItemState(state),
        reason,
        Stamp(size, mtime_ns, sha256),
        settings,
        attempts,
        analyses,
        seconds,
    )
