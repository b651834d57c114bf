"""Reproduce every number in docs/accuracy.md with one command.

    python benchmarks/accuracy.py [--data ../shared/data] [--cache DIR]

1. Poses every labelled clip of both real sets once (``pushup-clips``: 81 full push-ups;
   ``pushup-clips-extra``: 28 clips of 11 more people, knee / incline / decline, front and
   oblique), cached as .npz landmark files, so re-runs take seconds.
2. Scores the shipped defaults on all clips ("training" figures: the rules were written looking
   at these clips), overall, per variation, per view, per data set and per person.
3. Leave-one-person-out (the headline): for each person (``source_group``; clips the data README
   lists as cut from one session share a fold), every fault threshold is chosen on the other
   people (best F1, ties broken toward the shipped value) and the person is scored with those;
   the held-out predictions are pooled.
4. Calibrates the side/oblique split the same way (yaw-ratio threshold per held-out person).
5. Scores the published reference analyser's predictions where it has them (shared set).
6. Checks the body-line rule on still plank postures (correct / hips high / hips low).
Label conventions: ``reps`` -1 = no honest count (not scored for counting); an empty ``view`` or
``variation`` = the annotators disagreed (not scored for that attribute); ``faults_uncertain``
are left out when scoring that clip.
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

DATASETS = ("pushup-clips", "pushup-clips-extra")
# Threshold grids searched in cross-validation, per setting (the fault it drives in brackets).
GRIDS: dict[str, tuple[str, list[float]]] = {
    "hip_sag_dev": ("hip_sag", [round(x, 3) for x in np.arange(0.03, 0.101, 0.005)]),
    "hip_pike_dev": ("hip_pike", [round(x, 3) for x in np.arange(0.06, 0.201, 0.01)]),
    "head_drop_dev": ("head_drop", [round(x, 3) for x in np.arange(0.04, 0.121, 0.005)]),
    "shallow_shoulder_height": ("shallow", [round(x, 3) for x in np.arange(0.45, 0.701, 0.01)]),
    "too_fast_lowering_s": ("too_fast", [round(x, 2) for x in np.arange(0.2, 0.71, 0.05)]),
}
YAW_GRID = [round(x, 3) for x in np.arange(0.05, 0.301, 0.01)]
REFERENCE_ASSESSES = frozenset({"hip_sag", "hip_pike", "head_drop", "shallow", "no_lockout"})
# Groups the data README says are the same person and session (one is cut from the other's
# video), so they are held out together.
SAME_PERSON = {"man_red_shirt_crossfit_white_studio": "crossfit_man_redshirt_whitestudio"}
NOT_LABELLED = "(annotators split)"


@dataclass
class Clip:
    """A labelled clip with its analysis under the shipped defaults.

    Reps and their metrics do not depend on the fault thresholds, so threshold searches only
    re-judge the stored metrics (form.judge_metrics), which takes milliseconds.
    """

    label: LabelledClip
    dataset: str
    series: PoseSeries
    info: Any
    report: SessionReport

    @property
    def person(self) -> str:
        """The cross-validation fold: the source group, with duplicated sessions merged."""
        group = self.label.source_group
        return SAME_PERSON.get(group, group)


def load_clips(data: Path, cache: Path) -> list[Clip]:
    """Labelled clips of every data set with their landmarks, posing (and caching) new ones."""
    cache.mkdir(parents=True, exist_ok=True)
    clips = []
    for dataset in DATASETS:
        labels = read_manifest(data / dataset / "labels.csv")
        for i, label in enumerate(labels):
            cached = cache / (label.clip.replace("/", "__") + ".npz")
            if not cached.exists():
                print(f"[{i + 1}/{len(labels)}] posing {label.clip}", file=sys.stderr)
                analysis = analyze_file(data / dataset / label.clip)
                save_landmarks(analysis.series, cached, analysis.report.source)
            loaded = read_landmarks(cached)
            report = analyze_series(loaded.series, loaded.info, DEFAULT_CONFIG).report
            clips.append(Clip(label, dataset, loaded.series, loaded.info, report))
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
        # A fault is scored on a clip only where some rep was judged on it (a rep whose feet
        # were out of sight has no body line to judge).
        judged = {
            code
            for code in result.assessed
            if any(code not in _not_assessed(rep) for rep in c.report.reps)
        }
        result.assessed = frozenset(judged) if c.report.reps else result.assessed
        results.append(result)
    return results


def _not_assessed(rep: Any) -> set[str]:
    # Reports from before per-rep verdicts (a --baseline run of older code) lack the field.
    return {f.value for f in getattr(rep, "not_assessed", ())}


def summary(results: list[ClipResult]) -> dict[str, Any]:
    """Scores of ``results`` under the labels' conventions: a count of -1 is not scored for
    counting, an empty view or variation is not scored for that attribute."""
    counted = [r for r in results if r.label.reps >= 0]
    viewed = [r for r in results if r.label.view]
    varied = [r for r in results if r.label.variation]
    base = Scores(counted).to_dict()
    return {
        "clips": len(results),
        "clips_counted": len(counted),
        "reps_exact": base["reps_exact"],
        "reps_within_one": base["reps_within_one"],
        "reps_mae": base["reps_mae"],
        "verdict_accuracy": _ratio([r.verdict_true == r.verdict_pred for r in results]),
        "clips_view_labelled": len(viewed),
        "view_accuracy": _ratio([r.view == r.label.view for r in viewed]),
        "clips_variation_labelled": len(varied),
        "variation_accuracy": _ratio([r.variation == r.label.variation for r in varied]),
        # Where the analysis named a variation rather than "unknown": how often it was right.
        "variation_decided_accuracy": _ratio(
            [r.variation == r.label.variation for r in varied if r.variation != "unknown"]
        ),
        "variation_unknown_share": _ratio([r.variation == "unknown" for r in varied]),
        "faults": fault_scores(results),
    }


def _ratio(hits: list[bool]) -> float | None:
    return round(sum(hits) / len(hits), 4) if hits else None


def breakdown(results: list[ClipResult], key: str) -> dict[str, dict[str, Any]]:
    """:func:`summary` per value of the label attribute ``key`` (variation, view)."""
    groups: dict[str, list[ClipResult]] = defaultdict(list)
    for r in results:
        groups[getattr(r.label, key) or NOT_LABELLED].append(r)
    return {g: summary(rs) for g, rs in sorted(groups.items())}


def by_group(results: list[ClipResult]) -> dict[str, dict[str, Any]]:
    return breakdown(results, "source_group")


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
    """Leave-one-person-out predictions (in the order of ``clips``) and the thresholds each
    fold chose."""
    pooled: dict[int, ClipResult] = {}
    chosen: dict[str, list[float]] = defaultdict(list)
    for person in sorted({c.person for c in clips}):
        train = [c for c in clips if c.person != person]
        test = [c for c in clips if c.person == person]
        changes = {}
        for setting in GRIDS:
            changes[setting], _ = tune(train, setting)
            chosen[setting].append(changes[setting])
        held_out = score(test, DEFAULT_CONFIG.replace(**changes))
        pooled.update({id(c): r for c, r in zip(test, held_out, strict=True)})
        print(f"fold {person}: {changes}", file=sys.stderr)
    return [pooled[id(c)] for c in clips], chosen


def view_calibration(clips: list[Clip]) -> dict[str, Any]:
    """The view features per clip, and the yaw threshold cross-validated by person.

    Front views are split off by the shoulder-width ratio first; the side/oblique threshold is
    then searched on the clips not called front. Clips without a view label are left out.
    """
    rows = []
    for c in clips:
        if not c.label.view:
            continue
        smoothed = smooth_series(c.series, DEFAULT_CONFIG)
        rows.append(
            {
                "clip": c.label.clip,
                "group": c.person,
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
    with (data / DATASETS[0] / "reference-analyser.csv").open(newline="") as fh:
        rows = {r["clip"]: r for r in csv.DictReader(fh)}
    out = []
    for c in clips:
        row = rows.get(c.label.clip) if c.dataset == DATASETS[0] else None
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

    path = data / "plank-sag-pike" / "labelled.csv"
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
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    # One cache per pose sampling rate, so changing the default never scores stale landmarks.
    default_cache = f"eval-{DEFAULT_CONFIG.pose_rate_hz:g}hz"
    ap.add_argument(
        "--cache", type=Path, default=Path.home() / ".cache" / "pushup-coach" / default_cache
    )
    ap.add_argument("--out", type=Path, default=ROOT / "docs")
    ap.add_argument(
        "--baseline",
        type=Path,
        default=ROOT / "docs" / "accuracy-baseline.json",
        help="An earlier run's figures to compare with (this script on older code).",
    )
    args = ap.parse_args()
    clips = load_clips(args.data, args.cache)
    shipped = score(clips, DEFAULT_CONFIG)
    cv, chosen = cross_validate(clips)
    curves = {s: tune(clips, s)[1] for s in GRIDS}
    view = view_calibration(clips)
    reference = reference_results(args.data, clips)
    reference_scores = summary(reference)
    # The reference analyser reports neither view nor variation.
    for key in ("view_accuracy", "variation_accuracy", "variation_decided_accuracy"):
        reference_scores[key] = None
    reference_scores["variation_unknown_share"] = None
    result = {
        "clips": len(clips),
        "datasets": {d: sum(c.dataset == d for c in clips) for d in DATASETS},
        "people": len({c.person for c in clips}),
        "shipped": summary(shipped),
        # Fault thresholds and the view split each chosen without the held-out person.
        "cross_validated": {**summary(cv), "view_accuracy": view["cv_accuracy"]},
        "reference_analyser": reference_scores,
        "per_variation": {
            "shipped": breakdown(shipped, "variation"),
            "lopo": breakdown(cv, "variation"),
        },
        "per_view": {"shipped": breakdown(shipped, "view"), "lopo": breakdown(cv, "view")},
        "per_dataset": {
            d: {
                "shipped": summary(
                    [r for r, c in zip(shipped, clips, strict=True) if c.dataset == d]
                ),
                "lopo": summary([r for r, c in zip(cv, clips, strict=True) if c.dataset == d]),
            }
            for d in DATASETS
        },
        "per_group_shipped": by_group(shipped),
        "per_group_cross_validated": by_group(cv),
        "cv_thresholds": {k: sorted(v) for k, v in chosen.items()},
        "shipped_thresholds": {k: getattr(DEFAULT_CONFIG, k) for k in GRIDS},
        "curves": {k: v for k, v in curves.items()},
        "view_calibration": view,
        "plank_body_line_accuracy": plank_check(args.data, DEFAULT_CONFIG),
        "misses": [_miss(r, c) for r, c in zip(cv, clips, strict=True) if _is_miss(r)],
        "baseline": json.loads(args.baseline.read_text()) if args.baseline.is_file() else None,
    }
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "accuracy.json").write_text(json.dumps(result, indent=1) + "\n")
    _plot_curves(curves, args.out / "accuracy-curves.png")
    from accuracy_doc import render  # type: ignore[import-not-found]

    (args.out / "accuracy.md").write_text(render(result))
    print(json.dumps({k: result[k] for k in ("shipped", "cross_validated")}, indent=1))


def _is_miss(r: ClipResult) -> bool:
    return (
        (r.label.reps >= 0 and not r.reps_exact)
        or r.verdict_true != r.verdict_pred
        or (bool(r.label.view) and r.view != r.label.view)
        or (bool(r.label.variation) and r.variation != r.label.variation)
    )


def _miss(r: ClipResult, c: Clip) -> dict[str, Any]:
    return {
        "clip": r.label.clip,
        "dataset": c.dataset,
        "reps": [r.rep_count, r.label.reps],
        "faults_pred": sorted(r.found),
        "faults_true": sorted(r.label.faults),
        "uncertain_labels": sorted(r.label.faults_uncertain),
        "view": [r.view, r.label.view],
        "variation": [r.variation, r.label.variation],
        "warnings": list(c.report.warnings),
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
