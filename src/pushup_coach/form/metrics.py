"""Per-rep measurements from the per-frame features (names carry their units).

Conventions: a rep spans frames ``start_i..end_i`` (top, bottom at ``bottom_i``, top). Peaks of the
body-line and neck signals use the 90th percentile inside the rep, so one bad landmark frame does
not decide a fault. Tempo uses bands of 15% of the rep's own elbow range: lowering is the time from
leaving the top band to entering the bottom band; pushing is the reverse; the bottom pause is the
time spent inside the bottom band.
"""

from __future__ import annotations

import numpy as np

from pushup_coach.types import FeatureSeries, FloatArray, Rep, View

TEMPO_BAND = 0.15
PEAK_PERCENTILE = 90.0
TOP_WINDOW = 3  # frames either side of a top searched for the highest elbow angle


def _finite(values: FloatArray) -> FloatArray:
    return values[np.isfinite(values)]


def _peak(values: FloatArray) -> float | None:
    v = _finite(values)
    return float(np.percentile(v, PEAK_PERCENTILE)) if v.size else None


def _median(values: FloatArray) -> float | None:
    v = _finite(values)
    return float(np.median(v)) if v.size else None


def _top_angle(elbow: FloatArray, i: int) -> float:
    window = _finite(elbow[max(0, i - TOP_WINDOW) : i + TOP_WINDOW + 1])
    return float(window.max()) if window.size else float("nan")


def tempo_s(t_s: FloatArray, elbow: FloatArray, rep: Rep) -> tuple[float, float, float]:
    """(lowering_s, pushing_s, bottom_pause_s) of one rep from its elbow-angle curve."""
    s, b, e = rep.start_i, rep.bottom_i, rep.end_i
    top_hi = min(_top_angle(elbow, s), _top_angle(elbow, e))
    low = float(np.nanmin(elbow[s : e + 1]))
    span = top_hi - low
    if not np.isfinite(span) or span <= 0:
        return float("nan"), float("nan"), float("nan")
    top_band, bottom_band = top_hi - TEMPO_BAND * span, low + TEMPO_BAND * span
    idx = np.arange(s, e + 1)
    seg = elbow[s : e + 1]
    leave_top = idx[(idx <= b) & (seg >= top_band)]
    reach_bottom = idx[(idx <= b) & (seg <= bottom_band)]
    leave_bottom = idx[(idx >= b) & (seg <= bottom_band)]
    reach_top = idx[(idx >= b) & (seg >= top_band)]
    t_leave_top = t_s[leave_top[-1]] if leave_top.size else t_s[s]
    t_reach_bottom = t_s[reach_bottom[0]] if reach_bottom.size else t_s[b]
    t_leave_bottom = t_s[leave_bottom[-1]] if leave_bottom.size else t_s[b]
    t_reach_top = t_s[reach_top[0]] if reach_top.size else t_s[e]
    return (
        float(t_reach_bottom - t_leave_top),
        float(t_reach_top - t_leave_bottom),
        float(t_leave_bottom - t_reach_bottom),
    )


def rep_metrics(features: FeatureSeries, rep: Rep, view: View) -> dict[str, float | None]:
    """Measurements of one rep; None where this view cannot measure a quantity."""
    s, b, e = rep.start_i, rep.bottom_i, rep.end_i
    win = slice(s, e + 1)
    elbow = features.elbow_deg
    lowering, pushing, pause = tempo_s(features.t_s, elbow, rep)
    side_like = view in (View.SIDE, View.OBLIQUE)
    bottom = slice(max(s, b - 2), min(e, b + 2) + 1)
    # Lockout is judged at the top the rep starts from: that top is always confirmed, while the
    # end of the last rep may be cut off by the end of the clip.
    top_deg = _top_angle(elbow, s)
    metrics: dict[str, float | None] = {
        "min_elbow_deg": float(np.nanmin(elbow[win])) if side_like else None,
        "bottom_shoulder_height_norm": _min(features.shoulder_height_norm[win])
        if side_like
        else None,
        "top_elbow_deg": top_deg if side_like else None,
        "hip_sag_norm": _peak(features.hip_dev_norm[win]) if side_like else None,
        "hip_pike_norm": _peak(-features.hip_dev_norm[win]) if side_like else None,
        "min_hip_angle_deg": _min(features.hip_angle_deg[win]) if side_like else None,
        "neck_drop_norm": _peak(features.neck_dev_norm[win]) if side_like else None,
        "lowering_s": lowering,
        "pushing_s": pushing,
        "bottom_pause_s": pause,
        "duration_s": float(rep.end_s - rep.start_s),
        "body_incline_deg": _median(features.body_incline_deg[s : s + 3]) if side_like else None,
        "hand_width_ratio": _median(features.hand_width_ratio[win]) if not side_like else None,
        "elbow_flare_deg": _median(features.elbow_flare_deg[bottom]) if not side_like else None,
        "quality": _median(features.quality[win]),
    }
    return metrics


def _min(values: FloatArray) -> float | None:
    v = _finite(values)
    return float(v.min()) if v.size else None
