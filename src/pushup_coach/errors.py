"""One exception tree for pushup-coach.

Library code raises a subclass of :class:`CoachError` whose message says what went wrong and how to
fix it. The CLI turns any ``CoachError`` into a one-line message and exit code 1.
"""

from __future__ import annotations


class CoachError(Exception):
    """Root of every error pushup-coach raises on purpose."""


class InputError(CoachError):
    """The input file is missing, unreadable or not what it claims to be."""


class VideoError(InputError):
    """A video could not be opened or decoded (not a video, corrupt, truncated, no frames)."""


class LandmarkFileError(InputError):
    """A landmark file (.npz or .csv) has the wrong layout, shape or values."""


class PoseBackendError(CoachError):
    """The pose model could not be loaded or failed while running."""


class NoPersonError(CoachError):
    """No confident person was found in any frame."""


class ConfigError(CoachError):
    """A setting or command-line value is out of range or of the wrong kind."""


class StorageError(CoachError):
    """The database could not be opened, migrated, read or written."""


class ConsentError(CoachError):
    """The person has not agreed to their data being stored, so nothing personal is saved."""


class NotFoundError(CoachError):
    """A named thing (profile, session, log entry) does not exist."""


class OutputError(CoachError):
    """An output file (report, export) could not be written: no folder, no permission, disk full."""
