"""Who may have what stored: the one gate every entry point that stores a session goes through.

``log``, ``analyze --save`` and :func:`pushup_coach.storage.save_analysis` call
:func:`check_may_store_sessions` before they save anything (and before slow work such as an
analysis), so a profile without consent, without a screening, or with a red flag that no
professional has cleared stores no session, whichever way it comes in. Plans go through the same
screening gate (:func:`screening_gate`).
"""

from __future__ import annotations

from pushup_coach.coach.screening import ScreeningOutcome, may_plan
from pushup_coach.errors import ConfigError, NotFoundError
from pushup_coach.storage.consent import no_consent_error
from pushup_coach.storage.records import ScreeningInfo
from pushup_coach.storage.store import Store


def screening_gate(store: Store, profile: str) -> ScreeningInfo:
    """The latest screening; errors when there is none, or a red flag without clearance blocks."""
    screening = store.latest_screening(profile)
    if screening is None:
        raise NotFoundError(
            f"profile {profile!r} has no screening yet: "
            f"run `pushup-coach screen --profile {profile}` first"
        )
    if not may_plan(ScreeningOutcome(screening.outcome), screening.cleared_at):
        raise ConfigError(
            "your screening found a red flag: no plan is made. See a healthcare professional now. "
            "Not medical advice."
        )
    return screening


def check_may_store_sessions(store: Store, profile: str) -> ScreeningInfo:
    """Raise unless ``profile`` consented and its screening lets it train; returns the screening."""
    if store.consent(profile) is None:
        store.get_profile(profile)  # an unknown profile says how to create it
        raise no_consent_error(profile)
    return screening_gate(store, profile)
