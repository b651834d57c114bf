"""`screen --answers` keys are documented exactly: in docs/coach.md (table, example) and help."""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from click.testing import CliRunner

from pushup_coach.cli import cli
from pushup_coach.coach.screening import QUESTIONS, parse_answers

COACH_MD = Path(__file__).resolve().parents[2] / "docs" / "coach.md"
ROW = re.compile(r"^\| `(\w+)` \| (general|back|red flag) \| (.+) \|$", re.MULTILINE)


def answers_section() -> str:
    text = COACH_MD.read_text(encoding="utf-8")
    start = text.index("### Screening answers")
    return text[start : text.index("\n## ", start)]


def test_docs_table_lists_exactly_the_keys_the_code_reads_in_order() -> None:
    rows = [(key, section) for key, section, _ in ROW.findall(answers_section())]
    assert rows == [(q.key, q.section.value.replace("_", " ")) for q in QUESTIONS]


def test_docs_example_is_a_complete_answer_file() -> None:
    block = answers_section().split("```yaml\n", 1)[1].split("```", 1)[0]
    answers = parse_answers(yaml.safe_load(block))  # raises on a missing or unknown key
    assert [k for k, v in answers.items() if v] == ["back_condition"]


def test_help_names_every_key() -> None:
    help_text = " ".join(CliRunner().invoke(cli, ["screen", "--help"]).output.split())
    assert [q.key for q in QUESTIONS if q.key not in help_text] == []
