"""Reproduce every number in docs/accuracy.md with one command.

    python benchmarks/accuracy.py [--data ../shared/data] [--cache DIR]

1. Poses every labelled clip once (cached as .npz landmark files, so re-runs take seconds).
2. Scores the shipped defaults on all clips, overall and per source group, with the confusion of
   each fault.
3. Leave-one-source-group-out cross-validation: for each group, every fault threshold is chosen
   on the other groups (best F1, ties broken toward the shipped value) and the group is scored
   with those; the held-out predictions are pooled. This is the honest estimate for new people.
4. Calibrates the side/oblique split the same way: the yaw-ratio threshold is chosen on the
   other groups for each held-out group (best view accuracy, ties toward the shipped value);
   the cross-validated view accuracy is the pooled held-out result.
5. Scores the published reference analyser's predictions on the same clips the same way.
6. Checks the body-line rule on still plank postures (correct / hips high / hips low).
Writes docs/accuracy.md, docs/accuracy.json and docs/accuracy-curves.png.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import warnings
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from pushup_coach.analysis import analyze_file, analyze_series  # noqa: E402
from pushup_coach.config import DEFAULT_CONFIG, AnalysisConfig  # noqa: E402
from pushup_coach.evaluation import (  # noqa: E402
    ClipResult,
    LabelledClip,
    Scores,
    clip_result,
    fault_scores,
    read_manifest,
)
from pushup_coach.features import shoulder_width_ratio, yaw_ratio  # noqa: E402
from pushup_coach.form import judge_metrics  # noqa: E402
from pushup_coach.pose import read_landmarks, save_landmarks  # noqa: E402
from pushup_coach.posture import FRONT_MIN_WIDTH_RATIO, OBLIQUE_MIN_YAW_RATIO  # noqa: E402
from pushup_coach.smoothing import smooth_series  # noqa: E402
from pushup_coach.types import PoseSeries, SessionReport  # noqa: E402

# Threshold grids searched in cross-validation, per setting (the fault it drives in brackets).
GRIDS: dict[str, tuple[str, list[float]]] = {
    "hip_sag_dev": ("hip_sag", [round(x, 3) for x in np.arange(0.03, 0.101, 0.005)]),
    "hip_pike_dev": ("hip_pike", [round(x, 3) for x in np.arange(0.06, 0.201, 0.01)]),
    "head_drop_dev": ("head_drop", [round(x, 3) for x in np.arange(0.04, 0.121, 0.005)]),
    "shallow_shoulder_height": ("shallow", [round(x, 3) for x in np.arange(0.45, 0.701, 0.01)]),
}
YAW_GRID = [round(x, 3) for x in np.arange(0.05, 0.301, 0.01)]
REFERENCE_ASSESSES = frozenset({"hip_sag", "hip_pike", "head_drop", "shallow", "no_lockout"})


@dataclass
class Clip:
    """A labelled clip with its analysis under the shipped defaults.

    Reps and their metrics do not depend on the fault thresholds, so threshold searches only
    re-judge the stored metrics (form.judge_metrics), which takes milliseconds.
    """

    label: LabelledClip
    series: PoseSeries
    info: Any
    report: SessionReport


def load_clips(data: Path, cache: Path) -> list[Clip]:
    """Labelled clips with their landmarks, posing (and caching) any clip not yet cached."""
    labels = read_manifest(data / "labels.csv")
    cache.mkdir(parents=True, exist_ok=True)
    clips = []
    for i, label in enumerate(labels):
        cached = cache / (label.clip.replace("/", "__") + ".npz")
        if not cached.exists():
            print(f"[{i + 1}/{len(labels)}] posing {label.clip}", file=sys.stderr)
            analysis = analyze_file(data / label.clip)
            save_landmarks(analysis.series, cached, analysis.report.source)
        loaded = read_landmarks(cached)
        report = analyze_series(loaded.series, loaded.info, DEFAULT_CONFIG).report
        clips.append(Clip(label, loaded.series, loaded.info, report))
    return clips


def score(clips: list[Clip], config: AnalysisConfig) -> list[ClipResult]:
    """Clip results with every rep re-judged under ``config``'s thresholds."""
    results = []
    for c in clips:
        result = clip_result(c.label, c.report)
        found = {
            f.value
            for rep in c.report.reps
            for f in judge_metrics(rep.metrics, c.report.view, config)[0]
        }
        result.found = frozenset(found)
        results.append(result)
    return results


def by_group(results: list[ClipResult]) -> dict[str, dict[str, Any]]:
    groups: dict[str, list[ClipResult]] = defaultdict(list)
    for r in results:
        groups[r.label.source_group].append(r)
    return {g: Scores(rs).to_dict() for g, rs in sorted(groups.items())}


def tune(clips: list[Clip], setting: str) -> tuple[float, list[tuple[float, float | None]]]:
    """Best value of ``setting`` for the F1 of its fault on ``clips``, and the F1 curve."""
    fault, grid = GRIDS[setting]
    default = getattr(DEFAULT_CONFIG, setting)
    curve = []
    for value in grid:
        results = score(clips, DEFAULT_CONFIG.replace(**{setting: value}))
        f1 = fault_scores(results).get(fault, {}).get("f1")
        curve.append((value, f1 if isinstance(f1, float) else None))
    best = max(curve, key=lambda vf: ((vf[1] or 0.0), -abs(vf[0] - default)))
    return best[0], curve


def cross_validate(clips: list[Clip]) -> tuple[list[ClipResult], dict[str, list[float]]]:
    """Leave-one-source-group-out predictions and the thresholds each fold chose."""
    groups = sorted({c.label.source_group for c in clips})
    pooled: list[ClipResult] = []
    chosen: dict[str, list[float]] = defaultdict(list)
    for g in groups:
        train = [c for c in clips if c.label.source_group != g]
        test = [c for c in clips if c.label.source_group == g]
        changes = {}
        for setting in GRIDS:
            changes[setting], _ = tune(train, setting)
            chosen[setting].append(changes[setting])
        pooled.extend(score(test, DEFAULT_CONFIG.replace(**changes)))
        print(f"fold {g}: {changes}", file=sys.stderr)
    return pooled, chosen


def view_calibration(clips: list[Clip]) -> dict[str, Any]:
    """The view features per clip, and the yaw threshold cross-validated by source group.

    Front views are split off by the shoulder-width ratio first (no overlap on the shared
    clips); the side/oblique threshold is then searched on the clips not called front.
    """
    rows = []
    for c in clips:
        smoothed = smooth_series(c.series, DEFAULT_CONFIG)
        rows.append(
            {
                "clip": c.label.clip,
                "group": c.label.source_group,
                "label": c.label.view,
                "width_ratio": round(float(np.nanmedian(shoulder_width_ratio(smoothed))), 3),
                "yaw_ratio": round(float(np.nanmedian(yaw_ratio(smoothed))), 3),
            }
        )

    def predict(row: dict[str, Any], yaw_max: float) -> str:
        if row["width_ratio"] > FRONT_MIN_WIDTH_RATIO:
            return "front"
        return "oblique" if row["yaw_ratio"] > yaw_max else "side"

    def accuracy(subset: list[dict[str, Any]], yaw_max: float) -> float:
        return sum(predict(r, yaw_max) == r["label"] for r in subset) / max(len(subset), 1)

    def best(subset: list[dict[str, Any]]) -> float:
        return max(YAW_GRID, key=lambda v: (accuracy(subset, v), -abs(v - OBLIQUE_MIN_YAW_RATIO)))

    hits, chosen = 0, []
    for g in sorted({r["group"] for r in rows}):
        threshold = best([r for r in rows if r["group"] != g])
        chosen.append(threshold)
        hits += sum(predict(r, threshold) == r["label"] for r in rows if r["group"] == g)
    for r in rows:
        r["predicted"] = predict(r, OBLIQUE_MIN_YAW_RATIO)
    return {
        "front_min_width_ratio": FRONT_MIN_WIDTH_RATIO,
        "oblique_min_yaw_ratio": OBLIQUE_MIN_YAW_RATIO,
        "clips": rows,
        "cv_accuracy": round(hits / len(rows), 3),
        "cv_thresholds": sorted(chosen),
        "curve": [(v, round(accuracy(rows, v), 3)) for v in YAW_GRID],
    }


def reference_results(data: Path, clips: list[Clip]) -> list[ClipResult]:
    """The published analyser's predictions, scored like ours (it assesses side faults)."""
    with (data / "reference-analyser.csv").open(newline="") as fh:
        rows = {r["clip"]: r for r in csv.DictReader(fh)}
    out = []
    for c in clips:
        row = rows.get(c.label.clip)
        if row is None:
            continue
        found = frozenset(f for f in row["faults_predicted"].split() if f != "none")
        out.append(
            ClipResult(c.label, int(row["reps_predicted"]), found, REFERENCE_ASSESSES, "", "")
        )
    return out


