"""Consent: nothing personal is stored about a person before they agree to the privacy policy.

Creating a profile records the agreement (the CLI asks first); every other write checks it is
there. Withdrawing consent erases the profile exactly as ``forget`` does. Profiles made before
consent was recorded (databases older than migration 0002) can be read, exported and forgotten,
but nothing more is written for them until the person agrees.
"""

from __future__ import annotations

from pushup_coach.errors import ConsentError

# The version of docs/privacy.md a person agrees to; bump it when that page changes what is kept.
POLICY_VERSION = "1"
POLICY_DOC = "docs/privacy.md"


def how_to_consent(profile: str) -> str:
    """The command that records a profile's consent, for error messages."""
    return f"`pushup-coach consent --profile {profile}`"


def no_consent_error(profile: str) -> ConsentError:
    return ConsentError(
        f"profile {profile!r} has not agreed to pushup-coach storing their data, so nothing was "
        f"saved: read {POLICY_DOC}, then run {how_to_consent(profile)} "
        "(or `screen --consent`)"
    )
