"""A hostile or broken export imports nothing and says why in one line (issue 14 items 1, 2).

Only regular files directly in the export's ``files/`` are copied (no links, folders, pipes or
absurd sizes); every field is checked against ``schemas/export.schema.json``, the schema every
export is written to; a failure at any step leaves no row, no kept file and no staging folder.
"""

from __future__ import annotations

import copy
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from test_portability import ROW_TABLES, filled_store, row_counts

import pushup_coach.storage.kept_files as kept_files
import pushup_coach.storage.portability as portability
from pushup_coach.cli import main
from pushup_coach.coach.history import PainKind, PainLocation, Symptom
from pushup_coach.coach.ladder import Rung
from pushup_coach.coach.screening import ScreeningOutcome
from pushup_coach.errors import InputError, StorageError
from pushup_coach.schemas import export_schema
from pushup_coach.storage import Store, export_profile, import_profile, read_export, write_export

Mutation = Callable[[dict[str, Any]], None]


def _set(path: str, value: Any) -> Mutation:
    """Set ``value`` at a slash path such as ``sessions/0/rung``."""

    def mutate(data: dict[str, Any]) -> None:
        *parents, last = path.split("/")
        node: Any = data
        for key in parents:
            node = node[int(key)] if isinstance(node, list) else node[key]
        node[int(last) if isinstance(node, list) else last] = value

    return mutate


def _delete(path: str) -> Mutation:
    def mutate(data: dict[str, Any]) -> None:
        *parents, last = path.split("/")
        node: Any = data
        for key in parents:
            node = node[int(key)] if isinstance(node, list) else node[key]
        del node[last]

    return mutate


def _nested(depth: int) -> Any:
    value: Any = 1
    for _ in range(depth):
        value = {"a": value}
    return value


# (case, mutation, what the one-line error names)
BAD_FIELDS: list[tuple[str, Mutation, str]] = [
    ("huge int", _set("sessions/0/sets/0/rep_count", 10**30), "at sessions/0/sets/0/rep_count"),
    ("negative reps", _set("baselines/0/clean_reps", -1), "at baselines/0/clean_reps"),
    ("reps as text", _set("sessions/0/sets/0/rep_count", "11"), "at sessions/0/sets/0/rep_count"),
    ("bad date", _set("sessions/0/performed_on", "2026-02-30"), "at sessions/0/performed_on"),
    ("year 10000", _set("sessions/0/performed_on", "10000-01-01"), "at sessions/0/performed_on"),
    ("year 9999", _set("baselines/0/taken_on", "9999-12-31"), "at baselines/0/taken_on"),
    ("zoned time", _set("consents/0/given_at", "2026-03-01T08:00:00+02:00"), "at consents/0"),
    ("null profile", _set("profile", None), "at profile: None is not of type 'object'"),
    ("extra key", _set("sessions/0/extra", 1), "'extra' was unexpected"),
    ("missing key", _delete("sessions/0/rung"), "'rung' is a required property"),
    ("bad base64", _set("sessions/0/landmarks_npz_base64", "@@@"), "landmarks_npz_base64"),
    ("unknown rung", _set("sessions/0/rung", "superman"), "at sessions/0/rung"),
    ("unknown pain", _set("sessions/0/checkin/pain_location", "toe"), "pain_location"),
    ("unknown zone", _set("profile/timezone", "Mars/Olympus"), "at profile/timezone"),
    ("unknown outcome", _set("screenings/0/outcome", "maybe"), "at screenings/0/outcome"),
    ("back-to-back days", _set("profile/training_days", "mon,tue"), "training_days"),
    ("markup source", _set("sessions/0/source", "[/]"), "at sessions/0/source"),
    ("path in video", _set("sessions/0/video_file", "../../x"), "at sessions/0/video_file"),
    ("deep report", _set("sessions/0/report", _nested(200)), "nests deeper than 32 levels"),
    ("bad fault count", _set("sessions/0/report/faults_summary/hip_sag", "x"), "faults_summary"),
    ("sum of sets", _set("sessions/0/rep_count", 999), "session 1: rep_count and clean_rep_count"),
    ("clean > all", _set("sessions/0/sets/0/clean_reps", 12), "session 1:"),
    ("lost session", _set("corrections/0/session_number", 99), "points at session 99"),
    ("twin numbers", _set("sessions/1/number", 1), "two sessions share a number"),
    ("bad version", _set("version", 2), "export version 2; this reads 1"),
]


@pytest.fixture
def exported(db_url: str, tmp_path: Path) -> tuple[Store, dict[str, Any]]:
    """A store whose profile 'ana' was exported (with a kept file) and then forgotten."""
    store = filled_store(db_url)
    write_export(store, "ana", tmp_path / "export")
    data = export_profile(store, "ana")
    store.forget("ana")
    return store, data


def _nothing_imported(store: Store, db_url: str) -> None:
    assert row_counts(db_url) == dict.fromkeys(ROW_TABLES, 0)
    assert not store.profile_dir("ana").exists()
    leftovers = [p.name for p in store.files_dir.glob("*") if p.name != ".lock"]
    assert leftovers == []


@pytest.mark.parametrize(("case", "mutate", "message"), BAD_FIELDS, ids=[c[0] for c in BAD_FIELDS])
def test_bad_field_imports_nothing(
    exported: tuple[Store, dict[str, Any]],
    db_url: str,
    tmp_path: Path,
    case: str,
    mutate: Mutation,
    message: str,
) -> None:
    store, data = exported
    bad = copy.deepcopy(data)
    mutate(bad)
    (tmp_path / "export" / "profile.json").write_text(json.dumps(bad))
    with store, pytest.raises(InputError) as info:
        import_profile(store, read_export(tmp_path / "export"), tmp_path / "export")
    assert message in str(info.value)
    assert "\n" not in str(info.value)
    _nothing_imported(store, db_url)


