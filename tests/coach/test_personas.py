"""Scripted people through the real command line: no one ever gets an unsafe plan (issue 11).

Each persona screens, tests a baseline, follows (or breaks) the plan for weeks, and after every
step the week's plan and its calendar are checked: no spine-heavy rung for a back condition, no
plan while paused or red-flagged, no start above the tested max, no rung jump, no session the day
after a logged one.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from icalendar import Calendar

from pushup_coach.cli import cli
from pushup_coach.coach.calendar import PAUSED_SUMMARY
from pushup_coach.coach.ladder import LADDER, SPINE_HEAVY, Rung
from pushup_coach.coach.screening import QUESTION_KEYS
from pushup_coach.errors import CoachError

MONDAY = dt.date(2026, 3, 2)
BY_LABEL = {r.label: r for r in LADDER}
SUMMARY = re.compile(r"^Push-ups: (\d+) x (\d+) (.+)$")


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("PUSHUP_COACH_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("PUSHUP_COACH_DB", f"sqlite:///{tmp_path / 'coach.db'}")
    return tmp_path


def run(*args: str, input: str | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)


def refused(*args: str) -> str:
    """The one-line error a command stops with (the CLI prints it as ``error: ...``)."""
    result = CliRunner().invoke(cli, list(args))
    assert isinstance(result.exception, CoachError), result.output
    return str(result.exception)


@dataclass(frozen=True)
class Week:
    """One ``plan`` run: its text, and the sessions its calendar holds."""

    output: str
    sessions: tuple[tuple[dt.date, Rung, int, int], ...]  # (day, rung, sets, reps)
    paused: bool


@dataclass
class Person:
    name: str
    folder: Path
    back: bool = False  # said yes to a back question: never a spine-heavy rung
    paused: bool = False
    last_logged: dt.date | None = None
    tested_max: tuple[Rung, int] | None = None  # right after a baseline

    def screen(self, *yes: str) -> None:
        answers = self.folder / f"{self.name}.json"
        answers.write_text(json.dumps({k: k in yes for k in QUESTION_KEYS}))
        result = run(
            "screen", "--profile", self.name, "--answers", str(answers), "--tz", "UTC", "--consent"
        )
        assert result.exit_code == 0, result.output
        self.back = self.back or "back_condition" in yes or "back_pain_now" in yes

    def baseline(self, on: dt.date, rung: Rung, reps: int) -> Result:
        result = self.do(
            "baseline", "--variation", rung.value, "--reps", str(reps), "--date", str(on)
        )
        self.tested_max = (rung, reps)
        return result

    def log(self, on: dt.date, rung: Rung, sets: tuple[int, ...], *checkin: str) -> Result:
        counts = ",".join(map(str, sets))
        result = self.do(
            "log", "--variation", rung.value, "--sets", counts, "--date", str(on), *checkin
        )
        self.last_logged, self.tested_max = on, None
        self.paused = "PLAN PAUSED" in result.output
        return result

    def do(self, *args: str, input: str | None = None) -> Result:
        result = run(args[0], "--profile", self.name, *args[1:], input=input)
        assert result.exit_code == 0, result.output
        return result

    def plan(self, on: dt.date) -> Week:
        ics = self.folder / f"{self.name}.ics"
        output = self.do("plan", "--from", str(on), "--ical", str(ics)).output
        events = list(Calendar.from_ical(ics.read_bytes()).walk("VEVENT"))
        sessions = []
        for event in events:
            match = SUMMARY.match(str(event["summary"]))
            if match is None:
                assert str(event["summary"]) == PAUSED_SUMMARY
                continue
            sets, reps, label = match.groups()
            day = event.decoded("dtstart").date()
            sessions.append((day, BY_LABEL[label], int(sets), int(reps)))
        week = Week(output, tuple(sessions), "PAUSED" in output)
        self.check(week, events)
        return week

    def check(self, week: Week, events: list[object]) -> None:
        """The safety invariants every plan must keep."""
        assert week.paused is self.paused, week.output
        if week.paused:
            assert week.sessions == ()
            assert len(events) == 1
            return
        assert week.sessions, week.output
        for day, rung, sets, reps in week.sessions:
            if self.back:
                assert rung not in SPINE_HEAVY, week.output
            assert 1 <= reps <= 12 and sets in (2, 3)
            if self.last_logged is not None:
                assert (day - self.last_logged).days >= 2
            if self.tested_max is not None and self.tested_max[0] == rung:
                assert reps <= self.tested_max[1]


def follow(person: Person, first: dt.date, weeks: int, rpe: int = 7, extra: int = 0) -> list[Rung]:
    """Do exactly what each week's plan says (``extra`` reps more per set); the rungs done."""
    done = []
    day = first
    for _ in range(weeks):
        week = person.plan(day)
        for on, rung, sets, reps in week.sessions:
            person.log(on, rung, (min(12, reps + extra),) * sets, "--rpe", str(rpe), "--pain", "0")
            done.append(rung)
        day += dt.timedelta(days=7)
    return done


