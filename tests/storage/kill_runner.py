"""Run the pushup-coach CLI in a child process that kills itself at an injected point.

Used by test_kills.py: ``KILL_AFTER_SQL=N`` ends the process (``os._exit``, no cleanup, as a
power cut or SIGKILL would) right after its Nth SQL statement; ``KILL_AFTER_FILES=N`` after the
Nth kept file was half copied; ``COUNT_SQL_TO=path`` writes how many statements ran, on exit.
"""

from __future__ import annotations

import atexit
import os
import sys
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine

KILLED = 137


def _count_statements() -> None:
    kill_at = int(os.environ.get("KILL_AFTER_SQL", "0"))
    count_to = os.environ.get("COUNT_SQL_TO")
    seen = [0]

    @event.listens_for(Engine, "after_cursor_execute")
    def after(*_args: Any) -> None:
        seen[0] += 1
        if seen[0] == kill_at:
            os._exit(KILLED)

    if count_to:
        atexit.register(lambda: Path(count_to).write_text(str(seen[0])))


def _kill_in_file_copy() -> None:
    import pushup_coach.storage.kept_files as kept_files

    kill_at = int(os.environ.get("KILL_AFTER_FILES", "0"))
    real = kept_files._copy_open_file
    copies = [0]

    def copy_then_die(src_fd: int, dst_fd: int, shown: Path) -> None:
        copies[0] += 1
        if copies[0] == kill_at:
            os.write(dst_fd, os.read(src_fd, 3))  # half a file, then the power goes
            os._exit(KILLED)
        real(src_fd, dst_fd, shown)

    kept_files._copy_open_file = copy_then_die  # type: ignore[assignment]


if __name__ == "__main__":
    _count_statements()
    _kill_in_file_copy()
    from pushup_coach.cli import main

    main(sys.argv[1:])
