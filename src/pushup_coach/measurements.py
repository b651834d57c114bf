"""The typed per-rep record of measurements (:class:`RepMetrics`) shared by rules, reports, storage.

One field per measurement, units in the name (angles in degrees with 180 = straight, ``_norm`` a
fraction of body length or of the shoulders' height at the top, ``_s`` seconds). ``None`` is the
one spelling of "not measured" (this view cannot see it, or the rep's landmarks did not allow it):
NaN and infinities are turned into ``None`` when a record is built, so no NaN passes for a number.
A fault whose measurement is ``None`` is "not assessed" for that rep, never absent.

The JSON twin (:meth:`RepMetrics.to_dict`) keeps the keys and rounding reports always had, and
:meth:`RepMetrics.from_dict` reads reports written before or after this version (missing keys are
not measured, unknown keys are ignored).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, fields
from numbers import Real
from typing import Any

METRIC_DIGITS = 4  # decimals kept in the JSON report


@dataclass(frozen=True, kw_only=True)
class RepMetrics:
    """Measurements of one rep; ``None`` where the view or the landmarks could not give one."""

    min_elbow_deg: float | None  # depth as an angle: smallest elbow angle of the rep (side view)
    bottom_shoulder_height_norm: float | None  # depth: lowest shoulder height / height at the top
    top_elbow_deg: float | None  # lockout: largest elbow angle at the top the rep starts from
    # (or ends on, when the clip begins at its start: form.metrics.lockout_top_deg)
    hip_sag_norm: float | None  # 90th pct of hip deviation toward the floor (+ = sag)
    hip_pike_norm: float | None  # 90th pct of hip deviation away from the floor (+ = pike)
    min_hip_angle_deg: float | None  # smallest shoulder-hip-ankle angle (180 = straight body)
    neck_drop_norm: float | None  # 90th pct of ear deviation toward the floor from the body line
    lowering_s: float | None  # eccentric time: the body's visible descent
    pushing_s: float | None  # concentric time: the body's visible rise
    bottom_pause_s: float | None  # time between the end of the descent and the start of the rise
    duration_s: float | None  # top to top
    body_incline_deg: float | None  # shoulder-ankle segment vs the image horizontal at the start
    hand_width_ratio: float | None  # wrist distance / shoulder distance (front view)
    elbow_flare_deg: float | None  # upper arm to torso angle at the bottom (front view)
    quality: float | None  # median landmark confidence 0..1 over the rep

    def __post_init__(self) -> None:
        for name in metric_names():
            object.__setattr__(self, name, _measured(name, getattr(self, name)))

    def to_dict(self) -> dict[str, float | None]:
        """Every field by name, rounded to ``METRIC_DIGITS`` decimals; ``None`` = not measured."""
        return {
            name: None if (v := getattr(self, name)) is None else round(v, METRIC_DIGITS)
            for name in metric_names()
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> RepMetrics:
        """From :meth:`to_dict`'s output, or an older or newer report's: a missing key is not
        measured, an unknown key (a measurement this version does not know) is ignored."""
        return cls(**{name: d.get(name) for name in metric_names()})

    @classmethod
    def unmeasured(cls) -> RepMetrics:
        """A record with nothing measured (every fault it feeds is not assessed)."""
        return cls(**dict.fromkeys(metric_names()))


def metric_names() -> tuple[str, ...]:
    """The record's field names, in order: the one list of measurement names (and JSON keys)."""
    return tuple(f.name for f in fields(RepMetrics))


Measure = Callable[[RepMetrics], float | None]


def measure_name(measure: Measure) -> str:
    """The field a measure such as ``lambda m: m.hip_sag_norm`` reads, for the JSON key or the
    glossary entry that goes with it. Found by calling it on a record whose every field holds its
    own position; a measure that does not return one field as it is raises ``ValueError``."""
    names = metric_names()
    probe = RepMetrics(**{name: float(i) for i, name in enumerate(names)})
    value = measure(probe)
    if value is None or not float(value).is_integer() or not 0 <= value < len(names):
        raise ValueError(f"a measure must return one RepMetrics field as it is; got {value!r}")
    return names[int(value)]


def _measured(name: str, value: Any) -> float | None:
    """``value`` as a float; ``None`` for None, NaN or an infinity (not measured)."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, Real):
        raise ValueError(f"RepMetrics.{name} must be a number or None, got {value!r}")
    number = float(value)
    return number if math.isfinite(number) else None
