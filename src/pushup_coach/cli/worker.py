"""``worker``: run the web app's queued analyses in a process of its own, beside web-only
``serve --no-workers`` processes on the same database and data folder."""

from __future__ import annotations

import logging
import signal
import threading
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING

import click

from pushup_coach.cli.coach_common import db_option

if TYPE_CHECKING:
    from pushup_coach.web.settings import WebSettings


@click.command("worker")
@db_option
@click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="The web app's data folder (uploads and results), shared with `serve --data-dir`.",
)
@click.option(
    "--concurrency",
    type=click.IntRange(1, 64),
    default=1,
    show_default=True,
    help="Analyses run at once by this process (about one per CPU core).",
)
@click.option(
    "--lease-s",
    type=click.FloatRange(min=0.5),
    default=None,
    help="Seconds without a heartbeat after which another worker takes a job over (default: 60).",
)
def worker_command(
    db_url: str | None, data_dir: Path | None, concurrency: int, lease_s: float | None
) -> None:
    """Analyse the videos people upload to `serve --no-workers`, until stopped (Ctrl+C, SIGTERM).

    Start as many as the machines have cores for, on one shared database and data folder. A job
    whose worker is killed is taken over by another once its lease runs out; it is never done
    twice. Stopping a worker puts its running jobs back in the queue.
    """
    from pushup_coach.web.jobs import LEASE_S
    from pushup_coach.web.settings import WebSettings

    settings = WebSettings(db_url=db_url, data_dir=data_dir, job_workers=concurrency)
    run_worker(settings, lease_s or LEASE_S)


def run_worker(settings: WebSettings, lease_s: float) -> None:
    """Run a :class:`~pushup_coach.web.jobs.JobRunner` (no recovery: leases do that) until
    SIGINT or SIGTERM; also the entry point of the tests' worker processes."""
    from pushup_coach.storage import Store
    from pushup_coach.web.jobs import JobRunner

    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(message)s")
    stop = threading.Event()

    def on_signal(_signum: int, _frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    with Store.open(settings.db_url) as store:
        runner = JobRunner(store, settings, recover=False, lease_s=lease_s)
        runner.start()
        click.echo(f"worker {runner.name}: {settings.job_workers} at once (Ctrl+C stops it)")
        stop.wait()
        runner.shutdown()
