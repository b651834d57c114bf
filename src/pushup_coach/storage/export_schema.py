"""Reading an export's ``profile.json`` safely: one schema, checked before anything is stored.

``schemas/export.schema.json`` is the single description of an export: ``export`` writes it (a test
validates every export against it) and ``import`` accepts nothing else. This module adds what JSON
Schema cannot say by itself: the custom formats the schema names (dates in 1900-2199, an IANA time
zone, valid base64 ...), limits on size and nesting applied before and after parsing
(so a hostile file cannot exhaust memory or recursion), and the cross-field rules (a set's clean
reps never exceed its reps, a correction points at a session that is there). Every problem is one
:class:`InputError` line naming where in the file it is.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import best_match

from pushup_coach.coach.history import SessionRecord, parse_symptoms
from pushup_coach.coach.ladder import Rung
from pushup_coach.coach.plan import parse_days
from pushup_coach.errors import CoachError, InputError
from pushup_coach.schemas import export_schema

MAX_JSON_BYTES = 1 << 30  # profile.json holds every session's landmarks: generous, but bounded
MAX_JSON_DEPTH = 32  # an export nests about 6 deep; a stored report about 8
FIRST_DAY = dt.date(1900, 1, 1)
LAST_DAY = dt.date(2199, 12, 31)

formats = FormatChecker(formats=())


def _in_range(day: dt.date) -> bool:
    return FIRST_DAY <= day <= LAST_DAY


@formats.checks("date", raises=ValueError)
def _is_date(text: object) -> bool:
    return not isinstance(text, str) or _in_range(dt.date.fromisoformat(text))


@formats.checks("naive-date-time", raises=ValueError)
def _is_naive_date_time(text: object) -> bool:
    if not isinstance(text, str):
        return True
    when = dt.datetime.fromisoformat(text)
    return when.tzinfo is None and _in_range(when.date())


@formats.checks("iana-time-zone", raises=(ZoneInfoNotFoundError, ValueError))
def _is_zone(text: object) -> bool:
    return not isinstance(text, str) or ZoneInfo(text) is not None


@formats.checks("training-days", raises=CoachError)
def _is_days(text: object) -> bool:
    return not isinstance(text, str) or bool(parse_days(text))


@formats.checks("symptoms", raises=CoachError)
def _is_symptoms(text: object) -> bool:
    return not isinstance(text, str) or parse_symptoms(text) is not None


@formats.checks("file-name")
def _is_file_name(text: object) -> bool:
    if not isinstance(text, str):
        return True
    bad = set("/\\\x00\n\r")
    return text not in ("", ".", "..") and not bad.intersection(text)


@formats.checks("base64", raises=binascii.Error)
def _is_base64(text: object) -> bool:
    return not isinstance(text, str) or base64.b64decode(text, validate=True) is not None


_validator = Draft202012Validator(export_schema(), format_checker=formats)


def load_export_json(file: Path) -> dict[str, Any]:
    """The export in ``file``, checked against the schema and its cross-field rules."""
    try:
        size = file.stat().st_size
        if size > MAX_JSON_BYTES:
            raise InputError(f"{file} is {size} bytes; an export's profile.json is at most 1 GiB")
        data = json.loads(file.read_bytes().decode("utf-8"))
    except RecursionError:
        raise InputError(f"{file} nests deeper than any export; not imported") from None
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise InputError(f"cannot read export {file}: {exc}") from exc
    check_export(data, str(file))
    return data


def check_export(data: Any, where: str = "the export") -> None:
    """Raise a one-line InputError unless ``data`` is a valid export."""
    _check_depth(data, where)
    if not isinstance(data, dict) or data.get("format") != "pushup-coach-export":
        raise InputError(f"{where} is not a pushup-coach export (no format 'pushup-coach-export')")
    if data.get("version") != 1:
        raise InputError(f"{where} has export version {data.get('version')!r}; this reads 1")
    error = best_match(_validator.iter_errors(data))
    if error is not None:
        path = "/".join(str(p) for p in error.absolute_path) or "(top)"
        message = error.message if len(error.message) <= 160 else error.message[:157] + "..."
        raise InputError(
            f"{where} is not a valid export, nothing was imported: at {path}: {message}"
        )
    _check_sessions(data, where)


def _check_depth(data: Any, where: str) -> None:
    """Refuse nesting deeper than MAX_JSON_DEPTH (walked without recursion)."""
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_JSON_DEPTH:
            raise InputError(f"{where} nests deeper than {MAX_JSON_DEPTH} levels; not imported")
        if isinstance(value, dict):
            stack += [(v, depth + 1) for v in value.values()]
        elif isinstance(value, list):
            stack += [(v, depth + 1) for v in value]


def _check_sessions(data: dict[str, Any], where: str) -> None:
    numbers = [s["number"] for s in data["sessions"]]
    if len(set(numbers)) != len(numbers):
        raise InputError(f"{where}: two sessions share a number; not imported")
    for s in data["sessions"]:
        at = f"{where}: session {s['number']}"
        sets = s["sets"]
        if [x["position"] for x in sets] != list(range(1, len(sets) + 1)):
            raise InputError(f"{at}: sets must be numbered 1..{len(sets)} in order")
        all_reps = tuple(x["rep_count"] for x in sets)
        clean = tuple(x["clean_reps"] for x in sets)
        if (s["rep_count"], s["clean_rep_count"]) != (sum(all_reps), sum(clean)):
            raise InputError(f"{at}: rep_count and clean_rep_count must be the sums of its sets")
        try:
            SessionRecord(
                dt.date.fromisoformat(s["performed_on"]), Rung(s["rung"]), clean, all_reps
            )
        except CoachError as exc:
            raise InputError(f"{at}: {exc}") from exc
    known = set(numbers)
    for i, c in enumerate(data["corrections"]):
        if c["session_number"] is not None and c["session_number"] not in known:
            raise InputError(
                f"{where}: correction {i} points at session {c['session_number']}, "
                "which the export does not have"
            )
