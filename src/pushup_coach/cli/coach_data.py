"""The person's data rights: ``export``, ``import``, ``forget`` and ``correct``.

Everything stays on this computer; export writes files only where the person says.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import click

from pushup_coach.cli.coach_common import DATE_FORMAT, coach_options, parse_counts, parse_date
from pushup_coach.cli.coach_log import ask_checkin
from pushup_coach.coach.history import CheckIn, PainKind, PainLocation
from pushup_coach.coach.ladder import parse_rung
from pushup_coach.storage import Store, import_profile, read_export, write_export


@click.command("export")
@coach_options
@click.argument("folder", type=click.Path(path_type=Path))
def export_command(profile: str, db_url: str | None, folder: Path) -> None:
    """Write everything stored about a profile to FOLDER: profile.json plus one CSV per table."""
    with Store.open(db_url) as store:
        written = write_export(store, profile, folder)
    click.echo(f"Exported {profile!r} to {folder} ({len(written)} files).")


@click.command("import")
@click.option(
    "--db", "db_url", metavar="URL", default=None, help="Database URL (as for the other commands)."
)
@click.argument("path", type=click.Path(exists=True, path_type=Path))
def import_command(db_url: str | None, path: Path) -> None:
    """Restore a profile from an export FOLDER (or its profile.json)."""
    data = read_export(path)
    with Store.open(db_url) as store:
        name = import_profile(store, data, path if path.is_dir() else path.parent)
    click.echo(f"Imported profile {name!r} with {len(data['sessions'])} sessions.")


@click.command("forget")
@coach_options
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def forget_command(profile: str, db_url: str | None, yes: bool) -> None:
    """Erase a profile: every screening, baseline, session, check-in, correction and kept file."""
    with Store.open(db_url) as store:
        store.get_profile(profile)  # unknown profiles fail before the question
        if not yes:
            click.confirm(
                f"Delete everything stored about {profile!r}? This cannot be undone", abort=True
            )
        counts = store.forget(profile)
    click.echo(
        f"Forgot {profile!r}: {counts['sessions']} sessions, {counts['screenings']} screenings, "
        f"{counts['baselines']} baselines, {counts['corrections']} corrections "
        "and kept files deleted."
    )


@click.command("correct")
@coach_options
@click.option(
    "--session", "session_id", type=int, required=True, help="The session id (see `history`)."
)
@click.option("--date", "date_text", help=f"Correct date, {DATE_FORMAT}.")
@click.option("--variation", help="Correct variation, e.g. full.")
@click.option("--sets", "sets_text", help="Correct clean reps per set, e.g. 10,9,8.")
@click.option("--all-reps", "all_text", help="Correct all reps per set.")
@click.option("--rpe", type=int, help="Correct effort, 1-10.")
@click.option("--pain", type=int, help="Correct pain, 0-10.")
@click.option("--pain-where", "where", help="Correct pain location.")
@click.option("--pain-kind", "kind", help="Correct pain kind.")
@click.option("--note", help="Replace the note.")
@click.option("--reason", default="", help="Why (kept in the audit trail).")
def correct_command(
    profile: str,
    db_url: str | None,
    session_id: int,
    date_text: str | None,
    variation: str | None,
    sets_text: str | None,
    all_text: str | None,
    rpe: int | None,
    pain: int | None,
    where: str | None,
    kind: str | None,
    note: str | None,
    reason: str,
) -> None:
    """Correct a logged session; every change is kept in an audit trail."""
    with Store.open(db_url) as store:
        old = store.session(profile, session_id)
        clean = parse_counts(sets_text) if sets_text else old.clean_reps
        if all_text:
            all_reps = parse_counts(all_text, "all reps per set")
        elif sets_text:
            # keep the faulty reps already recorded for each set that still exists
            olds = old.all_reps
            all_reps = tuple(max(c, olds[i]) if i < len(olds) else c for i, c in enumerate(clean))
        else:
            all_reps = old.all_reps
        checkin = _corrected_checkin(old.checkin, rpe, pain, where, kind)
        new = dataclasses.replace(
            old.as_new(),
            performed_on=parse_date(date_text, old.performed_on),
            rung=parse_rung(variation) if variation else old.rung,
            clean_reps=clean,
            all_reps=all_reps,
            checkin=checkin,
            note=old.note if note is None else note,
        )
        audit = store.correct_session(profile, session_id, new, reason)
    if not audit:
        click.echo("Nothing to change.")
    for a in audit:
        click.echo(f"Corrected {a.field}: {a.old_value} -> {a.new_value}")


def _corrected_checkin(
    old: CheckIn | None, rpe: int | None, pain: int | None, where: str | None, kind: str | None
) -> CheckIn | None:
    if all(v is None for v in (rpe, pain, where, kind)):
        return old
    base = old or CheckIn(0)
    if pain == 0:  # no pain: where and what kind no longer apply unless given again
        base = CheckIn(0, base.rpe_1_10)
    return ask_checkin(
        rpe if rpe is not None else base.rpe_1_10,
        pain if pain is not None else base.pain_0_10,
        where
        if where is not None
        else (None if base.location == PainLocation.NONE else base.location.value),
        kind if kind is not None else (None if base.kind == PainKind.NONE else base.kind.value),
    )
