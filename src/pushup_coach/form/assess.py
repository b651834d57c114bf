"""Run the fault rules on every rep and score it.

A rule the view cannot measure is "not assessed" for the whole session, never "absent". A rep whose
landmarks are too unclear (``quality`` below ``min_quality``) gets every assessed fault as uncertain
rather than a guess. Score: 100 minus 15 per mild fault, 30 per marked one, 5 per uncertain one.

Honest verdicts: a rep is clean only when every fault that matters for it was judged and none was
found. What matters is the body line (``BODY_LINE_FAULTS``, whatever the view: it is what protects
the back) plus every fault the session's view can measure. A rep missing any of those judgements
(oblique or front camera, hips or ankles out of frame, landmarks too unclear, a lowering time that
could not be timed) is "counted, form not checked", has no score, and never counts as clean.
"""

from __future__ import annotations

from pushup_coach.config import DEFAULT_CONFIG, AnalysisConfig
from pushup_coach.form.metrics import rep_metrics
from pushup_coach.form.rules import RULES, Outcome
from pushup_coach.measurements import RepMetrics
from pushup_coach.types import (
    BODY_LINE_FAULTS,
    Fault,
    FeatureSeries,
    Rep,
    RepAssessment,
    Severity,
    View,
)

PENALTY = {Severity.MILD: 15, Severity.MARKED: 30}
UNCERTAIN_PENALTY = 5


def faults_assessed_for(view: View) -> tuple[Fault, ...]:
    """Fault codes this view can measure, in rule (priority) order."""
    return tuple(rule.fault for rule in RULES if view in rule.views)


def judge_metrics(
    metrics: RepMetrics, view: View, config: AnalysisConfig = DEFAULT_CONFIG
) -> tuple[tuple[Fault, ...], dict[Fault, Severity], tuple[Fault, ...]]:
    """(faults found, their severity, uncertain faults) for one rep's metrics in this view."""
    unclear = _unclear(metrics, config)
    faults: list[Fault] = []
    uncertain: list[Fault] = []
    severity: dict[Fault, Severity] = {}
    for rule in RULES:
        if view not in rule.views:
            continue
        outcome, sev = rule.judge(metrics, config)
        if outcome is Outcome.FOUND and not unclear and sev is not None:
            faults.append(rule.fault)
            severity[rule.fault] = sev
        elif outcome in (Outcome.UNCERTAIN, Outcome.FOUND) or (
            unclear and outcome is Outcome.ABSENT
        ):
            uncertain.append(rule.fault)
    return tuple(faults), severity, tuple(uncertain)


def _unclear(metrics: RepMetrics, config: AnalysisConfig) -> bool:
    """Landmarks too unclear (or of unknown quality) to judge any fault on."""
    return metrics.quality is None or metrics.quality < config.min_quality


def faults_not_assessed(
    metrics: RepMetrics, view: View, config: AnalysisConfig = DEFAULT_CONFIG
) -> tuple[Fault, ...]:
    """Faults that matter for a clean verdict on this rep but could not be judged, rule order."""
    unclear = _unclear(metrics, config)
    needed = set(BODY_LINE_FAULTS) | set(faults_assessed_for(view))
    return tuple(
        rule.fault
        for rule in RULES
        if rule.fault in needed
        and (
            unclear
            or view not in rule.views
            or rule.judge(metrics, config)[0] is Outcome.NOT_ASSESSED
        )
    )


def assess_rep(
    features: FeatureSeries, rep: Rep, view: View, config: AnalysisConfig = DEFAULT_CONFIG
) -> RepAssessment:
    """Metrics, faults, severity, uncertain faults and score of one rep."""
    return assess_metrics(rep, rep_metrics(features, rep, view), view, config)


def assess_metrics(
    rep: Rep, metrics: RepMetrics, view: View, config: AnalysisConfig = DEFAULT_CONFIG
) -> RepAssessment:
    """Faults, severity, uncertain faults, not-assessed faults and score of a measured rep."""
    faults, severity, uncertain = judge_metrics(metrics, view, config)
    # On unclear landmarks a fault is both "uncertain" (a hint of what may be there) and "not
    # assessed" (no judgement was made, so the rep is not clean and gets no score).
    not_assessed = faults_not_assessed(metrics, view, config)
    score: int | None = None
    if faults or not not_assessed:
        penalty = sum(PENALTY[s] for s in severity.values()) + UNCERTAIN_PENALTY * len(uncertain)
        score = max(0, 100 - penalty)
    return RepAssessment(
        rep=rep,
        metrics=metrics,
        faults=faults,
        severity=severity,
        uncertain=uncertain,
        score=score,
        not_assessed=not_assessed,
    )


def assess_reps(
    features: FeatureSeries, reps: list[Rep], view: View, config: AnalysisConfig = DEFAULT_CONFIG
) -> list[RepAssessment]:
    """:func:`assess_rep` for every rep, in order."""
    return [assess_rep(features, rep, view, config) for rep in reps]
