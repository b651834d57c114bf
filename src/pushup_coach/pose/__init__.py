"""Pose backends: the protocol, MediaPipe BlazePose, a replay backend, and landmark files.

Importing this package does not import mediapipe; building a :class:`MediaPipePose` does.
"""

from pushup_coach.pose.base import PoseBackend, opened
from pushup_coach.pose.files import LandmarkFile, load_landmarks, read_landmarks, save_landmarks
from pushup_coach.pose.mediapipe_backend import MediaPipePose
from pushup_coach.pose.replay import ReplayBackend
from pushup_coach.pose.run import estimate_series, landmarks_from_video

__all__ = [
    "LandmarkFile",
    "MediaPipePose",
    "PoseBackend",
    "ReplayBackend",
    "estimate_series",
    "landmarks_from_video",
    "load_landmarks",
    "opened",
    "read_landmarks",
    "save_landmarks",
]
