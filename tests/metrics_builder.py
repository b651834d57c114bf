"""Per-rep metrics for tests that build reps by hand: name what was measured, the rest is None."""

from __future__ import annotations

import dataclasses

from pushup_coach.measurements import RepMetrics


def metrics(**measured: float | None) -> RepMetrics:
    """A :class:`RepMetrics` with ``measured`` set and every other field not measured (None);
    a misspelt name is a TypeError, not a silently unmeasured field."""
    return dataclasses.replace(RepMetrics.unmeasured(), **measured)
