"""Score analyses against labelled clips (the ``labels.csv`` layout of the shared data).

Rules of scoring (issue 3): a clip's rep count is right when it equals ``reps`` or any count listed
in ``reps_ok``; a clip has a fault when any rep has it; a fault is scored on a clip only where the
analysis assessed it and the annotators did not split on it (``faults_uncertain``); a fault the
analysis marks uncertain on every rep that shows it counts as not found. The verdict is "faulty"
when any scored fault is present.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pushup_coach.errors import InputError
from pushup_coach.types import Fault, SessionReport

REQUIRED_COLUMNS = ("clip", "reps", "faults")


@dataclass(frozen=True)
class LabelledClip:
    """One manifest row."""

    clip: str
    reps: int
    reps_ok: frozenset[int]
    faults: frozenset[str]
    faults_uncertain: frozenset[str]
    view: str = ""
    variation: str = ""
    source_group: str = ""

    @property
    def acceptable_counts(self) -> frozenset[int]:
        return self.reps_ok | {self.reps}


def read_manifest(path: str | Path) -> list[LabelledClip]:
    """Rows of a labels CSV; raises InputError naming the missing column or bad value."""
    p = Path(path)
    if not p.is_file():
        raise InputError(f"no such manifest: {p}")
    with p.open(newline="") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise InputError(f"{p}: manifest lacks column(s) {', '.join(missing)}")
        rows = list(reader)
    clips = []
    for n, row in enumerate(rows, start=2):
        try:
            reps = int(row["reps"])
            ok = frozenset(int(x) for x in (row.get("reps_ok") or "").split())
        except ValueError as exc:
            raise InputError(f"{p}: line {n}: reps must be whole numbers ({exc})") from exc
        clips.append(
            LabelledClip(
                clip=row["clip"],
                reps=reps,
                reps_ok=ok,
                faults=frozenset(f for f in row["faults"].split() if f != "none"),
                faults_uncertain=frozenset((row.get("faults_uncertain") or "").split()),
                view=row.get("view", ""),
                variation=row.get("variation", ""),
                source_group=row.get("source_group", ""),
            )
        )
    return clips


@dataclass
class ClipResult:
    label: LabelledClip
    rep_count: int
    found: frozenset[str]
    assessed: frozenset[str]
    view: str
    variation: str
    error: str = ""

    @property
    def reps_exact(self) -> bool:
        return self.rep_count in self.label.acceptable_counts

    @property
    def reps_within_one(self) -> bool:
        return any(abs(self.rep_count - c) <= 1 for c in self.label.acceptable_counts)

    @property
    def rep_error(self) -> int:
        return min(abs(self.rep_count - c) for c in self.label.acceptable_counts)

    def scored(self, fault: str) -> bool:
        return fault in self.assessed and fault not in self.label.faults_uncertain

    @property
    def verdict_true(self) -> bool:
        return bool(self.label.faults - self.label.faults_uncertain)

    @property
    def verdict_pred(self) -> bool:
        return any(f in self.found for f in self.assessed if f not in self.label.faults_uncertain)


def clip_result(label: LabelledClip, report: SessionReport) -> ClipResult:
    """Compare one report with its label."""
    return ClipResult(
        label=label,
        rep_count=report.rep_count,
        found=frozenset(f.value for f in report.faults_found),
        assessed=frozenset(f.value for f in report.faults_assessed),
        view=report.view.value,
        variation=report.variation.value,
    )


@dataclass
class Scores:
    """Aggregate scores over clip results."""

    results: list[ClipResult]
    per_fault: dict[str, dict[str, float]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        ok = [r for r in self.results if not r.error]
        n = len(ok)
        return {
            "clips": len(self.results),
            "clips_failed": len(self.results) - n,
            "reps_exact": _ratio(sum(r.reps_exact for r in ok), n),
            "reps_within_one": _ratio(sum(r.reps_within_one for r in ok), n),
            "reps_mae": _ratio(sum(r.rep_error for r in ok), n),
            "verdict_accuracy": _ratio(sum(r.verdict_true == r.verdict_pred for r in ok), n),
            "view_accuracy": _ratio(sum(r.view == r.label.view for r in ok if r.label.view), n),
            "variation_accuracy": _ratio(
                sum(r.variation == r.label.variation for r in ok if r.label.variation), n
            ),
            "faults": fault_scores(ok),
        }


def fault_scores(results: Iterable[ClipResult]) -> dict[str, dict[str, float | int | None]]:
    """Per fault code: tp, fp, fn, tn, precision, recall, f1 over clips where it is scored."""
    rows = list(results)
    out: dict[str, dict[str, float | int | None]] = {}
    for fault in Fault:
        code = fault.value
        tp = fp = fn = tn = 0
        for r in rows:
            if not r.scored(code):
                continue
            truth, pred = code in r.label.faults, code in r.found
            tp += truth and pred
            fp += pred and not truth
            fn += truth and not pred
            tn += not truth and not pred
        if tp + fp + fn + tn == 0:
            continue
        precision = tp / (tp + fp) if tp + fp else None
        recall = tp / (tp + fn) if tp + fn else None
        f1 = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else None
        out[code] = {
            "tp": tp,
            "fp": fp,
            "fn": fn,
            "tn": tn,
            "precision": precision,
            "recall": recall,
            "f1": f1,
        }
    return out


def evaluate(
    clips: list[LabelledClip],
    analyze: Callable[[LabelledClip], SessionReport],
    on_clip: Callable[[int, LabelledClip], None] | None = None,
) -> Scores:
    """Analyse and score every clip; a clip that fails is recorded, not fatal."""
    from pushup_coach.errors import CoachError

    results = []
    for i, label in enumerate(clips):
        if on_clip:
            on_clip(i, label)
        try:
            results.append(clip_result(label, analyze(label)))
        except CoachError as exc:
            results.append(ClipResult(label, -1, frozenset(), frozenset(), "", "", str(exc)))
    return Scores(results)


def _ratio(num: float, den: int) -> float | None:
    return round(num / den, 4) if den else None
