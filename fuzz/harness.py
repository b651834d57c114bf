"""What every harness shares: run atheris on a corpus that starts from the seeds.

``python fuzz/fuzz_X.py [libFuzzer flags] [CORPUS_DIR ...]``: without a corpus directory a
temporary one is made from the harness's seeds. Useful flags: ``-runs=N``,
``-max_total_time=S``, ``-artifact_prefix=DIR/`` (where a crashing input is saved).
A harness accepts a ``CoachError`` (one clear line for the person) and nothing else: any other
exception is a crash, saved as an artifact and reported with its traceback.
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import atheris
from seeds import write_seeds


def fuzz(test_one_input: Callable[[bytes], None], seeds: dict[str, bytes]) -> None:
    argv = list(sys.argv)
    corpora = [Path(arg) for arg in argv[1:] if not arg.startswith("-")]
    if corpora:
        # libFuzzer adds what it finds to the first; start an empty one from the seeds.
        if not corpora[0].is_dir() or not any(corpora[0].iterdir()):
            write_seeds(corpora[0], seeds)
    else:
        corpus = Path(tempfile.mkdtemp(prefix="pushup-coach-fuzz-"))
        argv.append(str(write_seeds(corpus, seeds)))
    atheris.Setup(argv, test_one_input)
    atheris.Fuzz()


def scratch_file(name: str) -> Path:
    """A path in a private temporary folder that each input overwrites."""
    return Path(tempfile.mkdtemp(prefix="pushup-coach-fuzz-input-")) / name
