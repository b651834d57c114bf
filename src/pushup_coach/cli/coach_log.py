"""``log`` (a session by hand, or the check-in of an analysed one) and ``history``."""

from __future__ import annotations

import json
from pathlib import Path

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from pushup_coach.app.coaching import clear_pause
from pushup_coach.app.sessions import LoggedSession, add_checkin, history_rows, log_session
from pushup_coach.cli.coach_common import (
    DATE_FORMAT,
    coach_options,
    next_step,
    parse_counts,
    parse_date,
    today_in,
)
from pushup_coach.coach.history import (
    CheckIn,
    PainKind,
    PainLocation,
    Symptom,
    parse_pain_kind,
    parse_pain_location,
    parse_symptoms,
)
from pushup_coach.coach.ladder import parse_rung
from pushup_coach.coach.progression import Action, Decision
from pushup_coach.coach.safety import CLEAR_COMMAND
from pushup_coach.storage import NewSession, SessionInfo, Store
from pushup_coach.storage.policy import check_may_store_sessions
from pushup_coach.storage.private import private_file


def ask_pain_location() -> str:
    """Where it hurt, asked at the terminal (the answer is parsed by the caller)."""
    return str(
        click.prompt(f"Where ({', '.join(p.value for p in PainLocation if p.value != 'none')})")
    )


def ask_pain_kind() -> str:
    """What kind of pain, asked at the terminal (the answer is parsed by the caller)."""
    return str(
        click.prompt(f"What kind ({', '.join(k.value for k in PainKind if k.value != 'none')})")
    )


def ask_checkin(
    rpe: int | None,
    pain: int | None,
    where: str | None,
    kind: str | None,
    symptoms: str | None = None,
) -> CheckIn:
    """The check-in from options, prompting for what is missing (pain details only if pain > 0;
    warning signs whenever pain itself was asked)."""
    asked = pain is None
    if symptoms:
        parse_symptoms(symptoms)  # a typo stops here, before any question
    if pain is None:
        if rpe is None:
            rpe = click.prompt("Effort, RPE 1 (easy) - 10 (max)", type=click.IntRange(1, 10))
        pain = click.prompt(
            "Pain during or after, 0 (none) - 10 (worst)", type=click.IntRange(0, 10)
        )
    CheckIn(pain_0_10=pain, rpe_1_10=rpe)  # out-of-range values stop here, before more questions
    if pain and where is None:
        where = ask_pain_location()
    if pain and kind is None:
        kind = ask_pain_kind()
    if asked and symptoms is None:
        symptoms = click.prompt(
            "During the session: any chest pain, dizziness or fainting? "
            f"(none, or {', '.join(s.value for s in Symptom)})"
        )
    return CheckIn(
        pain_0_10=pain,
        rpe_1_10=rpe,
        location=parse_pain_location(where) if where else PainLocation.NONE,
        kind=parse_pain_kind(kind) if kind else PainKind.NONE,
        symptoms=parse_symptoms(symptoms or ""),
    )


def say_decision(decision: Decision, profile: str) -> None:
    if decision.action == Action.PAUSE:
        click.echo(f"PLAN PAUSED: {decision.reason}.")
    elif decision.pain_override:
        click.echo(f"STOP: {decision.reason}.")
    else:
        click.echo(f"Next session: {decision.reason}.")
    for line in decision.advice:
        click.echo(line.replace(f"`{CLEAR_COMMAND}`", f"`{CLEAR_COMMAND} --profile {profile}`"))


@click.command("clear")
@coach_options
def clear_command(profile: str, db_url: str | None) -> None:
    """Record that a healthcare professional cleared you to train again after the plan paused
    (recurring pain, or chest pain, dizziness or fainting). Not medical advice."""
    with Store.open(db_url) as store:
        if not clear_pause(store, profile):
            click.echo(f"Nothing to clear: the plan of {profile!r} is not paused.")
            return
    click.echo(
        f"Clearance recorded for {profile!r}: the plan resumes; `pushup-coach plan` shows your "
        "week. New pain or warning signs pause it again. Not medical advice."
    )


