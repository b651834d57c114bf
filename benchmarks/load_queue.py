"""How many jobs a second the database queue can hand out: claim + finish, the writes a job costs.

    .venv/bin/python benchmarks/load_queue.py --db URL [--jobs 2000] [--claimers 4] [--progress 40]

Queues ``--jobs`` jobs, then ``--claimers`` threads (each with its own connection pool, as worker
processes have) claim, write ``--progress`` progress updates (what a real analysis writes: 20 per
stage, two stages) and finish each job, until none is left. Prints jobs a second and the database
transactions a second. The database must be a scratch one: its jobs table is filled.
"""

from __future__ import annotations

import argparse
import threading
import time
from pathlib import Path

from pushup_coach.storage import Store
from pushup_coach.storage.jobs import JobStatus, add_job
from pushup_coach.storage.queue import claim_job, finish_claimed, write_claimed


def work(db_url: str, name: str, progress: int, done: list[int]) -> None:
    with Store.open(db_url) as store:
        while (claim := claim_job(store, name, lease_s=3600)) is not None:
            for i in range(progress):
                write_claimed(store, claim, done=i, total=progress)
            finish_claimed(store, claim, status=JobStatus.DONE)
            done.append(claim.job_id)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--jobs", type=int, default=2000)
    parser.add_argument("--claimers", type=int, default=4)
    parser.add_argument("--progress", type=int, default=40)
    args = parser.parse_args()
    with Store.open(args.db) as store:
        for i in range(args.jobs):
            add_job(store, "load", f"q{time.time_ns()}-{i}", "x.mp4", Path("/nonexistent"), False)
    done: list[int] = []
    threads = [
        threading.Thread(target=work, args=(args.db, f"c{i}", args.progress, done))
        for i in range(args.claimers)
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - started
    assert len(done) == len(set(done)), "a job was claimed twice"
    per_s = len(done) / seconds
    print(
        f"{len(done)} jobs in {seconds:.1f} s: {per_s:.0f} jobs/s, "
        f"{per_s * (args.progress + 2):.0f} transactions/s ({args.claimers} claimers, "
        f"{args.progress} progress writes a job)"
    )


if __name__ == "__main__":
    main()
