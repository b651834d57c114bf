"""The four-week example history: stored, replayed through the rules, and plotted."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from history_builder import four_week_history

from pushup_coach.coach.history_plot import faults_by_week, point_from_session, render_history
from pushup_coach.coach.ladder import Rung
from pushup_coach.coach.progression import Action, decide_next
from pushup_coach.storage import Store


def test_four_week_history_follows_the_rules() -> None:
    history = [s.to_record() for s in four_week_history()]
    decisions = [decide_next(history[: i + 1]) for i in range(len(history))]
    assert [d.action for d in decisions] == [
        Action.STAY,
        Action.STAY,
        Action.STAY,
        Action.STAY,
        Action.STAY,
        Action.STAY,
        Action.PROGRESS,
        Action.STAY,
        Action.STOP,
        Action.STAY,
        Action.PROGRESS,
        Action.STAY,
    ]
    # the rung each session was done at is the rung the previous decision asked for
    assert [d.next for d in decisions[:-1]] == [s.rung for s in history[1:]]


def test_four_week_history_plot(db_url: str, tmp_path: Path) -> None:
    with Store.open(db_url) as store:
        store.create_profile("ana", "Europe/Berlin", "mon,wed,fri")
        for s in four_week_history():
            store.add_session("ana", s)
        points = [point_from_session(s) for s in store.sessions("ana")]
    assert [p.rung for p in points][6:9] == [Rung.KNEE, Rung.FULL, Rung.FULL]
    assert [p.pain_stopped for p in points].count(True) == 1
    weeks = faults_by_week(points)
    assert list(weeks) == [
        dt.date(2026, 3, 2),
        dt.date(2026, 3, 9),
        dt.date(2026, 3, 16),
        dt.date(2026, 3, 23),
    ]
    assert weeks[dt.date(2026, 3, 2)] == {"hip_sag": 3, "too_fast": 5, "unspecified": 4}
    png = render_history(points, tmp_path / "history.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert png.stat().st_size > 20_000
    page = render_history(points, tmp_path / "history.html").read_text()
    assert page.count("<tr>") == 13 and "<svg" in page
