"""Where batch tasks run: local ``spawn`` processes, or a Ray cluster (``--ray ADDRESS``).

Both take :class:`~pushup_coach.batch.task.Task` objects and hand back
:class:`~pushup_coach.batch.task.Outcome` objects as tasks finish, in whatever order they finish.
The driver keeps at most ``capacity`` tasks handed out, so the manifest's ``running`` items are
the ones being worked on.

Parallelism is one file per task, one pose process per task. ``analyze --workers`` instead
splits one long video into time segments, which pays for each extra segment with a second of
warm-up frames and a model load; a batch has many files, so whole files per core keep every core
busy with no such overhead, and each task stays independent (retried or resumed on its own).
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from multiprocessing import get_context
from typing import Any, Protocol

from pushup_coach.batch.task import Outcome, Task, one_line, run_task
from pushup_coach.errors import ConfigError

RAY_MAX_RETRIES = 3  # a Ray task whose worker died (killed, out of memory) is run again this often
RAY_CONNECT_TIMEOUT_S = 5.0  # to find the head answering at all, before Ray's own long retries
RAY_TASKS_PER_CPU = 2  # handed out per cluster CPU, so a worker never waits for the driver
_PARENT_POLL_S = 1.0
WORKER_DIED = "the worker process analysing it stopped unexpectedly (out of memory?)"


class Executor(Protocol):
    capacity: int

    def submit(self, task: Task) -> None: ...

    def next_outcome(self) -> Outcome:
        """Block until a submitted task finishes; its outcome."""
        ...

    def close(self, wait: bool = True) -> None: ...


class LocalExecutor:
    """``workers`` spawned processes, each analysing one file at a time."""

    def __init__(self, workers: int) -> None:
        self.capacity = workers
        self._pool = self._new_pool()
        self._running: dict[Future[Outcome], Task] = {}

    def _new_pool(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            self.capacity,
            mp_context=get_context("spawn"),
            initializer=_exit_with_parent,
            initargs=(os.getpid(),),
        )

    def submit(self, task: Task) -> None:
        self._running[self._pool.submit(_run_quietly, task)] = task

    def next_outcome(self) -> Outcome:
        done, _ = wait(self._running, return_when=FIRST_COMPLETED)
        future = next(iter(done))
        task = self._running.pop(future)
        try:
            return future.result()
        except BrokenProcessPool:
            # Every task in flight fails with the pool; the rest get a fresh one.
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = self._new_pool()
            return Outcome(task.key, None, None, WORKER_DIED, 0.0)

    def close(self, wait: bool = True) -> None:
        """Stop the workers; ``wait=False`` (the batch is failing) does not wait for the files in
        hand: their workers exit within a second of this process (see ``_exit_with_parent``)."""
        self._pool.shutdown(wait=wait, cancel_futures=True)


def _run_quietly(task: Task) -> Outcome:
    """:func:`run_task` with MediaPipe's start-up chatter (written straight to fd 2) silenced,
    so it does not tear the progress bar; every error travels back in the outcome."""
    from pushup_coach.pose.mediapipe_backend import quiet_stderr

    with quiet_stderr():
        return run_task(task)


def _exit_with_parent(parent_pid: int) -> None:
    """Worker start-up: exit as soon as the batch that started us is gone (killed with SIGKILL),
    instead of posing a video whose result has nowhere to go."""

    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(_PARENT_POLL_S)
        os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def import_ray() -> Any:
    """The ``ray`` module, or a one-line ConfigError saying how to install it."""
    try:
        import ray
    except ImportError as exc:
        raise ConfigError(
            "--ray needs Ray, which is not installed: pip install 'pushup-coach[ray]'"
        ) from exc
    return ray


def check_reachable(address: str, timeout_s: float = RAY_CONNECT_TIMEOUT_S) -> None:
    """Raise a one-line ConfigError when nothing answers at ``host:port`` (``ray.init`` would
    retry for minutes); other forms (``auto``, ``ray://...``) are left to Ray."""
    host, sep, port = address.rpartition(":")
    if not sep or not port.isdigit() or "/" in host:
        return
    try:
        socket.create_connection((host.strip("[]"), int(port)), timeout=timeout_s).close()
    except OSError as exc:
        raise ConfigError(
            f"nothing answers at {address} ({exc.strerror or exc}); start a Ray head there with "
            "`ray start --head`, or check the address"
        ) from exc


class RayExecutor:
    """Tasks as Ray remote tasks on the cluster at ``address``; the driver is this process.

    A task whose worker process dies is retried by Ray up to ``max_retries`` times; the
    task's result object is produced once, whatever the attempts, and only the driver writes.
    Every node needs this version of pushup-coach installed and the input files at the same
    paths (a shared folder).
    """

    def __init__(self, address: str, max_retries: int = RAY_MAX_RETRIES) -> None:
        self._ray = import_ray()
        check_reachable(address)
        try:
            self._ray.init(
                address=address,
                logging_level=logging.ERROR,
                log_to_driver=False,  # workers' MediaPipe logs stay in the cluster's log files
                configure_logging=True,
            )
        except (ConnectionError, RuntimeError, ValueError) as exc:
            raise ConfigError(
                f"cannot connect to the Ray cluster at {address}: {one_line(str(exc), 160)}; "
                "start one with `ray start --head` or check the address"
            ) from exc
        self._remote = self._ray.remote(
            num_cpus=1, max_retries=max_retries, retry_exceptions=False
        )(run_task)
        cpus = int(self._ray.cluster_resources().get("CPU", 1))
        self.capacity = max(1, cpus) * RAY_TASKS_PER_CPU
        self._running: dict[Any, Task] = {}

    def submit(self, task: Task) -> None:
        self._running[self._remote.remote(task)] = task

    def next_outcome(self) -> Outcome:
        ready, _ = self._ray.wait(list(self._running), num_returns=1)
        task = self._running.pop(ready[0])
        try:
            outcome: Outcome = self._ray.get(ready[0])
        except self._ray.exceptions.RayError as exc:
            reason = f"the Ray task failed after {RAY_MAX_RETRIES} retries: {exc}"
            return Outcome(task.key, None, None, one_line(reason), 0.0)
        return outcome

    def close(self, wait: bool = True) -> None:
        """Cancel the tasks still running (when the batch stops early) and disconnect."""
        for ref in self._running:
            self._ray.cancel(ref, force=True)
        self._ray.shutdown()
