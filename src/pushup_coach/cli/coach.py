"""Coach commands: ``screen``, ``baseline``, ``plan``, ``log`` and ``history``.

They parse, call the coach (pure rules) and storage, and print; every problem is a ``CoachError``
the CLI turns into one line and exit code 1. Nothing is saved when an input is wrong.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import click
import yaml
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from pushup_coach.app.coaching import (
    record_baseline,
    record_clearance,
    record_screening,
    update_settings,
    week_plan,
)
from pushup_coach.cli.coach_common import (
    DATE_FORMAT,
    NOT_MEDICAL_ADVICE,
    check_zone,
    coach_options,
    local_zone_name,
    parse_date,
    today_in,
)
from pushup_coach.cli.coach_data import (
    ask_consent,
    consent_command,
    correct_command,
    export_command,
    forget_command,
    import_command,
)
from pushup_coach.cli.coach_log import clear_command, history_command, log_command
from pushup_coach.coach.calendar import plan_to_ical
from pushup_coach.coach.ladder import parse_rung, rung_from_variation
from pushup_coach.coach.plan import (
    DEFAULT_DAYS,
    WeekPlan,
    format_days,
    parse_days,
)
from pushup_coach.coach.safety import CLEAR_COMMAND
from pushup_coach.coach.screening import (
    QUESTION_KEYS,
    QUESTIONS,
    parse_answers,
)
from pushup_coach.errors import ConfigError, InputError
from pushup_coach.storage import Store
from pushup_coach.storage.analysis import clean_reps_of_report
from pushup_coach.storage.consent import POLICY_DOC
from pushup_coach.storage.private import write_private

__all__ = [
    "baseline_command",
    "clear_command",
    "consent_command",
    "correct_command",
    "export_command",
    "forget_command",
    "history_command",
    "import_command",
    "log_command",
    "plan_command",
    "screen_command",
]


def _read_answers(path: Path) -> dict[str, Any]:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))  # YAML also reads JSON
    except (OSError, yaml.YAMLError) as exc:
        raise InputError(f"cannot read screening answers {path}: {exc}") from exc
    if not isinstance(raw, dict):
        raise InputError(f"{path} must map each question key to yes/no")
    return raw


@click.command("screen")
@coach_options
@click.option(
    "--answers",
    "answers_path",
    type=click.Path(path_type=Path),
    help="Answers as a JSON or YAML file mapping every question key to yes/no, instead of "
    f"prompts. Keys: {', '.join(QUESTION_KEYS)} (docs/coach.md explains each).",
)
@click.option(
    "--cleared",
    is_flag=True,
    help="Record that a healthcare professional has cleared you to exercise.",
)
@click.option(
    "--consent",
    is_flag=True,
    help=f"Agree to pushup-coach storing your data ({POLICY_DOC}) without being asked first; "
    "for scripts. The agreement and its date are recorded.",
)
@click.option(
    "--tz", "zone", help="Your time zone (IANA name, e.g. Europe/Berlin; default: this computer's)."
)
@click.option("--days", help=f"Your training days, e.g. {DEFAULT_DAYS} (3 non-consecutive days).")
def screen_command(
    profile: str,
    db_url: str | None,
    answers_path: Path | None,
    cleared: bool,
    consent: bool,
    zone: str | None,
    days: str | None,
) -> None:
    """Answer the health screening (creates the profile the first time). Not medical advice.

    Asks for your consent to store your data first (once per profile; --consent agrees without
    the question). Nothing is stored unless every question is answered.
    """
    training_days = format_days(parse_days(days)) if days else None
    zone = check_zone(zone) if zone else None
    with Store.open(db_url) as store:
        if cleared:
            click.echo(record_clearance(store, profile))
            return
        from_file = parse_answers(_read_answers(answers_path)) if answers_path else None
        if store.consent(profile) is None and not consent:
            ask_consent(profile)  # before the questions: their answers are health data
        answers = from_file or parse_answers(_ask_questions())
        result = record_screening(
            store,
            profile,
            answers,
            consent_given=True,  # already on record, given by --consent, or just now
            zone=zone or local_zone_name(),
            days=training_days,
        )
        update_settings(store, profile, zone=zone)  # a new --tz for an existing profile
    click.echo(f"Screening for {profile!r}: {result.outcome.value} - {result.reason}")
    for line in result.advice:
        click.echo(line)


def _ask_questions() -> dict[str, Any]:
    """Every question at the terminal; with no answer (no terminal, end of input) an error naming
    the question and how to answer it instead, and nothing is stored."""
    click.echo("A few health questions before your first plan (answer y or n). Not medical advice.")
    answers: dict[str, Any] = {}
    for q in QUESTIONS:
        try:
            answers[q.key] = click.confirm(q.text, default=None)
        except click.Abort:
            raise InputError(
                f"no answer to {q.key!r} ({q.text}), so nothing was stored: answer every question "
                "at a terminal, or give them all with `--answers FILE` (keys: "
                "`pushup-coach screen --help`, docs/coach.md)"
            ) from None
    return answers


@click.command("baseline")
@coach_options
@click.option(
    "--report",
    "report_path",
    type=click.Path(path_type=Path),
    help="A report from `analyze --json`: uses its clean reps and variation.",
)
@click.option("--variation", help="The variation you tested, e.g. knee (when entering by hand).")
@click.option(
    "--reps", type=int, help="Your max clean reps at that variation (when entering by hand)."
)
@click.option("--date", "date_text", help=f"Date of the test, {DATE_FORMAT} (default today).")
def baseline_command(
    profile: str,
    db_url: str | None,
    report_path: Path | None,
    variation: str | None,
    reps: int | None,
    date_text: str | None,
) -> None:
    """Place yourself on the ladder from a max-clean-reps test."""
    tested, clean, source = _baseline_input(report_path, variation, reps)
    with Store.open(db_url) as store:
        today = today_in(store.get_profile(profile).timezone)
        on = parse_date(date_text, today, latest=today)
        placement = record_baseline(store, profile, tested, clean, on, source)
    click.echo(f"Baseline: {placement.reason}.")
    click.echo("Next: `pushup-coach plan` shows your week.")


def _baseline_input(
    report_path: Path | None, variation: str | None, reps: int | None
) -> tuple[Any, int, str]:
    if report_path is not None:
        try:
            report = json.loads(report_path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise InputError(f"cannot read report {report_path}: {exc}") from exc
        rung = (
            parse_rung(variation)
            if variation
            else rung_from_variation(str(report.get("variation")))
        )
        return rung, clean_reps_of_report(report), "analysis"
    if variation is None or reps is None:
        raise ConfigError(
            "give --report REPORT.json, or both --variation and --reps "
            "(e.g. --variation knee --reps 9)"
        )
    return parse_rung(variation), reps, "manual"


@click.command("plan")
@coach_options
@click.option("--tz", "zone", help="Change your time zone (IANA name, e.g. Europe/Berlin).")
@click.option("--days", help=f"Training days, e.g. {DEFAULT_DAYS} (saved for next time).")
@click.option("--from", "from_text", help=f"First day of the plan, {DATE_FORMAT} (default today).")
@click.option(
    "--time",
    "time_text",
    default="18:00",
    show_default=True,
    help="Session start time, HH:MM local.",
)
@click.option(
    "--ical",
    "ical_path",
    type=click.Path(path_type=Path),
    help="Also write the sessions as an .ics calendar file.",
)
def plan_command(
    profile: str,
    db_url: str | None,
    zone: str | None,
    days: str | None,
    from_text: str | None,
    time_text: str,
    ical_path: Path | None,
) -> None:
    """Your coming week: 3 sessions on your days, what to do, and why this level."""
    start = _parse_time(time_text)
    chosen_days = format_days(parse_days(days)) if days else None
    with Store.open(db_url) as store:
        store.get_profile(profile)  # an unknown profile fails before the zone is checked
        info = update_settings(store, profile, zone=zone and check_zone(zone), days=chosen_days)
        first = parse_date(from_text, today_in(info.timezone))
        week = week_plan(store, profile, first, start)
    _print_plan(week, profile, info.timezone)
    if ical_path is not None:
        write_private(ical_path, plan_to_ical(week, profile, dt.datetime.now(dt.UTC)))
        click.echo(f"Calendar written to {ical_path}")


def _print_plan(week: WeekPlan, profile: str, timezone: str) -> None:
    if week.paused:
        click.echo(f"Plan for {profile}: PAUSED - no sessions until a professional clears you.")
        click.echo(f"Why: {week.reason}.")
        for line in week.notes:
            click.echo(line.replace(f"`{CLEAR_COMMAND}`", f"`{CLEAR_COMMAND} --profile {profile}`"))
        return
    table = Table(title=escape(f"Plan for {profile} ({timezone})"))
    for col in ("day", "start", "variation", "sets x reps", "rest"):
        table.add_column(col)
    for s in week.sessions:
        row = (f"{s.on:%a %d %b}", f"{s.starts_at:%H:%M}", s.rung.label, f"{s.sets} x {s.reps}")
        table.add_row(*row, f"{s.rest_s} s")
    Console(width=110).print(table)
    click.echo(f"Why this level: {week.reason}.")
    for note in week.notes:
        click.echo(f"Note: {note}.")
    click.echo(f"Stop if anything hurts. {NOT_MEDICAL_ADVICE}")


def _parse_time(text: str) -> dt.time:
    try:
        return dt.time.fromisoformat(text)
    except ValueError:
        raise ConfigError(f"time must be HH:MM, got {text!r}") from None
