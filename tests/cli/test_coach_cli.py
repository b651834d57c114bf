"""The coach commands as a new user types them: prompts, outputs, errors, nothing saved wrong."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from icalendar import Calendar

from pushup_coach.cli import cli, main
from pushup_coach.coach.history import CheckIn
from pushup_coach.coach.screening import QUESTION_KEYS
from pushup_coach.errors import ConfigError
from pushup_coach.storage import Store, save_analysis

NO_TO_ALL = {k: False for k in QUESTION_KEYS}


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'coach.db'}"
    monkeypatch.setenv("PUSHUP_COACH_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("PUSHUP_COACH_DB", url)
    return url


def run(*args: str, input: str | None = None) -> Result:
    result = CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)
    return result


def run_main(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Through the real entry point, which turns CoachErrors into one line and exit 1."""
    with pytest.raises(SystemExit) as info:
        main(list(args))
    out, err = capsys.readouterr()
    return int(info.value.code or 0), out, err


def screened(tmp_path: Path, *yes: str, profile: str = "ana") -> None:
    answers = tmp_path / f"answers-{profile}.json"
    answers.write_text(json.dumps({**NO_TO_ALL, **dict.fromkeys(yes, True)}))
    result = run(
        "screen",
        "--profile",
        profile,
        "--answers",
        str(answers),
        "--tz",
        "Europe/Berlin",
        "--consent",
    )
    assert result.exit_code == 0, result.output


def test_screen_from_yaml_file_clear(db: str, tmp_path: Path) -> None:
    answers = tmp_path / "a.yaml"
    answers.write_text("\n".join(f"{k}: no" for k in QUESTION_KEYS))
    result = run("screen", "--answers", str(answers), "--tz", "UTC", "--consent")
    assert result.exit_code == 0
    assert result.output == (
        "Screening for 'default': clear - no yes answers: the normal plan applies.\n"
        "This is not medical advice.\n"
    )


