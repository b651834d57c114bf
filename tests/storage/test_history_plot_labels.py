"""History plot panels for hand-logged sessions: every panel titled, none blank without a reason."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from matplotlib.axes import Axes

from pushup_coach.coach.history_plot import HistoryPoint, build_figure
from pushup_coach.coach.ladder import Rung

D0 = dt.date(2026, 3, 2)


def hand_logged(day: int, faulty: int = 0) -> HistoryPoint:
    faults = {"unspecified": faulty} if faulty else {}
    return HistoryPoint(D0 + dt.timedelta(days=day), Rung.KNEE, 27, 27 + faulty, faults=faults)


def analysed(day: int) -> HistoryPoint:
    return HistoryPoint(D0 + dt.timedelta(days=day), Rung.KNEE, 25, 30, 81.0, {"hip_sag": 5})


def drawn(ax: Axes) -> int:
    """How many things carry data in a panel (lines with points, bars)."""
    return sum(np.size(line.get_xdata()) > 0 for line in ax.get_lines()) + len(ax.patches)


def words(ax: Axes) -> list[str]:
    """What a reader can read on a panel: notes written across it and legend entries."""
    legend = ax.get_legend()
    labels = [t.get_text() for t in legend.get_texts()] if legend else []
    return [t.get_text() for t in ax.texts] + labels


HAND_CLEAN = [hand_logged(0), hand_logged(2), hand_logged(4)]
NO_SCORE = (
    "no session here has a form score: only analysed videos get one\n"
    "(`pushup-coach analyze VIDEO --save`); sessions logged by hand have none"
)


@pytest.mark.parametrize(
    ("points", "form_words", "fault_words"),
    [
        (HAND_CLEAN, [NO_SCORE], ["no faulty reps recorded in these weeks"]),
        (
            [hand_logged(0, faulty=2), hand_logged(2)],
            [NO_SCORE],
            ["unspecified (logged by hand: no fault code)"],
        ),
        (
            [analysed(0), hand_logged(2, faulty=1), hand_logged(4)],
            ["2 session(s) without a form score (logged by hand)"],
            ["hip_sag", "unspecified (logged by hand: no fault code)"],
        ),
    ],
)
def test_panels_say_what_is_missing(
    points: list[HistoryPoint], form_words: list[str], fault_words: list[str]
) -> None:
    ax_reps, ax_form, ax_rung, ax_faults = build_figure(points).axes
    assert [ax.get_title() for ax in (ax_reps, ax_form, ax_rung, ax_faults)] == [
        "Push-up history: clean and all reps per session",
        "Form score of analysed sessions",
        "Ladder rung of each session",
        "Faulty reps per week, by fault code",
    ]
    assert words(ax_form) == form_words
    assert words(ax_faults) == fault_words
    scored = sum(p.form_score is not None for p in points)
    assert drawn(ax_form) == (1 if scored else 0)  # the analysed sessions' scores are drawn
    assert drawn(ax_reps) == 2 and drawn(ax_rung) >= 1
