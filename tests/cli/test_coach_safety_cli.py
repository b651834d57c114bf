"""Issue 11's safety rules at the command line's other entry points: import, correct, the paused
calendar, a re-baseline after a pain stop, warning signs kept through export and correction."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from icalendar import Calendar

from pushup_coach.cli import cli
from pushup_coach.coach.history import Symptom
from pushup_coach.coach.screening import QUESTION_KEYS
from pushup_coach.errors import CoachError
from pushup_coach.storage import Store

OK = ("--rpe", "6", "--pain", "0")


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'coach.db'}"
    monkeypatch.setenv("PUSHUP_COACH_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("PUSHUP_COACH_DB", url)
    return url


def run(*args: str, input: str | None = None) -> Result:
    result = CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result


def refused(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args))
    assert isinstance(result.exception, CoachError), result.output
    return str(result.exception)


def screened(tmp_path: Path, *yes: str, profile: str = "ana") -> None:
    answers = tmp_path / f"{profile}.json"
    answers.write_text(json.dumps({k: k in yes for k in QUESTION_KEYS}))
    run("screen", "--profile", profile, "--answers", str(answers), "--tz", "UTC", "--consent")


def plan_summaries(tmp_path: Path, day: str) -> list[str]:
    ics = tmp_path / "week.ics"
    run("plan", "--profile", "ana", "--from", day, "--ical", str(ics))
    return [str(e["summary"]) for e in Calendar.from_ical(ics.read_bytes()).walk("VEVENT")]


def log(day: str, variation: str, sets: str, *checkin: str) -> Result:
    return run(
        "log", "--profile", "ana", "--variation", variation, "--sets", sets, "--date", day, *checkin
    )


def test_imported_archer_sessions_plan_no_archer_for_a_back_condition(
    db: str, tmp_path: Path
) -> None:
    screened(tmp_path, "back_condition")
    run("screen", "--profile", "ana", "--cleared")
    run(
        "baseline",
        "--profile",
        "ana",
        "--variation",
        "diamond",
        "--reps",
        "15",
        "--date",
        "2026-03-01",
    )
    log("2026-03-02", "archer", "12,12,12", *OK)
    log("2026-03-04", "archer", "12,12,12", *OK)
    run("export", "--profile", "ana", str(tmp_path / "out"))
    run("forget", "--profile", "ana", "--yes")
    run("import", str(tmp_path / "out"))
    assert plan_summaries(tmp_path, "2026-03-06") == [
        "Push-ups: 3 x 8 diamond push-ups",
        "Push-ups: 3 x 8 diamond push-ups",
        "Push-ups: 3 x 8 diamond push-ups",
    ]


def test_a_correction_to_a_spine_heavy_rung_is_capped(db: str, tmp_path: Path) -> None:
    screened(tmp_path, "back_pain_now")
    run("screen", "--profile", "ana", "--cleared")
    run(
        "baseline",
        "--profile",
        "ana",
        "--variation",
        "full",
        "--reps",
        "12",
        "--date",
        "2026-03-01",
    )
    log("2026-03-02", "full", "12,12,12", *OK)
    run("correct", "--profile", "ana", "--session", "1", "--variation", "decline")
    said = run("plan", "--profile", "ana", "--from", "2026-03-04").output
    assert (
        "Why this level: decline push-ups (feet raised) load the spine and are not offered " in said
    )
    assert set(plan_summaries(tmp_path, "2026-03-04")) == {"Push-ups: 3 x 8 full push-ups"}


def test_paused_plan_and_calendar_say_so_until_clear(db: str, tmp_path: Path) -> None:
    screened(tmp_path)
    run(
        "baseline",
        "--profile",
        "ana",
        "--variation",
        "knee",
        "--reps",
        "10",
        "--date",
        "2026-03-01",
    )
    log(
        "2026-03-02",
        "knee",
        "6,6,6",
        "--rpe",
        "6",
        "--pain",
        "1",
        "--pain-where",
        "leg",
        "--pain-kind",
        "radiating",
    )
    out = log(
        "2026-03-04",
        "low_incline",
        "6,6,6",
        "--rpe",
        "6",
        "--pain",
        "2",
        "--pain-where",
        "lower_back",
        "--pain-kind",
        "sharp",
    ).output
    assert out.splitlines()[1:] == [
        "PLAN PAUSED: recurring pain: pain ended 2 sessions within 7 days (2026-03-02 and "
        "2026-03-04). The plan is paused: see a professional before training again.",
        "See a healthcare professional before training again.",
        "When a professional has cleared you, record it with `pushup-coach clear --profile ana`.",
        "This is not medical advice.",
    ]
    ics = tmp_path / "paused.ics"
    text = run("plan", "--profile", "ana", "--from", "2026-03-06", "--ical", str(ics)).output
    assert text.startswith(
        "Plan for ana: PAUSED - no sessions until a professional clears you.\nWhy: recurring pain"
    )
    (event,) = Calendar.from_ical(ics.read_bytes()).walk("VEVENT")
    assert str(event["summary"]) == (
        "Push-ups paused: see a healthcare professional before training again"
    )
    assert str(event.decoded("dtstart")) == "2026-03-06"
    assert run("clear", "--profile", "ana").output.startswith("Clearance recorded for 'ana'")
    assert run("clear", "--profile", "ana").output == (
        "Nothing to clear: the plan of 'ana' is not paused.\n"
    )
    assert set(plan_summaries(tmp_path, "2026-03-06")) == {
        "Push-ups: 3 x 6 high incline push-ups (hands on a counter)"
    }


def test_a_rebaseline_the_day_after_a_pain_stop_is_capped(db: str, tmp_path: Path) -> None:
    screened(tmp_path)
    run(
        "baseline",
        "--profile",
        "ana",
        "--variation",
        "diamond",
        "--reps",
        "10",
        "--date",
        "2026-03-01",
    )
    log(
        "2026-03-02",
        "diamond",
        "8,8,8",
        "--rpe",
        "7",
        "--pain",
        "5",
        "--pain-where",
        "lower_back",
        "--pain-kind",
        "sharp",
    )
    said = run(
        "baseline",
        "--profile",
        "ana",
        "--variation",
        "diamond",
        "--reps",
        "15",
        "--date",
        "2026-03-03",
    ).output
    assert said.startswith(
        "Baseline: 15 clean diamond push-ups is within 5-19: start on diamond push-ups; capped at "
        "full push-ups because pain stopped your diamond push-ups on 2026-03-02, within 7 days"
    )


@pytest.mark.parametrize(
    "args",
    [
        ("baseline", "--variation", "knee", "--reps", "9"),
        ("log", "--variation", "knee", "--sets", "9,9,9", *OK),
    ],
)
def test_future_dates_are_one_line_errors(db: str, tmp_path: Path, args: tuple[str, ...]) -> None:
    screened(tmp_path)
    error = refused(*args, "--profile", "ana", "--date", "2031-01-01")
    assert error.startswith("date 2031-01-01 is in the future (today is ")
    with Store.open(db) as store:
        assert (store.sessions("ana"), store.latest_baseline("ana")) == ([], None)


def test_warning_signs_survive_a_correction_and_an_export(db: str, tmp_path: Path) -> None:
    screened(tmp_path)
    run(
        "baseline",
        "--profile",
        "ana",
        "--variation",
        "knee",
        "--reps",
        "10",
        "--date",
        "2026-03-01",
    )
    log("2026-03-02", "knee", "6,6,6", "--rpe", "6", "--pain", "0", "--symptoms", "fainting")
    run("correct", "--profile", "ana", "--session", "1", "--rpe", "5")
    with Store.open(db) as store:
        assert store.session("ana", 1).checkin.symptoms == frozenset({Symptom.FAINTING})  # type: ignore[union-attr]
    run("export", "--profile", "ana", str(tmp_path / "a"))
    run("forget", "--profile", "ana", "--yes")
    run("import", str(tmp_path / "a"))
    run("export", "--profile", "ana", str(tmp_path / "b"))
    first = json.loads((tmp_path / "a" / "profile.json").read_text())
    assert first == json.loads((tmp_path / "b" / "profile.json").read_text())
    assert first["sessions"][0]["checkin"]["symptoms"] == "fainting"
    (row,) = json.loads(run("history", "--profile", "ana", "--json").output)
    assert (row["warning_signs"], row["cleared"]) == (["fainting"], False)
    assert "PAUSED" in run("plan", "--profile", "ana", "--from", "2026-03-04").output
