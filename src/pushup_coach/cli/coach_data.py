"""The person's data rights: ``consent``, ``export``, ``import``, ``forget`` and ``correct``.

Everything stays on this computer; export writes files only where the person says. Nothing
personal is stored before the person agrees (``consent``, or the question ``screen`` asks first);
withdrawing consent erases everything, as ``forget`` does.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import click

from pushup_coach.cli.coach_common import (
    DATE_FORMAT,
    coach_options,
    db_option,
    local_zone_name,
    parse_counts,
    parse_date,
    today_in,
)
from pushup_coach.cli.coach_log import ask_checkin
from pushup_coach.coach.history import CheckIn, PainKind, PainLocation, format_symptoms
from pushup_coach.coach.ladder import parse_rung
from pushup_coach.coach.plan import DEFAULT_DAYS
from pushup_coach.errors import ConsentError
from pushup_coach.storage import Store, import_profile, read_export, write_export
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
        given = store.consent(profile)
        if given is None:
            if not yes:
                ask_consent(profile)
            if store.has_profile(profile):
                given = store.give_consent(profile)
            else:
                store.create_profile(profile, local_zone_name(), DEFAULT_DAYS)
                given = store.consent(profile)
    assert given is not None
    click.echo(
        f"{profile!r} agreed to the privacy policy (version {given.policy_version}) on "
        f"{given.given_at:%Y-%m-%d %H:%M} UTC. Withdraw (erasing everything) with "
        f"`pushup-coach consent --withdraw --profile {profile}`."
    )


@click.command("export")
@coach_options
@click.argument("folder", type=click.Path(path_type=Path))
def export_command(profile: str, db_url: str | None, folder: Path) -> None:
    """Write everything stored about a profile to FOLDER: profile.json plus one CSV per table."""
    with Store.open(db_url) as store:
        written = write_export(store, profile, folder)
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
    data = read_export(path)
    with Store.open(db_url) as store:
        name = import_profile(
            store, data, path if path.is_dir() else path.parent, consent_now=consent
        )
    click.echo(f"Imported profile {name!r} with {len(data['sessions'])} sessions.")


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
    from pushup_coach.app.data import forget  # also the web app's analyses and account

    return forget(store, profile)


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
        zone = store.get_profile(profile).timezone  # a corrected date cannot be in the future
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
            performed_on=parse_date(date_text, old.performed_on, latest=today_in(zone)),
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
        base = CheckIn(0, base.rpe_1_10, symptoms=base.symptoms)
    return ask_checkin(
        rpe if rpe is not None else base.rpe_1_10,
        pain if pain is not None else base.pain_0_10,
        where
        if where is not None
        else (None if base.location == PainLocation.NONE else base.location.value),
        kind if kind is not None else (None if base.kind == PainKind.NONE else base.kind.value),
        format_symptoms(base.symptoms) or "none",  # warning signs are kept through a correction
    )
