"""Render docs/accuracy.md from the result dict of benchmarks/accuracy.py."""

from __future__ import annotations

from typing import Any

HEADLINE = (
    "reps_exact",
    "reps_within_one",
    "reps_mae",
    "verdict_accuracy",
    "view_accuracy",
    "variation_accuracy",
)
FAULTS = ("hip_sag", "hip_pike", "head_drop", "shallow", "no_lockout", "too_fast", "elbow_flare")
TARGETS = {
    "reps_exact": 0.97,
    "reps_within_one": 0.99,
    "verdict_accuracy": 0.90,
    "view_accuracy": 0.95,
    "variation_accuracy": 0.90,
    "hip_sag": 0.80,
    "hip_pike": 0.80,
    "shallow": 0.75,
    "head_drop": 0.85,
}

REASONS = {
    "hip_sag_dev": "Labelled sag clips sit at 0.05-0.13 of body length, labelled-good side "
    "clips at or below 0.04; 0.045 with a +-0.0045 uncertain band splits them. The COACHING "
    "start value (0.06) made most mild sags 'uncertain'.",
    "hip_pike_dev": "Good side-view reps reach 0.06-0.11 of pike (hip landmark sits above the "
    "shoulder-ankle line in a braced plank); labelled pikes reach 0.14-0.16. 0.12 keeps "
    "good reps clean.",
    "head_drop_dev": "Good reps reach up to 0.06 (the ear sits slightly below the shoulder-hip "
    "line); head drops reach 0.07-0.15. Annotators split on 0.085-0.10: those clips are "
    "left out of the score.",
    "shallow_shoulder_height": "Depth by shoulder height over the wrists (fraction of arm "
    "length): full-depth reps bottom out at 0.2-0.5, labelled shallow at 0.54-0.60. The elbow "
    "angle (start rule: > 100 deg) overlapped completely between the two.",
}


def _fmt(v: Any) -> str:
    if v is None:
        return "-"
    if isinstance(v, float):
        return f"{v:.3f}"
    return str(v)


def _headline(result: dict[str, Any]) -> list[str]:
    cols = ("shipped", "cross_validated", "reference_analyser")
    lines = [
        "| measure | target | shipped defaults (all clips) | cross-validated by person | "
        "reference analyser |",
        "| --- | --- | --- | --- | --- |",
    ]
    for key in HEADLINE:
        vals = [_fmt(result[c].get(key)) for c in cols]
        lines.append(f"| {key} | {_fmt(TARGETS.get(key))} | " + " | ".join(vals) + " |")
    for fault in FAULTS:
        vals = [_fmt(result[c]["faults"].get(fault, {}).get("f1")) for c in cols]
        lines.append(f"| F1 {fault} | {_fmt(TARGETS.get(fault))} | " + " | ".join(vals) + " |")
    return lines