@click.command("log")
@coach_options
@click.option("--variation", help="What you did, e.g. knee (default: your planned variation).")
@click.option("--sets", "sets_text", help="Clean reps per set, e.g. 10,9,8.")
@click.option(
    "--all-reps", "all_text", help="All reps per set incl. faulty ones (default = clean)."
)
@click.option("--date", "date_text", help=f"Date of the session, {DATE_FORMAT} (default today).")
@click.option(
    "--session",
    "session_id",
    type=int,
    help="Only add the check-in to this saved session (e.g. from `analyze --save`).",
)
@click.option("--rpe", type=int, help="Effort, 1-10.")
@click.option("--pain", type=int, help="Pain, 0-10.")
@click.option("--pain-where", "where", help="Where it hurt, e.g. lower_back, wrist.")
@click.option("--pain-kind", "kind", help="What kind: dull, ache, sharp, radiating, lasting.")
@click.option(
    "--symptoms",
    help="Warning signs during the session: none, or chest_pain, dizziness, fainting "
    "(asked when --pain is not given).",
)
@click.option("--note", default="", help="A note to keep with the session.")
def log_command(
    profile: str,
    db_url: str | None,
    variation: str | None,
    sets_text: str | None,
    all_text: str | None,
    date_text: str | None,
    session_id: int | None,
    rpe: int | None,
    pain: int | None,
    where: str | None,
    kind: str | None,
    symptoms: str | None,
    note: str,
) -> None:
    """Record a session and how it felt; the rules then say what the next session is."""
    with Store.open(db_url) as store:
        info = store.get_profile(profile)
        check_may_store_sessions(store, profile)  # before any prompt; same gate as analyze --save
        if session_id is not None:
            store.session(profile, session_id)  # exists and is theirs, before any prompt
            checkin = ask_checkin(rpe, pain, where, kind, symptoms)
            decision = add_checkin(store, profile, session_id, checkin)
            click.echo(f"Check-in saved for session {session_id}.")
        else:
            today = today_in(info.timezone)
            on = parse_date(date_text, today, latest=today)
            rung = parse_rung(variation) if variation else next_step(store, profile, on)[0].next
            clean = parse_counts(
                sets_text or click.prompt(f"Clean reps per set of {rung.label} (e.g. 10,9,8)")
            )
            all_reps = parse_counts(all_text, "all reps per set") if all_text else clean
            new = NewSession(on, "manual", rung, all_reps, clean, None, note=note)
            new.to_record()  # bad counts stop here, before the check-in questions
            checkin = ask_checkin(rpe, pain, where, kind, symptoms)
            logged = LoggedSession(on, rung, clean, all_reps, note)
            sid, decision = log_session(store, profile, logged, checkin)  # and what comes next
            click.echo(
                f"Saved session {sid}: {rung.label}, "
                f"clean reps {','.join(map(str, clean))} on {on}."
            )
    say_decision(decision, profile)


def _history_table(profile: str, sessions: list[SessionInfo]) -> Table:
    table = Table(title=f"History of {escape(profile)}")
    for col in (
        "id",
        "date",
        "variation",
        "clean / all per set",
        "clean",
        "all",
        "form",
        "RPE",
        "pain",
        "source",
    ):
        table.add_column(col)
    for s in sessions:
        per_set = " ".join(f"{c}/{a}" for c, a in zip(s.clean_reps, s.all_reps, strict=True))
        c = s.checkin
        pain = (
            "-" if c is None else f"{c.pain_0_10}" + (f" {c.location.label}" if c.pain_0_10 else "")
        )
        table.add_row(
            str(s.id),
            s.performed_on.isoformat(),
            s.rung.value,
            per_set,
            str(s.clean_rep_count),
            str(s.rep_count),
            "-" if s.form_score is None else f"{s.form_score:.0f}",
            "-" if c is None or c.rpe_1_10 is None else str(c.rpe_1_10),
            pain,
            escape(s.source),
        )
    return table


@click.command("history")
@coach_options
@click.option(
    "--plot",
    "plot_path",
    type=click.Path(path_type=Path),
    help="Also draw the history to a .png or .html file.",
)
@click.option(
    "--json", "as_json", is_flag=True, help="Print the sessions as JSON instead of a table."
)
def history_command(
    profile: str, db_url: str | None, plot_path: Path | None, as_json: bool
) -> None:
    """Your sessions as a table (or JSON), and optionally a plot of your progress."""
    with Store.open(db_url) as store:
        sessions = store.sessions(profile)
        rows = history_rows(store, profile)
    if as_json:
        click.echo(json.dumps(rows, indent=2))
    elif not sessions:
        click.echo(f"No sessions for {profile!r} yet: `pushup-coach log` records one.")
    else:
        Console(width=120).print(_history_table(profile, sessions))
    if plot_path is not None:
        # matplotlib is imported only when a plot is asked for (it is slow to import)
        from pushup_coach.coach.history_plot import point_from_session, render_history

        render_history([point_from_session(s) for s in sessions], private_file(plot_path))
        click.echo(f"Plot written to {plot_path}")
