"""``analyze`` and ``eval`` commands: parse options, call the library, print, write files."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import click

from pushup_coach.analysis import Analysis, LandmarkOptions, analyze_file, is_landmark_file
from pushup_coach.cli.coach_common import coach_options
from pushup_coach.cli.progress import frame_progress
from pushup_coach.cli.summary import print_eval, print_summary
from pushup_coach.coach.ladder import Rung, variation_of
from pushup_coach.config import (
    DEFAULT_CONFIG,
    MAX_FRAME_SIDE_PX,
    AnalysisConfig,
    settings_help,
)
from pushup_coach.errors import ConfigError, InputError, OutputError
from pushup_coach.evaluation import LabelledClip, evaluate, read_manifest
from pushup_coach.types import NAMED_VARIATIONS, SessionReport, Variation

# Pose processes one analysis may start: a few per core already only adds memory and switching.
WORKERS_PER_CORE = 4


def max_workers() -> int:
    """The most ``--workers`` accepted: WORKERS_PER_CORE per core of this machine."""
    return (os.cpu_count() or 1) * WORKERS_PER_CORE


def parse_size(value: str | None) -> tuple[int, int] | None:
    """``1920x1080`` -> (1920, 1080), each side 1..MAX_FRAME_SIDE_PX."""
    if value is None:
        return None
    try:
        w, h = (int(v) for v in value.lower().split("x"))
    except ValueError as exc:
        raise ConfigError(f"--size must look like 1920x1080, got {value[:40]!r}") from exc
    if not (1 <= w <= MAX_FRAME_SIDE_PX and 1 <= h <= MAX_FRAME_SIDE_PX):
        raise ConfigError(
            f"--size {value[:40]}: each side must be 1 to {MAX_FRAME_SIDE_PX} pixels, "
            "for example 1920x1080"
        )
    return w, h


def parse_settings(pairs: tuple[str, ...]) -> AnalysisConfig:
    """``--set name=value`` pairs applied to the defaults (names as in docs/configuration.md).

    Each value is range-checked by :class:`AnalysisConfig` (its valid range sits next to its
    default); NaN and infinities are refused with one line.
    """
    known = settings_help()
    changes: dict[str, Any] = {}
    for pair in pairs:
        name, sep, raw = pair.partition("=")
        if not sep or name not in known:
            raise ConfigError(
                f"--set expects name=value with a known setting, got {pair!r}; "
                "see docs/configuration.md"
            )
        try:
            changes[name] = type(known[name][0])(raw)
        except ValueError as exc:
            raise ConfigError(f"--set {name}: {raw!r} is not a number") from exc
    return DEFAULT_CONFIG.replace(**changes)


def write_json(data: dict[str, Any], target: str) -> None:
    text = json.dumps(data, indent=2, allow_nan=False)
    if target == "-":
        click.echo(text)
        return
    try:
        Path(target).write_text(text + "\n", encoding="utf-8")
    except OSError as exc:
        raise OutputError(
            f"cannot write {target}: {exc.strerror or exc}; check that the folder exists and is "
            "writable"
        ) from exc


def check_outputs(input_path: str, outputs: dict[str, str | None]) -> None:
    """Refuse, before any work, an INPUT that is a folder or an output that cannot be written.

    ``outputs`` maps each option (``--json``) to its path or None; '-' (stdout) is always fine.
    Raises InputError or OutputError with one line.
    """
    if Path(input_path).is_dir():
        raise InputError(
            f"{input_path} is a directory; give a video file (or a landmark file) inside it"
        )
    for option, target in outputs.items():
        if target and target != "-":
            _check_output(option, Path(target))
    if outputs.get("--landmarks-out"):
        from pushup_coach.pose.files import LANDMARK_SUFFIXES

        suffix = Path(str(outputs["--landmarks-out"])).suffix.lower()
        if suffix not in LANDMARK_SUFFIXES:
            raise OutputError(f"--landmarks-out must end in .npz or .csv, got {suffix or 'none'!r}")
    if outputs.get("--overlay") and is_landmark_file(input_path):
        raise InputError("--overlay needs the original video as INPUT, not a landmark file")


def _check_output(option: str, target: Path) -> None:
    folder = target.parent
    problem = None
    if target.is_dir():
        problem = "it is a directory; give a file name"
    elif not folder.is_dir():
        problem = f"the folder {folder} does not exist; create it or choose another path"
    elif not os.access(folder, os.W_OK | os.X_OK) or (
        target.exists() and not os.access(target, os.W_OK)
    ):
        problem = "permission denied; choose a path you can write to"
    if problem:
        raise OutputError(f"cannot write {option} {target}: {problem}")


def write_outputs(
    analysis: Analysis,
    input_path: str,
    *,
    report_path: str | None,
    overlay_path: str | None,
    landmarks_out: str | None,
    config: AnalysisConfig,
    quiet: bool,
) -> list[str]:
    """Write the report, overlay video and landmark file asked for; returns the paths written."""
    from pushup_coach.pose import save_landmarks

    written: list[str] = []
    if landmarks_out:
        save_landmarks(analysis.series, landmarks_out, analysis.report.source)
        written.append(landmarks_out)
    if report_path:
        from pushup_coach.report.html import write_html

        write_html(analysis.report, report_path, analysis.features)
        written.append(report_path)
    if overlay_path:
        _write_overlay(analysis, input_path, overlay_path, config, quiet)
        written.append(overlay_path)
    return written


def _check_workers(value: int | None) -> int | None:
    if value is not None and value > max_workers():
        raise click.BadParameter(
            f"{value} is more than {max_workers()} ({WORKERS_PER_CORE} per core of this "
            "machine); leave it out to pick one per core",
            param_hint="'--workers'",
        )
    return value


def _write_overlay(
    analysis: Analysis, input_path: str, overlay_path: str, config: AnalysisConfig, quiet: bool
) -> None:
    from pushup_coach.report.video import write_overlay_video
    from pushup_coach.video.source import VideoFile

    total = analysis.report.source.n_frames or len(analysis.series)
    with VideoFile(input_path) as video, frame_progress("Drawing overlay", total, quiet) as tick:
        write_overlay_video(
            video.frames(),
            analysis.smoothed,
            analysis.features,
            analysis.report,
            overlay_path,
            config=config,
            on_frame=tick,
        )


@click.command("analyze")
@click.argument("input_path", metavar="INPUT", type=click.Path())
@click.option(
    "--json", "json_out", metavar="PATH", help="Write the session report as JSON ('-' = stdout)."
)
@click.option(
    "--report", "report_out", metavar="PATH.html", help="Write a self-contained HTML report."
)
@click.option(
    "--overlay",
    "overlay_out",
    metavar="PATH.mp4",
    help="Write the video with the analysis drawn on it.",
)
@click.option(
    "--landmarks-out",
    metavar="PATH",
    help="Save the pose landmarks (.npz or .csv) to re-analyse later.",
)
@click.option(
    "--coords",
    type=click.Choice(["auto", "normalized", "pixel"]),
    default="auto",
    show_default=True,
    help="Coordinates of a CSV landmark INPUT.",
)
@click.option("--size", metavar="WxH", help="Frame size of a pixel-coordinate CSV INPUT.")
@click.option("--fps", type=float, help="Frame rate of a CSV INPUT indexed by frame.")
@click.option(
    "--set", "settings", multiple=True, metavar="NAME=VALUE", help="Override an analysis setting."
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    callback=lambda _ctx, _param, value: _check_workers(value),
    help=f"Pose processes sharing the video (default: one per core for clips over 10 s; at most "
    f"{WORKERS_PER_CORE} per core).",
)
@click.option(
    "--save",
    is_flag=True,
    help="Store the session (metrics, reps, faults, landmarks; not the video) in your history.",
)
@click.option(
    "--keep-video", is_flag=True, help="With --save: also keep a copy of the video in your data."
)
@click.option(
    "--variation",
    "save_variation",
    type=click.Choice(NAMED_VARIATIONS),
    help="The variation you did (your plan's): checked against what the camera sees (a "
    "mismatch is reported) and used where the camera cannot tell; stored with --save.",
)
@coach_options
@click.option("-q", "--quiet", is_flag=True, help="No progress bar or summary.")
def analyze_command(
    input_path: str,
    json_out: str | None,
    report_out: str | None,
    overlay_out: str | None,
    landmarks_out: str | None,
    coords: str,
    size: str | None,
    fps: float | None,
    settings: tuple[str, ...],
    workers: int | None,
    save: bool,
    keep_video: bool,
    save_variation: str | None,
    db_url: str | None,
    profile: str,
    quiet: bool,
) -> None:
    """Analyse a push-up video or a landmark file.

    INPUT is a video (.mp4 .mov .webm .mkv .avi) or landmarks saved with --landmarks-out
    (.npz) or laid out as docs/landmark-files.md describes (.csv). Prints the reps and cues;
    --json, --report and --overlay write files. Everything stays on this computer.
    """
    config = parse_settings(settings)
    options = LandmarkOptions(coords=coords, size_wh=parse_size(size), fps=fps)
    quiet = quiet or json_out == "-"
    outputs = {
        "--json": json_out,
        "--report": report_out,
        "--overlay": overlay_out,
        "--landmarks-out": landmarks_out,
    }
    check_outputs(input_path, outputs)  # before the slow analysis, not after it
    planned = Variation(save_variation) if save_variation else None
    plan_rung = None
    if save:
        plan_rung = check_can_save(db_url, profile)  # before the slow analysis, not after
        if planned is None and plan_rung is not None:
            planned = variation_of(plan_rung)
    analysis = _run(input_path, config, options, quiet, workers, planned)
    written = []
    if json_out:  # first: a failing overlay (the slowest, most fragile step) cannot lose it
        write_json(analysis.report.to_dict(), json_out)
        if json_out != "-":
            written.append(json_out)
    written += write_outputs(
        analysis,
        input_path,
        report_path=report_out,
        overlay_path=overlay_out,
        landmarks_out=landmarks_out,
        config=config,
        quiet=quiet,
    )
    if not quiet:
        print_summary(analysis.report, written)
    if save:
        video = input_path if keep_video and not is_landmark_file(input_path) else None
        from pushup_coach.app.sessions import planned_rung_seen

        seen = planned_rung_seen(analysis.report.to_dict(), plan_rung)
        rung = save_variation or (seen.value if seen else None)
        session_id = save_session(analysis, db_url, profile, rung, video)
        click.echo(
            f"saved as session {session_id} of profile '{profile}'; add how it felt with: "
            f"pushup-coach log --session {session_id} --profile {profile}",
            err=json_out == "-",
        )
    elif keep_video:
        raise ConfigError("--keep-video only makes sense with --save")


def check_can_save(db_url: str | None, profile: str) -> Rung | None:
    """Raise, storing nothing, unless ``profile`` may store sessions (the gate `log` uses too);
    else the rung its plan asks for next, which a coached session checks the camera against."""
    from pushup_coach.app.coaching import planned_rung
    from pushup_coach.app.sessions import check_can_save as may_save
    from pushup_coach.storage import Store

    with Store.open(db_url) as store:
        may_save(store, profile)
        return planned_rung(store, profile)


def save_session(
    analysis: Analysis,
    db_url: str | None,
    profile: str,
    variation: str | None,
    video_path: str | None,
) -> int:
    """Store the analysis in the profile's history with its landmarks (never the video unless
    ``video_path`` is given)."""
    from pushup_coach.app.analyse import landmarks_npz
    from pushup_coach.app.sessions import save_report
    from pushup_coach.coach.ladder import parse_rung
    from pushup_coach.storage import Store

    with Store.open(db_url) as store:
        return save_report(
            store,
            profile,
            analysis.report.to_dict(),
            landmarks_npz(analysis),
            rung=parse_rung(variation) if variation else None,
            video_path=Path(video_path) if video_path else None,
        )


def _run(
    path: str,
    config: AnalysisConfig,
    options: LandmarkOptions,
    quiet: bool,
    workers: int | None = None,
    planned: Variation | None = None,
) -> Analysis:
    from pushup_coach.app.analyse import analyse_path, frames_to_pose

    if is_landmark_file(path):  # no pose to show progress of, nothing to cache
        return analyze_file(path, config, landmark_options=options, expected_variation=planned)
    # The bar counts the frames the model will look at.
    with frame_progress("Finding the pose", frames_to_pose(path, config), quiet) as tick:
        return analyse_path(
            path,
            config,
            on_progress=lambda done, _total: tick(done),
            workers=workers,
            expected_variation=planned,
        )


@click.command("eval")
@click.argument("manifest", type=click.Path(dir_okay=False))
@click.option(
    "--root",
    type=click.Path(file_okay=False),
    help="Folder the clip paths are relative to (default: the manifest's).",
)
@click.option(
    "--landmarks-cache",
    type=click.Path(file_okay=False),
    help="Folder to keep each clip's landmarks in, so re-runs skip the pose model.",
)
@click.option(
    "--json", "json_out", metavar="PATH", help="Also write the scores as JSON ('-' = stdout)."
)
@click.option(
    "--set", "settings", multiple=True, metavar="NAME=VALUE", help="Override an analysis setting."
)
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
def eval_command(
    manifest: str,
    root: str | None,
    landmarks_cache: str | None,
    json_out: str | None,
    settings: tuple[str, ...],
    quiet: bool,
) -> None:
    """Score the analysis against labelled clips in MANIFEST.csv.

    Columns as in the shared labels.csv (clip, reps, reps_ok, faults, faults_uncertain, view,
    variation). Prints rep-count accuracy, per-fault precision/recall/F1 and verdict accuracy.
    """
    config = parse_settings(settings)
    clips = read_manifest(manifest)
    base = Path(root) if root else Path(manifest).parent
    cache = Path(landmarks_cache) if landmarks_cache else None
    quiet = quiet or json_out == "-"
    with frame_progress("Evaluating clips", len(clips), quiet) as tick:
        scores = evaluate(
            clips,
            lambda label: _analyze_clip(label, base, cache, config),
            on_clip=lambda i, _: tick(i),
        )
    data = scores.to_dict()
    data["per_clip"] = [
        {
            "clip": r.label.clip,
            "reps_true": r.label.reps,
            "reps_pred": r.rep_count,
            "faults_true": sorted(r.label.faults),
            "faults_pred": sorted(r.found),
            "view_pred": r.view,
            "variation_pred": r.variation,
            "error": r.error,
        }
        for r in scores.results
    ]
    if json_out:
        write_json(data, json_out)
    if json_out != "-":
        print_eval(data)


def _analyze_clip(
    label: LabelledClip, base: Path, cache: Path | None, config: AnalysisConfig
) -> SessionReport:
    """One labelled clip's report; with ``cache``, its landmarks are kept there by the clip's
    content and the settings that change them (``app.analyse.cache_key``), so a run with another
    ``pose_rate_hz`` poses again instead of scoring the cached landmarks."""
    from pushup_coach.app.analyse import analyse_path

    return analyse_path(base / label.clip, config, cache_dir=cache).report
