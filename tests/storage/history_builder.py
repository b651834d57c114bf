"""Builders of realistic training histories for tests (and the issue's four-week example)."""

from __future__ import annotations

import datetime as dt

from pushup_coach.coach.history import CheckIn, PainKind, PainLocation
from pushup_coach.coach.ladder import Rung
from pushup_coach.storage.records import NewSession

FIRST_MONDAY = dt.date(2026, 3, 2)

# (rung, clean reps per set, all reps per set, check-in): Mon/Wed/Fri for four weeks.
_FOUR_WEEKS: list[tuple[Rung, tuple[int, ...], tuple[int, ...], CheckIn | None]] = [
    (Rung.KNEE, (9, 8, 8), (11, 10, 9), CheckIn(0, 6)),
    (Rung.KNEE, (10, 9, 8), (11, 10, 10), CheckIn(0, 6)),
    (Rung.KNEE, (11, 10, 9), (12, 11, 10), CheckIn(0, 7)),
    (Rung.KNEE, (12, 11, 10), (12, 12, 11), CheckIn(1, 7, PainLocation.WRIST, PainKind.DULL)),
    (Rung.KNEE, (12, 12, 11), (13, 12, 12), CheckIn(0, 7)),
    (Rung.KNEE, (12, 12, 12), (13, 13, 12), CheckIn(0, 7)),
    (Rung.KNEE, (13, 12, 12), (13, 13, 13), CheckIn(0, 6)),
    (Rung.FULL, (7, 6, 5), (9, 8, 8), CheckIn(0, 8)),
    (Rung.FULL, (8, 7, 6), (9, 9, 8), CheckIn(4, 8, PainLocation.LOWER_BACK, PainKind.SHARP)),
    (Rung.KNEE, (12, 12, 12), (12, 12, 12), CheckIn(0, 6)),
    (Rung.KNEE, (13, 12, 12), (13, 13, 12), CheckIn(0, 6)),
    (Rung.FULL, (8, 7, 7), (9, 9, 8), CheckIn(0, 7)),
]


def four_week_history(start: dt.date = FIRST_MONDAY) -> list[NewSession]:
    """12 sessions (Mon/Wed/Fri x 4 weeks): knee -> full, one sharp lower-back pain check-in that
    sends the person back to knee push-ups, then full push-ups again."""
    sessions = []
    for i, (rung, clean, all_reps, checkin) in enumerate(_FOUR_WEEKS):
        week, slot = divmod(i, 3)
        on = start + dt.timedelta(days=7 * week + 2 * slot)
        faults = [sum(all_reps) - sum(clean)]
        report = {
            "faults_summary": {"hip_sag": faults[0] // 2, "too_fast": faults[0] - faults[0] // 2}
        }
        sessions.append(
            NewSession(
                performed_on=on,
                source="analysis" if i % 2 == 0 else "manual",
                rung=rung,
                all_reps=all_reps,
                clean_reps=clean,
                checkin=checkin,
                form_score=round(100.0 * sum(clean) / sum(all_reps), 1),
                report=report if i % 2 == 0 else None,
                landmarks_npz=b"\x93NUMPY fake npz bytes %d" % i if i % 2 == 0 else None,
                note="",
            )
        )
    return sessions
