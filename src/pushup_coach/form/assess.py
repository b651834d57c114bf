"""Run the fault rules on every rep and score it.

A rule the view cannot measure is "not assessed" for the whole session, never "absent". A rep whose
landmarks are too unclear (``quality`` below ``min_quality``) gets every assessed fault as uncertain
rather than a guess. Score: 100 minus 15 per mild fault, 30 per marked one, 5 per uncertain one.
"""

from __future__ import annotations

from pushup_coach.config import DEFAULT_CONFIG, AnalysisConfig
from pushup_coach.form.metrics import rep_metrics
from pushup_coach.form.rules import RULES, Outcome
from pushup_coach.types import Fault, FeatureSeries, Rep, RepAssessment, Severity, View

PENALTY = {Severity.MILD: 15, Severity.MARKED: 30}
UNCERTAIN_PENALTY = 5


def faults_assessed_for(view: View) -> tuple[Fault, ...]:
    """Fault codes this view can measure, in rule (priority) order."""
    return tuple(rule.fault for rule in RULES if view in rule.views)


def judge_metrics(
    metrics: dict[str, float | None], view: View, config: AnalysisConfig = DEFAULT_CONFIG
) -> tuple[tuple[Fault, ...], dict[Fault, Severity], tuple[Fault, ...]]:
    """(faults found, their severity, uncertain faults) for one rep's metrics in this view."""
    quality = metrics.get("quality")
    unclear = quality is None or quality < config.min_quality
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


def assess_rep(
    features: FeatureSeries, rep: Rep, view: View, config: AnalysisConfig = DEFAULT_CONFIG
) -> RepAssessment:
    """Metrics, faults, severity, uncertain faults and score of one rep."""
    metrics = rep_metrics(features, rep, view)
    faults, severity, uncertain = judge_metrics(metrics, view, config)
    score = 100 - sum(PENALTY[s] for s in severity.values()) - UNCERTAIN_PENALTY * len(uncertain)
    return RepAssessment(
        rep=rep,
        metrics=metrics,
        faults=faults,
        severity=severity,
        uncertain=uncertain,
        score=max(0, score),
    )


def assess_reps(
    features: FeatureSeries, reps: list[Rep], view: View, config: AnalysisConfig = DEFAULT_CONFIG
) -> list[RepAssessment]:
    """:func:`assess_rep` for every rep, in order."""
    return [assess_rep(features, rep, view, config) for rep in reps]
