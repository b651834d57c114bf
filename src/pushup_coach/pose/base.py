"""The pose-backend protocol: one upright RGB frame in, 33 BlazePose landmarks out.

A backend returns a (33, 4) float array for the single most prominent person: x and y normalised
to the upright frame (0..1, x right, y down), z in the same scale as x (negative toward the camera)
and visibility 0..1; or ``None`` when no confident person is in the frame. Landmark rows follow
:class:`pushup_coach.skeleton.Landmark`. Backends that track across frames need ``t_s`` to strictly
increase, so use one instance per video (or per segment of one).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Protocol, TypeVar, runtime_checkable

from pushup_coach.types import FloatArray, Frame


@runtime_checkable
class PoseBackend(Protocol):
    """Anything that finds one person's 33 landmarks in a frame."""

    name: str

    def estimate(self, frame: Frame) -> FloatArray | None:
        """(33, 4) normalised x, y, z, visibility of the most prominent person, or None."""
        ...

    def close(self) -> None:
        """Release the model; the backend is not used after this."""
        ...


B = TypeVar("B", bound=PoseBackend)


@contextmanager
def opened(factory: Callable[[], B]) -> Iterator[B]:
    """Build a backend with ``factory`` and close it however the block ends.

    >>> with opened(MediaPipePose) as backend:  # doctest: +SKIP
    ...     landmarks = backend.estimate(frame)
    """
    backend = factory()
    try:
        yield backend
    finally:
        backend.close()