@pytest.mark.parametrize(
    ("case", "text", "message"),
    [
        ("nested arrays", "[" * 100_000 + "]" * 100_000, "nests deeper than any export"),
        ("not json", '{"format": ', "cannot read export"),
        ("not utf-8", '{"a": "\udcff"}', "cannot read export"),
        ("a list", "[1, 2]", "is not a pushup-coach export"),
    ],
)
def test_unreadable_profile_json_is_one_line(
    tmp_path: Path, case: str, text: str, message: str
) -> None:
    (tmp_path / "profile.json").write_bytes(text.encode("utf-8", "surrogateescape"))
    with pytest.raises(InputError, match=message):
        read_export(tmp_path)


def _link_outside(files: Path, secret: Path) -> None:
    (files / "2026-03-02-clip.mp4").unlink()
    (files / "2026-03-02-clip.mp4").symlink_to(secret)


def _link_to_folder(files: Path, secret: Path) -> None:
    (files / "etc").symlink_to(secret.parent)


def _folder(files: Path, _secret: Path) -> None:
    (files / "sub").mkdir()
    (files / "sub" / "x").write_bytes(b"x")


def _fifo(files: Path, _secret: Path) -> None:
    os.mkfifo(files / "pipe")


def _files_is_a_link(files: Path, secret: Path) -> None:
    for p in files.iterdir():
        p.unlink()
    files.rmdir()
    files.symlink_to(secret.parent, target_is_directory=True)


@pytest.mark.parametrize(
    ("case", "tamper", "message"),
    [
        ("link to a file outside", _link_outside, "is not a regular file"),
        ("link to a folder", _link_to_folder, "is not a regular file"),
        ("a sub-folder", _folder, "is not a regular file"),
        ("a named pipe", _fifo, "is not a regular file"),
        ("files/ is a link", _files_is_a_link, "is not a plain folder inside the export"),
    ],
)
def test_export_files_that_are_not_plain_files_import_nothing(
    exported: tuple[Store, dict[str, Any]],
    db_url: str,
    tmp_path: Path,
    case: str,
    tamper: Callable[[Path, Path], None],
    message: str,
) -> None:
    store, _ = exported
    secret = tmp_path / "outside" / "shadow"
    secret.parent.mkdir()
    secret.write_text("root:secret")
    tamper(tmp_path / "export" / "files", secret)
    with store, pytest.raises(InputError, match=message):
        import_profile(store, read_export(tmp_path / "export"), tmp_path / "export")
    _nothing_imported(store, db_url)


def test_absurdly_large_kept_file_imports_nothing(
    exported: tuple[Store, dict[str, Any]],
    db_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    store, _ = exported
    monkeypatch.setattr(kept_files, "MAX_KEPT_FILE_BYTES", 4)  # "kept video" is 10 bytes
    with store, pytest.raises(InputError, match="is over 0 GiB"):
        import_profile(store, read_export(tmp_path / "export"), tmp_path / "export")
    _nothing_imported(store, db_url)


def test_database_failure_after_files_were_staged_leaves_nothing(
    exported: tuple[Store, dict[str, Any]],
    db_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    store, _ = exported
    real_add_rows = portability._add_rows

    def add_then_fail(*args: Any) -> None:
        real_add_rows(*args)
        raise StorageError("disk full")

    monkeypatch.setattr(portability, "_add_rows", add_then_fail)
    with store, pytest.raises(StorageError, match="disk full"):
        import_profile(store, read_export(tmp_path / "export"), tmp_path / "export")
    _nothing_imported(store, db_url)


def test_cli_import_of_a_bad_export_is_one_line(
    exported: tuple[Store, dict[str, Any]],
    db_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    store, data = exported
    store.close()
    data["sessions"][0]["sets"][0]["rep_count"] = "lots"
    (tmp_path / "export" / "profile.json").write_text(json.dumps(data))
    with pytest.raises(SystemExit) as info:
        main(["import", "--db", db_url, str(tmp_path / "export")])
    err = capsys.readouterr().err
    assert info.value.code == 1
    assert err == (
        f"error: {tmp_path / 'export' / 'profile.json'} is not a valid export, nothing was "
        "imported: at sessions/0/sets/0/rep_count: 'lots' is not of type 'integer'\n"
    )


def test_schema_lists_exactly_the_values_the_coach_knows() -> None:
    session = export_schema()["properties"]["sessions"]["items"]["properties"]
    checkin = session["checkin"]["anyOf"][1]["properties"]
    outcome = export_schema()["properties"]["screenings"]["items"]["properties"]["outcome"]
    assert session["rung"]["enum"] == [r.value for r in Rung]
    assert checkin["pain_location"]["enum"] == [p.value for p in PainLocation]
    assert checkin["pain_kind"]["enum"] == [p.value for p in PainKind]
    assert outcome["enum"] == [o.value for o in ScreeningOutcome]
    assert {s.value for s in Symptom} == {"chest_pain", "dizziness", "fainting"}


def test_every_export_is_valid_under_the_schema_import_uses(db_url: str, tmp_path: Path) -> None:
    with filled_store(db_url) as store:
        write_export(store, "ana", tmp_path)
        first = export_profile(store, "ana")
        store.forget("ana")
        import_profile(store, read_export(tmp_path), tmp_path)  # validates, and would raise
        again = export_profile(store, "ana")
    assert again == first
