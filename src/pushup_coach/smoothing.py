"""Clean landmark tracks: fill short gaps, reject jumps, low-pass filter.

Conventions: operates on :class:`PoseSeries` (normalised coordinates, NaN = not seen). Gaps longer
than ``max_gap_s`` stay NaN (a person who left the frame is not invented). Filtering is zero-phase
(forward-backward Butterworth) so rep timing is not shifted; it runs per contiguous run of frames.
Frame times are assumed close to uniform; variable frame rate shifts the cut-off by the ratio of the
local to the median frame interval, which is small for phone footage.
"""

from __future__ import annotations

import numpy as np

from pushup_coach.config import DEFAULT_CONFIG, AnalysisConfig
from pushup_coach.types import BoolArray, FloatArray, PoseSeries


def smooth_series(series: PoseSeries, config: AnalysisConfig = DEFAULT_CONFIG) -> PoseSeries:
    """Fill gaps up to ``config.max_gap_s``, then median + low-pass filter every coordinate track.

    Returns a new series of the same shape; visibility is gap-filled but not filtered.
    """
    if len(series) < 3:
        return series
    lm = np.array(series.landmarks, dtype=np.float64, copy=True)
    t = np.asarray(series.t_s, dtype=np.float64)
    fps = series.fps
    flat = lm.reshape(len(series), -1)
    for col in range(flat.shape[1]):
        flat[:, col] = fill_gaps(t, flat[:, col], config.max_gap_s)
    coords = lm[:, :, :3]
    for j in range(coords.shape[1]):
        for k in range(3):
            coords[:, j, k] = lowpass(coords[:, j, k], fps, config.smoothing_cutoff_hz)
    return PoseSeries(t_s=t, landmarks=lm, size_wh=series.size_wh, source=series.source)


def without_frames(series: PoseSeries, drop: BoolArray) -> PoseSeries:
    """A copy of ``series`` with the landmarks of the ``drop`` frames (T,) set to NaN (gaps)."""
    lm = np.array(series.landmarks, dtype=np.float64, copy=True)
    lm[np.asarray(drop, dtype=bool)] = np.nan
    return PoseSeries(t_s=series.t_s, landmarks=lm, size_wh=series.size_wh, source=series.source)


def fill_gaps(t_s: FloatArray, values: FloatArray, max_gap_s: float) -> FloatArray:
    """Linearly interpolate NaN runs no longer than ``max_gap_s`` that have data on both sides.

    ``t_s`` and ``values`` have shape (T,). Leading and trailing NaN runs are left as they are.
    """
    out = np.array(values, dtype=np.float64, copy=True)
    missing = np.isnan(out)
    if not missing.any() or missing.all():
        return out
    for start, stop in _runs(missing):
        if start == 0 or stop == len(out):
            continue
        if t_s[stop] - t_s[start - 1] > max_gap_s:
            continue
        out[start:stop] = np.interp(
            t_s[start:stop], [t_s[start - 1], t_s[stop]], out[[start - 1, stop]]
        )
    return out


def lowpass(values: FloatArray, fps: float, cutoff_hz: float) -> FloatArray:
    """Zero-phase low-pass of each contiguous non-NaN run of ``values`` (shape (T,)).

    A 5-frame median first removes single-frame landmark jumps; runs too short for the filter are
    median-filtered only.
    """
    # scipy.signal takes about a second and 60 MB to import: loaded when first needed, so
    # commands that never smooth start fast and the parent of the pose workers stays small.
    from scipy.signal import butter, filtfilt, medfilt

    out = np.array(values, dtype=np.float64, copy=True)
    if fps <= 0 or cutoff_hz <= 0:
        return out
    nyquist = fps / 2.0
    b, a = butter(2, min(cutoff_hz / nyquist, 0.95), btype="low")
    pad = 3 * max(len(a), len(b))
    for start, stop in _runs(~np.isnan(out)):
        run = out[start:stop]
        if len(run) >= 5:
            run = medfilt(run, kernel_size=5)
            run[:2], run[-2:] = out[start : start + 2], out[stop - 2 : stop]
        if len(run) > pad:
            run = filtfilt(b, a, run)
        out[start:stop] = run
    return out


def _runs(mask: BoolArray) -> list[tuple[int, int]]:
    """(start, stop) index pairs of the True runs in a 1-D boolean mask."""
    m = np.concatenate([[False], np.asarray(mask, dtype=bool), [False]])
    edges = np.flatnonzero(np.diff(m.astype(np.int8)))
    return list(zip(edges[::2].tolist(), edges[1::2].tolist(), strict=True))
