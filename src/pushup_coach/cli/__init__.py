"""Command-line interface: parse, call the library, print, set the exit code.

Every ``CoachError`` becomes a one-line ``error: ...`` on stderr and exit code 1; usage errors exit
2 (click's convention); ``--debug`` shows the traceback instead.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

import click

from pushup_coach import __version__
from pushup_coach.cli import coach as coach_cli
from pushup_coach.cli.analysis import analyze_command, eval_command
from pushup_coach.cli.batch import batch_command
from pushup_coach.cli.live import live_command
from pushup_coach.cli.serve import serve_command
from pushup_coach.cli.worker import worker_command
from pushup_coach.errors import CoachError


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="pushup-coach")
@click.option("--debug", is_flag=True, help="Show full tracebacks instead of one-line errors.")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """pushup-coach: watches your push-ups and coaches form that is good for your back.

    Everything runs on this computer; nothing is sent anywhere. Not medical advice.
    """
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug


cli.add_command(analyze_command)
cli.add_command(eval_command)
cli.add_command(live_command)
cli.add_command(coach_cli.consent_command)
cli.add_command(coach_cli.screen_command)
cli.add_command(coach_cli.baseline_command)
cli.add_command(coach_cli.plan_command)
cli.add_command(coach_cli.log_command)
cli.add_command(coach_cli.history_command)
cli.add_command(coach_cli.export_command)
cli.add_command(coach_cli.import_command)
cli.add_command(coach_cli.forget_command)
cli.add_command(coach_cli.correct_command)
cli.add_command(coach_cli.clear_command)
cli.add_command(serve_command)
cli.add_command(batch_command)
cli.add_command(worker_command)


def main(argv: Sequence[str] | None = None) -> None:
    """Console-script entry point."""
    args = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args
    try:
        cli.main(args=args, prog_name="pushup-coach", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(1)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except CoachError as exc:
        if debug:
            raise
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        sys.exit(130)
    sys.exit(0)
