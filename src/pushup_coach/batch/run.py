"""The batch driver: plan against the manifest, hand out tasks, write each result as it comes.

Only this process writes results and the manifest. For each finished item it first writes the
JSON (and HTML) atomically, then marks the item ``done`` in one transaction: killed between the
two, the item is analysed again on the next start and its files are rewritten with the same
bytes; killed at any other moment, a ``done`` item is never analysed again.
"""

from __future__ import annotations

import fcntl
import os
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from pushup_coach.batch.executors import Executor
from pushup_coach.batch.items import (
    BatchItem,
    Inputs,
    backend_name,
    settings_hash,
    settings_json,
    stamp_file,
)
from pushup_coach.batch.manifest import ItemState, Manifest
from pushup_coach.batch.task import Outcome, Task, one_line
from pushup_coach.config import DEFAULT_CONFIG, AnalysisConfig
from pushup_coach.errors import CoachError, OutputError
from pushup_coach.pose import PoseBackend
from pushup_coach.types import Variation

LOCK_NAME = "batch.lock"
CACHE_NAME = "landmark-cache"  # in --out: each video's landmarks, by content and pose settings


class BatchFailedError(CoachError):
    """Some files of a batch failed; the others were analysed (the summary names each failure)."""


@dataclass(frozen=True)
class BatchOptions:
    """``report``: write the HTML report too. ``retry_failed``: analyse again the items that
    failed with this content and these settings (by default their failure stands).
    ``cache``: keep each video's landmarks in ``out_dir/landmark-cache``, so changing a
    setting other than ``pose_rate_hz`` re-scores without posing again. ``variation``: the one
    every file shows, checked against the camera and used where it cannot tell."""

    out_dir: Path
    config: AnalysisConfig = DEFAULT_CONFIG
    report: bool = True
    retry_failed: bool = False
    backend_factory: Callable[[], PoseBackend] | None = None
    cache: bool = True
    variation: Variation | None = None  # what every file shows (analyse_path's expected one)

    @property
    def cache_dir(self) -> str | None:
        return str(self.out_dir / CACHE_NAME) if self.cache else None


@dataclass
class BatchSummary:
    """What the batch found: keys done now and before, and (key, reason) of failures."""

    total: int
    done_before: list[str] = field(default_factory=list)
    done_now: list[str] = field(default_factory=list)
    failed_before: list[tuple[str, str]] = field(default_factory=list)
    failed_now: list[tuple[str, str]] = field(default_factory=list)
    worker_s: float = 0.0  # summed over the items analysed now

    @property
    def failed(self) -> list[tuple[str, str]]:
        return self.failed_before + self.failed_now


class Batch:
    """A planned batch over an open manifest; see :func:`open_batch`."""

    def __init__(self, manifest: Manifest, options: BatchOptions, summary: BatchSummary) -> None:
        self.manifest, self.options, self.summary = manifest, options, summary
        self.todo: list[Task] = []

    def run(
        self,
        make_executor: Callable[[], Executor],
        on_outcome: Callable[[Outcome], None] | None = None,
    ) -> BatchSummary:
        """Analyse :attr:`todo`, recording each outcome as it arrives; the summary."""
        if not self.todo:
            return self.summary
        waiting, in_flight = deque(self.todo), 0
        executor = make_executor()
        try:
            while waiting or in_flight:
                while waiting and in_flight < executor.capacity:
                    task = waiting.popleft()
                    self.manifest.start(task.key)
                    executor.submit(task)
                    in_flight += 1
                outcome = executor.next_outcome()
                in_flight -= 1
                self._record(outcome)
                if on_outcome is not None:
                    on_outcome(outcome)
        except BaseException:  # interrupted: what is in hand is redone on the next start
            executor.close(wait=False)
            raise
        executor.close()
        return self.summary

    def _record(self, outcome: Outcome) -> None:
        reason = outcome.reason
        if reason is None:
            reason = self._write(outcome)
        if reason is None:
            self.manifest.finish(outcome.key, outcome.seconds)
            self.summary.done_now.append(outcome.key)
        else:
            self.manifest.fail(outcome.key, reason, outcome.seconds)
            self.summary.failed_now.append((outcome.key, reason))
        self.summary.worker_s += outcome.seconds

    def _write(self, outcome: Outcome) -> str | None:
        item = BatchItem(outcome.key, Path())
        results = {".json": outcome.report_json, ".html": outcome.report_html}
        try:
            for suffix, text in results.items():
                if text is not None:
                    write_atomic(item.output(self.options.out_dir, suffix), text)
        except OutputError as exc:
            return one_line(str(exc))
        return None


@contextmanager
def open_batch(inputs: Inputs, options: BatchOptions) -> Iterator[Batch]:
    """Lock ``options.out_dir``, open its manifest and plan: each item is hashed and recorded,
    and :attr:`Batch.todo` holds those not done (or failed) with this content and these settings.

    Raises OutputError when ``out_dir`` cannot be made or another batch is writing to it.
    """
    out_dir = options.out_dir
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        lock = open(out_dir / LOCK_NAME, "a")  # noqa: SIM115 - held for the whole batch
    except OSError as exc:
        raise OutputError(f"cannot write to --out {out_dir}: {exc.strerror or exc}") from exc
    try:
        _lock(lock, out_dir)
        with Manifest.open(out_dir) as manifest:
            batch = Batch(manifest, options, BatchSummary(len(inputs.items)))
            _plan(batch, inputs)
            yield batch
    finally:
        lock.close()  # closing releases the lock; a killed batch's lock goes with its process


def _lock(handle: object, out_dir: Path) -> None:
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)  # type: ignore[attr-defined]
    except BlockingIOError as exc:
        raise OutputError(
            f"another batch is writing to {out_dir}; wait for it to finish or choose another --out"
        ) from exc


def _plan(batch: Batch, inputs: Inputs) -> None:
    options, manifest = batch.options, batch.manifest
    text = settings_json(options.config, backend_name(options.backend_factory), options.variation)
    settings = settings_hash(text)
    known = manifest.records()
    for item in inputs.items:
        record = known.get(item.key)
        stamp = stamp_file(item.path, record.stamp if record else None)
        manifest.plan(item.key, str(item.path), stamp, settings, text)
    records = manifest.records()
    for item in inputs.items:
        record = records[item.key]
        if record.state is ItemState.DONE and _has_results(item, options):
            batch.summary.done_before.append(item.key)
        elif record.state is ItemState.FAILED and not options.retry_failed:
            batch.summary.failed_before.append((item.key, record.reason or "unknown"))
        else:
            task = Task(
                item.key,
                str(item.path),
                options.config,
                options.report,
                options.backend_factory,
                options.cache_dir,
                options.variation,
            )
            batch.todo.append(task)


def _has_results(item: BatchItem, options: BatchOptions) -> bool:
    wanted = [".json", ".html"] if options.report else [".json"]
    return all(item.output(options.out_dir, suffix).is_file() for suffix in wanted)


def write_atomic(target: Path, text: str) -> None:
    """Write ``text`` so that a reader, or a kill, finds the old file or the whole new one: a
    temporary file in the same folder, flushed to disk, renamed over ``target``."""
    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(partial, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(partial, target)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise OutputError(f"cannot write {target}: {exc.strerror or exc}") from exc
