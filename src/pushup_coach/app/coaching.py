"""Coach use cases over the stored history: screening, clearance, baseline, what next, the week.

Both faces call these; they differ only in how they ask (prompts, forms) and how they show the
answer. Every write goes through storage's gates (consent, :mod:`pushup_coach.storage.policy`),
so a rule holds whichever way the person comes in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from zoneinfo import ZoneInfo

from pushup_coach.coach.advice import next_session, paused, place
from pushup_coach.coach.history import BaselineTest
from pushup_coach.coach.ladder import Ceiling, Placement, Rung, variation_of
from pushup_coach.coach.plan import (
    DEFAULT_DAYS,
    DEFAULT_START,
    WeekPlan,
    format_days,
    parse_days,
    paused_week,
    plan_week,
)
from pushup_coach.coach.progression import Action, Decision
from pushup_coach.coach.safety import CLEAR_COMMAND, pause_for
from pushup_coach.coach.screening import (
    BACK_KEYS,
    ScreeningOutcome,
    ScreeningResult,
    assess_screening,
    ceiling_for,
)
from pushup_coach.errors import CoachError, ConfigError, ConsentError
from pushup_coach.storage import BaselineInfo, ProfileInfo, SessionInfo, Store
from pushup_coach.storage.consent import POLICY_DOC
from pushup_coach.storage.policy import screening_gate
from pushup_coach.types import Variation


def today_in(zone: str) -> dt.date:
    return dt.datetime.now(ZoneInfo(zone)).date()


def screening_ceiling(store: Store, profile: str) -> Ceiling | None:
    """The rung cap the latest screening sets; errors when there is none or a red flag blocks."""
    screening = screening_gate(store, profile)  # the one gate plans and stored sessions share
    outcome = ScreeningOutcome(screening.outcome)
    flagged = tuple(k for k, v in screening.answers.items() if v)
    return ceiling_for(outcome, flagged, screening.cleared_at)


def sessions_since_baseline(store: Store, profile: str) -> list[SessionInfo]:
    baseline = store.latest_baseline(profile)
    sessions = store.sessions(profile)
    if baseline is None:
        return sessions
    return [s for s in sessions if s.performed_on >= baseline.taken_on]


def baseline_test(store: Store, profile: str) -> BaselineTest | None:
    baseline = store.latest_baseline(profile)
    if baseline is None:
        return None
    return BaselineTest(baseline.taken_on, baseline.tested_rung, baseline.clean_reps)


def next_step(
    store: Store, profile: str, today: dt.date | None = None
) -> tuple[Decision, Ceiling | None, list[SessionInfo]]:
    """What the next session should be, the ceiling in force, and the sessions since the
    baseline; ``today`` (default: today in the profile's zone) dates a long break."""
    ceiling = screening_ceiling(store, profile)
    day = today or today_in(store.get_profile(profile).timezone)
    records = [s.to_record() for s in store.sessions(profile)]
    decision = next_session(records, baseline_test(store, profile), ceiling, day)
    return decision, ceiling, sessions_since_baseline(store, profile)


def place_baseline(store: Store, profile: str, test: BaselineTest) -> Placement:
    """Where a new baseline puts the person: refused while the plan is paused; capped by the
    screening and by a pain stop in the 7 days before it."""
    ceiling = screening_ceiling(store, profile)
    records = [s.to_record() for s in store.sessions(profile)]
    pause = paused(records, ceiling)
    if pause is not None:
        raise ConfigError(
            f"no baseline while your plan is paused: {pause.reason}. When a professional has "
            f"cleared you, run `{CLEAR_COMMAND} --profile {profile}`"
        )
    return place(test, records, ceiling)


def record_baseline(
    store: Store, profile: str, tested: Rung, clean_reps: int, on: dt.date, source: str
) -> Placement:
    """Place the person from a max-clean-reps test and store it; returns the placement."""
    placement = place_baseline(store, profile, BaselineTest(on, tested, clean_reps))
    store.add_baseline(
        profile, BaselineInfo(on, tested, clean_reps, placement.rung, source, placement.reason)
    )
    return placement


def record_screening(
    store: Store,
    profile: str,
    answers: Mapping[str, bool],
    *,
    consent_given: bool,
    zone: str,
    days: str | None = None,
) -> ScreeningResult:
    """Store a complete screening (see ``coach.screening.parse_answers``) and return its outcome.

    Nothing is stored without consent: a profile that has none needs ``consent_given`` (the person
    agreed just now, before answering); a new profile is created with that consent, in ``zone``.
    """
    needs_consent = store.consent(profile) is None
    if needs_consent and not consent_given:
        raise ConsentError(
            "you did not agree to pushup-coach storing your data, so your answers were not "
            f"stored (see {POLICY_DOC})"
        )
    training_days = format_days(parse_days(days)) if days else None
    result = assess_screening(answers)
    if not store.has_profile(profile):  # creating it records the consent just given
        store.create_profile(profile, zone, training_days or DEFAULT_DAYS)
    elif needs_consent:
        store.give_consent(profile)
    update_settings(store, profile, days=training_days)
    store.add_screening(profile, dict(answers), result.outcome.value)
    return result


def update_settings(
    store: Store, profile: str, *, zone: str | None = None, days: str | None = None
) -> ProfileInfo:
    """Change the person's time zone (an IANA name) and training days (e.g. ``mon,wed,fri``);
    None keeps what is stored. Returns the profile as it now is."""
    if zone or days:
        training_days = format_days(parse_days(days)) if days else None
        store.update_profile(profile, training_days=training_days, timezone=zone or None)
    return store.get_profile(profile)


def record_clearance(store: Store, profile: str) -> str:
    """Record that a professional cleared the person after their screening; says what changes."""
    screening = store.latest_screening(profile)
    if screening is not None and screening.outcome == ScreeningOutcome.CLEAR.value:
        return f"Nothing to clear: the screening of {profile!r} had no yes answers."
    store.record_clearance(profile)  # errors when there is no screening yet
    if screening is not None and screening.outcome == ScreeningOutcome.RED_FLAG.value:
        return (
            f"Clearance recorded for {profile!r}: a plan can be made now; after red-flag answers "
            "it stays on the conservative rungs."
        )
    flagged = () if screening is None else tuple(k for k, v in screening.answers.items() if v)
    if any(k in BACK_KEYS for k in flagged):
        return (
            f"Clearance recorded for {profile!r}: your plan may go past the conservative rungs; "
            "because you reported a back condition, decline, archer and other spine-heavy "
            "push-ups stay off it."
        )
    return (
        f"Clearance recorded for {profile!r}: "
        "your plan is no longer held to the conservative rungs."
    )


def clear_pause(store: Store, profile: str) -> bool:
    """A professional cleared the person after the plan paused; False when it was not paused."""
    records = [s.to_record() for s in store.sessions(profile)]
    if pause_for(records) is None:
        return False
    store.clear_checkins(profile)
    return True


def week_plan(
    store: Store, profile: str, first: dt.date | None = None, start: dt.time = DEFAULT_START
) -> WeekPlan:
    """The seven days from ``first`` (default today in the profile's zone): sessions on the
    person's days at the level the rules decide, or a paused week that says why."""
    info = store.get_profile(profile)
    first = first or today_in(info.timezone)
    decision, ceiling, sessions = next_step(store, profile, first)
    if decision.action == Action.PAUSE:
        return paused_week(first, decision.reason, decision.advice)
    baseline = store.latest_baseline(profile)
    return plan_week(
        first,
        parse_days(info.training_days),
        decision.next,
        decision.target_reps,
        decision.reason,
        ZoneInfo(info.timezone),
        last_on=sessions[-1].performed_on if sessions else None,
        since=baseline.taken_on if baseline else None,
        conservative=ceiling is not None and ceiling.conservative,
        start=start,
    )


def planned_rung(store: Store, profile: str) -> Rung | None:
    """The rung the person's plan asks for next; None without a profile, a plan, or while
    the plan is paused."""
    if not store.has_profile(profile) or store.latest_baseline(profile) is None:
        return None
    try:
        decision, _, _ = next_step(store, profile)
    except CoachError:  # no screening yet, a red flag: there is no plan to check against
        return None
    return None if decision.action == Action.PAUSE else decision.next


def planned_variation(store: Store, profile: str) -> Variation | None:
    """What the camera should see in the planned session: a coached session checks what it
    sees against this, and uses it where the camera cannot tell (legs hidden)."""
    rung = planned_rung(store, profile)
    return None if rung is None else variation_of(rung)
