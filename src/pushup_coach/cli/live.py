"""``live`` command: coach from a camera or a file played at its real pace."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import Any

import click
import numpy as np

from pushup_coach.cli.analysis import parse_settings, write_json
from pushup_coach.cli.coach_common import db_option
from pushup_coach.config import AnalysisConfig
from pushup_coach.errors import InputError
from pushup_coach.live import LiveResult, LiveSource, LiveUpdate, run_live
from pushup_coach.types import NAMED_VARIATIONS, Frame, PoseSeries, RepAssessment, Variation

WINDOW_TITLE = "pushup-coach live (q to quit)"
_QUIT_KEYS = (ord("q"), 27)  # q or Esc
WARM_UP_T_S = -1e6  # before any real frame's time, as the pose tracker needs times to increase


def rep_line(assessment: RepAssessment, cue: str | None) -> str:
    """``rep 3  clean``, ``rep 4  hip_sag  -> Hips up, brace your core`` or ``rep 5  counted, form
    not checked`` (rep numbers from 1)."""
    faults = ",".join(f.value for f in assessment.faults) or (
        "clean" if assessment.clean else "counted, form not checked"
    )
    line = f"rep {assessment.rep.index + 1}  {faults}"
    return f"{line}  -> {cue}" if cue else line


def summary_lines(result: LiveResult) -> list[str]:
    """The closing summary: reps, faults, frames processed, skipped on purpose and dropped,
    latency, then the report's warnings (frames this machine could not pose, unseen reps)."""
    report, stats = result.report, result.stats
    found = report.faults_summary
    faults = ", ".join(f"{f.value} x{n}" for f, n in found.items() if n) or "none"
    skipped = f" {stats.skipped} skipped on purpose," if stats.skipped else ""
    unchecked = report.not_checked_rep_count
    not_checked = f", form not checked {unchecked}" if unchecked else ""
    return [
        f"reps: {report.rep_count} (clean {report.clean_rep_count}{not_checked})   "
        f"faults: {faults}",
        f"frames: {stats.processed} processed,{skipped} {stats.dropped} dropped   latency p50 "
        f"{stats.latency_p50_ms:.1f} ms, p95 {stats.latency_p95_ms:.1f} ms",
        *(f"note: {w}" for w in report.warnings),
    ]


