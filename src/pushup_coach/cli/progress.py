"""A Rich progress bar on stderr for long work, or nothing when quiet or not a terminal."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)


@contextmanager
def frame_progress(label: str, total: int | None, quiet: bool) -> Iterator[Callable[[int], None]]:
    """Yields ``tick(i)``: call it with the 0-based index of the item just finished."""
    if quiet or not sys.stderr.isatty():
        yield lambda i: None
        return
    console = Console(stderr=True)
    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=True,
    ) as progress:
        task = progress.add_task(escape(label), total=total)
        yield lambda i: progress.update(task, completed=i + 1)
