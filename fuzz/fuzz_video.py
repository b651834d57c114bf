"""Fuzz the video path: the real ``probe_video`` and ``analyze_file`` on every mutated clip.

``python fuzz/fuzz_video.py [--corpus DIR] [--clips N] [--timeout S] [--memory-gb G]
[--budget S] [--report FILE.json]``

The corpus is written by ``fuzz/mutate_clips.py`` (made first when ``DIR`` has no manifest).
Each file is analysed in its own process, one at a time, with a time limit and an address-space
cap, so a native crash, a hang or a memory blow-up is one finding, not the end of the run. Each
outcome is one of:

- ``analysed``: a result (maybe with warnings);
- ``coach-error``: a ``CoachError`` whose message is one line (what the person sees);
- ``crash``: anything else: another exception, a multi-line message, a signal, a non-zero exit
  without a result, the time limit or the memory cap.

Exit status 1 when any file crashed. ``--child PATH`` is the per-file process (internal).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import resource
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import mutate_clips

TIMEOUT_S = 60.0
MEMORY_BYTES = 3 << 30
RESULT = "FUZZ-VIDEO-RESULT "
OUTCOMES = ("analysed", "coach-error", "crash")


@dataclass(frozen=True)
class Outcome:
    name: str
    kind: str  # one of OUTCOMES
    detail: str  # the summary, the one-line message, or why it is a crash
    seconds: float


def analyse(path: str) -> str:
    """The code under test: what ``pushup-coach analyze PATH`` runs."""
    from pushup_coach.analysis import analyze_file
    from pushup_coach.video.source import probe_video

    info = probe_video(path)
    report = analyze_file(path, workers=1).report
    return (
        f"{info.width}x{info.height} {info.n_frames} frames, rotation {info.rotation_deg}: "
        f"{report.rep_count} reps, {len(report.warnings)} warnings"
    )


def _load_target(spec: str | None) -> Callable[[str], str]:
    """``FILE.py:FUNCTION`` (a stand-in for tests), or the real :func:`analyse`."""
    if not spec:
        return analyse
    file, _, function = spec.rpartition(":")
    module_spec = importlib.util.spec_from_file_location("fuzz_video_target", file)
    assert module_spec and module_spec.loader, spec
    module = importlib.util.module_from_spec(module_spec)
    module_spec.loader.exec_module(module)
    target: Callable[[str], str] = getattr(module, function)
    return target


def child(path: str, target: str | None) -> int:
    """Run one file; anything but a CoachError escapes (a traceback on stderr, exit 1)."""
    from pushup_coach.errors import CoachError

    try:
        summary = _load_target(target)(path)
    except CoachError as error:
        print(RESULT + json.dumps({"kind": "coach-error", "detail": str(error)}), flush=True)
        return 0
    print(RESULT + json.dumps({"kind": "analysed", "detail": summary}), flush=True)
    return 0


def _limit_memory(memory_bytes: int) -> Callable[[], None]:
    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))

    return limit


def run_one(
    path: Path,
    *,
    timeout_s: float = TIMEOUT_S,
    memory_bytes: int = MEMORY_BYTES,
    target: str | None = None,
) -> Outcome:
    """Analyse ``path`` in a child process and classify what came out."""
    command = [sys.executable, str(Path(__file__).resolve()), "--child", str(path)]
    if target:
        command += ["--target", target]
    started = time.monotonic()
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        errors="replace",
        preexec_fn=_limit_memory(memory_bytes),
        start_new_session=True,  # a timeout stops the child and anything it started
    )
    try:
        stdout, stderr = process.communicate(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        return Outcome(
            path.name, "crash", f"timeout: no answer in {timeout_s:g} s", _since(started)
        )
    return classify(path.name, process.returncode, stdout, stderr, _since(started))


def _since(started: float) -> float:
    return round(time.monotonic() - started, 2)


def classify(name: str, returncode: int, stdout: str, stderr: str, seconds: float) -> Outcome:
    results = [line[len(RESULT) :] for line in stdout.splitlines() if line.startswith(RESULT)]
    if returncode < 0:
        reason = f"killed by signal {signal.Signals(-returncode).name}"
    elif returncode != 0 or len(results) != 1:
        lines = stderr.strip().splitlines()
        reason = f"exit {returncode}: {lines[-1] if lines else 'no result and no message'}"
    else:
        result = json.loads(results[0])
        if result["kind"] == "coach-error" and "\n" in result["detail"].strip():
            reason = "a CoachError over several lines: " + result["detail"].replace("\n", " | ")
        else:
            return Outcome(name, result["kind"], result["detail"], seconds)
    if "MemoryError" in stderr or "std::bad_alloc" in stderr:
        reason = "out of memory (the address-space cap): " + reason
    return Outcome(name, "crash", reason, seconds)


def corpus_files(corpus: Path, n_clips: int, seed: int) -> list[Path]:
    manifest = corpus / "manifest.json"
    if not manifest.exists():
        mutate_clips.write_corpus(mutate_clips.smallest_clips(n_clips), corpus, seed)
    names = [m["name"] for m in json.loads(manifest.read_text())["mutants"]]
    return [corpus / name for name in names]


def run_all(
    files: list[Path], budget_s: float, timeout_s: float, memory_bytes: int
) -> list[Outcome]:
    """Each file in turn (one process at a time: the machine is shared) until ``budget_s``."""
    outcomes: list[Outcome] = []
    started = time.monotonic()
    for path in files:
        if time.monotonic() - started > budget_s:
            print(f"budget of {budget_s:g} s spent: {len(files) - len(outcomes)} files not run")
            break
        outcome = run_one(path, timeout_s=timeout_s, memory_bytes=memory_bytes)
        outcomes.append(outcome)
        print(f"{outcome.kind:12} {outcome.seconds:6.1f} s  {outcome.name}: {outcome.detail}")
        sys.stdout.flush()
    return outcomes


def summary(outcomes: list[Outcome]) -> str:
    counts = Counter(o.kind for o in outcomes)
    per_kind = ", ".join(f"{counts[kind]} {kind}" for kind in OUTCOMES)
    total = sum(o.seconds for o in outcomes)
    return f"{len(outcomes)} files: {per_kind} ({total:.0f} s of analysis)"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--target", help=argparse.SUPPRESS)
    parser.add_argument("--corpus", type=Path, default=mutate_clips.DEFAULT_OUT)
    parser.add_argument("--clips", type=int, default=10, help="clips to mutate (new corpus)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--timeout", type=float, default=TIMEOUT_S, help="seconds per file")
    parser.add_argument("--memory-gb", type=float, default=MEMORY_BYTES / 2**30)
    parser.add_argument("--budget", type=float, default=600.0, help="seconds for the whole run")
    parser.add_argument("--report", type=Path, help="write every outcome here as JSON")
    args = parser.parse_args(argv)
    if args.child:
        return child(args.child, args.target)
    files = corpus_files(args.corpus, args.clips, args.seed)
    outcomes = run_all(files, args.budget, args.timeout, int(args.memory_gb * 2**30))
    print(summary(outcomes))
    if args.report:
        args.report.write_text(json.dumps([asdict(o) for o in outcomes], indent=1) + "\n")
    return 1 if any(o.kind == "crash" for o in outcomes) else 0


if __name__ == "__main__":
    sys.exit(main())