def test_healthy_beginner_builds_reps_then_moves_one_rung_at_a_time(home: Path) -> None:
    ana = Person("ana", home)
    ana.screen()
    ana.baseline(MONDAY - dt.timedelta(days=1), Rung.KNEE, 6)
    assert ana.plan(MONDAY).sessions[0][1:] == (Rung.KNEE, 3, 4)  # 60% of 6, never above it
    done = follow(ana, MONDAY, weeks=8, extra=1)
    assert done[0] == Rung.KNEE and Rung.FULL in done
    levels = [r.level for r in done]
    assert all(abs(b - a) <= 1 for a, b in itertools.pairwise(levels))
    assert done.index(Rung.FULL) >= 8  # reps built up over weeks before the move


@pytest.mark.parametrize("answer", ["back_condition", "back_pain_now"])
@pytest.mark.parametrize("cleared", [False, True])
def test_back_condition_never_reaches_a_spine_heavy_rung(
    home: Path, answer: str, cleared: bool
) -> None:
    ben = Person("ben", home)
    ben.screen(answer)
    if cleared:
        ben.do("screen", "--cleared")
    ben.baseline(MONDAY - dt.timedelta(days=1), Rung.DIAMOND, 25)
    follow(ben, MONDAY, weeks=3, extra=6)
    ben.log(MONDAY + dt.timedelta(days=22), Rung.ARCHER, (12, 12, 12), "--rpe", "6", "--pain", "0")
    ben.log(MONDAY + dt.timedelta(days=24), Rung.ARCHER, (12, 12, 12), "--rpe", "6", "--pain", "0")
    week = ben.plan(MONDAY + dt.timedelta(days=26))
    assert {rung for _, rung, _, _ in week.sessions} == {Rung.DIAMOND if cleared else Rung.KNEE}


def test_red_flag_gets_no_plan_and_stores_no_session(home: Path) -> None:
    cy = Person("cy", home)
    cy.screen("night_pain")
    said = "your screening found a red flag: no plan is made. See a healthcare professional now."
    assert refused("plan", "--profile", "cy", "--from", str(MONDAY)).startswith(said)
    logged = refused("log", "--profile", "cy", "--variation", "knee", "--sets", "9", "--pain", "0")
    assert logged.startswith(said)


def test_recurring_pain_pauses_until_clearance(home: Path) -> None:
    dee = Person("dee", home)
    dee.screen()
    dee.baseline(MONDAY - dt.timedelta(days=1), Rung.FULL, 12)
    pain = ("--rpe", "6", "--pain", "4", "--pain-where", "shoulder", "--pain-kind", "ache")
    dee.log(MONDAY, Rung.FULL, (7, 7, 7), *pain)
    assert not dee.paused
    dee.plan(MONDAY + dt.timedelta(days=1))
    dee.log(MONDAY + dt.timedelta(days=2), Rung.KNEE, (8, 8, 8), *pain)
    assert dee.paused
    for day in range(3, 30, 5):
        dee.plan(MONDAY + dt.timedelta(days=day))  # paused, whatever the day
    assert refused("baseline", "--profile", "dee", "--variation", "wall", "--reps", "5").startswith(
        "no baseline while your plan is paused: recurring pain: you reported pain 3/10 or more in "
        "2 of 2 sessions in a row (4/10 on 2026-03-02, 4/10 on 2026-03-04)."
    )
    assert "Clearance recorded for 'dee'" in dee.do("clear").output
    dee.paused = False
    week = dee.plan(MONDAY + dt.timedelta(days=4))
    assert {rung for _, rung, _, _ in week.sessions} == {Rung.LOW_INCLINE}


