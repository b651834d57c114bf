"""Eight commands started together on a new or an existing database all succeed (issue 14 item 7).

Each process opens the store (the first use migrates) and writes a profile with a session; on a
fresh database they race for the migration. SQLite and PostgreSQL (``db_url`` runs both).
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import traceback
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine

from pushup_coach.coach.ladder import Rung
from pushup_coach.storage import NewSession, Store

PROCESSES = 8


def _first_use(url: str, files: str, name: str, start: Any, results: Any) -> None:
    try:
        start.wait(timeout=120)
        with Store.open(url, Path(files)) as store:
            store.create_profile(name, "UTC", "mon,wed,fri", dt.datetime(2026, 3, 1))
            store.add_session(
                name, NewSession(dt.date(2026, 3, 2), "manual", Rung.KNEE, (10,), (9,))
            )
            results.put((name, "ok"))
    except BaseException:  # the parent reports what went wrong in the child
        results.put((name, traceback.format_exc(limit=3)))


def _race(url: str, files: Path, prefix: str) -> dict[str, str]:
    ctx = multiprocessing.get_context("fork")
    start, results = ctx.Barrier(PROCESSES), ctx.Queue()
    names = [f"{prefix}{i}" for i in range(PROCESSES)]
    procs = [
        ctx.Process(target=_first_use, args=(url, str(files), n, start, results)) for n in names
    ]
    for p in procs:
        p.start()
    outcome = dict(results.get(timeout=300) for _ in procs)
    for p in procs:
        p.join(timeout=60)
    return outcome


def _sessions(url: str) -> int:
    engine = create_engine(url)
    with engine.connect() as conn:
        n = int(conn.exec_driver_sql("SELECT count(*) FROM sessions").scalar() or 0)
    engine.dispose()
    return n


def test_eight_first_uses_then_eight_more_all_succeed(db_url: str, tmp_path: Path) -> None:
    fresh = _race(db_url, tmp_path / "files", "new")
    assert fresh == {f"new{i}": "ok" for i in range(PROCESSES)}
    existing = _race(db_url, tmp_path / "files", "old")
    assert existing == {f"old{i}": "ok" for i in range(PROCESSES)}
    assert _sessions(db_url) == 2 * PROCESSES
