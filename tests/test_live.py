"""Live coaching: same reps and faults as offline, frame dropping at real pace, CLI lines.

Model-free tests drive :func:`run_live` with synthetic push-ups through the replay backend; the
real-clip tests compare ``live --source`` with ``analyze`` on the same clip.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from builders import duration_of, rep_keyframes, side_series, standing_series, then
from edited_video import edited
from metrics_builder import metrics
from pushup_coach.analysis import analyze_series
from pushup_coach.cli import cli
from pushup_coach.cli.live import rep_line, summary_lines
from pushup_coach.live import Arrival, FrameSlot, LiveSource, LiveStats, run_live
from pushup_coach.live.rate import PoseRate
from pushup_coach.live.session import LiveResult
from pushup_coach.live.sources import VirtualClock
from pushup_coach.live.speech import speech_available
from pushup_coach.pose import MediaPipePose, PoseBackend, ReplayBackend, opened
from pushup_coach.pose.files import synthesised_info
from pushup_coach.reps import NEVER_IN_POSITION, NO_COMPLETE_REP
from pushup_coach.types import Fault, Frame, PoseSeries, Rep, RepAssessment
from real_clips import CLIPS, analysed, faults_found, needs_clips
from synthetic_pushups import FPS, pushup_series, write_timed_video

TINY = np.zeros((4, 4, 3), dtype=np.uint8)


def frames_of(series: PoseSeries) -> list[Frame]:
    return [Frame(i, float(t), TINY) for i, t in enumerate(series.t_s)]


def faults_by_rep(assessments: tuple[RepAssessment, ...]) -> list[list[str]]:
    return [[f.value for f in a.faults] for a in assessments]


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({}, [[], [], []]),
        ({"bottom_deg": 30.0, "sag_norm": 0.12}, [["hip_sag"], ["hip_sag"], ["hip_sag"]]),
        ({"bottom_deg": 80.0}, [["shallow"], ["shallow"], ["shallow"]]),
        ({"reps": 5}, [[]] * 5),
    ],
)
def test_live_equals_offline_on_synthetic_pushups(kwargs: dict, expected: list) -> None:
    series = pushup_series(**kwargs)
    offline = analyze_series(series, synthesised_info(series, Path("synthetic"))).report
    source = LiveSource(frames=frames_of(series), fps=FPS)
    live = run_live(source, ReplayBackend(series)).report
    assert faults_by_rep(live.reps) == faults_by_rep(offline.reps) == expected
    assert (live.view, live.side, live.variation) == (offline.view, offline.side, offline.variation)
    assert [r.rep.set_index for r in live.reps] == [r.rep.set_index for r in offline.reps]
    for a, b in zip(live.reps, offline.reps, strict=True):
        assert abs(a.rep.bottom_s - b.rep.bottom_s) <= 1.5 / FPS


def _two_sets(hold_s: float) -> PoseSeries:
    """Three reps, ``hold_s`` held at the top (a rest in position), three more reps."""
    keys = then(then(rep_keyframes(3), [(0.0, 170.0), (hold_s, 170.0)]), rep_keyframes(3))
    return side_series(keys)


def _stood_up_between_sets() -> PoseSeries:
    """Three reps, 10 s standing up, three more reps."""
    first = rep_keyframes(3)
    keys = then(then(first, [(0.0, 170.0), (10.0, 170.0)]), rep_keyframes(3))
    end = duration_of(first)
    return side_series(keys, standing=[(end + 0.5, end + 9.5)])


@pytest.mark.parametrize(
    ("series", "sets"),
    [
        (_two_sets(10.0), [0, 0, 0, 1, 1, 1]),  # a rest held at the top starts a new set
        (_two_sets(2.0), [0] * 6),  # a short breather does not
        (_stood_up_between_sets(), [0, 0, 0, 1, 1, 1]),
    ],
    ids=["rest-at-top", "breather", "stood-up"],
)
def test_live_sets_equal_offline(series: PoseSeries, sets: list[int]) -> None:
    fps = 1.0 / float(np.median(np.diff(series.t_s)))
    offline = analyze_series(series, synthesised_info(series, Path("synthetic"))).report
    live = run_live(LiveSource(frames=frames_of(series), fps=fps), ReplayBackend(series)).report
    assert [r.rep.set_index for r in offline.reps] == sets
    assert [r.rep.set_index for r in live.reps] == sets
    assert [s.rep_indices for s in live.sets] == [s.rep_indices for s in offline.sets]


def test_updates_count_as_reps_happen_and_cues_are_throttled() -> None:
    series = pushup_series(reps=4, bottom_deg=30.0, sag_norm=0.12, rep_s=1.5)
    seen: list[tuple[float, int, str | None]] = []

    def record(frame: Frame | None, update) -> None:  # type: ignore[no-untyped-def]
        if update.counted or update.cue:
            seen.append((round(update.t_s, 2), update.rep_count, update.cue))

    run_live(LiveSource(frames=frames_of(series), fps=FPS), ReplayBackend(series), on_update=record)
    counts = [n for _, n, _ in seen]
    assert counts == sorted(counts) and counts[-1] == 4
    cues = [c for _, _, c in seen if c]
    # The same cue is repeated at most every 10 s: four sagging reps in 6 s give it once.
    assert cues == ["Hips up, brace your core"]


def test_frame_slot_keeps_the_newest_and_counts_drops() -> None:
    slot = FrameSlot()
    for i in range(3):
        slot.put(Arrival(Frame(i, i / 30, TINY), float(i)))
    taken = slot.take()
    assert taken is not None and taken.frame.index == 2
    assert slot.dropped == 2
    slot.close()
    assert slot.take() is None


class CostlyReplay(ReplayBackend):
    """A replay backend that takes ``cost_s`` of a virtual clock per frame (``spikes``: frame
    time -> a different cost), like a pose model slower than the camera, without sleeping."""

    def __init__(
        self,
        series: PoseSeries,
        clock: VirtualClock,
        cost_s: float,
        spikes: dict[float, float] | None = None,
    ) -> None:
        super().__init__(series)
        self.clock, self.cost_s, self.spikes = clock, cost_s, spikes or {}

    def estimate(self, frame: Frame) -> np.ndarray | None:
        spike = next((c for t, c in self.spikes.items() if abs(t - frame.t_s) < 0.5 / FPS), None)
        self.clock.sleep(self.cost_s if spike is None else spike)
        return super().estimate(frame)


def paced(
    series: PoseSeries, cost_s: float, spikes: dict[float, float] | None = None
) -> LiveResult:
    """``series`` coached at its real pace on a virtual clock, posing costing ``cost_s``."""
    clock = VirtualClock()
    source = LiveSource(frames=frames_of(series), fps=FPS, clock=clock)
    return run_live(source, CostlyReplay(series, clock, cost_s, spikes))


def test_real_pace_plays_in_real_time_and_accounts_for_every_frame(tmp_path: Path) -> None:
    # Only what holds on any machine, busy or idle: the file plays at its own pace and every
    # frame is either posed, skipped on purpose or dropped. (How many of each: below, on a
    # virtual clock.)
    series = pushup_series(reps=1, hold_s=0.5)  # 3 s, 90 frames
    path = write_timed_video(tmp_path / "clip.mp4", series.t_s)
    started = time.perf_counter()
    result = run_live(LiveSource(path=path), ReplayBackend(series))
    elapsed_s = time.perf_counter() - started
    stats = result.stats
    assert elapsed_s >= series.t_s[-1] - 0.05
    assert stats.processed + stats.dropped + stats.skipped == len(series)


SLOWED = (
    "This computer could not pose every frame: it posed {rate} frames a second of 30 on purpose "
    "({skipped} skipped, {dropped} dropped). Close other programs or use a lower camera "
    "resolution."
)


@pytest.mark.parametrize(
    ("cost_s", "rate_hz", "processed", "skipped", "dropped", "coverage", "note"),
    [
        # Keeps up: every frame posed.
        (0.02, None, 300, 0, 0, 1.0, None),
        # 70 ms a pose: every 3rd frame on purpose (10 a second), evenly spaced.
        (0.07, 10.0, 101, 99, 100, 0.67, SLOWED.format(rate=10, skipped=99, dropped=100)),
        # 200 ms: 3.75 a second, too few for fast reps, and it says so.
        (
            0.2,
            3.75,
            38,
            76,
            186,
            0.25,
            SLOWED.format(rate=4, skipped=76, dropped=186)
            + " Fast reps may be missed at this rate.",
        ),
    ],
    ids=["keeps-up", "70ms", "200ms"],
)
def test_a_slow_pose_model_poses_fewer_frames_on_purpose_and_says_so(
    cost_s: float,
    rate_hz: float | None,
    processed: int,
    skipped: int,
    dropped: int,
    coverage: float,
    note: str | None,
) -> None:
    series = pushup_series(reps=3)  # 10 s, 300 frames, reps of 2 s
    result = paced(series, cost_s)
    stats = result.stats
    assert (stats.pose_rate_hz, stats.processed, stats.skipped, stats.dropped) == (
        rate_hz,
        processed,
        skipped,
        dropped,
    )
    assert result.report.rep_count == 3
    assert result.report.pose_coverage == pytest.approx(coverage, abs=0.01)
    assert [w for w in result.report.warnings if w.startswith("This computer")] == (
        [note] if note else []
    )
    assert result.report.extra["live"]["frames_skipped"] == skipped


def test_a_rep_whose_cycle_was_not_seen_is_named() -> None:
    # The model stalls for 0.8 s at the bottom of the 2nd rep (t = 5 s): that rep is counted
    # from what was seen, and the report says its cycle was not all seen.
    result = paced(pushup_series(reps=3), 0.01, spikes={5.0: 0.8})
    assert result.report.rep_count == 3
    unseen = [w for w in result.report.warnings if "of its cycle was not seen" in w]
    assert unseen == [
        "Rep 2: 0.8 s of its cycle was not seen (frames dropped); it was counted and judged on "
        "what was seen."
    ]


def _result(
    n_reps: int, faults: tuple[Fault, ...], not_assessed: tuple[Fault, ...] = ()
) -> RepAssessment:
    rep = Rep(index=n_reps, start_i=0, bottom_i=1, end_i=2, start_s=0.0, bottom_s=1.0, end_s=2.0)
    return RepAssessment(
        rep=rep,
        metrics=metrics(),
        faults=faults,
        severity={},
        uncertain=(),
        score=None if not_assessed and not faults else 100,
        not_assessed=not_assessed,
    )


@pytest.mark.parametrize(
    ("assessment", "cue", "line"),
    [
        (_result(2, ()), None, "rep 3  clean"),
        (
            _result(3, (Fault.HIP_SAG,)),
            "Hips up, brace your core",
            "rep 4  hip_sag  -> Hips up, brace your core",
        ),
        (_result(0, (Fault.HIP_SAG, Fault.HEAD_DROP)), None, "rep 1  hip_sag,head_drop"),
        (
            _result(1, (), (Fault.HIP_SAG, Fault.HIP_PIKE)),
            "Rep counted, form not checked",
            "rep 2  counted, form not checked  -> Rep counted, form not checked",
        ),
    ],
)
def test_rep_line(assessment: RepAssessment, cue: str | None, line: str) -> None:
    assert rep_line(assessment, cue) == line


def test_summary_lines() -> None:
    series = pushup_series(bottom_deg=30.0, sag_norm=0.12)
    result = run_live(LiveSource(frames=frames_of(series), fps=FPS), ReplayBackend(series))
    fixed = LiveResult(result.report, LiveStats(240, 3, 21.04, 33.96, 60.0))
    assert summary_lines(fixed) == [
        "reps: 3 (clean 0)   faults: hip_sag x3",
        "frames: 240 processed, 3 dropped   latency p50 21.0 ms, p95 34.0 ms",
    ]


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        ([], 2, "give --camera N or --source FILE (one of them)"),
        (["--camera", "0", "--source", "x.mp4"], 2, "give --camera N or --source FILE"),
        (["--camera", "0", "--no-realtime"], 1, "--no-realtime needs --source"),
    ],
)
def test_live_cli_usage(args: list[str], code: int, message: str) -> None:
    outcome = CliRunner().invoke(cli, ["live", *args])
    assert outcome.exit_code == code
    assert message in outcome.output + str(outcome.exception)


@pytest.mark.skipif(speech_available(), reason="pyttsx3 is installed here")
def test_speak_without_the_extra_says_how_to_install(tmp_path: Path) -> None:
    path = write_timed_video(tmp_path / "clip.mp4", np.arange(3) / FPS)
    outcome = CliRunner().invoke(cli, ["live", "--source", str(path), "--speak", "--headless"])
    assert outcome.exit_code == 1
    assert str(outcome.exception) == (
        "--speak needs the pyttsx3 text-to-speech package; "
        "install with: pip install 'pushup-coach[speech]'"
    )


@needs_clips
@pytest.mark.model
@pytest.mark.realdata
def test_live_equals_analyze_on_a_real_clip_every_frame(tmp_path: Path) -> None:
    clip = "calimiro/videoplayback.mp4"
    offline = analysed(clip, 2).report.to_dict()
    out = tmp_path / "live.json"
    args = ["live", "--source", str(CLIPS / clip), "--headless", "--json", str(out)]
    outcome = CliRunner().invoke(cli, [*args, "--no-realtime"])
    assert outcome.exit_code == 0, outcome.output
    live = json.loads(out.read_text())
    assert (live["rep_count"], faults_found(live)) == (offline["rep_count"], faults_found(offline))
    assert f"reps: {offline['rep_count']} " in outcome.output
    assert live["live"]["frames_dropped"] == live["live"]["frames_skipped"] == 0


class VirtualCost:
    """A pose backend that also takes ``cost_s`` of a virtual clock per frame."""

    def __init__(self, backend: PoseBackend, clock: VirtualClock, cost_s: float) -> None:
        self.backend, self.clock, self.cost_s = backend, clock, cost_s
        self.name = backend.name

    def estimate(self, frame: Frame) -> np.ndarray | None:
        self.clock.sleep(self.cost_s)
        return self.backend.estimate(frame)


@needs_clips
@pytest.mark.model
@pytest.mark.realdata
@pytest.mark.parametrize("cost_s", [0.05, 0.1], ids=["20-a-second", "10-a-second"])
def test_live_at_real_pace_on_a_slow_machine_equals_analyze(cost_s: float) -> None:
    # At the clip's own pace with a model that can pose only 1 / (1.2 cost_s) frames a second
    # (a virtual clock, so the figures do not depend on how busy this machine is): the same
    # reps as analyze, every frame accounted for.
    clip = "calimiro/push-up_1.mp4"
    offline = analysed(clip, 2).report.to_dict()
    clock = VirtualClock()
    with opened(MediaPipePose) as model:
        source = LiveSource(path=CLIPS / clip, clock=clock)
        result = run_live(source, VirtualCost(model, clock, cost_s))
    live, stats = result.report.to_dict(), result.stats
    assert live["rep_count"] == offline["rep_count"]
    assert stats.processed + stats.skipped + stats.dropped == offline["source"]["n_frames"]
    assert stats.pose_rate_hz is not None and stats.pose_rate_hz < 30


def test_summary_says_what_was_skipped_on_purpose_and_why() -> None:
    result = paced(pushup_series(reps=3), 0.07)
    lines = summary_lines(result)
    assert lines[1].startswith("frames: 101 processed, 99 skipped on purpose, 100 dropped   ")
    assert lines[2:] == ["note: " + SLOWED.format(rate=10, skipped=99, dropped=100)]


@pytest.mark.parametrize(
    ("costs_s", "every"),
    [
        ([0.9, 0.02, 0.02, 0.02], 1),  # the first frame's warm-up is not held against the rate
        ([0.02, 0.02, 0.02, 0.5, 0.02], 1),  # one stall does not slow the rest of the session
        ([0.02, 0.07, 0.07, 0.07], 3),  # 84 ms with headroom: every 3rd frame at 30 fps
        ([0.02, 0.07, 0.07, 0.07, 0.02, 0.02, 0.02], 1),  # back to every frame once it is fast
    ],
    ids=["warm-up", "one-stall", "slow", "recovers"],
)
def test_pose_rate_follows_the_recent_cost(costs_s: list[float], every: int) -> None:
    rate = PoseRate(fps=30.0)
    for i, cost in enumerate(costs_s):
        rate.record(i / 30, cost)
    assert rate.every == every


def _cut(at_top: bool) -> PoseSeries:
    first = rep_keyframes(2) if at_top else then(rep_keyframes(3), [(0.0, 170.0), (1.0, 85.0)])
    return edited(side_series(first), side_series(rep_keyframes(3 if at_top else 2)))


@pytest.mark.parametrize(
    ("series", "reps", "partials"),
    [(_cut(at_top=True), 5, []), (_cut(at_top=False), 5, ["cut in the video"])],
    ids=["cut-at-a-top", "cut-at-a-bottom"],
)
def test_live_restarts_at_a_cut_as_offline_does(
    series: PoseSeries, reps: int, partials: list[str]
) -> None:
    offline = analyze_series(series, synthesised_info(series, Path("synthetic"))).report
    live = run_live(LiveSource(frames=frames_of(series), fps=30.0), ReplayBackend(series)).report
    assert offline.rep_count == live.rep_count == reps
    assert [p.reason for p in live.partial_reps] == partials


@pytest.mark.parametrize(
    ("series", "note"),
    [
        (standing_series(4.0), NEVER_IN_POSITION),
        (side_series(rep_keyframes(3, bottom_deg=140)), NO_COMPLETE_REP),
    ],
    ids=["standing", "half-reps"],
)
def test_live_says_why_nothing_was_counted_as_offline_does(series: PoseSeries, note: str) -> None:
    offline = analyze_series(series, synthesised_info(series, Path("synthetic"))).report
    live = run_live(LiveSource(frames=frames_of(series), fps=30.0), ReplayBackend(series)).report
    assert live.rep_count == offline.rep_count == 0
    assert note in live.warnings and note in offline.warnings
