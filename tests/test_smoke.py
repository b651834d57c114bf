from click.testing import CliRunner

from pushup_coach.cli import cli


def test_help_lists_commands() -> None:
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0
    assert "analyze" in result.output
