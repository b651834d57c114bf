"""Per-rep measurements from the per-frame features (names carry their units).

Conventions: a rep spans frames ``start_i..end_i`` (top, bottom at ``bottom_i``, top). Peaks of the
body-line and neck signals use the 90th percentile inside the rep, so one bad landmark frame does
not decide a fault. Tempo follows the body's motion (the shoulders' height above the hands from
the side, the elbow angle from the front): lowering is the visible descent, from when the body
starts moving down to when it stops, i.e. while its downward speed exceeds ``MOVING_SPEED_SHARE``
of the rep's peak downward speed (crossings interpolated between samples); pushing is the same
going up; the bottom pause lies between the two. Level bands (the old 15% of the elbow range at
either end) cut off the slow start and end of a smooth movement, about half of a 1 s descent.
Depth is the lowest shoulder height above the hands as a share of that height at the rep's top
(arms straight): the hands stand on whatever supports them (floor, bench, bar, knees' rung), so
the same share means chest-to-support depth in every variation.
"""

from __future__ import annotations

import numpy as np

from pushup_coach.measurements import RepMetrics
from pushup_coach.types import FeatureSeries, FloatArray, Rep, View

MOVING_SPEED_SHARE = 0.05
PEAK_PERCENTILE = 90.0
TOP_WINDOW = 3  # frames either side of a top searched for the highest elbow angle
MIN_MEASURED = 0.5  # share of a rep's frames a measure needs to be judged at all


def _finite(values: FloatArray) -> FloatArray:
    return values[np.isfinite(values)]


def _measured(values: FloatArray) -> FloatArray | None:
    """A rep's finite values; None when under MIN_MEASURED of its frames have one (the body
    line is not measured where the feet are out of sight or the knees bent, hand width where
    the wrists are not seen)."""
    v = _finite(values)
    return v if v.size and v.size >= MIN_MEASURED * values.size else None


def _peak(values: FloatArray) -> float | None:
    """High percentile of a rep's values, when enough of them were measured (:func:`_measured`)."""
    v = _measured(values)
    return None if v is None else float(np.percentile(v, PEAK_PERCENTILE))


def _median(values: FloatArray) -> float | None:
    v = _finite(values)
    return float(np.median(v)) if v.size else None


def _top_angle(elbow: FloatArray, i: int) -> float:
    window = _finite(elbow[max(0, i - TOP_WINDOW) : i + TOP_WINDOW + 1])
    return float(window.max()) if window.size else float("nan")


def tempo_s(t_s: FloatArray, height: FloatArray, rep: Rep) -> tuple[float, float, float]:
    """(lowering_s, pushing_s, bottom_pause_s) of one rep from a (T,) signal that is high at the
    top (shoulder height or elbow angle); NaN where the rep's motion cannot be timed."""
    # The counter may date a rep's start a little after the descent began, so the motion is
    # followed past the rep's ends (it stops at the turn: the speed changes sign there).
    s, b, e = rep.start_i, rep.bottom_i, rep.end_i
    lo, hi = max(0, s - (b - s)), min(len(t_s), e + 1 + (e - b))
    seg, t = height[lo:hi], t_s[lo:hi]
    ok = np.isfinite(seg)
    if seg.size < 3 or ok.sum() < max(3, MIN_MEASURED * seg.size):
        return float("nan"), float("nan"), float("nan")
    speed = np.gradient(np.interp(t, t[ok], seg[ok]), t)
    down = _moving_span(t, -speed, s - lo, b - lo)
    up = _moving_span(t, speed, b - lo, e - lo)
    if down is None or up is None:
        return float("nan"), float("nan"), float("nan")
    return down[1] - down[0], up[1] - up[0], max(0.0, up[0] - down[1])


def _moving_span(t: FloatArray, speed: FloatArray, lo: int, hi: int) -> tuple[float, float] | None:
    """(start_s, end_s) around the fastest sample of ``speed[lo..hi]`` while the speed stays
    above ``MOVING_SPEED_SHARE`` of that peak; crossing times interpolated between samples."""
    if hi <= lo:
        return None
    peak_i = lo + int(np.argmax(speed[lo : hi + 1]))
    floor = MOVING_SPEED_SHARE * speed[peak_i]
    if not floor > 0:
        return None
    i = peak_i
    while i > 0 and speed[i - 1] > floor:
        i -= 1
    j = peak_i
    while j < len(speed) - 1 and speed[j + 1] > floor:
        j += 1
    return _crossing(t, speed, i - 1, i, floor), _crossing(t, speed, j + 1, j, floor)


