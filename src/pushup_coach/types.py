"""Data that crosses stage boundaries: frozen dataclasses of numpy arrays, and closed sets as Enums.

Conventions used everywhere:
- time ``t_s`` is float seconds from the container's timestamps; ``fps`` is a float;
- landmark coordinates are BlazePose's normalised image coordinates (x right, y down, 0..1 of the
  upright frame) with ``z`` in the same scale as x and ``visibility`` 0..1;
- a landmark or frame without a confident person is NaN, never (0, 0).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import numpy as np
import numpy.typing as npt

from pushup_coach.measurements import RepMetrics
from pushup_coach.skeleton import N_LANDMARKS

FloatArray = npt.NDArray[np.floating[Any]]
BoolArray = npt.NDArray[np.bool_]
ImageRGB = npt.NDArray[np.uint8]


class Fault(StrEnum):
    """Fault codes; the values are public output (COACHING.md section 3)."""

    HIP_SAG = "hip_sag"
    HIP_PIKE = "hip_pike"
    HEAD_DROP = "head_drop"
    SHALLOW = "shallow"
    NO_LOCKOUT = "no_lockout"
    TOO_FAST = "too_fast"
    ELBOW_FLARE = "elbow_flare"
    HANDS_NARROW = "hands_narrow"
    HANDS_WIDE = "hands_wide"


class View(StrEnum):
    SIDE = "side"
    FRONT = "front"
    OBLIQUE = "oblique"
    UNKNOWN = "unknown"


class Variation(StrEnum):
    """Push-up variations, easiest first; ``unknown`` when the pose does not say."""

    WALL = "wall"
    INCLINE = "incline"
    KNEE = "knee"
    FULL = "full"
    DECLINE = "decline"
    UNKNOWN = "unknown"


# The variations a person can name (every one but ``unknown``), easiest first.
NAMED_VARIATIONS: tuple[str, ...] = tuple(v.value for v in Variation if v is not Variation.UNKNOWN)


class Side(StrEnum):
    """Which body side faces the camera (``both`` from the front)."""

    LEFT = "left"
    RIGHT = "right"
    BOTH = "both"


class Severity(StrEnum):
    MILD = "mild"
    MARKED = "marked"


class RepVerdict(StrEnum):
    """What can honestly be said of a counted rep's form; the values are public output.

    ``clean`` only when every fault that matters for the rep's view was measured and none was
    found; ``not_checked`` when the rep was counted but its form (always including the body line)
    could not be judged from this camera angle or these landmarks.
    """

    CLEAN = "clean"
    FAULTY = "faulty"
    NOT_CHECKED = "not_checked"


# The faults a rep must have been judged on before it may be called clean, whatever the view: the
# body line is what protects the back, so a rep whose body line was not seen is never "clean".
BODY_LINE_FAULTS: tuple[Fault, ...] = (Fault.HIP_SAG, Fault.HIP_PIKE)


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise ValueError(message)


@dataclass(frozen=True)
class VideoInfo:
    """What a video source is: its upright size after rotation, nominal fps and duration."""

    path: str
    width: int
    height: int
    fps: float
    duration_s: float
    n_frames: int | None = None
    rotation_deg: int = 0
    codec: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "duration_s": round(self.duration_s, 3),
            "fps": round(self.fps, 3),
            "width": self.width,
            "height": self.height,
            "n_frames": self.n_frames,
            "rotation_deg": self.rotation_deg,
            "codec": self.codec,
        }


@dataclass(frozen=True)
class Frame:
    """One decoded, upright RGB frame with its presentation time in seconds."""

    index: int
    t_s: float
    image: ImageRGB


@dataclass(frozen=True)
class PoseSeries:
    """Landmarks over time.

    ``landmarks`` has shape (T, 33, 4): normalised x, y, z and visibility; rows of frames without a
    confident person are all NaN. ``t_s`` has shape (T,) and strictly increases. ``size_wh`` is the
    upright frame size in pixels, needed to measure angles without aspect-ratio distortion.
    """

    t_s: FloatArray
    landmarks: FloatArray
    size_wh: tuple[int, int]
    source: str = ""

    def __post_init__(self) -> None:
        t = np.asarray(self.t_s)
        lm = np.asarray(self.landmarks)
        _require(t.ndim == 1, f"t_s must be 1-D (T,), got shape {t.shape}")
        _require(
            lm.shape == (t.shape[0], N_LANDMARKS, 4),
            f"landmarks must have shape (T={t.shape[0]}, {N_LANDMARKS}, 4), got {lm.shape}",
        )
        _require(
            bool(np.all(np.diff(t) > 0)) if t.size > 1 else True,
            "t_s must strictly increase",
        )
        w, h = self.size_wh
        _require(w > 0 and h > 0, f"size_wh must be positive pixels, got {self.size_wh}")

    def __len__(self) -> int:
        return int(self.t_s.shape[0])

    @property
    def present(self) -> BoolArray:
        """(T,) True where the frame holds a detected person."""
        return np.asarray(~np.isnan(self.landmarks[:, :, 0]).all(axis=1), dtype=bool)

    def pixels(self) -> FloatArray:
        """(T, 33, 2) landmark x, y in pixels of the upright frame (NaN where missing)."""
        w, h = self.size_wh
        return self.landmarks[:, :, :2] * np.array([w, h], dtype=np.float64)

    @property
    def visibility(self) -> FloatArray:
        """(T, 33) visibility 0..1 (NaN where missing)."""
        return self.landmarks[:, :, 3]

    @property
    def duration_s(self) -> float:
        if len(self) == 0:
            return 0.0
        step = float(np.median(np.diff(self.t_s))) if len(self) > 1 else 0.0
        return float(self.t_s[-1] - self.t_s[0] + step)

    @property
    def fps(self) -> float:
        if len(self) < 2:
            return 0.0
        return float(1.0 / np.median(np.diff(self.t_s)))


@dataclass(frozen=True)
class FeatureSeries:
    """Per-frame push-up measurements, all of shape (T,) and aligned with ``t_s``; NaN = unknown.

    - ``elbow_deg``: shoulder-elbow-wrist angle, 180 = straight arm;
    - ``hip_dev_norm``: hip distance from the shoulder-ankle line / its length, + toward floor;
    - ``hip_angle_deg``: shoulder-hip-ankle angle, 180 = straight body;
    - ``neck_dev_norm``: ear distance from the hip-shoulder line extended / body length, + floor;
    - ``shoulder_height_norm``: shoulder height above the wrist / arm length (upper + fore);
    - ``body_incline_deg``: shoulder-to-ankle segment vs the image horizontal, + feet lower;
    - ``hand_width_ratio``: wrist distance / shoulder distance (front view);
    - ``elbow_flare_deg``: upper arm vs torso seen from the front;
    - ``quality``: 0..1 confidence of the landmarks the side-view measures use.
    """

    t_s: FloatArray
    elbow_deg: FloatArray
    hip_dev_norm: FloatArray
    hip_angle_deg: FloatArray
    neck_dev_norm: FloatArray
    shoulder_height_norm: FloatArray
    body_incline_deg: FloatArray
    hand_width_ratio: FloatArray
    elbow_flare_deg: FloatArray
    quality: FloatArray

    def __post_init__(self) -> None:
        n = np.asarray(self.t_s).shape
        for name in (
            "elbow_deg",
            "hip_dev_norm",
            "hip_angle_deg",
            "neck_dev_norm",
            "shoulder_height_norm",
            "body_incline_deg",
            "hand_width_ratio",
            "elbow_flare_deg",
            "quality",
        ):
            shape = np.asarray(getattr(self, name)).shape
            _require(shape == n, f"{name} must have shape {n} like t_s, got {shape}")

    def __len__(self) -> int:
        return int(self.t_s.shape[0])


@dataclass(frozen=True)
class Rep:
    """One completed rep: frame indices and times of its start (top), bottom and end (top)."""

    index: int
    start_i: int
    bottom_i: int
    end_i: int
    start_s: float
    bottom_s: float
    end_s: float
    set_index: int = 0

    def __post_init__(self) -> None:
        _require(
            self.start_i <= self.bottom_i <= self.end_i,
            f"rep frames must be ordered start <= bottom <= end, got "
            f"{self.start_i}, {self.bottom_i}, {self.end_i}",
        )


@dataclass(frozen=True)
class PartialRep:
    """An attempt that did not complete a top -> bottom -> top cycle."""

    start_s: float
    end_s: float
    min_elbow_deg: float | None
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "start_s": round(self.start_s, 3),
            "end_s": round(self.end_s, 3),
            "min_elbow_deg": _round_or_none(self.min_elbow_deg),
            "reason": self.reason,
        }


@dataclass(frozen=True)
class RepSet:
    """Reps done without a rest between them."""

    index: int
    rep_indices: tuple[int, ...]
    start_s: float
    end_s: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "rep_count": len(self.rep_indices),
            "reps": list(self.rep_indices),
            "start_s": round(self.start_s, 3),
            "end_s": round(self.end_s, 3),
        }


@dataclass(frozen=True)
class RepAssessment:
    """A rep with its measurements (units in the names) and the faults found on it.

    ``not_assessed``: faults that matter for a clean verdict on this rep (the body line, and every
    fault its view can measure) but could not be judged. ``score`` is None for a rep whose form
    was not checked: a number there would claim a judgement nobody made.
    """

    rep: Rep
    metrics: RepMetrics
    faults: tuple[Fault, ...]
    severity: dict[Fault, Severity]
    uncertain: tuple[Fault, ...]
    score: int | None
    # Required (keyword-only, no default): a rep built without saying what was not judged would
    # silently read as clean.
    not_assessed: tuple[Fault, ...] = field(kw_only=True)

    @property
    def verdict(self) -> RepVerdict:
        if self.faults:
            return RepVerdict.FAULTY
        if self.not_assessed:
            return RepVerdict.NOT_CHECKED
        return RepVerdict.CLEAN

    @property
    def clean(self) -> bool:
        """True only for a rep whose form was checked and found without fault."""
        return self.verdict is RepVerdict.CLEAN

    @property
    def form_checked(self) -> bool:
        return self.verdict is not RepVerdict.NOT_CHECKED

    def to_dict(self) -> dict[str, Any]:
        r = self.rep
        return {
            "index": r.index,
            "set": r.set_index,
            "start_s": round(r.start_s, 3),
            "bottom_s": round(r.bottom_s, 3),
            "end_s": round(r.end_s, 3),
            "metrics": self.metrics.to_dict(),
            "faults": [f.value for f in self.faults],
            "severity": {f.value: s.value for f, s in self.severity.items()},
            "uncertain": [f.value for f in self.uncertain],
            "not_assessed": [f.value for f in self.not_assessed],
            "verdict": self.verdict.value,
            "score": self.score,
        }

    @classmethod
    def from_dict(
        cls, d: dict[str, Any], legacy_not_assessed: tuple[Fault, ...] = ()
    ) -> RepAssessment:
        """From :meth:`to_dict`'s output. Reports written before verdicts existed have no
        ``not_assessed``: ``legacy_not_assessed`` (what the session's view could not judge) stands
        in for it, so an old oblique-view report is not read back as clean."""
        rep = Rep(
            index=int(d["index"]),
            start_i=-1 if "start_i" not in d else int(d["start_i"]),
            bottom_i=-1 if "bottom_i" not in d else int(d["bottom_i"]),
            end_i=-1 if "end_i" not in d else int(d["end_i"]),
            start_s=float(d["start_s"]),
            bottom_s=float(d["bottom_s"]),
            end_s=float(d["end_s"]),
            set_index=int(d.get("set", 0)),
        )
        return cls(
            rep=rep,
            metrics=RepMetrics.from_dict(d.get("metrics") or {}),
            faults=tuple(Fault(f) for f in d["faults"]),
            severity={Fault(k): Severity(v) for k, v in d.get("severity", {}).items()},
            uncertain=tuple(Fault(f) for f in d.get("uncertain", [])),
            score=None if d.get("score") is None else int(d["score"]),
            not_assessed=(
                tuple(Fault(f) for f in d["not_assessed"])
                if "not_assessed" in d
                else legacy_not_assessed
            ),
        )


@dataclass(frozen=True)
class Cue:
    """A plain-language instruction tied to the reps it comes from; lower priority = say first."""

    code: str
    text: str
    reps: tuple[int, ...]
    priority: int

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "text": self.text, "reps": list(self.reps)}


SCHEMA_VERSION = "1.0"


@dataclass(frozen=True)
class SessionReport:
    """Everything one analysis found; the one thing CLI, storage, web, reports and eval consume."""

    source: VideoInfo
    view: View
    side: Side
    variation: Variation
    reps: tuple[RepAssessment, ...]
    partial_reps: tuple[PartialRep, ...]
    sets: tuple[RepSet, ...]
    faults_assessed: tuple[Fault, ...]
    cues: tuple[Cue, ...]
    warnings: tuple[str, ...]
    advice: tuple[str, ...]
    pose_backend: str = ""
    pose_coverage: float = float("nan")
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def rep_count(self) -> int:
        return len(self.reps)

    @property
    def clean_rep_count(self) -> int:
        """Reps whose form was checked and found without fault (progress counts only these)."""
        return sum(1 for r in self.reps if r.clean)

    @property
    def not_checked_rep_count(self) -> int:
        """Reps counted without a form judgement (camera angle, or landmarks too unclear)."""
        return sum(1 for r in self.reps if not r.form_checked)

    @property
    def faults_summary(self) -> dict[Fault, int]:
        """Fault -> number of reps that have it, for every assessed fault (0 when absent)."""
        summary = {f: 0 for f in self.faults_assessed}
        for rep in self.reps:
            for f in rep.faults:
                summary[f] = summary.get(f, 0) + 1
        return summary

    @property
    def faults_found(self) -> tuple[Fault, ...]:
        return tuple(f for f, n in self.faults_summary.items() if n > 0)

    def to_dict(self) -> dict[str, Any]:
        uncertain: dict[str, int] = {}
        for rep in self.reps:
            for f in rep.uncertain:
                uncertain[f.value] = uncertain.get(f.value, 0) + 1
        return {
            "schema_version": SCHEMA_VERSION,
            "source": self.source.to_dict(),
            "view": self.view.value,
            "side": self.side.value,
            "variation": self.variation.value,
            "rep_count": self.rep_count,
            "clean_rep_count": self.clean_rep_count,
            "not_checked_rep_count": self.not_checked_rep_count,
            "partial_reps": [p.to_dict() for p in self.partial_reps],
            "sets": [s.to_dict() for s in self.sets],
            "faults_assessed": [f.value for f in self.faults_assessed],
            "faults_not_assessed": [f.value for f in Fault if f not in self.faults_assessed],
            "faults_summary": {f.value: n for f, n in self.faults_summary.items()},
            "faults_uncertain": uncertain,
            "reps": [r.to_dict() for r in self.reps],
            "cues": [c.to_dict() for c in self.cues],
            "advice": list(self.advice),
            "warnings": list(self.warnings),
            "pose": {
                "backend": self.pose_backend,
                "coverage": _round_or_none(self.pose_coverage),
            },
            **({"extra": self.extra} if self.extra else {}),
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> SessionReport:
        src = d["source"]
        assessed = {Fault(f) for f in d["faults_assessed"]}
        legacy = tuple(f for f in BODY_LINE_FAULTS if f not in assessed)
        return cls(
            source=VideoInfo(
                path=src["path"],
                width=int(src["width"]),
                height=int(src["height"]),
                fps=float(src["fps"]),
                duration_s=float(src["duration_s"]),
                n_frames=src.get("n_frames"),
                rotation_deg=int(src.get("rotation_deg", 0)),
                codec=src.get("codec", ""),
            ),
            view=View(d["view"]),
            side=Side(d["side"]),
            variation=Variation(d["variation"]),
            reps=tuple(RepAssessment.from_dict(r, legacy) for r in d["reps"]),
            partial_reps=tuple(
                PartialRep(
                    start_s=float(p["start_s"]),
                    end_s=float(p["end_s"]),
                    min_elbow_deg=p.get("min_elbow_deg"),
                    reason=p["reason"],
                )
                for p in d["partial_reps"]
            ),
            sets=tuple(
                RepSet(
                    index=int(s["index"]),
                    rep_indices=tuple(int(i) for i in s["reps"]),
                    start_s=float(s["start_s"]),
                    end_s=float(s["end_s"]),
                )
                for s in d["sets"]
            ),
            faults_assessed=tuple(Fault(f) for f in d["faults_assessed"]),
            cues=tuple(
                Cue(code=c["code"], text=c["text"], reps=tuple(c["reps"]), priority=i)
                for i, c in enumerate(d["cues"])
            ),
            warnings=tuple(d["warnings"]),
            advice=tuple(d.get("advice", [])),
            pose_backend=d.get("pose", {}).get("backend", ""),
            pose_coverage=_nan_if_none(d.get("pose", {}).get("coverage")),
            extra=d.get("extra", {}),
        )


def _round_or_none(x: float | None, ndigits: int = 4) -> float | None:
    if x is None:
        return None
    xf = float(x)
    if math.isnan(xf) or math.isinf(xf):
        return None
    return round(xf, ndigits)


def _nan_if_none(x: float | None) -> float:
    return float("nan") if x is None else float(x)
