"""Finding a batch's inputs (folder or list), naming their results, and what makes one stale."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pushup_coach.batch.items import Stamp, find_inputs, stamp_file
from pushup_coach.errors import InputError

FILES = ["b.mp4", "a.npz", "sub/c.csv", "sub/deep/d.MOV", "notes.txt", ".hidden.mp4", "out/x.npz"]


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    for name in FILES:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(name.encode())
    return tmp_path


def test_folder_is_searched_recursively_in_sorted_order(tree: Path) -> None:
    found = find_inputs(tree, out_dir=tree / "out")
    assert [i.key for i in found.items] == ["a.npz", "b.mp4", "sub/c.csv", "sub/deep/d.MOV"]
    assert found.items[3].path == tree / "sub/deep/d.MOV"
    assert found.skipped == (
        f"{tree / '.hidden.mp4'}: hidden file",
        f"{tree / 'notes.txt'}: not a video or landmark file (.txt)",
    )


@pytest.mark.parametrize(
    ("lines", "keys"),
    [
        (
            ["sub/c.csv", "sub/deep/d.MOV"],
            ["c.csv", "deep/d.MOV"],
        ),  # named from their common folder
        (["# a comment", "", "  b.mp4  ", "a.npz", "b.mp4"], ["b.mp4", "a.npz"]),  # listed order
        (["sub/c.csv", "notes.txt"], ["sub/c.csv", "notes.txt"]),  # listed: tried, not passed over
    ],
)
def test_list_file(tree: Path, lines: list[str], keys: list[str]) -> None:
    listing = tree / "list.txt"
    listing.write_text("\n".join(lines) + "\n")
    found = find_inputs(listing)
    assert [i.key for i in found.items] == keys
    assert found.skipped == ()


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda root: root / "missing", "does not exist; give a folder of videos or a list file"),
        (lambda root: _mkdir(root / "empty"), "no videos or landmark files in"),
        (lambda root: _list(root, "a.npz\nnope.mp4\n"), "line 2: nope.mp4 is not a file"),
        (lambda root: _list(root, "# nothing\n"), "no videos or landmark files in"),
        (lambda root: root / "b.mp4", "is one file: `pushup-coach analyze` analyses one file"),
    ],
)
def test_bad_sources_say_what_to_do(tree: Path, make: object, message: str) -> None:
    with pytest.raises(InputError, match=message):
        find_inputs(make(tree))  # type: ignore[operator]


def _mkdir(path: Path) -> Path:
    path.mkdir()
    return path


def _list(root: Path, text: str) -> Path:
    (root / "list.txt").write_text(text)
    return root / "list.txt"


def test_stamp_is_reused_only_while_size_and_mtime_match(tmp_path: Path) -> None:
    clip = tmp_path / "clip.npz"
    clip.write_bytes(b"one")
    first = stamp_file(clip, None)
    assert first.sha256 == "7692c3ad3540bb803c020b3aee66cd8887123234ea0c6e7143c0add73ff431ed"
    fake = Stamp(first.size, first.mtime_ns, "recorded")
    assert stamp_file(clip, fake) is fake  # unchanged file: not read again
    clip.write_bytes(b"two")
    os.utime(clip, ns=(first.mtime_ns + 10**9, first.mtime_ns + 10**9))
    assert stamp_file(clip, fake).sha256 != "recorded"


def test_a_file_that_cannot_be_read_is_one_line(tmp_path: Path) -> None:
    # (a folder named like a clip: unreadable as a file even for root, who ignores modes)
    clip = tmp_path / "clip.npz"
    clip.mkdir()
    with pytest.raises(InputError) as caught:
        stamp_file(clip, None)
    assert str(caught.value) == (
        f"cannot read {clip}: Is a directory; fix its permissions or leave it out"
    )
