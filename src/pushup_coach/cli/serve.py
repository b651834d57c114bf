"""``serve``: the web app on this computer (127.0.0.1 by default), with its URL printed."""

from __future__ import annotations

from pathlib import Path

import click

from pushup_coach.cli.coach_common import db_option
from pushup_coach.web.settings import (
    DEFAULT_HOST,
    DEFAULT_MAX_QUEUED_JOBS,
    DEFAULT_MAX_UPLOAD_MB,
    DEFAULT_PORT,
    DEFAULT_PROFILE,
    LOCAL_HOSTS,
    WebSettings,
)


@click.command("serve")
@db_option
@click.option("--host", default=DEFAULT_HOST, show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(1, 65535), default=DEFAULT_PORT, show_default=True)
@click.option(
    "--max-upload-mb",
    type=click.FloatRange(min=1),
    default=DEFAULT_MAX_UPLOAD_MB,
    show_default=True,
    help="Largest video accepted, in MB.",
)
@click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Where uploads and analysis results go (default: the data folder's web/).",
)
@click.option(
    "--profile",
    default=DEFAULT_PROFILE,
    show_default=True,
    help="Whose data the app shows (without --accounts).",
)
@click.option(
    "--accounts",
    is_flag=True,
    help="A shared install (household, club): each person signs up and sees only their own data.",
)
@click.option(
    "--lan",
    is_flag=True,
    help="Listen on the local network over HTTPS (a self-signed certificate made once), so a "
    "phone can open the camera page; prints the URL, a QR code and the certificate fingerprint.",
)
@click.option(
    "--max-queued-jobs",
    type=click.IntRange(min=1),
    default=DEFAULT_MAX_QUEUED_JOBS,
    show_default=True,
    help="Analyses that may wait; beyond it an upload is answered 503 busy, try again.",
)
@click.option(
    "--no-workers",
    is_flag=True,
    help="Only queue analyses: separate `pushup-coach worker` processes run them (several web "
    "processes on one PostgreSQL database; see docs/deploy.md).",
)
def serve_command(
    db_url: str | None,
    host: str,
    port: int,
    max_upload_mb: float,
    data_dir: Path | None,
    profile: str,
    accounts: bool,
    lan: bool,
    max_queued_jobs: int,
    no_workers: bool,
) -> None:
    """Open pushup-coach in your browser: upload a video, see your plan and history.

    Listens on this computer only (127.0.0.1) unless --host says otherwise. Nothing is loaded
    from the internet. Stop it with Ctrl+C.
    """
    import uvicorn

    from pushup_coach.storage.store import check_profile_name
    from pushup_coach.web.app import create_app

    settings = WebSettings(
        db_url=db_url,
        data_dir=data_dir,
        host=host,
        port=port,
        max_upload_mb=max_upload_mb,
        profile=check_profile_name(profile),
        allowed_hosts=(*LOCAL_HOSTS, host),
        accounts=accounts,
        max_queued_jobs=max_queued_jobs,
        queue_only=no_workers,
    )
    tls: tuple[str | None, str | None] = (None, None)  # certificate, key
    if lan:
        settings, tls = _on_the_lan(settings)
        host = settings.host
    else:
        click.echo(f"pushup-coach is running at {settings.url}  (Ctrl+C stops it)")
    # no access log: it would record who asked for what, which the privacy page promises not to
    uvicorn.run(
        create_app(settings),
        host=host,
        port=port,
        log_level="warning",
        access_log=False,
        # Idle kept-alive connections stay open 30 s, not uvicorn's 5: a client re-using one just
        # as the server closed it got "connection reset" under load (docs/performance.md, Load).
        timeout_keep_alive=30,
        ssl_certfile=tls[0],
        ssl_keyfile=tls[1],
    )


def _on_the_lan(settings: WebSettings) -> tuple[WebSettings, tuple[str | None, str | None]]:
    """``--lan``: every interface over HTTPS (certificate in the data folder's ``tls/``); prints
    the URL, its QR code, the fingerprint to compare on the phone, and the warning without
    accounts. Returns the settings to serve and uvicorn's certificate and key files."""
    from dataclasses import replace

    from pushup_coach.web.lan import LAN_HOST, banner, prepare_lan

    host = LAN_HOST if settings.host == DEFAULT_HOST else settings.host
    lan = prepare_lan(settings.root / "tls", settings.port, (*settings.allowed_hosts, host))
    click.echo(banner(lan.url, lan.cert, settings.accounts))
    tls = (str(lan.cert.cert_path), str(lan.cert.key_path))
    return replace(settings, host=host, allowed_hosts=lan.allowed_hosts), tls
