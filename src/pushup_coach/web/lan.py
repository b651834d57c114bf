"""``serve --lan``: the web app on the local network over HTTPS, so a phone may open its camera.

Browsers give the camera only to a secure page, and a phone reaches this computer by its LAN
address, not ``localhost``: so ``--lan`` serves HTTPS with a self-signed certificate made here,
once. Its key is written 0600 in the data folder and kept; the certificate names this machine's
host name and LAN addresses (and loopback), and is made again (same key) only when they change or
it nears its end. The phone cannot know the certificate, so it warns once: the person compares the
SHA-256 fingerprint the terminal prints with the one the phone shows, then accepts.
"""

from __future__ import annotations

import datetime as dt
import io
import ipaddress
import os
import socket
from dataclasses import dataclass
from pathlib import Path

import segno
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from pushup_coach.errors import CoachError

CERT_DAYS = 825  # the longest validity Apple devices accept for a TLS server certificate
RENEW_DAYS = 30  # made again when fewer days than this are left
LAN_HOST = "0.0.0.0"  # listen on every interface (loopback included)
KEY_FILE, CERT_FILE = "key.pem", "cert.pem"
IpAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class CertificateError(CoachError):
    """The TLS certificate or key could not be made or read."""


@dataclass(frozen=True)
class Certificate:
    """A certificate and key on disk, and the fingerprint a person checks on the phone."""

    cert_path: Path
    key_path: Path
    fingerprint: str  # SHA-256 of the DER certificate, "AB:CD:..."
    names: tuple[str, ...]  # DNS names and IP addresses it is valid for
    made: bool  # made (or remade) by this run, rather than reused


def lan_addresses() -> list[str]:
    """This machine's non-loopback IPv4 addresses: the route to the outside first (no packet is
    sent: connecting a UDP socket only picks the interface), then the host name's."""
    found: list[str] = []
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("192.0.2.1", 9))  # TEST-NET-1: never routed anywhere
            found.append(probe.getsockname()[0])
    except OSError:
        pass
    try:
        infos = socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)
    except OSError:
        infos = []
    found += [str(info[4][0]) for info in infos]
    unique = dict.fromkeys(a for a in found if not ipaddress.ip_address(a).is_loopback)
    return list(unique)


def wanted_names(hostname: str, addresses: list[str]) -> tuple[list[str], list[IpAddress]]:
    """The DNS names and IPs a certificate for this machine must name (loopback always)."""
    dns = list(dict.fromkeys(n for n in (hostname, f"{hostname}.local", "localhost") if n))
    ips = [ipaddress.ip_address(a) for a in dict.fromkeys([*addresses, "127.0.0.1"])]
    return dns, ips


def ensure_certificate(folder: Path, hostname: str, addresses: list[str]) -> Certificate:
    """The certificate in ``folder`` for ``hostname`` and ``addresses``: the one already there
    when it names them all and is not near its end, else a new one signed by the kept key."""
    dns, ips = wanted_names(hostname, addresses)
    folder.mkdir(parents=True, exist_ok=True)
    key = _load_or_make_key(folder / KEY_FILE)
    cert_path = folder / CERT_FILE
    cert = _read_cert(cert_path)
    made = cert is None or not _still_good(cert, dns, ips, key)
    if cert is None or made:
        cert = _make_cert(key, dns, ips)
        cert_path.write_bytes(cert.public_bytes(Encoding.PEM))
    san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    names = (
        *san.get_values_for_type(x509.DNSName),
        *map(str, san.get_values_for_type(x509.IPAddress)),
    )
    return Certificate(cert_path, folder / KEY_FILE, fingerprint_of(cert), names, made)


def fingerprint_of(cert: x509.Certificate) -> str:
    return ":".join(f"{b:02X}" for b in cert.fingerprint(hashes.SHA256()))