def plank_check(data: Path, config: AnalysisConfig) -> dict[str, Any]:
    """Body-line rule on still plank postures: hips high (H) -> pike, low (L) -> sag, C neither."""
    from pushup_coach.features import body_points, signed_offset
    from pushup_coach.pose import read_landmarks as read
    from pushup_coach.types import Side

    path = data.parent / "plank-sag-pike" / "labelled.csv"
    if not path.exists():
        return {}
    with path.open(newline="") as fh:
        labels = [row["label"] for row in csv.DictReader(fh)]
    out: dict[str, Any] = {}
    for size in ((1280, 720), (640, 480)):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            series = read(path, coords="normalized", size_wh=size, fps=30.0).series
        hits = 0
        for side in (Side.LEFT, Side.RIGHT):
            p = body_points(series, side)
            # Frames come from different people facing either way: the floor side is per frame.
            sign = np.sign(signed_offset(p["wrist"], p["shoulder"], p["ankle"]))
            length = np.linalg.norm(p["ankle"] - p["shoulder"], axis=-1)
            dev = sign * signed_offset(p["hip"], p["shoulder"], p["ankle"]) / length
            pred = np.where(
                dev > config.hip_sag_dev, "L", np.where(dev < -config.hip_pike_dev, "H", "C")
            )
            hits = max(hits, int(sum(a == b for a, b in zip(pred, labels, strict=True))))
        out[f"{size[0]}x{size[1]}"] = round(hits / len(labels), 3)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "pushup-clips")
    # One cache per pose sampling rate, so changing the default never scores stale landmarks.
    default_cache = f"eval-{DEFAULT_CONFIG.pose_rate_hz:g}hz"
    ap.add_argument(
        "--cache", type=Path, default=Path.home() / ".cache" / "pushup-coach" / default_cache
    )
    ap.add_argument("--out", type=Path, default=ROOT / "docs")
    args = ap.parse_args()
    clips = load_clips(args.data, args.cache)
    shipped = score(clips, DEFAULT_CONFIG)
    cv, chosen = cross_validate(clips)
    curves = {s: tune(clips, s)[1] for s in GRIDS}
    view = view_calibration(clips)
    reference = reference_results(args.data, clips)
    reference_scores = Scores(reference).to_dict()
    # The reference analyser reports neither view nor variation.
    reference_scores["view_accuracy"] = reference_scores["variation_accuracy"] = None
    result = {
        "clips": len(clips),
        "shipped": Scores(shipped).to_dict(),
        # Fault thresholds and the view split each cross-validated by source group.
        "cross_validated": {**Scores(cv).to_dict(), "view_accuracy": view["cv_accuracy"]},
        "reference_analyser": reference_scores,
        "per_group_shipped": by_group(shipped),
        "per_group_cross_validated": by_group(cv),
        "cv_thresholds": {k: sorted(v) for k, v in chosen.items()},
        "shipped_thresholds": {k: getattr(DEFAULT_CONFIG, k) for k in GRIDS},
        "curves": {k: v for k, v in curves.items()},
        "view_calibration": view,
        "plank_body_line_accuracy": plank_check(args.data, DEFAULT_CONFIG),
        "misses": [_miss(r) for r in shipped if _is_miss(r)],
    }
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "accuracy.json").write_text(json.dumps(result, indent=1) + "\n")
    _plot_curves(curves, args.out / "accuracy-curves.png")
    from accuracy_doc import render  # type: ignore[import-not-found]

    (args.out / "accuracy.md").write_text(render(result))
    print(json.dumps({k: result[k] for k in ("shipped", "cross_validated")}, indent=1))


def _is_miss(r: ClipResult) -> bool:
    return not r.reps_exact or r.verdict_true != r.verdict_pred or r.view != r.label.view


def _miss(r: ClipResult) -> dict[str, Any]:
    return {
        "clip": r.label.clip,
        "reps": [r.rep_count, r.label.reps],
        "faults_pred": sorted(r.found),
        "faults_true": sorted(r.label.faults),
        "uncertain_labels": sorted(r.label.faults_uncertain),
        "view": [r.view, r.label.view],
    }


def _plot_curves(curves: dict[str, list[tuple[float, float | None]]], path: Path) -> None:
    from matplotlib.figure import Figure

    fig = Figure(figsize=(10, 2.6), dpi=90)
    for i, (setting, curve) in enumerate(curves.items()):
        ax = fig.add_subplot(1, len(curves), i + 1)
        ax.plot([v for v, _ in curve], [f or 0.0 for _, f in curve], marker=".")
        ax.axvline(getattr(DEFAULT_CONFIG, setting), color="red", lw=1)
        ax.set_title(f"{GRIDS[setting][0]} F1", fontsize=9)
        ax.set_xlabel(setting, fontsize=8)
        ax.set_ylim(0, 1.05)
        ax.tick_params(labelsize=7)
    fig.tight_layout()
    fig.savefig(path)


if __name__ == "__main__":
    main()
