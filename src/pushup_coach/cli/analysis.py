"""``analyze`` and ``eval`` commands."""

from __future__ import annotations

import click


@click.command("analyze")
@click.argument("input_path", metavar="INPUT", type=click.Path())
def analyze_command(input_path: str) -> None:
    """Analyse a push-up video or landmark file (INPUT: .mp4 .mov .webm .mkv .avi .npz .csv)."""
    raise click.ClickException("not built yet")


@click.command("eval")
@click.argument("manifest", type=click.Path())
def eval_command(manifest: str) -> None:
    """Score the analysis against a labelled MANIFEST.csv."""
    raise click.ClickException("not built yet")