def test_screen_interactive_red_flag_blocks_the_plan(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = ["n"] * len(QUESTION_KEYS)
    answers[QUESTION_KEYS.index("leg_numbness")] = "y"
    result = run("screen", "--profile", "ana", input="\n".join(["y", *answers]) + "\n")
    assert result.exit_code == 0
    assert result.output.endswith(
        "Screening for 'ana': red_flag - red flag: leg_numbness. No plan is made.\n"
        "See a healthcare professional now, before any exercise.\n"
        "This is not medical advice.\n"
    )
    code, out, err = run_main(capsys, "plan", "--profile", "ana")
    assert (code, out) == (1, "")
    assert err == (
        "error: your screening found a red flag: no plan is made. See a healthcare professional "
        "now. Not medical advice.\n"
    )


def test_consult_plan_is_conservative_until_clearance(db: str, tmp_path: Path) -> None:
    screened(tmp_path, "back_condition")
    assert run("baseline", "--profile", "ana", "--variation", "full", "--reps", "10").output == (
        "Baseline: 10 clean full push-ups is within 5-19: start on full push-ups; capped at knee "
        "push-ups until your clearance is recorded, 6 reps per set to start.\n"
        "Next: `pushup-coach plan` shows your week.\n"
    )
    before = run("plan", "--profile", "ana", "--from", "2026-03-02").output
    assert "│ Mon 02 Mar │ 18:00 │ knee push-ups │ 2 x 6" in before
    assert run("screen", "--profile", "ana", "--cleared").exit_code == 0
    after = run("plan", "--profile", "ana", "--from", "2026-03-02").output
    assert "│ Mon 02 Mar │ 18:00 │ full push-ups │ 3 x 6" in after


def test_baseline_from_analysis_report_and_plan_with_ical(db: str, tmp_path: Path) -> None:
    screened(tmp_path)
    report = tmp_path / "report.json"
    reps = [{"index": i, "faults": [], "verdict": "clean", "score": 90} for i in range(9)]
    reps += [{"index": i, "faults": ["hip_sag"], "verdict": "faulty", "score": 70} for i in (9, 10)]
    report.write_text(json.dumps({"variation": "knee", "rep_count": 11, "reps": reps}))
    assert run(
        "baseline", "--profile", "ana", "--report", str(report), "--date", "2026-03-01"
    ).output.startswith(
        "Baseline: 9 clean knee push-ups is within 5-19: start on knee push-ups, 5 reps per set "
        "(about 60% of your max, never above it).\n"
    )
    ics = tmp_path / "week.ics"
    result = run(
        "plan",
        "--profile",
        "ana",
        "--from",
        "2026-03-07",
        "--days",
        "tue,thu,sat",
        "--ical",
        str(ics),
    )
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert [line.split("│")[1].strip() for line in lines if line.startswith("│")] == [
        "Sat 07 Mar",
        "Tue 10 Mar",
        "Thu 12 Mar",
    ]
    assert (
        "Why this level: baseline: 9 clean knee push-ups is within 5-19: start on knee push-ups, "
        "5 reps per set (about 60% of your max, never above it)." in lines
    )
    events = list(Calendar.from_ical(ics.read_bytes()).walk("VEVENT"))
    assert [str(e["uid"]) for e in events] == [
        "2026-03-07-ana@pushup-coach",
        "2026-03-10-ana@pushup-coach",
        "2026-03-12-ana@pushup-coach",
    ]
    with Store.open(db) as store:
        assert store.get_profile("ana").training_days == "tue,thu,sat"


def test_log_progression_explains_itself(db: str, tmp_path: Path) -> None:
    screened(tmp_path)
    run(
        "baseline",
        "--profile",
        "ana",
        "--variation",
        "knee",
        "--reps",
        "12",
        "--date",
        "2026-03-01",
    )
    first = run(
        "log",
        "--profile",
        "ana",
        "--sets",
        "12,12,12",
        "--rpe",
        "7",
        "--pain",
        "0",
        "--date",
        "2026-03-02",
    )
    assert first.output == (
        "Saved session 1: knee push-ups, clean reps 12,12,12 on 2026-03-02.\n"
        "Next session: every set reached 12 clean reps (12, 12, 12): do it again next session to "
        "move up to full push-ups.\n"
    )
    second = run(
        "log",
        "--profile",
        "ana",
        "--sets",
        "13,12,12",
        "--rpe",
        "7",
        "--pain",
        "0",
        "--date",
        "2026-03-04",
    )
    assert second.output.splitlines()[1] == (
        "Next session: every set reached 12 clean reps in 2 sessions in a row: next session moves "
        "up from knee push-ups to full push-ups."
    )


def test_log_interactive_with_pain_override(db: str, tmp_path: Path) -> None:
    screened(tmp_path)
    run(
        "baseline",
        "--profile",
        "ana",
        "--variation",
        "full",
        "--reps",
        "10",
        "--date",
        "2026-03-01",
    )
    result = run(
        "log",
        "--profile",
        "ana",
        "--date",
        "2026-03-02",
        input="10,9,8\n7\n4\nlower_back\nsharp\nnone\n",
    )
    assert result.exit_code == 0
    assert result.output.splitlines()[-4:] == [
        "Saved session 1: full push-ups, clean reps 10,9,8 on 2026-03-02.",
        "STOP: pain overrides everything: you reported pain 4/10 in the lower back, sharp, "
        "which is 3/10 or more. This ends the session; next session moves down from full "
        "push-ups to knee push-ups.",
        "Stop for today and rest. If the pain persists or comes back, see a healthcare "
        "professional before training again.",
        "This is not medical advice.",
    ]


ERROR_CASES = [
    (
        "pain 14",
        [
            "log",
            "--profile",
            "ana",
            "--variation",
            "knee",
            "--sets",
            "9,9",
            "--rpe",
            "5",
            "--pain",
            "14",
        ],
        "error: pain must be 0-10, got 14\n",
    ),
    (
        "bad date",
        [
            "log",
            "--profile",
            "ana",
            "--variation",
            "knee",
            "--sets",
            "9",
            "--date",
            "02/03/2026",
            "--pain",
            "0",
        ],
        "error: date must be YYYY-MM-DD, got '02/03/2026'\n",
    ),
    (
        "unknown profile",
        ["history", "--profile", "bob"],
        "error: no profile 'bob'; create it with `pushup-coach screen --profile bob`\n",
    ),
    (
        "bad sets",
        ["log", "--profile", "ana", "--variation", "knee", "--sets", "9,x"],
        "error: reps per set must be whole numbers separated by commas (e.g. 10,9,8), got '9,x'\n",
    ),
    (
        "back to back days",
        ["plan", "--profile", "ana", "--days", "mon,tue,thu"],
        "error: training days must not be back to back: mon and tue leave no rest day between\n",
    ),
    (
        "unknown variation",
        ["log", "--profile", "ana", "--variation", "clapping", "--sets", "9"],
        "error: 'clapping' push-ups load the spine most and are never planned; choose one of: "
        "wall, high_incline, low_incline, knee, full, decline, diamond, archer\n",
    ),
    (
        "no baseline",
        ["plan", "--profile", "ana"],
        "error: no baseline yet: run `pushup-coach baseline --variation knee --reps 9` (your max "
        "clean reps at a variation) or `baseline --report REPORT.json`\n",
    ),
]


@pytest.mark.parametrize(
    ("args", "err"), [c[1:] for c in ERROR_CASES], ids=[c[0] for c in ERROR_CASES]
)
def test_errors_are_one_line_and_save_nothing(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], err: str
) -> None:
    screened(tmp_path)
    code, _, got = run_main(capsys, *args)
    assert (code, got) == (1, err)
    with Store.open(db) as store:
        assert store.sessions("ana") == []
        assert store.latest_baseline("ana") is None


