"""Builders of realistic SessionReports and the per-frame series behind them, for report tests."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from metrics_builder import metrics
from pushup_coach.skeleton import N_LANDMARKS, Landmark
from pushup_coach.types import (
    Cue,
    Fault,
    FeatureSeries,
    PoseSeries,
    Rep,
    RepAssessment,
    RepSet,
    SessionReport,
    Severity,
    Side,
    Variation,
    VideoInfo,
    View,
)

FPS = 30.0
REP_S = 2.0


@dataclass(frozen=True)
class RepSpec:
    """What one fake rep looks like: its start, set, depth, hip peak and faults."""

    start_s: float
    set_index: int = 0
    min_elbow_deg: float = 85.0
    bottom_shoulder_height_norm: float = 0.3  # depth: share of the top height left at the bottom
    hip_sag_norm: float = 0.02
    lowering_s: float = 1.0
    faults: dict[Fault, Severity] = field(default_factory=dict)
    uncertain: tuple[Fault, ...] = ()


def _assessment(i: int, spec: RepSpec) -> RepAssessment:
    start_i = round(spec.start_s * FPS)
    end_i = start_i + round(REP_S * FPS)
    rep = Rep(
        index=i,
        start_i=start_i,
        bottom_i=(start_i + end_i) // 2,
        end_i=end_i,
        start_s=start_i / FPS,
        bottom_s=(start_i + end_i) // 2 / FPS,
        end_s=end_i / FPS,
        set_index=spec.set_index,
    )
    measured = metrics(
        min_elbow_deg=spec.min_elbow_deg,
        bottom_shoulder_height_norm=spec.bottom_shoulder_height_norm,
        top_elbow_deg=168.0,
        hip_sag_norm=spec.hip_sag_norm,
        hip_pike_norm=0.01,
        neck_drop_norm=0.02,
        lowering_s=spec.lowering_s,
        pushing_s=0.8,
        bottom_pause_s=0.1,
        body_incline_deg=12.0,
        quality=0.9,
    )
    score = 100 - sum(15 if s is Severity.MILD else 30 for s in spec.faults.values())
    return RepAssessment(
        rep=rep,
        metrics=measured,
        faults=tuple(spec.faults),
        severity=dict(spec.faults),
        uncertain=spec.uncertain,
        score=score - 5 * len(spec.uncertain),
        not_assessed=(),
    )


SIDE_FAULTS = (
    Fault.HIP_SAG,
    Fault.HIP_PIKE,
    Fault.HEAD_DROP,
    Fault.SHALLOW,
    Fault.NO_LOCKOUT,
    Fault.TOO_FAST,
)
CUE_TEXTS = {
    Fault.HIP_SAG: "Keep your hips up: squeeze your glutes and brace your belly.",
    Fault.SHALLOW: "Go lower: bend your elbows to about 90 degrees.",
    Fault.TOO_FAST: "Lower yourself under control: take about two seconds on the way down.",
}


def build_report(
    specs: list[RepSpec], *, warnings: tuple[str, ...] = (), duration_s: float = 30.0
) -> SessionReport:
    """A side-view report over ``specs`` with cues for every fault, in CUE_TEXTS order."""
    reps = tuple(_assessment(i, s) for i, s in enumerate(specs))
    cues = []
    for fault, text in CUE_TEXTS.items():
        found = tuple(r.rep.index for r in reps if fault in r.faults)
        if found:
            cues.append(Cue(code=fault.value, text=text, reps=found, priority=len(cues)))
    sets = []
    for set_index in sorted({s.set_index for s in specs}):
        members = [r for r in reps if r.rep.set_index == set_index]
        sets.append(
            RepSet(
                index=set_index,
                rep_indices=tuple(r.rep.index for r in members),
                start_s=members[0].rep.start_s,
                end_s=members[-1].rep.end_s,
            )
        )
    return SessionReport(
        source=VideoInfo(
            "/videos/my pushups.mp4", 640, 360, FPS, duration_s, round(duration_s * FPS)
        ),
        view=View.SIDE,
        side=Side.LEFT,
        variation=Variation.FULL,
        reps=reps,
        partial_reps=(),
        sets=tuple(sets),
        faults_assessed=SIDE_FAULTS,
        cues=tuple(cues),
        warnings=warnings,
        advice=("Quality over numbers: only clean reps count toward progress.",),
        pose_backend="mediapipe-full",
        pose_coverage=0.98,
    )


def realistic_specs() -> list[RepSpec]:
    """Eight reps in two sets: sagging hips (mild, then marked and fast), one shallow rep."""
    sag, fast, shallow = Fault.HIP_SAG, Fault.TOO_FAST, Fault.SHALLOW
    return [
        RepSpec(1.0),
        RepSpec(3.0),
        RepSpec(5.0, hip_sag_norm=0.075, faults={sag: Severity.MILD}),
        RepSpec(
            7.0,
            hip_sag_norm=0.12,
            lowering_s=0.2,
            faults={sag: Severity.MARKED, fast: Severity.MILD},
        ),
        RepSpec(9.0, hip_sag_norm=0.043, uncertain=(sag,)),
        RepSpec(19.0, set_index=1),
        RepSpec(
            21.0,
            set_index=1,
            min_elbow_deg=112.0,
            bottom_shoulder_height_norm=0.62,
            faults={shallow: Severity.MILD},
        ),
        RepSpec(23.0, set_index=1),
    ]


def build_features(report: SessionReport, *, noise: float = 0.0) -> FeatureSeries:
    """30 fps curves like the report: elbow dips to each rep's depth, hips peak at its bottom."""
    t = np.arange(0.0, report.source.duration_s, 1 / FPS)
    elbow = np.full_like(t, 168.0)
    hip = np.full_like(t, 0.01)
    for rep in report.reps:
        inside = (t >= rep.rep.start_s) & (t <= rep.rep.end_s)
        phase = (t[inside] - rep.rep.start_s) / (rep.rep.end_s - rep.rep.start_s)
        dip = 0.5 - 0.5 * np.cos(2 * np.pi * phase)
        depth = rep.metrics.min_elbow_deg or 90.0
        elbow[inside] = 168.0 - (168.0 - depth) * dip
        hip[inside] = 0.01 + ((rep.metrics.hip_sag_norm or 0.0) - 0.01) * dip
    rng = np.random.default_rng(1)
    elbow += rng.normal(0, 2.0 * noise, t.shape)
    hip += rng.normal(0, 0.004 * noise, t.shape)
    nan = np.full_like(t, np.nan)
    return FeatureSeries(
        t_s=t,
        elbow_deg=elbow,
        hip_dev_norm=hip,
        hip_angle_deg=180.0 - 200.0 * np.abs(hip),
        neck_dev_norm=np.full_like(t, 0.02),
        shoulder_height_norm=nan,
        body_incline_deg=np.full_like(t, 12.0),
        hand_width_ratio=nan,
        elbow_flare_deg=nan,
        quality=np.full_like(t, 0.9),
    )


def build_pose_series(features: FeatureSeries, size_wh: tuple[int, int]) -> PoseSeries:
    """A left-side plank whose hip drops by ``hip_dev_norm`` (body length 0.6 of the width)."""
    t = features.t_s
    lm = np.full((t.size, N_LANDMARKS, 4), np.nan)
    joints = {
        Landmark.LEFT_EAR: (0.15, 0.52),
        Landmark.LEFT_SHOULDER: (0.2, 0.55),
        Landmark.LEFT_ELBOW: (0.2, 0.65),
        Landmark.LEFT_WRIST: (0.2, 0.75),
        Landmark.LEFT_HIP: (0.5, 0.55),
        Landmark.LEFT_KNEE: (0.65, 0.55),
        Landmark.LEFT_ANKLE: (0.8, 0.55),
    }
    for joint, (x, y) in joints.items():
        lm[:, joint] = (x, y, 0.0, 0.95)
    w, h = size_wh
    lm[:, Landmark.LEFT_HIP, 1] += features.hip_dev_norm * 0.6 * w / h
    return PoseSeries(t_s=t, landmarks=lm, size_wh=size_wh)