def test_chest_pain_at_a_low_level_stops_now_and_pauses(home: Path) -> None:
    eve = Person("eve", home)
    eve.screen()
    eve.baseline(MONDAY - dt.timedelta(days=1), Rung.KNEE, 10)
    result = eve.do(
        "log",
        "--variation",
        "knee",
        "--date",
        str(MONDAY),
        input="6,6,6\n6\n1\nchest\ndull\nnone\n",
    )
    assert "PLAN PAUSED: you reported chest pain during exercise on 2026-03-02. Stop now and " in (
        result.output
    )
    assert "Stop now and seek medical advice now." in result.output
    eve.paused, eve.last_logged = True, MONDAY
    eve.plan(MONDAY + dt.timedelta(days=2))
    eve.do("clear")
    eve.paused = False
    eve.plan(MONDAY + dt.timedelta(days=2))


def test_dizziness_reported_at_the_prompt_pauses(home: Path) -> None:
    fay = Person("fay", home)
    fay.screen()
    fay.baseline(MONDAY - dt.timedelta(days=1), Rung.KNEE, 10)
    result = fay.do(
        "log", "--variation", "knee", "--date", str(MONDAY), input="6,6,6\n5\n0\ndizziness\n"
    )
    assert "PLAN PAUSED: you reported dizziness during exercise" in result.output
    fay.paused, fay.last_logged = True, MONDAY
    fay.plan(MONDAY + dt.timedelta(days=3))


def test_high_effort_is_held_and_maximal_effort_short_is_eased(home: Path) -> None:
    gus = Person("gus", home)
    gus.screen()
    gus.baseline(MONDAY - dt.timedelta(days=1), Rung.KNEE, 20)
    week = gus.plan(MONDAY)
    assert week.sessions[0][1:] == (Rung.FULL, 3, 5)  # a harder rung than tested: 5 per set
    for i in range(4):  # 12s every time, but at RPE 9: never moved up
        gus.log(
            MONDAY + dt.timedelta(days=2 * i), Rung.FULL, (12, 12, 12), "--rpe", "9", "--pain", "0"
        )
        assert {r for _, r, _, _ in gus.plan(MONDAY + dt.timedelta(days=2 * i + 1)).sessions} == {
            Rung.FULL
        }
    gus.log(MONDAY + dt.timedelta(days=10), Rung.FULL, (9, 7, 6), "--rpe", "10", "--pain", "0")
    week = gus.plan(MONDAY + dt.timedelta(days=11))
    assert {(r, reps) for _, r, _, reps in week.sessions} == {(Rung.FULL, 5)}


def test_a_long_break_restarts_lower_and_future_dates_are_refused(home: Path) -> None:
    hal = Person("hal", home)
    hal.screen()
    hal.baseline(MONDAY - dt.timedelta(days=1), Rung.FULL, 10)
    hal.log(MONDAY, Rung.FULL, (8, 8, 8), "--rpe", "7", "--pain", "0")
    week = hal.plan(MONDAY + dt.timedelta(days=20))
    assert {r for _, r, _, _ in week.sessions} == {Rung.KNEE}
    future = refused(
        "log", "--profile", "hal", "--variation", "full", "--sets", "9,9,9", "--date", "2031-01-01"
    )
    assert re.fullmatch(
        r"date 2031-01-01 is in the future \(today is [-0-9]+\); give today or earlier", future
    )
