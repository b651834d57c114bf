"""The unit of batch work: analyse one file in a worker and send back its results as text.

The same function runs in a local process and as a Ray task. It writes nothing: the driver writes
each result (atomically) and records it in the manifest, so a task that runs twice (a Ray retry
after a worker died) still leaves one result. Whatever goes wrong in one file comes back as a
one-line reason instead of an exception, so one bad file never stops the batch.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pushup_coach.config import AnalysisConfig
from pushup_coach.errors import CoachError
from pushup_coach.pose import PoseBackend
from pushup_coach.types import Variation


@dataclass(frozen=True)
class Task:
    """Analyse ``path`` (named ``key`` in the batch) with ``config`` on ``backend_factory``
    (None: MediaPipe); ``report`` also renders the HTML report. With ``cache_dir``, a video's
    landmarks are kept there (named by its content and the pose settings), so a re-run with other
    analysis settings does not pose it again."""

    key: str
    path: str
    config: AnalysisConfig
    report: bool
    backend_factory: Callable[[], PoseBackend] | None = None
    cache_dir: str | None = None
    variation: Variation | None = None  # what the file shows, where the camera cannot tell


@dataclass(frozen=True)
class Outcome:
    """A task's answer: the JSON report (and HTML) as text, or the reason it failed."""

    key: str
    report_json: str | None
    report_html: str | None
    reason: str | None
    seconds: float

    @property
    def ok(self) -> bool:
        return self.reason is None


def run_task(task: Task) -> Outcome:
    """Analyse one file (one pose process: batches parallelise across files, see docs/batch.md)."""
    started = time.perf_counter()
    try:
        report_json, report_html = _analyse(task)
    except CoachError as exc:
        return Outcome(task.key, None, None, one_line(str(exc)), time.perf_counter() - started)
    except Exception as exc:  # a bug or a library's own error: keep the batch going, say which
        reason = one_line(f"{type(exc).__name__}: {exc}")
        return Outcome(task.key, None, None, reason, time.perf_counter() - started)
    return Outcome(task.key, report_json, report_html, None, time.perf_counter() - started)


def _analyse(task: Task) -> tuple[str, str | None]:
    import matplotlib

    from pushup_coach.app.analyse import analyse_path
    from pushup_coach.batch.items import backend_name

    analysis = analyse_path(
        task.path,
        task.config,
        cache_dir=Path(task.cache_dir) if task.cache_dir else None,
        backend_factory=task.backend_factory,
        backend_name=backend_name(task.backend_factory),
        workers=1,
        expected_variation=task.variation,
    )
    report_json = json.dumps(analysis.report.to_dict(), indent=2, allow_nan=False) + "\n"
    if not task.report:
        return report_json, None
    from pushup_coach.report.html import render_html

    # matplotlib salts the SVG's element ids with a random value; salting with the item's
    # name makes a re-run (a resumed batch, a retried task) write the same bytes.
    with matplotlib.rc_context({"svg.hashsalt": task.key}):
        page = render_html(analysis.report, analysis.features, config=task.config)
    return report_json, page


def one_line(text: str, limit: int = 300) -> str:
    """``text`` on one line, at most ``limit`` characters (a reason for the manifest)."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 3] + "..."
