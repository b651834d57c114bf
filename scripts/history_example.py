"""Draw docs/history-example.png: the four-week example history, through the real CLI.

    .venv/bin/python scripts/history_example.py [--out docs/history-example.png]

The sessions come from the tests' builder (``tests/storage/history_builder.py``: knee push-ups,
full after two 12-rep sessions, a sharp lower-back pain check-in that moves back to knee, then
full again). They are stored in a throwaway SQLite database, then ``pushup-coach history`` prints
the table and draws the plot exactly as it does for a person.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from click.testing import CliRunner

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "storage"))

from history_builder import four_week_history  # noqa: E402

from pushup_coach.cli import cli  # noqa: E402
from pushup_coach.storage import Store  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "history-example.png")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'example.db'}"
        with Store.open(url) as store:
            store.create_profile("ana", "Europe/Berlin", "mon,wed,fri")
            for session in four_week_history():
                store.add_session("ana", session)
        result = CliRunner().invoke(
            cli, ["history", "--db", url, "--profile", "ana", "--plot", str(args.out)]
        )
    print(result.output, end="")
    if result.exit_code != 0:
        raise SystemExit(result.exit_code)


if __name__ == "__main__":
    main()
