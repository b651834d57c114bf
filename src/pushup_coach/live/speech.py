"""Spoken cues through the optional ``pyttsx3`` extra (``pip install 'pushup-coach[speech]'``).

Speaking blocks for as long as the sentence lasts, so a background thread speaks the newest cue
while coaching goes on; a cue that arrives while another is being spoken replaces any waiting one.
"""

from __future__ import annotations

import importlib.util
import threading
from typing import Any

from pushup_coach.errors import ConfigError

INSTALL_HINT = "install with: pip install 'pushup-coach[speech]'"


def speech_available() -> bool:
    """True when the ``pyttsx3`` text-to-speech package can be imported."""
    return importlib.util.find_spec("pyttsx3") is not None


class Speaker:
    """Speaks cues one at a time on a background thread."""

    def __init__(self) -> None:
        if not speech_available():
            raise ConfigError(f"--speak needs the pyttsx3 text-to-speech package; {INSTALL_HINT}")
        self._cond = threading.Condition()
        self._pending: str | None = None
        self._closed = False
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def say(self, text: str) -> None:
        with self._cond:
            self._pending = text
            self._cond.notify()

    def close(self) -> None:
        with self._cond:
            self._closed = True
            self._cond.notify()
        self._thread.join(timeout=10.0)

    def _run(self) -> None:
        import pyttsx3

        engine: Any = pyttsx3.init()
        while True:
            with self._cond:
                while self._pending is None and not self._closed:
                    self._cond.wait()
                if self._pending is None:
                    return
                text, self._pending = self._pending, None
            engine.say(text)
            engine.runAndWait()