def _confusion(scores: dict[str, Any]) -> list[str]:
    lines = [
        "| fault | tp | fp | fn | tn | precision | recall | F1 |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for fault, s in scores["faults"].items():
        lines.append(
            f"| {fault} | {s['tp']} | {s['fp']} | {s['fn']} | {s['tn']} | "
            f"{_fmt(s['precision'])} | {_fmt(s['recall'])} | {_fmt(s['f1'])} |"
        )
    return lines


def _groups(per_group: dict[str, Any]) -> list[str]:
    lines = [
        "| source group | clips | reps exact | verdict accuracy | view accuracy |",
        "| --- | --- | --- | --- | --- |",
    ]
    for g, s in per_group.items():
        lines.append(
            f"| {g} | {s['clips']} | {_fmt(s['reps_exact'])} | "
            f"{_fmt(s['verdict_accuracy'])} | {_fmt(s['view_accuracy'])} |"
        )
    return lines


def _spread(per_group: dict[str, Any], key: str) -> str:
    vals = [s[key] for s in per_group.values() if s.get(key) is not None]
    return f"min {min(vals):.2f}, median {sorted(vals)[len(vals) // 2]:.2f}" if vals else "-"


# The kaggle copies of one calimiro session, mirrored (see _view).
TWINS = {f"kaggle/correct-c{i}.mp4" for i in range(1, 8)}
TWIN_SOURCES = {f"calimiro/push-up_{i}.mp4" for i in range(1, 10)}


def _view(view: dict[str, Any]) -> list[str]:
    rows = view.get("clips") or []
    if not rows:
        return ["No clips."]
    out = [
        "The view is decided from two clip medians (`posture.classify_view`): the shoulder-width "
        "/ torso ratio splits off front views (the torso is foreshortened there), and the "
        "*yaw ratio* (`features.yaw_ratio`: how far the shoulder and hip pairs separate along "
        "the torso, which happens when the camera is turned toward the head or feet) splits side "
        "from oblique. The total shoulder width, used before, also grows when the camera looks "
        "down on a side view, and that confused raised side views with turned ones.",
        "",
        "| label | clips | shoulder-width ratio | yaw ratio |",
        "| --- | --- | --- | --- |",
    ]
    for label in ("side", "oblique", "front"):
        sub = [r for r in rows if r["label"] == label]
        if sub:
            out.append(
                f"| {label} | {len(sub)} | {_span(sub, 'width_ratio')} | "
                f"{_span(sub, 'yaw_ratio')} |"
            )
    chosen = view.get("cv_thresholds") or [float("nan")]
    twins = [r for r in rows if r["clip"] in TWINS]
    sources = [r for r in rows if r["clip"] in TWIN_SOURCES]
    consistent = sum(r["predicted"] == ("side" if r["clip"] in TWINS else r["label"]) for r in rows)
    out += [
        "",
        f"Shipped: front above {view['front_min_width_ratio']} shoulder-width ratio, oblique "
        f"above {view['oblique_min_yaw_ratio']} yaw ratio. Cross-validated by source group, "
        f"the folds chose {min(chosen):.2f}-{max(chosen):.2f} and the held-out view accuracy is "
        f"{_fmt(view.get('cv_accuracy'))}. View accuracy over the threshold: "
        + ", ".join(f"{v:.2f}: {a:.2f}" for v, a in (view.get("curve") or [])[::3])
        + ".",
        "",
        f"Label conflict: `kaggle/correct-c1` to `c7` ({len(twins)} clips) are the same woman, "
        "room and camera as `calimiro/push-up_1` to `_9`, mirrored (the on-screen timer digits "
        "read backwards in the kaggle copies). The calimiro copies are labelled side, the kaggle "
        f"ones oblique; their yaw ratios overlap ({_span(sources, 'yaw_ratio')} against "
        f"{_span(twins, 'yaw_ratio')}), and a rule that gives a clip and its mirror image the "
        "same view, as the metamorphic tests require, cannot match both labels. Counting those "
        f"{len(twins)} as side, the shipped view accuracy is {consistent / len(rows):.3f}.",
    ]
    return out


def _span(rows: list[dict[str, Any]], key: str) -> str:
    values = [r[key] for r in rows]
    return f"{min(values):.3f}-{max(values):.3f}" if values else "-"


def render(result: dict[str, Any]) -> str:
    """The whole accuracy.md text."""
    out = [
        "# Accuracy",
        "",
        "Every number here is produced by `python benchmarks/accuracy.py` (it poses each clip once "
        "as `analyze` does by default, 15 poses a second, and caches the landmarks; re-runs "
        "take seconds). Clips: "
        f"{result['clips']} labelled real clips in `../shared/data/pushup-clips` "
        "(see its README). Scoring rules: a clip's count is right when it equals `reps` or any "
        "count in `reps_ok`; a clip has a fault when any rep has it; a fault is scored only where "
        "the view assesses it and the annotators did not split on it (`faults_uncertain`); a "
        "fault the analysis calls uncertain is not counted as found.",
        "",
        "**Cross-validated by person** is the honest estimate for people nobody tuned on: for "
        "each source group (one person in one setting), the fault thresholds are chosen on the "
        "other groups and that group is scored with them.",
        "",
        *_headline(result),
        "",
        "Spread across source groups (shipped defaults): reps exact "
        + _spread(result["per_group_shipped"], "reps_exact")
        + "; verdict accuracy "
        + _spread(result["per_group_shipped"], "verdict_accuracy")
        + ".",
        "",
        "## Thresholds chosen, and why",
        "",
        "![F1 against each threshold on all clips; red line = shipped value](accuracy-curves.png)",
        "",
        "| setting | shipped | chosen by the cross-validation folds | reason |",
        "| --- | --- | --- | --- |",
    ]
    for k, v in result["shipped_thresholds"].items():
        folds = result["cv_thresholds"].get(k, [])
        span = f"{min(folds)}-{max(folds)}" if folds else "-"
        out.append(f"| `{k}` | {v} | {span} | {REASONS.get(k, '')} |")
    out += ["", "## Confusion per fault (shipped defaults, clip level)", ""]
    out += _confusion(result["shipped"])
    out += ["", "## Confusion per fault (cross-validated)", ""]
    out += _confusion(result["cross_validated"])
    out += ["", "## Per source group (shipped defaults)", ""]
    out += _groups(result["per_group_shipped"])
    out += ["", "## View", ""]
    out += _view(result.get("view_calibration") or {})
    out += ["", "## Body line on still plank postures", ""]
    plank = result.get("plank_body_line_accuracy") or {}
    out.append(
        "Share of the 710 labelled plank frames (correct / hips high / hips low) that the "
        "body-line rule classifies right, for two assumed frame shapes (the data has normalised "
        "coordinates only): "
        + (", ".join(f"{k}: {v}" for k, v in plank.items()) or "data absent")
        + "."
    )
    out += ["", "## Clips still wrong (shipped defaults)", ""]
    out += ["| clip | reps (ours / label) | faults found | faults labelled | view (ours / label) |"]
    out += ["| --- | --- | --- | --- | --- |"]
    for m in result["misses"]:
        out.append(
            f"| {m['clip']} | {m['reps'][0]} / {m['reps'][1]} | {' '.join(m['faults_pred'])} | "
            f"{' '.join(m['faults_true'])} | {m['view'][0]} / {m['view'][1]} |"
        )
    out += ["", open_questions()]
    return "\n".join(out) + "\n"


def open_questions() -> str:
    return """## What still fools the system

- **Elbow flare from the front.** The three labelled flare clips (one person) and two good clips
  from the front have the same measured elbow-to-torso geometry; BlazePose's depth (z) is too noisy
  to measure the flare angle, and 2-D offsets confound flare with hand width. Reported, never
  invented: the rule is conservative and finds none of them.
- **Oblique views.** Body line, neck and elbow angles are foreshortened by an unknown amount;
  every oblique "fault" on the shared clips was a projection artefact. From an oblique view only
  tempo is judged and the report asks for a side view.
- **Side vs oblique.** Camera turns of about 15 degrees sit on the yaw-ratio threshold
  (`calimiro/push-up_48`, a close-up turned slightly toward the head, measures 0.12 and is
  called side); at that angle the body-line measures are within a few percent of a true side
  view, so the faults judged are the same either way. Where annotators themselves disagree
  (the mirrored twins above), no rule can match every label.
- **too_fast and no_lockout** are never labelled in the shared clips, so their thresholds could
  only be set to avoid flagging clips annotators saw as fine; their recall is unmeasured.
- **Very fast reps**: the pose model looks at 15 frames a second by default (every second frame
  of a 30 fps video), so a rep faster than about 0.5 s top to top gets only a few samples and its
  bottom may fall between two; `--set pose_rate_hz=0` poses every frame. At the default rate one
  labelled clip (`calimiro/push-up_8`, whose last rep climbs back just half-way before the clip
  ends) loses that rep: its sampled bottom is 6 degrees shallower, so the climb falls 2 degrees
  short of half the rep's range.
- **Edited videos with hard cuts.** A cut from a low position to a high one looks like a very fast
  push back up: on the 1080p speed benchmark (27 clips joined, 26 cuts) one cut produced a 0.4 s
  "rep" with one decoding and not the other. Landmark speed alone does not find cuts reliably
  (foreshortened front views move as fast in normalised terms), so there is no cut detector;
  the counter expects one continuous recording.
"""
