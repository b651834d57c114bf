"""Batch analysis: many videos and landmark files, resumable, on local processes or Ray.

- :mod:`.items`: the inputs (a folder or a list), their result names, what makes a result stale;
- :mod:`.manifest`: the SQLite file in ``--out`` recording each item's state;
- :mod:`.task`: one file's analysis, run in a worker, returned as text;
- :mod:`.executors`: local ``spawn`` processes, or Ray remote tasks (``--ray``);
- :mod:`.run`: the driver that plans, hands out tasks and writes each result as it finishes.

See docs/batch.md.
"""

from pushup_coach.batch.executors import LocalExecutor, RayExecutor
from pushup_coach.batch.items import BatchItem, Inputs, find_inputs
from pushup_coach.batch.manifest import MANIFEST_NAME, ItemRecord, ItemState, Manifest
from pushup_coach.batch.run import Batch, BatchOptions, BatchSummary, open_batch
from pushup_coach.batch.task import Outcome, Task, run_task

__all__ = [
    "MANIFEST_NAME",
    "Batch",
    "BatchItem",
    "BatchOptions",
    "BatchSummary",
    "Inputs",
    "ItemRecord",
    "ItemState",
    "LocalExecutor",
    "Manifest",
    "Outcome",
    "RayExecutor",
    "Task",
    "find_inputs",
    "open_batch",
    "run_task",
]