def has_display() -> bool:
    """Whether a window can be shown: always off Linux, else when X11 or Wayland is there."""
    if not sys.platform.startswith("linux"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def _printer(say: Callable[[str], None] | None) -> Callable[[Frame | None, LiveUpdate], None]:
    def on_update(frame: Frame | None, update: LiveUpdate) -> None:
        for k, assessment in enumerate(update.assessed):
            cue = update.cue if k == len(update.assessed) - 1 else None
            click.echo(rep_line(assessment, cue))
        if update.cue and say is not None:
            say(update.cue)

    return on_update


def _window(
    print_update: Callable[[Frame | None, LiveUpdate], None], config: AnalysisConfig
) -> Callable[[Frame | None, LiveUpdate], bool]:
    import cv2

    from pushup_coach.overlay import draw_overlay
    from pushup_coach.report.video import landmarks_at, line_status

    shown: dict[str, Any] = {"cue": None}

    def on_update(frame: Frame | None, update: LiveUpdate) -> bool:
        print_update(frame, update)
        if frame is None:
            return True
        shown["cue"] = update.cue or shown["cue"]
        height, width = frame.image.shape[:2]
        points = None
        if update.landmarks is not None:
            row = PoseSeries(np.array([update.t_s]), update.landmarks[None], (width, height))
            points = landmarks_at(row, update.t_s, width, height, config)
        image = draw_overlay(
            frame.image,
            points,
            line_status=line_status(update.hip_dev_norm, config),
            rep_count=update.rep_count,
            cue=shown["cue"],
            side=update.side,
        )
        cv2.imshow(WINDOW_TITLE, image[:, :, ::-1])
        return (cv2.waitKey(1) & 0xFF) not in _QUIT_KEYS

    return on_update


@click.command("live")
@click.option(
    "--camera", type=click.IntRange(min=0), help="Camera index to coach from (0 = first)."
)
@click.option(
    "--source",
    "source_path",
    type=click.Path(dir_okay=False),
    help="Video file played at its real pace, as if it came from a camera.",
)
@click.option(
    "--headless", is_flag=True, help="No window: print reps and cues (default without a display)."
)
@click.option(
    "--no-realtime",
    is_flag=True,
    help="With --source: hand every frame over as fast as possible (no pacing, no drops).",
)
@click.option("--speak", is_flag=True, help="Speak the cues (needs the 'speech' extra).")
@click.option("--json", "json_out", metavar="PATH", help="Write the session report as JSON.")
@click.option(
    "--set", "settings", multiple=True, metavar="NAME=VALUE", help="Override an analysis setting."
)
@click.option(
    "--variation",
    type=click.Choice(NAMED_VARIATIONS),
    help="The push-up you are doing (default: what --profile's plan asks for). What the camera "
    "sees is checked against it, and it stands in where the camera cannot tell.",
)
@click.option("--profile", help="Coach this profile's planned session (see `pushup-coach plan`).")
@db_option
def live_command(
    camera: int | None,
    source_path: str | None,
    headless: bool,
    no_realtime: bool,
    speak: bool,
    json_out: str | None,
    settings: tuple[str, ...],
    variation: str | None,
    profile: str | None,
    db_url: str | None,
) -> None:
    """Count reps and coach form live, from a camera or a video file.

    Prints each rep as it is judged ("rep 4  hip_sag  -> Hips up, brace your core") and a
    summary at the end; shows the camera picture with the skeleton, count and cue where a display
    exists. Press q in the window, or Ctrl+C, to stop.
    """
    if (camera is None) == (source_path is None):
        raise click.UsageError("give --camera N or --source FILE (one of them)")
    config = parse_settings(settings)
    expected = Variation(variation) if variation else _planned(profile, db_url)
    source = LiveSource(path=source_path, camera=camera, realtime=not no_realtime)
    speaker = _speaker() if speak else None
    print_update = _printer(speaker.say if speaker else None)
    on_update: Callable[[Frame | None, LiveUpdate], bool | None] = print_update
    if not headless and has_display():
        on_update = _window(print_update, config)
    try:
        result = _run(source, config, on_update, expected)
    finally:
        if speaker is not None:
            speaker.close()
    for line in summary_lines(result):
        click.echo(line)
    if json_out:
        write_json(result.report.to_dict() | result.report.extra, json_out)


def _planned(profile: str | None, db_url: str | None) -> Variation | None:
    """The variation ``profile``'s plan asks for next (None without a profile or a plan)."""
    if profile is None:
        return None
    from pushup_coach.app.coaching import planned_variation
    from pushup_coach.storage import Store

    with Store.open(db_url) as store:
        store.get_profile(profile)  # a one-line error for a profile that does not exist
        return planned_variation(store, profile)


def _speaker() -> Any:
    from pushup_coach.live.speech import Speaker

    return Speaker()


def _run(
    source: LiveSource,
    config: AnalysisConfig,
    on_update: Callable[[Frame | None, LiveUpdate], bool | None],
    expected: Variation | None = None,
) -> LiveResult:
    from pushup_coach.pose import MediaPipePose, opened

    with opened(MediaPipePose) as backend:
        # The model's first frame pays for starting its graph (most of a second); paying it on
        # a blank frame before the first real one keeps it out of the session's first rep.
        backend.estimate(Frame(-1, WARM_UP_T_S, np.zeros((64, 64, 3), dtype=np.uint8)))
        try:
            return run_live(source, backend, config, on_update, expected)
        except _cv2_error() as exc:
            raise InputError(f"cannot show a window here ({exc}); run with --headless") from exc


def _cv2_error() -> type[Exception]:
    import cv2

    return cv2.error