def test_history_table_json_and_plot(db: str, tmp_path: Path) -> None:
    screened(tmp_path)
    run(
        "log",
        "--profile",
        "ana",
        "--variation",
        "knee",
        "--sets",
        "10,9",
        "--all-reps",
        "12,9",
        "--rpe",
        "6",
        "--pain",
        "2",
        "--pain-where",
        "wrist",
        "--pain-kind",
        "dull",
        "--date",
        "2026-03-02",
    )
    table = run("history", "--profile", "ana").output
    assert "│ 1  │ 2026-03-02 │ knee      │ 10/12 9/9" in table
    rows = json.loads(run("history", "--profile", "ana", "--json").output)
    assert rows == [
        {
            "id": 1,
            "date": "2026-03-02",
            "variation": "knee",
            "clean_reps": [10, 9],
            "all_reps": [12, 9],
            "form_score": None,
            "rpe": 6,
            "pain": 2,
            "warning_signs": [],
            "cleared": False,
            "source": "manual",
        }
    ]
    png = tmp_path / "h.png"
    assert run("history", "--profile", "ana", "--plot", str(png)).exit_code == 0
    assert png.read_bytes()[:4] == b"\x89PNG"


def test_correct_is_audited(db: str, tmp_path: Path) -> None:
    screened(tmp_path)
    run(
        "log",
        "--profile",
        "ana",
        "--variation",
        "knee",
        "--sets",
        "10,9",
        "--rpe",
        "6",
        "--pain",
        "3",
        "--pain-where",
        "wrist",
        "--pain-kind",
        "dull",
        "--date",
        "2026-03-02",
    )
    result = run(
        "correct",
        "--profile",
        "ana",
        "--session",
        "1",
        "--pain",
        "0",
        "--variation",
        "full",
        "--reason",
        "typed the wrong thing",
    )
    assert result.output == (
        "Corrected rung: knee -> full\n"
        "Corrected checkin: rpe=6 pain=3 location=wrist kind=dull -> rpe=6 pain=0 location=none "
        "kind=none\n"
    )
    with Store.open(db) as store:
        assert [(c.field, c.reason) for c in store.corrections("ana")] == [
            ("rung", "typed the wrong thing"),
            ("checkin", "typed the wrong thing"),
        ]


def test_correcting_pain_upward_asks_where_and_what_kind(db: str, tmp_path: Path) -> None:
    """The rules need the place and kind of any pain: a correction from "no pain" asks for them
    (the web form makes them fields) and stores what the person answered."""
    screened(tmp_path)
    run(
        "log", "--profile", "ana", "--variation", "knee", "--sets", "8", "--rpe", "6", "--pain", "0"
    )
    result = run(
        "correct", "--profile", "ana", "--session", "1", "--pain", "4", input="wrist\nsharp\n"
    )
    assert result.exit_code == 0, result.output
    assert result.output.endswith(
        "Corrected checkin: rpe=6 pain=0 location=none kind=none -> rpe=6 pain=4 "
        "location=wrist kind=sharp\n"
    )
    with pytest.raises(ConfigError, match="pain must be 0-10"):  # before any question
        run("correct", "--profile", "ana", "--session", "1", "--pain", "11", input="")


def test_export_forget_import_from_the_command_line(db: str, tmp_path: Path) -> None:
    screened(tmp_path)
    screened(tmp_path, profile="ben")
    run(
        "log",
        "--profile",
        "ana",
        "--variation",
        "knee",
        "--sets",
        "10,9",
        "--rpe",
        "6",
        "--pain",
        "0",
    )
    out = tmp_path / "export"
    assert (
        run("export", "--profile", "ana", str(out)).output
        == f"Exported 'ana' to {out} (10 files).\n"
    )
    # the same files as the web app's export: the web analyses of uploads too (none here)
    assert json.loads((out / "analyses.json").read_text()) == []
    kept = run("forget", "--profile", "ana", input="n\n")
    assert kept.exit_code == 1
    with Store.open(db) as store:
        assert store.has_profile("ana")
    gone = run("forget", "--profile", "ana", input="y\n")
    assert gone.output.endswith(
        "Forgot 'ana': 1 sessions, 1 screenings, 0 baselines, 0 corrections "
        "and kept files deleted.\n"
    )
    with Store.open(db) as store:
        assert store.profile_names() == ["ben"]
    assert run("import", str(out)).output == "Imported profile 'ana' with 1 sessions.\n"
    again = tmp_path / "again"
    run("export", "--profile", "ana", str(again))
    assert json.loads((again / "profile.json").read_text()) == json.loads(
        (out / "profile.json").read_text()
    )


