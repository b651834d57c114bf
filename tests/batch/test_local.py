"""`pushup-coach batch` on local processes over landmark files: results, manifest, reruns, failures.

Most runs leave out the HTML report: it is the slow part here and one test checks it.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from pushup_coach.analysis import analyze_file
from pushup_coach.batch import ItemRecord, ItemState, Manifest
from pushup_coach.cli import main
from pushup_coach.pose import save_landmarks
from synthetic_pushups import pushup_series

KEYS = ["a.npz", "b.npz", "sub/c.npz"]


def run_main(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as info:
        main(["batch", *args])
    out, err = capsys.readouterr()
    return int(info.value.code or 0), out, err


def summary_rows(stdout: str) -> dict[str, int]:
    """The summary table's rows: state -> number of files."""
    cells = [[c.strip() for c in line.split("│")[1:-1]] for line in stdout.splitlines()]
    return {row[0]: int(row[1]) for row in cells if len(row) == 2 and row[1].isdigit()}


def records(out: Path) -> dict[str, ItemRecord]:
    with Manifest.open(out) as manifest:
        return manifest.records()


def counts(out: Path) -> dict[str, tuple[str, int, int]]:
    """key -> (state, attempts, analyses)"""
    return {k: (r.state.value, r.attempts, r.analyses) for k, r in records(out).items()}


def test_every_result_is_written_and_recorded(
    landmark_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    code, stdout, stderr = run_main(capsys, str(landmark_dir), "--out", str(out), "--workers", "2")
    assert code == 0
    for key, reps in zip(KEYS, (1, 2, 3), strict=True):
        written = json.loads((out / f"{key}.json").read_text())
        assert written == analyze_file(landmark_dir / key).report.to_dict()
        assert written["rep_count"] == reps
        assert (out / f"{key}.html").read_text().startswith("<!DOCTYPE html>")
    assert counts(out) == dict.fromkeys(KEYS, ("done", 1, 1))
    assert summary_rows(stdout) == {"done now": 3}
    assert "notes.txt: not a video or landmark file (.txt)" in stderr
    assert not list(out.rglob("*.partial"))


def test_a_rerun_skips_what_is_done_and_redoes_a_changed_file(
    landmark_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    run_main(capsys, str(landmark_dir), "--out", str(out), "--workers", "1", "--no-report")
    first = {key: (out / f"{key}.json").read_bytes() for key in KEYS}
    save_landmarks(pushup_series(reps=4), landmark_dir / "b.npz")
    code, stdout, _ = run_main(
        capsys, str(landmark_dir), "--out", str(out), "--workers", "1", "--no-report"
    )
    assert code == 0
    assert summary_rows(stdout) == {"done now": 1, "done before (skipped)": 2}
    assert json.loads((out / "b.npz.json").read_text())["rep_count"] == 4
    assert (out / "a.npz.json").read_bytes() == first["a.npz"]
    assert counts(out) == dict.fromkeys(KEYS, ("done", 1, 1))  # b: counted again from its change


@pytest.mark.parametrize(
    ("first_run", "second_run", "redone"),
    [
        # other settings: every result is stale
        (["--no-report"], ["--no-report", "--set", "pose_rate_hz=10"], KEYS),
        # an HTML report asked for now is missing: analysed again to make it
        (["--no-report"], ["--report"], KEYS),
        (["--no-report"], ["--no-report"], []),
    ],
)
def test_settings_decide_what_is_stale(
    landmark_dir: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    first_run: list[str],
    second_run: list[str],
    redone: list[str],
) -> None:
    out = tmp_path / "out"
    run_main(capsys, str(landmark_dir), "--out", str(out), "--workers", "1", *first_run)
    _, stdout, _ = run_main(
        capsys, str(landmark_dir), "--out", str(out), "--workers", "1", *second_run
    )
    expected = {"done now": len(redone), "done before (skipped)": len(KEYS) - len(redone)}
    assert summary_rows(stdout) == {k: v for k, v in expected.items() if v}
    attempts = 1 + (second_run == ["--report"])  # same settings: counted on
    assert counts(out) == dict.fromkeys(KEYS, ("done", attempts, attempts))


def test_no_report_writes_json_only(
    landmark_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    run_main(capsys, str(landmark_dir), "--out", str(out), "--no-report", "--workers", "1")
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*.*")) == [
        "a.npz.json",
        "b.npz.json",
        "batch-manifest.sqlite",
        "batch.lock",
        "sub/c.npz.json",
    ]


def test_a_failure_is_recorded_and_the_batch_goes_on(
    landmark_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    (landmark_dir / "broken.csv").write_text("t_s\n1,2\n")
    quick = ["--workers", "1", "--no-report"]
    code, stdout, stderr = run_main(capsys, str(landmark_dir), "--out", str(out), *quick)
    reason = f"{landmark_dir / 'broken.csv'}, line 2: 2 cells but the header has 1"
    assert code == 1
    assert stderr.splitlines()[-1] == (
        f"error: 1 of 4 files failed (reasons above and in {out / 'batch-manifest.sqlite'}); "
        "fix them, then run again with --retry-failed"
    )
    assert "broken.csv" in stdout and "2 cells but the header has 1" in stdout
    failed = records(out)["broken.csv"]
    assert (failed.state, failed.reason, failed.attempts) == (ItemState.FAILED, reason, 1)
    assert counts(out) == {**dict.fromkeys(KEYS, ("done", 1, 1)), "broken.csv": ("failed", 1, 0)}
    # again: the failure stands (same content, same settings) and nothing is redone
    code, stdout, _ = run_main(capsys, str(landmark_dir), "--out", str(out), *quick)
    assert code == 1
    assert summary_rows(stdout) == {
        "done before (skipped)": 3,
        "failed before (kept; --retry-failed)": 1,
    }
    assert records(out)["broken.csv"].attempts == 1
    # fixed and retried
    save_landmarks(pushup_series(reps=2), landmark_dir / "broken.csv")
    code, _, _ = run_main(capsys, str(landmark_dir), "--out", str(out), *quick, "--retry-failed")
    assert code == 0
    assert counts(out)["broken.csv"] == ("done", 1, 1)


def test_ray_missing_says_how_to_install(
    landmark_dir: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "ray", None)  # `import ray` raises ImportError
    out = str(tmp_path / "out")
    code, _, stderr = run_main(capsys, str(landmark_dir), "--out", out, "--ray", "auto")
    assert code == 1
    assert stderr.splitlines()[-1] == (
        "error: --ray needs Ray, which is not installed: pip install 'pushup-coach[ray]'"
    )


def test_workers_and_ray_together_is_a_usage_error(
    landmark_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = str(tmp_path / "out")
    code, _, stderr = run_main(
        capsys, str(landmark_dir), "--out", out, "--ray", "auto", "--workers", "2"
    )
    assert code == 2
    assert "leave out --workers" in stderr


def test_an_address_nobody_answers_at_fails_at_once(
    landmark_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("ray", reason="the [ray] extra is not installed")
    out = str(tmp_path / "out")
    code, _, stderr = run_main(capsys, str(landmark_dir), "--out", out, "--ray", "127.0.0.1:1")
    assert code == 1
    assert stderr.splitlines()[-1] == (
        "error: nothing answers at 127.0.0.1:1 (Connection refused); start a Ray head there "
        "with `ray start --head`, or check the address"
    )
