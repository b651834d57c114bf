"""Manifest reading and scoring on hand-made results: exact counts, precision, recall, F1."""

from __future__ import annotations

from pathlib import Path

import pytest

from builders import analyze, rep_keyframes, side_series
from pushup_coach.errors import InputError
from pushup_coach.evaluation import (
    ClipResult,
    LabelledClip,
    Scores,
    clip_result,
    evaluate,
    fault_scores,
    read_manifest,
)

HEADER = "clip,reps,reps_ok,partial_reps,faults,faults_uncertain,view,variation,source_group"


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "labels.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_read_manifest_rows(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        f"{HEADER}\n"
        "a.mp4,3,2 4,0,hip_sag head_drop,shallow,side,full,g1\n"
        "b.mp4,1,,1,none,,front,knee,g2\n",
    )
    a, b = read_manifest(path)
    assert a == LabelledClip(
        clip="a.mp4",
        reps=3,
        reps_ok=frozenset({2, 4}),
        faults=frozenset({"hip_sag", "head_drop"}),
        faults_uncertain=frozenset({"shallow"}),
        view="side",
        variation="full",
        source_group="g1",
    )
    assert (b.faults, b.acceptable_counts, b.variation) == (frozenset(), frozenset({1}), "knee")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("clip,faults\na.mp4,none\n", "manifest lacks column(s) reps"),
        ("reps,faults\n3,none\n", "manifest lacks column(s) clip"),
        ("view\nside\n", "manifest lacks column(s) clip, reps, faults"),
        ("", "manifest lacks column(s) clip, reps, faults"),
        ("clip,reps,faults\na.mp4,three,none\n", "line 2: reps must be whole numbers"),
        ("clip,reps,reps_ok,faults\na.mp4,3,2 x,none\n", "line 2: reps must be whole numbers"),
    ],
    ids=["no-reps", "no-clip", "three-missing", "empty-file", "reps-word", "reps-ok-word"],
)
def test_read_manifest_errors(tmp_path: Path, text: str, message: str) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(InputError) as err:
        read_manifest(path)
    assert str(err.value).startswith(f"{path}: {message}")


def test_missing_manifest(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"^no such manifest: "):
        read_manifest(tmp_path / "nope.csv")


SIDE = frozenset({"hip_sag", "hip_pike", "head_drop", "shallow", "no_lockout", "too_fast"})


def _label(reps: int, faults: str = "", uncertain: str = "", ok: str = "") -> LabelledClip:
    return LabelledClip(
        clip="c.mp4",
        reps=reps,
        reps_ok=frozenset(int(x) for x in ok.split()),
        faults=frozenset(faults.split()),
        faults_uncertain=frozenset(uncertain.split()),
        view="side",
        variation="full",
    )


def _result(
    label: LabelledClip, count: int, found: str = "", assessed: frozenset[str] = SIDE
) -> ClipResult:
    return ClipResult(label, count, frozenset(found.split()), assessed, "side", "full")


RESULTS = [
    _result(_label(3, "hip_sag"), 3, "hip_sag"),  # tp
    _result(_label(2, "hip_sag"), 2),  # fn
    _result(_label(4), 5, "hip_sag", SIDE),  # fp, rep count off by one
    _result(_label(5, ok="4 6"), 6),  # tn, 6 is acceptable
    _result(_label(1, "hip_sag", uncertain="hip_sag"), 1, "hip_sag"),  # not scored: uncertain
    _result(_label(1, "hip_sag"), 3, "hip_sag", frozenset({"too_fast"})),  # not assessed
]


def test_fault_scores_exact() -> None:
    scores = fault_scores(RESULTS)
    assert scores["hip_sag"] == {
        "tp": 1,
        "fp": 1,
        "fn": 1,
        "tn": 1,
        "precision": 0.5,
        "recall": 0.5,
        "f1": 0.5,
    }
    assert scores["too_fast"] == {
        "tp": 0,
        "fp": 0,
        "fn": 0,
        "tn": 6,
        "precision": None,
        "recall": None,
        "f1": None,
    }
    assert "elbow_flare" not in scores  # assessed on no clip


def test_precision_recall_f1_differ() -> None:
    rows = [
        _result(_label(1, "head_drop"), 1, "head_drop"),
        _result(_label(1, "head_drop"), 1, "head_drop"),
        _result(_label(1), 1, "head_drop"),
        _result(_label(1, "head_drop"), 1),
        _result(_label(1, "head_drop"), 1),
        _result(_label(1, "head_drop"), 1),
    ]
    got = fault_scores(rows)["head_drop"]
    assert (got["tp"], got["fp"], got["fn"], got["tn"]) == (2, 1, 3, 0)
    assert got["precision"] == pytest.approx(2 / 3)
    assert got["recall"] == pytest.approx(2 / 5)
    assert got["f1"] == pytest.approx(0.5)


def test_score_summary() -> None:
    failed = ClipResult(_label(2), -1, frozenset(), frozenset(), "", "", "error: broken")
    data = Scores([*RESULTS, failed]).to_dict()
    assert {k: data[k] for k in ("clips", "clips_failed", "reps_exact", "reps_within_one")} == {
        "clips": 7,
        "clips_failed": 1,
        "reps_exact": round(4 / 6, 4),
        "reps_within_one": round(5 / 6, 4),
    }
    assert data["reps_mae"] == round((0 + 0 + 1 + 0 + 0 + 2) / 6, 4)
    # verdicts: faulty/faulty, faulty/clean, clean/faulty, clean/clean, clean/clean, faulty/clean
    assert data["verdict_accuracy"] == round(3 / 6, 4)


@pytest.mark.parametrize(
    ("label", "count", "exact", "within_one", "error"),
    [
        (_label(3), 3, True, True, 0),
        (_label(3), 4, False, True, 1),
        (_label(3, ok="5"), 5, True, True, 0),
        (_label(3, ok="5"), 7, False, False, 2),
    ],
    ids=["exact", "off-by-one", "reps-ok", "off-by-two"],
)
def test_rep_count_scoring(
    label: LabelledClip, count: int, exact: bool, within_one: bool, error: int
) -> None:
    r = _result(label, count)
    assert (r.reps_exact, r.reps_within_one, r.rep_error) == (exact, within_one, error)


def test_evaluate_scores_real_reports_and_records_failures() -> None:
    report = analyze(side_series(rep_keyframes(3, bottom_deg=60.0), hip_dev=0.10))
    good, bad = _label(3, "hip_sag"), _label(2)

    def fake(label: LabelledClip) -> object:
        if label is bad:
            raise InputError("no such video")
        return report

    scores = evaluate([good, bad], fake)  # type: ignore[arg-type]
    first, second = scores.results
    assert first == clip_result(good, report)
    assert (first.rep_count, first.found, first.verdict_pred) == (3, frozenset({"hip_sag"}), True)
    assert (second.rep_count, second.error) == (-1, "no such video")