def test_help_lists_the_coach_commands() -> None:
    output = run("--help").output
    for name in (
        "screen",
        "baseline",
        "plan",
        "log",
        "history",
        "export",
        "import",
        "forget",
        "correct",
    ):
        assert f"  {name} " in output


def test_unknown_time_zone_creates_no_profile(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = tmp_path / "a.json"
    answers.write_text(json.dumps(NO_TO_ALL))
    code, _, err = run_main(capsys, "screen", "--answers", str(answers), "--tz", "Mars/Olympus")
    assert (code, err) == (
        1,
        "error: unknown time zone 'Mars/Olympus'; use an IANA name such as Europe/Berlin\n",
    )
    with Store.open(db) as store:
        assert store.profile_names() == []


def test_checkin_for_an_analysed_session(db: str, tmp_path: Path) -> None:
    screened(tmp_path)
    report = {
        "variation": "knee",
        "sets": [{"index": 0, "rep_count": 3, "reps": [0, 1, 2]}],
        "reps": [{"index": i, "faults": [], "verdict": "clean", "score": 90} for i in range(3)],
    }
    sid = save_analysis(None, "ana", report, None, dt.datetime(2026, 3, 2, 18, 0))
    result = run("log", "--profile", "ana", "--session", str(sid), input="6\n0\nnone\n")
    assert result.output.splitlines()[-2:] == [
        f"Check-in saved for session {sid}.",
        "Next session: set 1 had 3 clean reps, under 5: next session moves down from knee push-ups "
        "to low incline push-ups (hands on a bench or step).",
    ]
    with Store.open(db) as store:
        assert store.session("ana", sid).checkin == CheckIn(0, 6)


def test_plan_tz_change_moves_the_start_time(db: str, tmp_path: Path) -> None:
    screened(tmp_path)
    run(
        "baseline", "--profile", "ana", "--variation", "knee", "--reps", "9", "--date", "2026-03-01"
    )
    ics = tmp_path / "w.ics"
    run(
        "plan",
        "--profile",
        "ana",
        "--tz",
        "America/New_York",
        "--from",
        "2026-03-02",
        "--ical",
        str(ics),
    )
    first = next(iter(Calendar.from_ical(ics.read_bytes()).walk("VEVENT")))
    assert first.decoded("dtstart") == dt.datetime(2026, 3, 2, 23, 0, tzinfo=dt.UTC)
    with Store.open(db) as store:
        assert store.get_profile("ana").timezone == "America/New_York"


@pytest.mark.parametrize(
    ("args", "err"),
    [
        (["history", "--db", "nosuchdb://x"], "error: cannot use database URL 'nosuchdb://x': "),
        (
            ["screen", "--answers", "missing.yaml"],
            "error: cannot read screening answers missing.yaml",
        ),
    ],
)
def test_input_errors(
    db: str, capsys: pytest.CaptureFixture[str], args: list[str], err: str
) -> None:
    code, _, got = run_main(capsys, *args)
    assert code == 1
    assert got.startswith(err)
    assert got.count("\n") == 1


def test_red_flag_log_is_refused_and_nothing_saved(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    screened(tmp_path, "night_pain")
    args = ["log", "--profile", "ana", "--variation", "knee", "--sets", "9", "--pain", "0"]
    code, _, err = run_main(capsys, *args)
    assert (code, err) == (
        1,
        "error: your screening found a red flag: no plan is made. See a healthcare professional "
        "now. Not medical advice.\n",
    )
    with Store.open(db) as store:
        assert store.sessions("ana") == []


@pytest.mark.parametrize(
    ("yes", "said"),
    [
        ((), "Nothing to clear: the screening of 'ana' had no yes answers.\n"),
        (
            ("dizziness",),
            "Clearance recorded for 'ana': your plan is no longer held to the "
            "conservative rungs.\n",
        ),
        (
            ("fever_back_pain",),
            "Clearance recorded for 'ana': a plan can be made now; after "
            "red-flag answers it stays on the conservative rungs.\n",
        ),
        (
            ("back_condition",),
            "Clearance recorded for 'ana': your plan may go past the conservative rungs; because "
            "you reported a back condition, decline, archer and other spine-heavy push-ups stay "
            "off it.\n",
        ),
    ],
)
def test_clearance_message(db: str, tmp_path: Path, yes: tuple[str, ...], said: str) -> None:
    screened(tmp_path, *yes)
    assert run("screen", "--profile", "ana", "--cleared").output == said
