"""Plain-language names and explanations of fault codes and per-rep metrics, for report readers.

Explanations that quote a threshold take it from an :class:`AnalysisConfig`, so the words always
match the numbers the analysis used. Which view a fault needs follows COACHING.md section 3.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pushup_coach.config import AnalysisConfig
from pushup_coach.measurements import Measure, measure_name
from pushup_coach.types import Fault, View


@dataclass(frozen=True)
class FaultInfo:
    """How to name and explain one fault code; ``needs`` is the view that can measure it."""

    title: str
    meaning: str
    needs: View | None  # None: any view


# Fault -> (title, meaning, view needed). Meanings are str.format templates over the config ``c``.
_FAULTS: dict[Fault, tuple[str, str, View | None]] = {
    Fault.HIP_SAG: (
        "Sagging hips",
        "The hips and lower back dropped below the straight head-to-heel line (by more than "
        "{c.hip_sag_dev:.0%} of body length). This arches the lower back and loads the spine.",
        View.SIDE,
    ),
    Fault.HIP_PIKE: (
        "Piked hips",
        "The hips rose above the head-to-heel line into an upside-down V (by more than "
        "{c.hip_pike_dev:.0%} of body length), taking work away from the core.",
        View.SIDE,
    ),
    Fault.HEAD_DROP: (
        "Head dropping",
        "The head hung toward the floor out of line with the body (by more than "
        "{c.head_drop_dev:.0%} of body length), straining the neck.",
        View.SIDE,
    ),
    Fault.SHALLOW: (
        "Shallow rep",
        "At the bottom the shoulders stayed more than {c.shallow_shoulder_height:.0%} of their "
        "height at the top above the hands: the chest did not go low enough.",
        View.SIDE,
    ),
    Fault.NO_LOCKOUT: (
        "No lockout",
        "The arms did not straighten to {c.lockout_elbow_deg:.0f}° at the top of the rep.",
        View.SIDE,
    ),
    Fault.TOO_FAST: (
        "Dropped too fast",
        "Lowering took less than {c.too_fast_lowering_s:g} s: a drop rather than a controlled "
        "descent.",
        None,
    ),
    Fault.ELBOW_FLARE: (
        "Flared elbows",
        "The upper arms opened more than {c.elbow_flare_deg:.0f}° from the body, straight out "
        "to the sides, which strains the shoulders.",
        View.FRONT,
    ),
    Fault.HANDS_NARROW: (
        "Hands too narrow",
        "The hands were closer than {c.hands_narrow_ratio:g}× shoulder width.",
        View.FRONT,
    ),
    Fault.HANDS_WIDE: (
        "Hands too wide",
        "The hands were wider than {c.hands_wide_ratio:g}× shoulder width.",
        View.FRONT,
    ),
}


def fault_info(fault: Fault, config: AnalysisConfig) -> FaultInfo:
    """Title, one-sentence meaning (with the threshold in force) and the view the fault needs."""
    title, meaning, needs = _FAULTS[fault]
    return FaultInfo(title, meaning.format(c=config), needs)


_VIEW_ADVICE = {
    View.SIDE: "needs a side view: film from the side, camera at floor level, whole body in frame",
    View.FRONT: "needs a front view: film from in front of your head, both hands in frame",
}


# Faults no camera view is judged on yet, and why (form.rules.NO_VIEWS).
NOT_MEASURABLE = {
    Fault.ELBOW_FLARE: "not judged from video yet: one camera does not measure the upper arm's "
    "angle to the body reliably (flared and tucked elbows measured the same on labelled clips)",
}


def not_assessed_reason(fault: Fault, view: View, config: AnalysisConfig) -> str:
    """Why ``fault`` could not be judged in a video filmed from ``view``."""
    if fault in NOT_MEASURABLE:
        return NOT_MEASURABLE[fault]
    needs = fault_info(fault, config).needs
    if needs is not None and needs != view:
        return _VIEW_ADVICE[needs]
    return "the body parts it needs were not seen clearly enough in this video"


# RepMetrics field -> plain explanation of every measurement the report shows (table columns and
# plots), for tooltips and the "how to read" notes. Keyed by field name: one list of names.
METRIC_HELP: dict[str, str] = {
    "min_elbow_deg": "Smallest elbow angle at the bottom of the rep (180° = straight arm), for "
    "reference: depth is judged by how low the shoulders went, which also works on a bench or "
    "bar.",
    "bottom_shoulder_height_norm": "Lowest height of the shoulders above the hands, as a share "
    "of that height at the top with straight arms: how low the chest went, whatever the hands "
    "rest on. Lower is deeper; above the shallow limit the rep is marked shallow.",
    "top_elbow_deg": "Largest elbow angle at the top of the rep. Near 180° means the arms "
    "straightened.",
    "hip_sag_norm": "How far the hips dropped below the straight head-to-heel line toward the "
    "floor ('sag'), as a share of body length.",
    "hip_pike_norm": "How far the hips rose above that line up toward the ceiling ('pike'), as a "
    "share of body length.",
    "neck_drop_norm": "How far the head dropped toward the floor from the body line, as a share "
    "of body length.",
    "lowering_s": "Seconds spent lowering (top to bottom). About 1-2 s is controlled.",
    "pushing_s": "Seconds spent pushing back up (bottom to top).",
    "hand_width_ratio": "Distance between the wrists divided by the distance between the "
    "shoulders (front view). Slightly wider than the shoulders is the goal.",
}

# Report columns that are not measurements -> plain explanation.
COLUMN_HELP: dict[str, str] = {
    "time": "When the rep started and ended, in seconds from the start of the video.",
    "faults": "Form faults found on this rep. 'mild' is just past the limit, 'marked' well past "
    "it; a dashed badge means the measurement was close to the limit, so it is uncertain.",
    "score": "0-100 summary of the rep's form: 100 means no fault and comfortably inside every "
    "limit.",
}


def column_help(column: str, measures: Sequence[Measure]) -> str:
    """Explanation of a report column: its measurements' (in order), or the column's own."""
    if measures:
        return " ".join(METRIC_HELP[measure_name(m)] for m in measures)
    return COLUMN_HELP[column.lower()]


def view_phrase(view: View, side: str) -> str:
    """``side view (left side toward the camera)`` and similar, for headers."""
    if view is View.SIDE and side in ("left", "right"):
        return f"side view ({side} side toward the camera)"
    if view is View.UNKNOWN:
        return "unknown camera view"
    return f"{view.value} view"