def _load_or_make_key(path: Path) -> ec.EllipticCurvePrivateKey:
    if path.is_file():
        try:
            key = serialization.load_pem_private_key(path.read_bytes(), password=None)
        except ValueError as exc:
            raise CertificateError(
                f"{path} is not a readable key ({exc}); delete it and run again"
            ) from exc
        if not isinstance(key, ec.EllipticCurvePrivateKey):
            raise CertificateError(f"{path} is not an EC key; delete it and run again")
        return key
    key = ec.generate_private_key(ec.SECP256R1())
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    # made 0600 from the start: the key is never readable by others, not even for a moment
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as out:
        out.write(pem)
    return key


def _read_cert(path: Path) -> x509.Certificate | None:

    if not path.is_file():
        return None
    try:
        return x509.load_pem_x509_certificate(path.read_bytes())
    except ValueError:
        return None  # made again below


def _still_good(
    cert: x509.Certificate, dns: list[str], ips: list[IpAddress], key: ec.EllipticCurvePrivateKey
) -> bool:
    raw = serialization.PublicFormat.SubjectPublicKeyInfo
    same_key = cert.public_key().public_bytes(serialization.Encoding.DER, raw) == (
        key.public_key().public_bytes(serialization.Encoding.DER, raw)
    )
    san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    names_ok = set(dns) <= set(san.get_values_for_type(x509.DNSName)) and set(ips) <= set(
        san.get_values_for_type(x509.IPAddress)
    )
    left = cert.not_valid_after_utc - dt.datetime.now(dt.UTC)
    return same_key and names_ok and left > dt.timedelta(days=RENEW_DAYS)


def _make_cert(
    key: ec.EllipticCurvePrivateKey, dns: list[str], ips: list[IpAddress]
) -> x509.Certificate:
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"pushup-coach on {dns[0]}")])
    now = dt.datetime.now(dt.UTC)
    alt = [*(x509.DNSName(n) for n in dns), *(x509.IPAddress(ip) for ip in ips)]
    builder = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=CERT_DAYS))
        .add_extension(x509.SubjectAlternativeName(alt), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
    )
    return builder.sign(key, hashes.SHA256())


def qr_code(url: str) -> str:
    """``url`` as a QR code of text blocks, for a phone's camera to read off the terminal."""

    out = io.StringIO()
    segno.make(url, error="m").terminal(out=out, compact=True, border=2)
    return out.getvalue()


def banner(url: str, cert: Certificate, accounts: bool) -> str:
    """What ``serve --lan`` prints: the URL, its QR code, the fingerprint and, without accounts,
    the warning that anyone on the network can open the pages."""
    lines = [
        f"pushup-coach is running at {url}  (Ctrl+C stops it)",
        "Open it on your phone (same Wi-Fi), or scan:",
        qr_code(url),
        "The phone will warn that the certificate is not trusted (it was made on this computer).",
        "Accept it only if the SHA-256 fingerprint it shows is:",
        f"  {cert.fingerprint}",
        f"certificate: {cert.cert_path} ({'new' if cert.made else 'kept'}), valid for "
        + ", ".join(cert.names),
    ]
    if not accounts:
        lines += [
            "",
            "WARNING: without --accounts, ANYONE on this network can open these pages and see or "
            "erase your health answers and sessions. Use --accounts on a shared network.",
        ]
    return "\n".join(lines)


@dataclass(frozen=True)
class LanServe:
    """How ``serve --lan`` listens: the certificate, the host names to answer, the phone's URL."""

    cert: Certificate
    allowed_hosts: tuple[str, ...]
    url: str


def prepare_lan(tls_dir: Path, port: int, local_hosts: tuple[str, ...]) -> LanServe:
    """The certificate (made or kept in ``tls_dir``) and the URL a phone on the LAN opens."""
    hostname = socket.gethostname()
    addresses = lan_addresses()
    cert = ensure_certificate(tls_dir, hostname, addresses)
    dns, _ = wanted_names(hostname, addresses)
    where = addresses[0] if addresses else f"{hostname}.local"
    hosts = tuple(dict.fromkeys((*local_hosts, *addresses, *dns)))
    return LanServe(cert, hosts, f"https://{where}:{port}/")
