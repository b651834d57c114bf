"""The batch's landmark cache: other analysis settings re-score videos without posing again."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest
from slow_backends import RefusingBackend
from test_resume import results

from pushup_coach.batch import BatchOptions, LocalExecutor, Manifest, find_inputs, open_batch
from pushup_coach.config import DEFAULT_CONFIG
from pushup_coach.pose import ReplayBackend
from pushup_coach.types import PoseSeries

# Not a pose setting: the cached landmarks stay valid.
CHANGED = DEFAULT_CONFIG.replace(rep_min_duration_s=DEFAULT_CONFIG.rep_min_duration_s * 1.5)


def run(video_dir: Path, options: BatchOptions) -> dict[str, tuple[str, str | None]]:
    with open_batch(find_inputs(video_dir), options) as batch:
        batch.run(lambda: LocalExecutor(1))
    with Manifest.open(options.out_dir) as manifest:
        return {k: (r.state.value, r.reason) for k, r in manifest.records().items()}


@pytest.mark.parametrize(("cache", "state"), [(True, "done"), (False, "failed")])
def test_changed_settings_rescore_from_the_cache(
    video_dir: Path, replay_series: PoseSeries, tmp_path: Path, cache: bool, state: str
) -> None:
    replay = functools.partial(ReplayBackend, replay_series)
    out = tmp_path / "out"
    first = BatchOptions(out, report=False, backend_factory=replay, cache=cache)
    assert set(run(video_dir, first).values()) == {("done", None)}
    again = BatchOptions(out, CHANGED, report=False, backend_factory=RefusingBackend, cache=cache)
    assert {s for s, _ in run(video_dir, again).values()} == {state}
    if cache:  # the same report as posing again with the changed settings
        fresh = BatchOptions(tmp_path / "fresh", CHANGED, report=False, backend_factory=replay)
        run(video_dir, fresh)
        assert results(out) == results(tmp_path / "fresh")
