"""The person's data rights: ``consent``, ``export``, ``import``, ``forget`` and ``correct``.

Everything stays on this computer; export writes files only where the person says. Nothing
personal is stored before the person agrees (``consent``, or the question ``screen`` asks first);
withdrawing consent erases everything, as ``forget`` does.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import click

from pushup_coach.app import data as data_rights
from pushup_coach.app.sessions import Correction, correct_session
from pushup_coach.cli.coach_common import (
    DATE_FORMAT,
    coach_options,
    db_option,
    local_zone_name,
    parse_counts,
    parse_date,
    today_in,
)
from pushup_coach.cli.coach_log import ask_pain_kind, ask_pain_location
from pushup_coach.coach.history import (
    CheckIn,
    PainKind,
    PainLocation,
    parse_pain_kind,
    parse_pain_location,
)
from pushup_coach.coach.ladder import parse_rung
from pushup_coach.errors import ConsentError
from pushup_coach.storage import Store
from pushup_coach.storage.consent import POLICY_DOC, POLICY_VERSION, how_to_consent

CONSENT_TEXT = (
    "pushup-coach keeps your screening answers, baselines, sessions and check-ins (health "
    "information) in a database on this computer; nothing is sent anywhere. You can export, "
    "correct or erase them at any time; `pushup-coach consent --withdraw` erases everything. "
    f"Details: {POLICY_DOC}."
)


def ask_consent(profile: str) -> None:
    """Ask the person to agree before anything is stored; a ConsentError when they do not."""
    click.echo(CONSENT_TEXT)
    try:
        agreed = click.confirm(
            f"Do you agree to pushup-coach storing your data as profile {profile!r}?",
            default=None,
        )
    except click.Abort:
        raise ConsentError(
            "no answer to the consent question (no terminal to ask on?), so nothing was stored: "
            f"add --consent to agree to {POLICY_DOC}, or run {how_to_consent(profile)} first"
        ) from None
    if not agreed:
        raise ConsentError(
            "you did not agree, so nothing was stored: pushup-coach keeps your data only with "
            f"your consent (see {POLICY_DOC})"
        )


@click.command("consent")
@coach_options
@click.option(
    "--withdraw",
    is_flag=True,
    help="Withdraw your consent: erases everything stored about the profile, as `forget` does.",
)
@click.option("--yes", is_flag=True, help="Do not ask: agree (or, with --withdraw, erase) now.")
def consent_command(profile: str, db_url: str | None, withdraw: bool, yes: bool) -> None:
    """Agree to pushup-coach storing your data (the privacy policy), or withdraw and erase it."""
    with Store.open(db_url) as store:
        if withdraw:
            counts = _erase(store, profile, yes, "Withdraw consent and delete everything")
            click.echo(f"Consent withdrawn for {profile!r}; erased {_erased(counts)}.")
            return
        if store.consent(profile) is None and not yes:
            ask_consent(profile)
        given = data_rights.give_consent(store, profile, local_zone_name())
    click.echo(
        f"{profile!r} agreed to the privacy policy (version {given.policy_version}) on "
        f"{given.given_at:%Y-%m-%d %H:%M} UTC. Withdraw (erasing everything) with "
        f"`pushup-coach consent --withdraw --profile {profile}`."
    )


@click.command("export")
@coach_options
@click.argument("folder", type=click.Path(path_type=Path))
def export_command(profile: str, db_url: str | None, folder: Path) -> None:
    """Write everything stored about a profile to FOLDER: profile.json, one CSV per table, kept
    files and analyses.json (the web app's analyses of your uploads)."""
    with Store.open(db_url) as store:
        written = data_rights.export_folder(store, profile, folder)
    click.echo(f"Exported {profile!r} to {folder} ({len(written)} files).")


@click.command("import")
@db_option
@click.option(
    "--consent",
    is_flag=True,
    help=f"Agree to {POLICY_DOC} (version {POLICY_VERSION}) for the imported profile; needed "
    "only when the export carries no consent record.",
)
@click.argument("path", type=click.Path(exists=True, path_type=Path))
def import_command(db_url: str | None, consent: bool, path: Path) -> None:
    """Restore a profile from an export FOLDER (or its profile.json), with its consent record."""
    with Store.open(db_url) as store:
        imported = data_rights.import_folder(store, path, consent_now=consent)
    click.echo(f"Imported profile {imported.profile!r} with {imported.sessions} sessions.")


@click.command("forget")
@coach_options
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def forget_command(profile: str, db_url: str | None, yes: bool) -> None:
    """Erase a profile: every screening, baseline, session, check-in, correction and kept file."""
    with Store.open(db_url) as store:
        counts = _erase(store, profile, yes, "Delete everything")
    click.echo(f"Forgot {profile!r}: {_erased(counts)}.")


def _erase(store: Store, profile: str, yes: bool, question: str) -> dict[str, int]:
    """``forget`` after the person confirms; the same erasure for withdrawing consent."""
    if not store.has_data(profile):
        store.get_profile(profile)  # unknown profiles fail before the question
    if not yes:
        click.confirm(f"{question} stored about {profile!r}? This cannot be undone", abort=True)
    return data_rights.forget(store, profile)  # also the web app's analyses and account


def _erased(counts: dict[str, int]) -> str:
    return (
        f"{counts['sessions']} sessions, {counts['screenings']} screenings, "
        f"{counts['baselines']} baselines, {counts['corrections']} corrections "
        "and kept files deleted"
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
        today = today_in(store.get_profile(profile).timezone)  # no corrected date in the future
        change = Correction(
            on=parse_date(date_text, old.performed_on, latest=today) if date_text else None,
            rung=parse_rung(variation) if variation else None,
            clean_reps=parse_counts(sets_text) if sets_text else None,
            all_reps=parse_counts(all_text, "all reps per set") if all_text else None,
            rpe=rpe,
            pain=pain,
            location=parse_pain_location(where) if where else None,
            kind=parse_pain_kind(kind) if kind else None,
            note=note,
        )
        change = _ask_pain_details(change, old.checkin)
        audit = correct_session(store, profile, session_id, change, reason)
    if not audit:
        click.echo("Nothing to change.")
    for a in audit:
        click.echo(f"Corrected {a.field}: {a.old_value} -> {a.new_value}")


def _ask_pain_details(change: Correction, old: CheckIn | None) -> Correction:
    """Ask where and what kind of pain when a correction sets pain above 0 and neither the
    options nor the stored check-in say (the rules need both)."""
    if not change.pain:
        return change
    CheckIn(pain_0_10=change.pain)  # an out-of-range value stops here, before any question
    location, kind = change.location, change.kind
    if location is None and (old is None or old.location == PainLocation.NONE):
        location = parse_pain_location(ask_pain_location())
    if kind is None and (old is None or old.kind == PainKind.NONE):
        kind = parse_pain_kind(ask_pain_kind())
    return dataclasses.replace(change, location=location, kind=kind)
