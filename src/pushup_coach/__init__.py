"""pushup-coach: push-up form analysis, coaching and private history."""

__version__ = "0.1.0"
