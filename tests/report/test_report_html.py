"""The HTML report: self-contained, escaped, and saying what a person needs to read."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import cv2
import numpy as np
import pytest
from report_builders import CUE_TEXTS, RepSpec, build_features, build_report

from pushup_coach.config import DEFAULT_CONFIG
from pushup_coach.errors import OutputError
from pushup_coach.report.glossary import NOT_MEASURABLE, not_assessed_reason
from pushup_coach.report.html import DISCLAIMER, PRIVACY_NOTE, render_html, write_html
from pushup_coach.types import Cue, Fault, SessionReport, Severity, View

INJECTED = '<script>alert("x")</script>'


def _three_rep_report() -> SessionReport:
    return build_report(
        [
            RepSpec(1.0),
            RepSpec(3.0, hip_sag_norm=0.09, faults={Fault.HIP_SAG: Severity.MARKED}),
            RepSpec(
                5.0,
                min_elbow_deg=115.0,
                bottom_shoulder_height_norm=0.64,
                faults={Fault.SHALLOW: Severity.MILD},
                uncertain=(Fault.HIP_SAG,),
            ),
        ],
        warnings=(f"Camera moved at 4 s {INJECTED}",),
        duration_s=8.0,
    )


@pytest.fixture(params=["with_features", "without_features"])
def page(request: pytest.FixtureRequest) -> str:
    report = _three_rep_report()
    features = build_features(report) if request.param == "with_features" else None
    return render_html(report, features)


def test_page_is_self_contained(page: str) -> None:
    assert re.findall(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", page) == []
    assert "<link" not in page
    assert "@import" not in page
    assert re.findall(r"url\((?!#)", page) == []  # only the SVGs' own clip paths


def test_page_escapes_text_from_the_report(page: str) -> None:
    assert INJECTED not in page
    assert "Camera moved at 4 s &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert page.count("<script") == 0


def test_page_states_verdict_cues_and_notes(page: str) -> None:
    for expected in (
        '3 reps · <span class="clean">1 clean</span>',
        "Most frequent issue: sagging hips, on 1 of 3 reps.",
        CUE_TEXTS[Fault.HIP_SAG],
        CUE_TEXTS[Fault.SHALLOW],
        'Seen on rep <a href="#rep-2">2</a>',
        'Seen on rep <a href="#rep-3">3</a>',
        "side view (left side toward the camera)",
        DISCLAIMER,
        PRIVACY_NOTE,
    ):
        assert expected in page
    assert page.index(CUE_TEXTS[Fault.HIP_SAG]) < page.index('id="rep-1"')


def test_every_rep_has_a_row_with_its_faults(page: str) -> None:
    rows = re.findall(r'<tr id="rep-(\d+)" class="(\w+)">(.*?)</tr>', page, re.S)
    assert [(n, cls) for n, cls, _ in rows] == [("1", "clean"), ("2", "faulty"), ("3", "faulty")]
    assert '<span class="badge ok">clean</span>' in rows[0][2]
    assert '<span class="badge marked">Sagging hips · marked</span>' in rows[1][2]
    assert '<td class="num over">sag 9.0%</td>' in rows[1][2]
    assert '<span class="badge mild">Shallow rep · mild</span>' in rows[2][2]
    # Depth shows (and marks) what the shallow rule judges; the elbow angle is for reference
    assert '<td class="num over">64% of top</td><td class="num">115°</td>' in rows[2][2]
    assert 'class="badge uncertain"' in rows[2][2] and "Sagging hips?</span>" in rows[2][2]
    assert '<td class="num na" title="not measurable in this view">—</td>' not in rows[0][2]


def test_not_assessed_faults_say_which_view_they_need(page: str) -> None:
    for title in ("Hands too narrow", "Hands too wide"):
        assert (
            f"<li><b>{title}</b>: not assessed, needs a front view: film from in front of your "
            "head, both hands in frame</li>"
        ) in page
    assert "<li><b>Flared elbows</b>: not assessed, not judged from video yet: one camera" in page
    assert "<li><b>Sagging hips</b>: found on 1 of 3 reps</li>" in page
    assert "<li><b>Piked hips</b>: not found</li>" in page


def test_legend_explains_every_fault_code_with_the_thresholds_in_force() -> None:
    config = DEFAULT_CONFIG.replace(hip_sag_dev=0.07, shallow_shoulder_height=0.5)
    page = render_html(_three_rep_report(), config=config)
    for fault in Fault:
        assert f"<code>{fault.value}</code>" in page
    assert "(by more than 7% of body length)" in page
    assert "shoulders stayed more than 50% of their height at the top above the hands" in page


@pytest.mark.parametrize(
    ("features", "svg_count"),
    [(True, 3), (False, 1)],
)
def test_plots_are_inline_svg(features: bool, svg_count: int) -> None:
    report = _three_rep_report()
    page = render_html(report, build_features(report) if features else None)
    assert page.count("<svg") == svg_count
    assert page.count('role="img"') == svg_count
    assert ("Curves over time are not available" in page) is (not features)


def test_zero_rep_report_explains_why(empty_report: SessionReport) -> None:
    page = render_html(empty_report)
    assert "No reps counted" in page
    assert "No complete push-up was found in this video. See the warnings below for why." in page
    assert "No person was found in 80% of the frames: keep your whole body in view." in page
    assert "did not go down far enough to count" in page
    assert "<svg" not in page
    assert "<li><b>Dropped too fast</b>: no reps to check</li>" in page
    assert (
        "<li><b>Sagging hips</b>: not assessed, needs a side view: film from the side, camera at "
        "floor level, whole body in frame</li>"
    ) in page
    assert DISCLAIMER in page


def test_zero_rep_report_without_warnings_still_says_what_to_do(
    empty_report: SessionReport,
) -> None:
    page = render_html(replace(empty_report, warnings=()))
    assert (
        "No complete push-up was found in this video. Film the whole body from the side, in good "
        "light, and do full reps."
    ) in page
    assert "<h2>Warnings</h2>" not in page


def test_praise_cue_and_cue_without_reps(realistic_report: SessionReport) -> None:
    cues = (
        Cue(code="good_form", text="Good form on every rep.", reps=(0, 1), priority=0),
        Cue(code="too_fast", text="Slow down.", reps=(), priority=1),
    )
    page = render_html(replace(realistic_report, cues=cues))
    assert '<li class="praise"><span class="cue-text">Good form on every rep.</span></li>' in page
    assert '<li><span class="cue-text">Slow down.</span></li>' in page
    assert "<h2>What to work on first</h2>" in page


def test_all_clean_report_praises(realistic_report: SessionReport) -> None:
    clean = replace(
        realistic_report,
        reps=tuple(replace(r, faults=(), severity={}, uncertain=()) for r in realistic_report.reps),
        cues=(),
    )
    page = render_html(clean)
    assert "Every rep was clean: no fault found among those this camera view can judge." in page
    assert "<h2>What to work on first</h2>" not in page


def test_write_html_round_trip_and_error(tmp_path: Path, realistic_report: SessionReport) -> None:
    path = tmp_path / "report.html"
    write_html(realistic_report, path, build_features(realistic_report))
    assert path.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    missing = tmp_path / "nope" / "report.html"
    with pytest.raises(OutputError) as info:
        write_html(realistic_report, missing)
    assert str(info.value) == (
        f"could not write the report to {missing}: No such file or directory; "
        "check that the folder exists and is writable"
    )


@pytest.mark.parametrize(
    ("fault", "view", "reason"),
    [
        (
            Fault.HIP_SAG,
            View.FRONT,
            "needs a side view: film from the side, camera at floor level, whole body in frame",
        ),
        (
            Fault.HANDS_WIDE,
            View.SIDE,
            "needs a front view: film from in front of your head, both hands in frame",
        ),
        (
            Fault.HANDS_WIDE,
            View.FRONT,
            "the body parts it needs were not seen clearly enough in this video",
        ),
        (Fault.ELBOW_FLARE, View.FRONT, NOT_MEASURABLE[Fault.ELBOW_FLARE]),
        (Fault.ELBOW_FLARE, View.SIDE, NOT_MEASURABLE[Fault.ELBOW_FLARE]),
        (
            Fault.TOO_FAST,
            View.OBLIQUE,
            "the body parts it needs were not seen clearly enough in this video",
        ),
    ],
)
def test_not_assessed_reason(fault: Fault, view: View, reason: str) -> None:
    assert not_assessed_reason(fault, view, DEFAULT_CONFIG) == reason


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
GOOD_BGR = (0x3D, 0x80, 0x15)  # --good in report.css: the verdict's clean count
BAD_BGR = (0x1C, 0x1C, 0xB9)  # --bad: the stripe on faulty rep rows


@pytest.mark.skipif(CHROMIUM is None, reason="needs headless Chromium (apt-get install chromium)")
def test_report_renders_in_headless_chromium(
    tmp_path: Path, realistic_report: SessionReport
) -> None:
    page, shot = tmp_path / "report.html", tmp_path / "shot.png"
    write_html(realistic_report, page, build_features(realistic_report))
    assert CHROMIUM is not None
    command = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--hide-scrollbars",
        f"--user-data-dir={tmp_path / 'profile'}",
        "--window-size=1200,1600",
        f"--screenshot={shot}",
        page.as_uri(),
    ]
    subprocess.run(command, check=True, timeout=120, capture_output=True)
    image = cv2.imread(str(shot))
    assert image.shape == (1600, 1200, 3)
    assert int(np.all(image == GOOD_BGR, axis=2).sum()) > 200
    assert int(np.all(image == BAD_BGR, axis=2).sum()) > 100


def test_report_read_back_from_json_renders_the_same_tables(
    realistic_report: SessionReport,
) -> None:
    again = SessionReport.from_dict(realistic_report.to_dict())
    rows = re.compile(r"<tbody>.*?</tbody>", re.S)
    assert rows.findall(render_html(again)) == rows.findall(render_html(realistic_report))
