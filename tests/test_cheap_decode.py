"""What makes analysis fast changes no answer: the cheap decoding and the 15 Hz pose rate.

The pose model sees a 256x256 reduction of each picture, so the decoder's smoothing of block
edges in a 1080p picture is averaged away (``VideoFile(for_pose=True)`` skips it), and 30 fps
video is posed at every second frame (``pose_rate_hz``). These tests run the same real 30 fps
1080p clips the fast way and with every frame fully decoded, and compare what a user sees.
"""

from __future__ import annotations

import numpy as np
import pytest

from pushup_coach.analysis import analyze_file
from pushup_coach.config import DEFAULT_CONFIG
from pushup_coach.skeleton import Landmark
from pushup_coach.video import probe_video, source
from real_clips import CLIPS, analysed, faults_found, needs_clips

pytestmark = [needs_clips, pytest.mark.realdata, pytest.mark.model]

# A side view with head-drop reps, and a front view of four reps.
CLIPS_1080P = ["calimiro/push-up_1.mp4", "calimiro/push-up_37.mp4"]
BODY = [Landmark.LEFT_SHOULDER, Landmark.LEFT_HIP, Landmark.LEFT_WRIST, Landmark.NOSE]


@pytest.mark.parametrize("clip", CLIPS_1080P)
def test_fast_analysis_gives_the_same_answers_as_every_frame_fully_decoded(
    clip: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    info = probe_video(CLIPS / clip)
    assert min(info.width, info.height) >= source.FAST_DECODE_MIN_SIDE, "not a large clip"
    assert source.pose_stride(info.fps, DEFAULT_CONFIG.pose_rate_hz) == 2
    cheap = analysed(clip, 1)
    assert len(cheap.series) == source.frames_posed(info.n_frames or 0, 2)
    monkeypatch.setattr(source, "FAST_DECODE_MIN_SIDE", 10**9)  # the deblocking filter runs
    full = analyze_file(CLIPS / clip, DEFAULT_CONFIG.replace(pose_rate_hz=0), workers=1)

    a, b = full.report.to_dict(), cheap.report.to_dict()
    assert (b["rep_count"], faults_found(b), b["view"], b["variation"]) == (
        a["rep_count"],
        faults_found(a),
        a["view"],
        a["variation"],
    )
    # On the frames both posed, the landmarks move by under a percent of the picture.
    assert full.series.size_wh == cheap.series.size_wh == (info.width, info.height)
    both = np.isin(full.series.t_s, cheap.series.t_s)
    assert both.sum() == len(cheap.series)
    moved = np.abs(full.series.landmarks[both][:, BODY, :2] - cheap.series.landmarks[:, BODY, :2])
    assert 0 < np.nanmedian(moved) < 0.01
