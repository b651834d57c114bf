"""Clean landmark tracks: fill short gaps, reject jumps, low-pass filter.

Conventions: operates on :class:`PoseSeries` (normalised coordinates, NaN = not seen). Gaps longer
than ``max_gap_s`` stay NaN (a person who left the frame is not invented). Filtering is zero-phase
(forward-backward Butterworth) so rep timing is not shifted; it runs per contiguous run of frames,
and never across a cut in an edited video (:func:`find_cuts`), so a jump between two shots is not
smeared into a fake movement.
Frame times are assumed close to uniform; variable frame rate shifts the cut-off by the ratio of the
local to the median frame interval, which is small for phone footage.
"""

from __future__ import annotations

import itertools

import numpy as np

from pushup_coach.config import DEFAULT_CONFIG, AnalysisConfig
from pushup_coach.types import BoolArray, FloatArray, PoseSeries

# Median landmark jump between two consecutive frames, as a share of the pose's size (bounding
# box diagonal), from which the frames belong to different shots: the fastest push-up moves the
# landmarks a few percent of that per frame at 15 Hz; a cut to another camera moves them all.
CUT_MIN_JUMP = 0.35
# Longest time a median filter's window spans: 5 frames at 24-30 fps, 3 at the default 15 poses a
# second, none below 10. A fixed 5 frames spanned 0.33 s at 15 Hz and 0.4 s at 12.5 Hz, as long
# as a fast contest rep (0.45 s), and flattened it: at 12.5 Hz the contest clips counted 0-3 of
# 6-7 reps, with this span 6-7 (docs/counting.md).
MEDIAN_SPAN_S = 0.21


def smooth_series(series: PoseSeries, config: AnalysisConfig = DEFAULT_CONFIG) -> PoseSeries:
    """Fill gaps up to ``config.max_gap_s``, then median + low-pass filter every coordinate track.

    Returns a new series of the same shape; visibility is gap-filled but not filtered.
    """
    if len(series) < 3:
        return series
    lm = np.array(series.landmarks, dtype=np.float64, copy=True)
    t = np.asarray(series.t_s, dtype=np.float64)
    fps = series.fps
    cuts = find_cuts(series)
    flat = lm.reshape(len(series), -1)
    for col in range(flat.shape[1]):
        flat[:, col] = fill_gaps(t, flat[:, col], config.max_gap_s, cuts)
    coords = lm[:, :, :3]
    for j in range(coords.shape[1]):
        for k in range(3):
            coords[:, j, k] = lowpass(coords[:, j, k], fps, config.smoothing_cutoff_hz, cuts)
    return PoseSeries(t_s=t, landmarks=lm, size_wh=series.size_wh, source=series.source)


def without_frames(series: PoseSeries, drop: BoolArray) -> PoseSeries:
    """A copy of ``series`` with the landmarks of the ``drop`` frames (T,) set to NaN (gaps)."""
    lm = np.array(series.landmarks, dtype=np.float64, copy=True)
    lm[np.asarray(drop, dtype=bool)] = np.nan
    return PoseSeries(t_s=series.t_s, landmarks=lm, size_wh=series.size_wh, source=series.source)


def find_cuts(series: PoseSeries) -> BoolArray:
    """(T,) True on the first frame of a new shot: where the landmarks all jump at once.

    A frame is a cut when the median distance its landmarks moved since the last frame with a
    person is at least ``CUT_MIN_JUMP`` of the pose's size (the larger bounding-box diagonal of
    the two frames). Pixels of the upright frame; frames without a person are never cuts.
    """
    out = np.zeros(len(series), dtype=bool)
    present = np.flatnonzero(series.present)
    if len(present) < 2:
        return out
    px = series.pixels()[present]
    out[present[1:][jump_ratio(px[:-1], px[1:]) >= CUT_MIN_JUMP]] = True
    return out


def jump_ratio(before_px: FloatArray, after_px: FloatArray) -> FloatArray:
    """(N,) median landmark displacement between (N, 33, 2) pixel poses / the larger pose size
    (bounding-box diagonal) of the two; see :func:`find_cuts`."""
    with np.errstate(invalid="ignore"):
        size_a = np.linalg.norm(
            np.nanmax(before_px, axis=1) - np.nanmin(before_px, axis=1), axis=-1
        )
        size_b = np.linalg.norm(np.nanmax(after_px, axis=1) - np.nanmin(after_px, axis=1), axis=-1)
        jump = np.nanmedian(np.linalg.norm(after_px - before_px, axis=-1), axis=1)
        return np.asarray(jump / np.fmax(size_a, size_b), dtype=np.float64)


def fill_gaps(
    t_s: FloatArray, values: FloatArray, max_gap_s: float, cuts: BoolArray | None = None
) -> FloatArray:
    """Linearly interpolate NaN runs no longer than ``max_gap_s`` that have data on both sides.

    ``t_s`` and ``values`` have shape (T,). Leading and trailing NaN runs are left as they are,
    and so are runs that end at a ``cuts`` frame (two shots are not joined).
    """
    out = np.array(values, dtype=np.float64, copy=True)
    missing = np.isnan(out)
    if not missing.any() or missing.all():
        return out
    for start, stop in _runs(missing):
        if start == 0 or stop == len(out):
            continue
        if t_s[stop] - t_s[start - 1] > max_gap_s or (cuts is not None and cuts[stop]):
            continue
        out[start:stop] = np.interp(
            t_s[start:stop], [t_s[start - 1], t_s[stop]], out[[start - 1, stop]]
        )
    return out


def lowpass(
    values: FloatArray, fps: float, cutoff_hz: float, cuts: BoolArray | None = None
) -> FloatArray:
    """Zero-phase low-pass of each contiguous non-NaN run of ``values`` (shape (T,)), a run
    also ending before each ``cuts`` frame.

    A median over at most ``MEDIAN_SPAN_S`` first removes single-frame landmark jumps; runs too
    short for the low-pass are median-filtered only.
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
    kernel = median_kernel(fps)
    half = kernel // 2
    for start, stop in _split_at(_runs(~np.isnan(out)), cuts):
        run = out[start:stop]
        if kernel > 1 and len(run) >= kernel:
            run = medfilt(run, kernel_size=kernel)
            run[:half], run[-half:] = out[start : start + half], out[stop - half : stop]
        if len(run) > pad:
            run = filtfilt(b, a, run)
        out[start:stop] = run
    return out


def median_kernel(fps: float) -> int:
    """Odd number of frames the median filter takes at ``fps``: as many as fit in
    ``MEDIAN_SPAN_S`` (a twentieth of a frame of slack for 14.98 Hz timestamps), at least 1."""
    frames = int(fps * MEDIAN_SPAN_S + 0.05)
    return max(1, frames - 1 + frames % 2)


def _split_at(runs: list[tuple[int, int]], cuts: BoolArray | None) -> list[tuple[int, int]]:
    """``runs`` with each run split before every ``cuts`` frame inside it."""
    if cuts is None or not cuts.any():
        return runs
    out: list[tuple[int, int]] = []
    for start, stop in runs:
        inside = np.flatnonzero(cuts[start + 1 : stop]) + start + 1
        out.extend(itertools.pairwise([start, *inside.tolist(), stop]))
    return out


def _runs(mask: BoolArray) -> list[tuple[int, int]]:
    """(start, stop) index pairs of the True runs in a 1-D boolean mask."""
    m = np.concatenate([[False], np.asarray(mask, dtype=bool), [False]])
    edges = np.flatnonzero(np.diff(m.astype(np.int8)))
    return list(zip(edges[::2].tolist(), edges[1::2].tolist(), strict=True))
