"""Screenshots of the web app's pages at desktop and phone size, into docs/screenshots/.

    .venv/bin/python scripts/web_screenshots.py [--clip calimiro/push-up_1.mp4] [--out DIR]

Starts the app (``create_app``, real pose model) on a temporary database, walks a person's way
through it in Debian's headless Chromium (driven by Playwright, never a downloaded browser):
consent, screening, baseline, a logged session, an uploaded real clip from ../shared/data; then
photographs every page (and, from a second app with ``accounts``, the sign-in pages) at 1280x800
and 390x844, and names any element wider than the window. Needs /usr/bin/chromium and the
shared clips.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from playwright.sync_api import sync_playwright

from pushup_coach.coach.screening import QUESTION_KEYS
from pushup_coach.web.settings import WebSettings

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "web"))
from web_helpers import free_port, running_server  # noqa: E402  (starts the app as the tests do)

CLIPS = ROOT.parent / "shared" / "data" / "pushup-clips"
CHROMIUM = "/usr/bin/chromium"
SIZES = {"desktop": (1280, 800), "phone": (390, 844)}
PAGES = {
    "home": "/",
    "upload": "/upload",
    "analysis": "/jobs/1",
    "analyses": "/jobs",
    "plan": "/plan",
    "log": "/log",
    "history": "/history",
    "screening": "/screen",
    "baseline": "/baseline",
    "my-data": "/data",
    "privacy": "/privacy",
    "consent": "/consent",
    "live": "/live",
}
SIGN_IN_PAGES = {"sign-in": "/login", "sign-up": "/signup"}  # from a second app, with accounts
# elements wider than the window (a phone's page would scroll sideways); tables scroll in a box
OVERFLOW = """() => [...document.querySelectorAll("body *")]
    .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1
                 && !e.closest(".table-wrap, .stage"))
    .slice(0, 5).map(e => e.tagName.toLowerCase() + (e.id ? "#" + e.id : ""))"""


def fill_history(page: Any, base: str, clip: Path) -> None:
    """Consent, screening, baseline, one logged session, one analysed upload saved with its
    check-in."""
    page.goto(f"{base}/consent?next=/screen")
    page.check("input[name=agree]")
    page.click("button[type=submit]")
    for key in QUESTION_KEYS:
        page.check(f"input[name={key}][value=no]")
    page.click("form[action='/screen'] button[type=submit]")
    page.goto(f"{base}/baseline")
    page.select_option("#variation", "knee")
    page.fill("#reps", "9")
    page.click("form[action='/baseline'] button[type=submit]")
    page.goto(f"{base}/log")
    page.fill("#sets", "8,7")
    page.fill("#rpe", "6")
    page.fill("#pain", "0")
    page.click("form[action='/log'] button[type=submit]")
    page.goto(f"{base}/upload")
    page.set_input_files("#video", str(clip))
    page.click("#send")
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        try:
            if page.evaluate("() => !!document.getElementById('rep-count')"):
                break
        except Exception:  # the page navigates while it is polled
            pass
        time.sleep(0.5)
    else:
        sys.exit("the analysis did not finish in 10 minutes")
    page.click("form[action$='/save'] button[type=submit]")  # into the history, then check in
    page.fill("#rpe", "7")
    page.fill("#pain", "0")
    page.click("form[action='/log'] button[type=submit]")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clip", default="calimiro/push-up_1.mp4")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    clip = CLIPS / args.clip
    if not Path(CHROMIUM).exists() or not clip.exists():
        sys.exit(f"needs {CHROMIUM} and {clip}")
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        settings = WebSettings(
            db_url=f"sqlite:///{tmp}/web.db", data_dir=Path(tmp) / "web", port=free_port()
        )
        accounts = replace(  # its own database: the sign-in pages only
            settings,
            db_url=f"sqlite:///{tmp}/accounts.db",
            data_dir=Path(tmp) / "accounts",
            port=free_port(),
            accounts=True,
        )
        with (
            running_server(settings, access_log=False) as base,
            running_server(accounts, access_log=False) as accounts_base,
            sync_playwright() as pw,
        ):
            browser = pw.chromium.launch(executable_path=CHROMIUM)
            fill_history(browser.new_page(), base, clip)
            photograph(browser, base, PAGES, args.out)
            photograph(browser, accounts_base, SIGN_IN_PAGES, args.out)
            browser.close()


def photograph(browser: Any, base: str, pages: dict[str, str], out: Path) -> None:
    """Each page at each size into ``out``; says which elements stick out of a page."""
    for size, (width, height) in SIZES.items():
        page = browser.new_page(viewport={"width": width, "height": height})
        for name, path in pages.items():
            page.goto(base + path)
            page.wait_for_load_state("networkidle")
            target = out / f"{name}-{size}.png"
            page.screenshot(path=str(target))
            wider = page.evaluate(OVERFLOW)
            print(target.relative_to(ROOT), f"  WIDER THAN THE WINDOW: {wider}" if wider else "")
        page.close()


if __name__ == "__main__":
    main()
