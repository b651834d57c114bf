"""BlazePose's 33 landmarks by name, left/right pairs, and the bones drawn in overlays.

This module is the only place bare landmark indices appear. Coordinates elsewhere are referenced
through :class:`Landmark`.
"""

from __future__ import annotations

from enum import IntEnum

N_LANDMARKS = 33


class Landmark(IntEnum):
    """BlazePose landmark indices (the order MediaPipe outputs them in)."""

    NOSE = 0
    LEFT_EYE_INNER = 1
    LEFT_EYE = 2
    LEFT_EYE_OUTER = 3
    RIGHT_EYE_INNER = 4
    RIGHT_EYE = 5
    RIGHT_EYE_OUTER = 6
    LEFT_EAR = 7
    RIGHT_EAR = 8
    MOUTH_LEFT = 9
    MOUTH_RIGHT = 10
    LEFT_SHOULDER = 11
    RIGHT_SHOULDER = 12
    LEFT_ELBOW = 13
    RIGHT_ELBOW = 14
    LEFT_WRIST = 15
    RIGHT_WRIST = 16
    LEFT_PINKY = 17
    RIGHT_PINKY = 18
    LEFT_INDEX = 19
    RIGHT_INDEX = 20
    LEFT_THUMB = 21
    RIGHT_THUMB = 22
    LEFT_HIP = 23
    RIGHT_HIP = 24
    LEFT_KNEE = 25
    RIGHT_KNEE = 26
    LEFT_ANKLE = 27
    RIGHT_ANKLE = 28
    LEFT_HEEL = 29
    RIGHT_HEEL = 30
    LEFT_FOOT_INDEX = 31
    RIGHT_FOOT_INDEX = 32


LANDMARK_NAMES: tuple[str, ...] = tuple(lm.name.lower() for lm in Landmark)

# The joints one side of the body uses for push-up geometry, by role.
SIDE_JOINTS: dict[str, dict[str, Landmark]] = {
    "left": {
        "ear": Landmark.LEFT_EAR,
        "shoulder": Landmark.LEFT_SHOULDER,
        "elbow": Landmark.LEFT_ELBOW,
        "wrist": Landmark.LEFT_WRIST,
        "hip": Landmark.LEFT_HIP,
        "knee": Landmark.LEFT_KNEE,
        "ankle": Landmark.LEFT_ANKLE,
    },
    "right": {
        "ear": Landmark.RIGHT_EAR,
        "shoulder": Landmark.RIGHT_SHOULDER,
        "elbow": Landmark.RIGHT_ELBOW,
        "wrist": Landmark.RIGHT_WRIST,
        "hip": Landmark.RIGHT_HIP,
        "knee": Landmark.RIGHT_KNEE,
        "ankle": Landmark.RIGHT_ANKLE,
    },
}

# Landmarks whose visibility decides whether a frame holds a usable push-up pose.
CORE_LANDMARKS: tuple[Landmark, ...] = (
    Landmark.LEFT_SHOULDER,
    Landmark.RIGHT_SHOULDER,
    Landmark.LEFT_ELBOW,
    Landmark.RIGHT_ELBOW,
    Landmark.LEFT_WRIST,
    Landmark.RIGHT_WRIST,
    Landmark.LEFT_HIP,
    Landmark.RIGHT_HIP,
)

# Bones drawn by the overlay, as (from, to) pairs.
BONES: tuple[tuple[Landmark, Landmark], ...] = (
    (Landmark.LEFT_SHOULDER, Landmark.RIGHT_SHOULDER),
    (Landmark.LEFT_HIP, Landmark.RIGHT_HIP),
    (Landmark.LEFT_SHOULDER, Landmark.LEFT_HIP),
    (Landmark.RIGHT_SHOULDER, Landmark.RIGHT_HIP),
    (Landmark.LEFT_SHOULDER, Landmark.LEFT_ELBOW),
    (Landmark.LEFT_ELBOW, Landmark.LEFT_WRIST),
    (Landmark.RIGHT_SHOULDER, Landmark.RIGHT_ELBOW),
    (Landmark.RIGHT_ELBOW, Landmark.RIGHT_WRIST),
    (Landmark.LEFT_HIP, Landmark.LEFT_KNEE),
    (Landmark.LEFT_KNEE, Landmark.LEFT_ANKLE),
    (Landmark.RIGHT_HIP, Landmark.RIGHT_KNEE),
    (Landmark.RIGHT_KNEE, Landmark.RIGHT_ANKLE),
    (Landmark.LEFT_ANKLE, Landmark.LEFT_HEEL),
    (Landmark.RIGHT_ANKLE, Landmark.RIGHT_HEEL),
    (Landmark.LEFT_HEEL, Landmark.LEFT_FOOT_INDEX),
    (Landmark.RIGHT_HEEL, Landmark.RIGHT_FOOT_INDEX),
    (Landmark.LEFT_EAR, Landmark.LEFT_SHOULDER),
    (Landmark.RIGHT_EAR, Landmark.RIGHT_SHOULDER),
)

# Swapping these pairs turns a pose into its mirror image's labels.
MIRROR_PAIRS: tuple[tuple[Landmark, Landmark], ...] = tuple(
    (lm, Landmark[lm.name.replace("LEFT_", "RIGHT_")])
    for lm in Landmark
    if lm.name.startswith("LEFT_")
)


def mirror_index() -> list[int]:
    """Index permutation that swaps every left landmark with its right twin."""
    order = list(range(N_LANDMARKS))
    for left, right in MIRROR_PAIRS:
        order[left], order[right] = int(right), int(left)
    return order
