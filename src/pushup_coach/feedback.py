"""Fault codes -> short cues in plain words, most important first; live cue throttling.

Cues are ordered by the rule order in :mod:`pushup_coach.form.rules` (back safety first, tempo
last) and then by how many reps show the fault. Each cue names the reps it comes from.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pushup_coach.form.rules import RULES
from pushup_coach.types import Cue, Fault, RepAssessment, RepVerdict, View

CUE_TEXT: dict[Fault, str] = {
    Fault.HIP_SAG: "Keep your hips up: squeeze your glutes and brace your belly so your lower back "
    "does not sag.",
    Fault.HIP_PIKE: "Lower your hips into one straight line from head to heels.",
    Fault.HEAD_DROP: "Keep your head in line with your body: look at the floor a little ahead of "
    "your hands.",
    Fault.SHALLOW: "Go lower: bend your elbows to about 90 degrees, chest toward the floor.",
    Fault.NO_LOCKOUT: "Push all the way up until your arms are straight at the top.",
    Fault.ELBOW_FLARE: "Tuck your elbows in to about 45 degrees from your body instead of out to "
    "the sides.",
    Fault.HANDS_NARROW: "Place your hands a little wider than your shoulders.",
    Fault.HANDS_WIDE: "Bring your hands in to just wider than your shoulders.",
    Fault.TOO_FAST: "Lower yourself under control: take about two seconds on the way down.",
}

# Short forms for the overlay and live coaching, where a person is mid-set.
SHORT_CUE: dict[Fault, str] = {
    Fault.HIP_SAG: "Hips up, brace your core",
    Fault.HIP_PIKE: "Hips down, straight line",
    Fault.HEAD_DROP: "Head in line with body",
    Fault.SHALLOW: "Go lower",
    Fault.NO_LOCKOUT: "Straighten your arms at the top",
    Fault.ELBOW_FLARE: "Tuck your elbows",
    Fault.HANDS_NARROW: "Hands a bit wider",
    Fault.HANDS_WIDE: "Hands a bit narrower",
    Fault.TOO_FAST: "Slow down on the way down",
}

GOOD_REP = "Good rep"
# Said of a rep that was counted but whose form this camera angle (or these landmarks) cannot judge:
# never praise what was not looked at.
NOT_CHECKED_REP = "Rep counted, form not checked"

ADVICE: tuple[str, ...] = (
    "Quality over numbers: only clean reps count toward progress.",
    "Stop if you feel pain, especially sharp, radiating or lasting back pain, and rest; see a "
    "healthcare professional if it persists.",
    "If you have a back condition or injury, consult a healthcare professional before starting "
    "a push-up programme.",
    "Beginners: start with wall, incline or knee push-ups and progress gradually, about three "
    "times a week.",
    "This is coaching feedback, not medical advice.",
)

_PRIORITY = {rule.fault: i for i, rule in enumerate(RULES)}


def build_cues(assessments: list[RepAssessment], view: View) -> list[Cue]:
    """One cue per fault found, most important first; then praise only for reps whose form was
    checked, and a plain "not checked" note (with how to film instead) for those that were not."""
    reps_by_fault: dict[Fault, list[int]] = {}
    for a in assessments:
        for f in a.faults:
            reps_by_fault.setdefault(f, []).append(a.rep.index)
    order = sorted(reps_by_fault, key=lambda f: (_PRIORITY[f], -len(reps_by_fault[f])))
    cues = [
        Cue(code=f.value, text=CUE_TEXT[f], reps=tuple(reps_by_fault[f]), priority=i)
        for i, f in enumerate(order)
    ]
    unchecked = tuple(a.rep.index for a in assessments if a.verdict is RepVerdict.NOT_CHECKED)
    if unchecked:
        cues.append(
            Cue(
                code="form_not_checked",
                text=not_checked_text(view, len(unchecked), len(assessments)),
                reps=unchecked,
                priority=len(cues),
            )
        )
    elif assessments and not reps_by_fault:
        cues.append(
            Cue(
                code="good_form",
                text="Good form on every rep: keep it up, and add reps gradually.",
                reps=tuple(a.rep.index for a in assessments),
                priority=0,
            )
        )
    return cues


def not_checked_text(view: View, n_unchecked: int, n_reps: int) -> str:
    """Why some reps were counted without a form judgement, and what to do about it."""
    which = "every rep" if n_unchecked == n_reps else f"{n_unchecked} of {n_reps} reps"
    if view is View.SIDE:
        why = "the body was not seen clearly enough to judge it (hips, ankles or head hidden, or "
        why += "unclear landmarks)"
    else:
        article = "an" if view.value[0] in "aeiou" else "a"
        why = f"{article} {view.value} camera cannot see the line from head to heels"
    return (
        f"Counted, form not checked on {which}: {why}. For a form check, film from the side at "
        "hip height with the whole body in the frame."
    )


def rep_cue(assessment: RepAssessment) -> str:
    """The one short cue for a just-finished rep: its most important fault, praise for a rep whose
    form was checked and clean, or "counted, form not checked"."""
    if assessment.verdict is RepVerdict.NOT_CHECKED:
        return NOT_CHECKED_REP
    if not assessment.faults:
        return GOOD_REP
    worst = min(assessment.faults, key=lambda f: _PRIORITY[f])
    return SHORT_CUE[worst]


@dataclass
class CueThrottle:
    """Lets a live cue through only when it differs from the last one or enough time has passed.

    A person mid-set should hear "Hips up" once, not on every rep: the same cue is repeated at most
    every ``repeat_s`` seconds, and no cue follows another within ``min_gap_s``.
    """

    repeat_s: float = 10.0
    min_gap_s: float = 2.0
    _last_text: str | None = None
    _last_t_s: float = field(default=-1e9)

    def offer(self, t_s: float, text: str) -> bool:
        """True if ``text`` should be shown/spoken now (and remember it)."""
        since = t_s - self._last_t_s
        if since < self.min_gap_s:
            return False
        if text == self._last_text and since < self.repeat_s:
            return False
        self._last_text, self._last_t_s = text, t_s
        return True
