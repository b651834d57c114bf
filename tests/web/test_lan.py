"""``serve --lan``: a self-signed certificate made once and kept (key 0600, names this machine's
host name and LAN addresses), the URL, QR code and fingerprint printed, and the app served over
TLS. Only 127.0.0.1 is ever bound here: the LAN addresses are given, never listened on."""

from __future__ import annotations

import ipaddress
import socket
import ssl
import stat
from dataclasses import replace
from pathlib import Path

import httpx
import pytest
import segno
from cryptography import x509
from web_helpers import free_port, make_settings, running_server

from pushup_coach.types import PoseSeries
from pushup_coach.web.lan import (
    CERT_FILE,
    KEY_FILE,
    Certificate,
    banner,
    ensure_certificate,
    fingerprint_of,
    prepare_lan,
    qr_code,
)

ADDRESSES = ["192.168.1.23", "10.0.0.7"]


def names_of(cert_path: Path) -> tuple[set[str], set[str]]:
    cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
    san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    ips = {str(ip) for ip in san.get_values_for_type(x509.IPAddress)}
    return set(san.get_values_for_type(x509.DNSName)), ips


def test_the_certificate_names_the_machine_and_its_key_is_private(tmp_path: Path) -> None:
    cert = ensure_certificate(tmp_path / "tls", "kitchen-pc", ADDRESSES)
    dns, ips = names_of(cert.cert_path)
    assert dns == {"kitchen-pc", "kitchen-pc.local", "localhost"}
    assert ips == {*ADDRESSES, "127.0.0.1"}
    assert stat.S_IMODE(cert.key_path.stat().st_mode) == 0o600
    assert cert.made and len(cert.fingerprint.split(":")) == 32


@pytest.mark.parametrize(
    ("hostname", "addresses", "kept"),
    [
        ("kitchen-pc", ADDRESSES, True),  # same machine, same network: same certificate
        ("kitchen-pc", ADDRESSES[:1], True),  # fewer addresses: still named
        ("kitchen-pc", [*ADDRESSES, "192.168.1.99"], False),  # a new address: made again
        ("other-name", ADDRESSES, False),  # renamed machine: made again
    ],
)
def test_the_certificate_is_kept_while_it_names_the_machine(
    tmp_path: Path, hostname: str, addresses: list[str], kept: bool
) -> None:
    folder = tmp_path / "tls"
    first = ensure_certificate(folder, "kitchen-pc", ADDRESSES)
    key_pem = (folder / KEY_FILE).read_bytes()
    again = ensure_certificate(folder, hostname, addresses)
    assert (again.fingerprint == first.fingerprint, again.made) == (kept, not kept)
    assert (folder / KEY_FILE).read_bytes() == key_pem  # the key is never made again
    assert {str(ipaddress.ip_address(a)) for a in addresses} <= names_of(folder / CERT_FILE)[1]


def test_the_banner_has_the_url_its_qr_code_and_the_fingerprint(tmp_path: Path) -> None:
    cert = ensure_certificate(tmp_path / "tls", "kitchen-pc", ADDRESSES)
    url = "https://192.168.1.23:8000/"
    text = banner(url, cert, accounts=False)
    assert url in text and cert.fingerprint in text and qr_code(url) in text
    assert "ANYONE on this network" in text
    assert "ANYONE" not in banner(url, cert, accounts=True)
    # the QR code is the URL's: the same modules as segno's own, drawn two rows a line
    matrix = segno.make(url, error="m").matrix
    assert len(qr_code(url).splitlines()) == (len(matrix) + 4 + 1) // 2


def test_serve_lan_answers_its_lan_names_at_an_https_url(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(socket, "gethostname", lambda: "kitchen-pc")
    monkeypatch.setattr("pushup_coach.web.lan.lan_addresses", lambda: list(ADDRESSES))
    lan = prepare_lan(tmp_path / "tls", 8443, ("127.0.0.1", "localhost"))
    assert lan.url == "https://192.168.1.23:8443/"
    assert {*ADDRESSES, "kitchen-pc", "kitchen-pc.local", "127.0.0.1"} <= set(lan.allowed_hosts)
    assert lan.cert.cert_path == tmp_path / "tls" / CERT_FILE


def test_the_app_is_served_over_tls_with_that_certificate(
    tmp_path: Path, series: PoseSeries, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PUSHUP_COACH_HOME", str(tmp_path / "home"))
    cert: Certificate = ensure_certificate(tmp_path / "tls", "kitchen-pc", [])
    settings = replace(
        make_settings(tmp_path, series), port=free_port(), allowed_hosts=("127.0.0.1",)
    )
    tls = {"ssl_certfile": str(cert.cert_path), "ssl_keyfile": str(cert.key_path)}
    with running_server(settings, **tls) as base:
        assert base.startswith("https://")
        trust = ssl.create_default_context(cafile=str(cert.cert_path))
        page = httpx.get(f"{base}/privacy", verify=trust)
        assert page.status_code == 200 and "what is stored" in page.text
        with pytest.raises(httpx.ConnectError):  # not trusted by default: the phone's warning
            httpx.get(f"{base}/privacy")


@pytest.mark.parametrize(
    ("options", "warned"), [(["--lan"], True), (["--lan", "--accounts"], False)]
)
def test_serve_lan_prints_the_banner_and_serves_tls(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, options: list[str], warned: bool
) -> None:
    """The command, with uvicorn.run replaced: nothing is bound, what it would serve is checked."""
    import uvicorn
    from click.testing import CliRunner

    from pushup_coach.cli import cli

    monkeypatch.setenv("PUSHUP_COACH_HOME", str(tmp_path / "home"))
    monkeypatch.setattr(socket, "gethostname", lambda: "kitchen-pc")
    monkeypatch.setattr("pushup_coach.web.lan.lan_addresses", lambda: list(ADDRESSES))
    ran: dict[str, object] = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: ran.update(kw, app=app))
    data_dir = tmp_path / "web"
    args = ["serve", "--db", f"sqlite:///{tmp_path / 'web.db'}", "--data-dir", str(data_dir)]
    result = CliRunner().invoke(cli, [*args, *options], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    cert = x509.load_pem_x509_certificate((data_dir / "tls" / CERT_FILE).read_bytes())
    url = "https://192.168.1.23:8000/"
    assert url in result.output and qr_code(url) in result.output
    assert fingerprint_of(cert) in result.output
    assert ("ANYONE on this network" in result.output) is warned
    assert ran["host"] == "0.0.0.0" and ran["port"] == 8000
    assert (ran["ssl_certfile"], ran["ssl_keyfile"]) == (
        str(data_dir / "tls" / CERT_FILE),
        str(data_dir / "tls" / KEY_FILE),
    )
    assert {"192.168.1.23", "kitchen-pc.local"} <= set(ran["app"].state.settings.allowed_hosts)
