"""The single home of every analysis default and its help text.

CLI flags and ``docs/configuration.md`` derive from :class:`AnalysisConfig`; a test checks that
every setting is documented there. Thresholds come from ``COACHING.md`` section 3 (*start* values)
and were calibrated on real clips as ``docs/accuracy.md`` records. Angles: 180 = straight;
lengths are normalised by body length (shoulder to ankle) unless the name says otherwise.
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


def _setting(default: Any, help: str, *, valid: tuple[float, float]) -> Any:
    """A setting: its default, its help text and the closed range of values it accepts."""
    return field(default=default, metadata={"help": help, "valid": valid})


@dataclass(frozen=True)
class AnalysisConfig:
    """Every tunable of the offline and live analysis."""

    # pose
    pose_rate_hz: float = _setting(
        15.0,
        "Frames a second the pose model looks at in offline analysis: faster video is sampled "
        "evenly down to at least this rate (every 2nd frame at 30 fps, every 4th at 60), "
        "validated on the labelled clips (docs/accuracy.md); 0 = every frame. Live coaching "
        "takes every frame it can.",
        valid=(0, 240),
    )
    min_visibility: float = _setting(
        0.5, "Landmark visibility below which a landmark is treated as not seen.", valid=(0, 1)
    )
    max_gap_s: float = _setting(
        0.35,
        "Longest tracking gap (s) filled by interpolation; longer gaps stay gaps.",
        valid=(0, 10),
    )
    smoothing_cutoff_hz: float = _setting(
        3.0,
        "Low-pass cut-off (Hz) of the zero-phase filter applied to landmark tracks.",
        valid=(0, 60),
    )
    # reps
    rep_min_range: float = _setting(
        0.15,
        "Least swing of the shoulders toward the hands, top to bottom (arm lengths), a movement "
        "needs to count as a rep: the floor under the adaptive threshold, above tracking jitter.",
        valid=(0, 2),
    )
    rep_range_share: float = _setting(
        0.5,
        "Share of the person's typical swing (median of their last 5 reps) a rep needs, so the "
        "threshold adapts to the variation and the person (docs/counting.md).",
        valid=(0, 1),
    )
    rep_min_return: float = _setting(
        0.5,
        "Share of its own descent a rep must climb back before it counts (a push cut off by the "
        "end of the clip stays partial).",
        valid=(0, 1),
    )
    rep_min_bend_deg: float = _setting(
        15.0,
        "Least range of the elbow angle (deg) within a rep: shoulders that move on straight arms "
        "(rocking, shuffling the hands) make no rep.",
        valid=(0, 180),
    )
    rep_hysteresis: float = _setting(
        0.05,
        "Margin (arm lengths) by which the shoulders must move back from a top or a bottom "
        "before it counts as one, so jitter and pauses make no extremes.",
        valid=(0, 1),
    )
    rep_hysteresis_share: float = _setting(
        0.15,
        "Share of the person's typical swing the motion must turn back by to confirm a top or a "
        "bottom, when larger than rep_hysteresis.",
        valid=(0, 1),
    )
    rep_min_duration_s: float = _setting(
        0.3, "Shortest top-to-top time (s) a rep can take.", valid=(0, 60)
    )
    rep_max_duration_s: float = _setting(
        12.0,
        "Longest top-to-top time (s); slower movements are not counted as one rep.",
        valid=(0, 600),
    )
    position_blip_s: float = _setting(
        0.7,
        "Out-of-position spells shorter than this (s) are ignored: someone walking past, a "
        "tracking glitch or a bumped camera does not end a rep or a set.",
        valid=(0, 60),
    )
    set_rest_s: float = _setting(
        6.0,
        "Pause (s) between the end of one rep and the start of the next that starts a new set.",
        valid=(0, 3600),
    )
    # form thresholds (COACHING.md section 3)
    hip_sag_dev: float = _setting(
        0.045,
        "Hip deviation toward the floor (fraction of body length) that counts as hip_sag.",
        valid=(0, 1),
    )
    hip_pike_dev: float = _setting(
        0.12,
        "Hip deviation away from the floor (fraction of body length) that counts as hip_pike.",
        valid=(0, 1),
    )
    head_drop_dev: float = _setting(
        0.07,
        "Ear deviation toward the floor from the body line (fraction of body length).",
        valid=(0, 1),
    )
    shallow_shoulder_height: float = _setting(
        0.53,
        "Lowest shoulder height above the hands, as a share of that height at the rep's top "
        "(arms straight), above which a rep is shallow: the chest stayed far from the floor, "
        "or from the bench or bar in an incline.",
        valid=(0, 2),
    )
    lockout_elbow_deg: float = _setting(
        140.0, "Top elbow angle (deg) below which the arms were not locked out.", valid=(0, 180)
    )
    too_fast_lowering_s: float = _setting(
        0.35,
        "Lowering time (s), the visible descent, below which the body dropped instead of being "
        "lowered under control. COACHING.md starts at 0.5 s; on the labelled clips drops "
        "measure 0.20-0.29 s and controlled reps 0.41 s and up (docs/accuracy.md).",
        valid=(0, 10),
    )
    elbow_flare_deg: float = _setting(
        75.0,
        "Upper-arm to torso angle (deg, front view) above which the elbows flare. Not judged "
        "yet: one camera does not measure this angle reliably (docs/accuracy.md).",
        valid=(0, 180),
    )
    hands_narrow_ratio: float = _setting(
        0.8,
        "Wrist / shoulder-joint distance below which hands are too narrow (front view).",
        valid=(0, 10),
    )
    hands_wide_ratio: float = _setting(
        2.2,
        "Wrist / shoulder-joint distance above which hands are too wide (front view).",
        valid=(0, 10),
    )
    uncertain_band: float = _setting(
        0.1,
        "Relative band around a threshold inside which a fault is reported as uncertain.",
        valid=(0, 1),
    )
    min_quality: float = _setting(
        0.8,
        "Median confidence of the camera-side joints below which a rep's form is too unclear to "
        "judge: its faults are reported as uncertain.",
        valid=(0, 1),
    )
    marked_factor: float = _setting(
        1.8,
        "How far past the threshold (x threshold excess) a fault becomes 'marked', not 'mild'.",
        valid=(1, 10),
    )

    def __post_init__(self) -> None:
        for name, (low, high) in settings_valid().items():
            value = getattr(self, name)
            if not low <= value <= high:  # NaN fails this too
                from pushup_coach.errors import ConfigError

                raise ConfigError(
                    f"setting {name} must be from {low:g} to {high:g}, got {value!r}; see "
                    "docs/configuration.md"
                )

    def replace(self, **changes: Any) -> AnalysisConfig:
        """A copy with some settings changed (shared defaults are never mutated)."""
        unknown = set(changes) - {f.name for f in dataclasses.fields(self)}
        if unknown:
            from pushup_coach.errors import ConfigError

            raise ConfigError(f"unknown setting(s): {', '.join(sorted(unknown))}")
        return dataclasses.replace(self, **changes)


def settings_help() -> dict[str, tuple[Any, str]]:
    """Setting name -> (default, help text), for docs and ``--help`` output."""
    return {
        f.name: (f.default, str(f.metadata.get("help", "")))
        for f in dataclasses.fields(AnalysisConfig)
    }


def settings_valid() -> dict[str, tuple[float, float]]:
    """Setting name -> (lowest, highest) value it accepts, both included."""
    return {f.name: f.metadata["valid"] for f in dataclasses.fields(AnalysisConfig)}


DEFAULT_CONFIG = AnalysisConfig()

# The web app (`pushup-coach serve`; its options override these).
SERVE_HOST = "127.0.0.1"  # this computer only; `serve --lan` opens it to the local network
SERVE_PORT = 8000
SERVE_MAX_UPLOAD_MB = 1024  # 1 GB: a phone's 4K minute is about 400 MB
# The profile a command or the web app uses when none is named (the one local person).
DEFAULT_PROFILE = "default"
SERVE_MAX_QUEUED_JOBS = 50  # more waiting analyses than this: uploads get "busy, try again"

# Limits on input, so a broken or hostile file gets one clear line instead of exhausting memory.
# Each side of a frame size a landmark file, its video info or --size may declare (pixels).
MAX_FRAME_SIDE_PX = 16384


def user_data_dir() -> Path:
    """Where pushup-coach keeps its database and files: ``$PUSHUP_COACH_HOME`` or XDG data."""
    home = os.environ.get("PUSHUP_COACH_HOME")
    if home:
        return Path(home).expanduser()
    xdg = os.environ.get("XDG_DATA_HOME")
    base = Path(xdg).expanduser() if xdg else Path.home() / ".local" / "share"
    return base / "pushup-coach"


def settings_markdown() -> str:
    """The settings table of docs/configuration.md (a test keeps that file equal to this)."""
    valid = settings_valid()
    lines = [
        "| setting | default | valid | meaning |",
        "| --- | --- | --- | --- |",
    ]
    for name, (default, text) in settings_help().items():
        low, high = valid[name]
        lines.append(f"| `{name}` | {default} | {low:g} to {high:g} | {text} |")
    return "\n".join(lines) + "\n"
