"""Live coaching: count reps and give cues while the frames arrive (camera or paced file).

Importing this package imports neither mediapipe nor OpenCV's GUI.
"""

from pushup_coach.live.coach import LiveCoach, LiveUpdate, Setup
from pushup_coach.live.session import LiveResult, LiveStats, run_live, session_report
from pushup_coach.live.sources import Arrival, FrameSlot, LiveSource

__all__ = [
    "Arrival",
    "FrameSlot",
    "LiveCoach",
    "LiveResult",
    "LiveSource",
    "LiveStats",
    "LiveUpdate",
    "Setup",
    "run_live",
    "session_report",
]
