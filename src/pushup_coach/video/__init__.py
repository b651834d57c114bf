"""Video sources (files -> upright RGB frames with real timestamps)."""

from pushup_coach.video.source import (
    SUPPORTED_SUFFIXES,
    VideoFile,
    iter_frames,
    probe_video,
    upright_image,
)

__all__ = ["SUPPORTED_SUFFIXES", "VideoFile", "iter_frames", "probe_video", "upright_image"]
