"""JSON Schemas of the project's public outputs."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any


def session_report_schema() -> dict[str, Any]:
    """The JSON Schema that ``analyze --json`` output conforms to."""
    text = resources.files(__package__).joinpath("session-report.schema.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def export_schema() -> dict[str, Any]:
    """The JSON Schema of an export's ``profile.json``: what ``export`` writes, ``import`` reads."""
    text = resources.files(__package__).joinpath("export.schema.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema
