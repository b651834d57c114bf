"""What to do next, from everything stored about a person: the one use case every entry point
(the CLI's ``plan``, ``log`` and ``baseline``, and later the web app) asks.

Pure: the caller loads the screening ceiling, the latest baseline and every session, and says
what day it is. Order: a pause (warning sign or recurring pain, over all sessions) comes first;
then the baseline's placement, capped by the ceiling and by a pain stop in the 7 days before it;
then the sessions since the baseline replayed through the progression rules; then a break of 14
days or more since the last training restarts one rung lower.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from pushup_coach.coach.history import BaselineTest, SessionRecord
from pushup_coach.coach.ladder import Ceiling, Placement, place_from_baseline, step, tighter
from pushup_coach.coach.plan import CONSERVATIVE_SETS, SETS
from pushup_coach.coach.progression import Action, Decision, decide_next, restart_after_break
from pushup_coach.coach.safety import baseline_pain_ceiling, pause_for
from pushup_coach.errors import ConfigError

NO_BASELINE = (
    "no baseline yet: run `pushup-coach baseline --variation knee --reps 9` "
    "(your max clean reps at a variation) or `baseline --report REPORT.json`"
)


def planned_sets(ceiling: Ceiling | None) -> int:
    """Sets per session: 2 on the conservative plan, else 3."""
    return CONSERVATIVE_SETS if ceiling is not None and ceiling.conservative else SETS


def place(
    baseline: BaselineTest, sessions: Sequence[SessionRecord], ceiling: Ceiling | None
) -> Placement:
    """The baseline's placement under ``ceiling`` and any pain stop in the 7 days before it
    (refused with a ``ConfigError`` when that stop was on the easiest rung)."""
    before = [s for s in sessions if s.on <= baseline.taken_on]
    limit = tighter(ceiling, baseline_pain_ceiling(before, baseline.taken_on))
    return place_from_baseline(baseline.tested, baseline.max_clean_reps, limit)


def paused(sessions: Sequence[SessionRecord], ceiling: Ceiling | None) -> Decision | None:
    """A PAUSE decision when a warning sign or recurring pain holds the plan, else None.

    Its ``next`` is where to resume after clearance: one rung below the last session's.
    """
    pause = pause_for(sessions)
    if pause is None:
        return None
    current = sessions[-1].rung
    return Decision(
        Action.PAUSE,
        current,
        step(current, -1, ceiling),
        0,
        pause.reason,
        pain_override=True,
        advice=pause.advice,
    )


def next_session(
    sessions: Sequence[SessionRecord],
    baseline: BaselineTest | None,
    ceiling: Ceiling | None,
    today: dt.date,
) -> Decision:
    """The decision for the next session (``sessions``: every one, oldest first)."""
    pause = paused(sessions, ceiling)
    if pause is not None:
        return pause
    since = [s for s in sessions if baseline is None or s.on >= baseline.taken_on]
    start = None
    if baseline is not None:
        placement = place(baseline, sessions, ceiling)
        start = Decision(
            Action.STAY,
            baseline.tested,
            placement.rung,
            placement.target_reps,
            f"baseline: {placement.reason}",
        )
    if since:
        decision = decide_next(since, ceiling, start=start, sets=planned_sets(ceiling))
        last_on = since[-1].on
    elif start is not None and baseline is not None:
        decision, last_on = start, baseline.taken_on
    else:
        raise ConfigError(NO_BASELINE)
    last = since[-1] if since else None
    return restart_after_break(decision, last, (today - last_on).days, ceiling)