def _crossing(t: FloatArray, speed: FloatArray, out_i: int, in_i: int, level: float) -> float:
    """Time between samples ``out_i`` (at or below ``level``) and ``in_i`` (above it) where the
    speed crosses ``level``; ``t[in_i]`` when ``out_i`` lies outside the rep."""
    if not 0 <= out_i < len(t):
        return float(t[in_i])
    share = (speed[in_i] - level) / (speed[in_i] - speed[out_i])
    return float(t[in_i] + share * (t[out_i] - t[in_i]))


def lockout_top_deg(elbow: FloatArray, rep: Rep) -> float | None:
    """Elbow angle (deg) at the top a rep's lockout is judged at: the top it starts from, which
    the counter has seen, while the end of a clip may cut off the last rep's top. A clip that
    begins within ``TOP_WINDOW`` frames of that start may begin mid-rep (filmed from the first
    descent, or the bottom): that "top" was never seen as one, so the rep's end top is used,
    and None (not assessed) when the clip ends there too."""
    seen = np.flatnonzero(np.isfinite(elbow))
    if not seen.size:
        return None
    if rep.start_i - seen[0] > TOP_WINDOW:
        return _top_angle(elbow, rep.start_i)
    if seen[-1] - rep.end_i > TOP_WINDOW:
        return _top_angle(elbow, rep.end_i)
    return None


def depth_share(height_norm: FloatArray, rep: Rep) -> float | None:
    """Lowest shoulder height above the hands in the rep / that height at the rep's top, from
    (T,) heights in arm lengths. A top with bent arms (no lockout) counts as one arm length, so
    a rep that starts low is not excused for staying high."""
    top = _finite(height_norm[max(0, rep.start_i - TOP_WINDOW) : rep.start_i + TOP_WINDOW + 1])
    low = _finite(height_norm[rep.start_i : rep.end_i + 1])
    if not top.size or not low.size:
        return None
    return float(low.min() / max(float(top.max()), 1.0))


def rep_metrics(features: FeatureSeries, rep: Rep, view: View) -> RepMetrics:
    """Measurements of one rep; None where this view (or the rep's landmarks) cannot give one."""
    s, b, e = rep.start_i, rep.bottom_i, rep.end_i
    win = slice(s, e + 1)
    elbow = features.elbow_deg
    side_like = view in (View.SIDE, View.OBLIQUE)
    motion = features.shoulder_height_norm if side_like else elbow
    lowering, pushing, pause = tempo_s(features.t_s, motion, rep)
    bottom = slice(max(s, b - 2), min(e, b + 2) + 1)
    top_deg = lockout_top_deg(elbow, rep)
    return RepMetrics(
        min_elbow_deg=float(np.nanmin(elbow[win])) if side_like else None,
        bottom_shoulder_height_norm=depth_share(features.shoulder_height_norm, rep)
        if side_like
        else None,
        top_elbow_deg=top_deg if side_like else None,
        hip_sag_norm=_peak(features.hip_dev_norm[win]) if side_like else None,
        hip_pike_norm=_peak(-features.hip_dev_norm[win]) if side_like else None,
        min_hip_angle_deg=_min(features.hip_angle_deg[win]) if side_like else None,
        neck_drop_norm=_peak(features.neck_dev_norm[win]) if side_like else None,
        lowering_s=lowering,
        pushing_s=pushing,
        bottom_pause_s=pause,
        duration_s=float(rep.end_s - rep.start_s),
        body_incline_deg=_median(features.body_incline_deg[s : s + 3]) if side_like else None,
        hand_width_ratio=_median_measured(features.hand_width_ratio[win])
        if not side_like
        else None,
        elbow_flare_deg=_median(features.elbow_flare_deg[bottom]) if not side_like else None,
        quality=_median(features.quality[win]),
    )


def _median_measured(values: FloatArray) -> float | None:
    """Median of a rep's values, when enough of them were measured (:func:`_measured`)."""
    v = _measured(values)
    return None if v is None else float(np.median(v))


def _min(values: FloatArray) -> float | None:
    v = _finite(values)
    return float(v.min()) if v.size else None
