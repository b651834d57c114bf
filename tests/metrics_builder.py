"""Per-rep metrics for tests that build reps by hand: name what was measured, the rest is None."""

from __future__ import annotations

import dataclasses

from pushup_coach.measurements import RepMetrics


def metrics(**measured: float | None) -> RepMetrics:
    """A :class:`RepMetrics` with ``measured`` set and every other field not measured (None);
    a misspelt name is a TypeError, not a silently unmeasured field."""
    return dataclasses.replace(RepMetrics.unmeasured(), **measured)


# A side-view rep that every rule of its view judges and finds clean.
SIDE_CLEAN = metrics(
    min_elbow_deg=80.0,
    bottom_shoulder_height_norm=0.3,
    top_elbow_deg=172.0,
    hip_sag_norm=0.01,
    hip_pike_norm=0.01,
    neck_drop_norm=0.01,
    lowering_s=1.2,
    quality=0.95,
)
# Every front-view rule judges this rep and finds nothing (the body line is not judged from the
# front, so the rep is "form not checked" whatever its arms do).
FRONT_CLEAN = metrics(lowering_s=1.2, hand_width_ratio=1.3, elbow_flare_deg=45.0, quality=0.95)
