"""Form assessment: per-rep metrics, one small rule per fault, and the assessment that runs them."""

from pushup_coach.form.assess import (
    assess_reps,
    faults_assessed_for,
    faults_not_assessed,
    judge_metrics,
)
from pushup_coach.form.metrics import rep_metrics
from pushup_coach.form.rules import RULES, FaultRule

__all__ = [
    "RULES",
    "FaultRule",
    "assess_reps",
    "faults_assessed_for",
    "faults_not_assessed",
    "judge_metrics",
    "rep_metrics",
]
