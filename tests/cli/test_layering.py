"""The command line and the web pages only ask and show: every change to stored data goes
through the application layer (``pushup_coach.app``), which both call, so the two faces cannot
drift apart in what they store or which rules they apply (issue 13)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import pushup_coach.cli
import pushup_coach.web
from pushup_coach.storage import Store

FACES = (Path(pushup_coach.cli.__file__).parent, Path(pushup_coach.web.__file__).parent)
# Store methods that change stored data; reading (get_profile, sessions, consent ...) is fine.
WRITES = {
    "create_profile",
    "update_profile",
    "give_consent",
    "add_screening",
    "record_clearance",
    "add_baseline",
    "add_session",
    "set_checkin",
    "clear_checkins",
    "correct_session",
    "forget",
}
# Storage functions that write: the app layer wraps each of them.
WRITING_FUNCTIONS = {"write_export", "import_profile", "store_analysis", "delete_jobs"}


def _store_writes(tree: ast.AST) -> list[str]:
    """``store.<write>(...)`` calls and imports of writing storage functions in a module."""
    found = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "store"
            and node.func.attr in WRITES
        ):
            found.append(f"line {node.lineno}: store.{node.func.attr}()")
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
            "pushup_coach.storage"
        ):
            found += [
                f"line {node.lineno}: imports {a.name}"
                for a in node.names
                if a.name in WRITING_FUNCTIONS
            ]
    return found


def test_the_write_list_names_real_store_methods() -> None:
    assert all(callable(getattr(Store, name, None)) for name in WRITES)


@pytest.mark.parametrize(
    "module",
    sorted(p for face in FACES for p in face.glob("*.py")),
    ids=lambda p: f"{p.parent.name}/{p.name}",
)
def test_face_changes_storage_only_through_the_app_layer(module: Path) -> None:
    assert _store_writes(ast.parse(module.read_text(encoding="utf-8"))) == []


def test_the_check_finds_a_direct_write() -> None:
    """The check above can fail: the code ``correct`` had before it moved to the app layer."""
    old = "with Store.open(u) as store:\n    store.correct_session(p, 1, new, reason)\n"
    assert _store_writes(ast.parse(old)) == ["line 2: store.correct_session()"]
    assert _store_writes(ast.parse("from pushup_coach.storage import write_export\n")) == [
        "line 1: imports write_export"
    ]
