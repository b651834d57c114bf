"""``batch`` command: analyse a folder or list of files, resumably, locally or on a Ray cluster."""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from pushup_coach.batch import (
    MANIFEST_NAME,
    BatchOptions,
    BatchSummary,
    LocalExecutor,
    Outcome,
    RayExecutor,
    find_inputs,
    open_batch,
)
from pushup_coach.batch.executors import Executor, check_reachable, import_ray
from pushup_coach.batch.run import BatchFailedError
from pushup_coach.cli.analysis import _check_workers, parse_settings
from pushup_coach.cli.progress import frame_progress
from pushup_coach.pose.parallel import default_workers
from pushup_coach.types import NAMED_VARIATIONS, Variation

SKIPPED_SHOWN = 5  # input files passed over that are named; the rest are counted


@click.command("batch")
@click.argument("source", metavar="DIR|LIST.txt", type=click.Path())
@click.option(
    "--out",
    "out_dir",
    required=True,
    metavar="DIR",
    type=click.Path(file_okay=False),
    help="Folder for the results (NAME.json, NAME.html) and the manifest that makes it resumable.",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    callback=lambda _ctx, _param, value: _check_workers(value),
    help="Local processes, one file each (default: one per core).",
)
@click.option(
    "--ray",
    "ray_address",
    metavar="ADDRESS",
    help="Run the tasks on the Ray cluster at ADDRESS (host:port, or 'auto') instead.",
)
@click.option(
    "--report/--no-report", default=True, show_default=True, help="Also write HTML reports."
)
@click.option(
    "--cache/--no-cache",
    default=True,
    show_default=True,
    help="Keep each video's landmarks in --out/landmark-cache, so changed settings (other than "
    "pose_rate_hz) re-score without posing again.",
)
@click.option(
    "--retry-failed", is_flag=True, help="Analyse again the files that failed in an earlier run."
)
@click.option(
    "--set", "settings", multiple=True, metavar="NAME=VALUE", help="Override an analysis setting."
)
@click.option(
    "--variation",
    type=click.Choice(NAMED_VARIATIONS),
    help="The variation every file shows: checked against what the camera sees (a mismatch is "
    "reported) and used where it cannot tell, as `analyze --variation` does.",
)
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
def batch_command(
    source: str,
    out_dir: str,
    workers: int | None,
    ray_address: str | None,
    report: bool,
    cache: bool,
    retry_failed: bool,
    settings: tuple[str, ...],
    variation: str | None,
    quiet: bool,
) -> None:
    """Analyse every video and landmark file in DIR (searched recursively), or those listed
    one per line in LIST.txt.

    Each file's JSON report (and HTML report) is written to --out as soon as it is done. Killed
    and started again with the same arguments, it skips what is done and finishes the rest;
    a changed file or changed settings are analysed again. A file that fails is recorded with
    its reason and the batch goes on; the exit code is 1 if any failed. See docs/batch.md.
    """
    if workers is not None and ray_address:
        raise click.BadParameter(
            "the Ray cluster's CPUs decide how many run at once; leave out --workers",
            param_hint="'--workers'",
        )
    if ray_address:  # before hashing the inputs, which can take a while the first time
        import_ray()
        check_reachable(ray_address)
    out = Path(out_dir)
    options = BatchOptions(
        out,
        parse_settings(settings),
        report,
        retry_failed,
        cache=cache,
        variation=Variation(variation) if variation else None,
    )
    inputs = find_inputs(source, out)
    _print_skipped(inputs.skipped)

    def executor() -> Executor:
        if ray_address:
            return RayExecutor(ray_address)
        return LocalExecutor(workers or default_workers())

    with open_batch(inputs, options) as batch:
        label = f"Analysing {len(batch.todo)} of {len(inputs.items)} files"
        with frame_progress(label, len(batch.todo), quiet) as tick:
            finished = [0]

            def done(outcome: Outcome) -> None:
                tick(finished[0])
                finished[0] += 1

            summary = batch.run(executor, done)
    _print_summary(summary, out)
    if summary.failed:
        raise BatchFailedError(
            f"{len(summary.failed)} of {summary.total} files failed (reasons above and in "
            f"{out / MANIFEST_NAME}); fix them, then run again with --retry-failed"
        )


def _print_skipped(skipped: tuple[str, ...]) -> None:
    if not skipped:
        return
    click.echo(
        f"passed over {len(skipped)} file(s) that are not videos or landmark files:", err=True
    )
    for line in skipped[:SKIPPED_SHOWN]:
        click.echo(f"  {line}", err=True)
    if len(skipped) > SKIPPED_SHOWN:
        click.echo(f"  ... and {len(skipped) - SKIPPED_SHOWN} more", err=True)


def _print_summary(summary: BatchSummary, out: Path) -> None:
    console = Console()
    table = Table(title=f"batch: {summary.total} files", title_justify="left")
    table.add_column("state")
    table.add_column("files", justify="right")
    rows = [
        ("done now", len(summary.done_now)),
        ("done before (skipped)", len(summary.done_before)),
        ("failed now", len(summary.failed_now)),
        ("failed before (kept; --retry-failed)", len(summary.failed_before)),
    ]
    for state, count in rows:
        if count:
            table.add_row(state, str(count))
    console.print(table)
    if summary.failed:
        failures = Table(title="failed", title_justify="left")
        failures.add_column("file")
        failures.add_column("reason")
        for key, reason in summary.failed:
            failures.add_row(escape(key), escape(reason))
        console.print(failures)
    if summary.done_now or summary.failed_now:
        n = len(summary.done_now) + len(summary.failed_now)
        console.print(f"{summary.worker_s:.1f} s of worker time for {n} file(s)", highlight=False)
    console.print(f"results in {escape(str(out))}", highlight=False)
