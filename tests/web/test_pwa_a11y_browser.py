"""The app in headless Chromium: installable and open offline once loaded (web manifest, service
worker), and no serious or critical accessibility violation (axe-core) and nothing wider than the
window on any page at desktop or phone size.

axe-core comes from the npm registry, pinned in ``web-assets/package.json`` (a devDependency:
``scripts/build_web_assets.py`` installs it with the rest; it is never served to users) and is
injected into each page by the test. Debian's ``/usr/bin/chromium`` is driven by Playwright; one
browser serves the whole module. The server is the app under uvicorn on 127.0.0.1, analysing with
the replay backend.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from coach_flow import placed
from web_helpers import JSON, free_port, make_settings, running_server

from pushup_coach.types import PoseSeries

CHROMIUM = "/usr/bin/chromium"
AXE = (
    Path(__file__).resolve().parents[2] / "web-assets" / "node_modules" / "axe-core" / "axe.min.js"
)
VENDOR = Path(__file__).resolve().parents[2] / "src/pushup_coach/web/static/live/vendor"
WASM = ("tasks-vision/vision_wasm_internal.wasm", "tasks-vision/vision_bundle.mjs")
SIZES = {"desktop": (1280, 800), "phone": (390, 844)}
BLOCKING = ("serious", "critical")
PAGES = (
    "/", "/upload", "/screen", "/baseline", "/plan", "/log", "/history", "/jobs", "/privacy",
    "/data", "/live", "/consent",
)  # fmt: skip


def kept(url: str = "location.href", wanted: bool = True) -> str:
    """JS: whether a cache of this origin holds ``url`` (under a controlling service worker)."""
    return f"""() => caches.keys().then(names => Promise.all(
        names.map(name => caches.open(name).then(c => c.match({url})))))
        .then(found => found.some(Boolean) === {str(wanted).lower()}
                       && Boolean(navigator.serviceWorker.controller))"""


pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists(),
    reason=f"no Chromium at {CHROMIUM}: run scripts/services/chromium.sh to install Debian's",
)
playwright_api = pytest.importorskip("playwright.sync_api", reason="playwright not installed")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with playwright_api.sync_playwright() as pw:
        launched = pw.chromium.launch(executable_path=CHROMIUM)
        yield launched
        launched.close()


def serve(tmp_path: Path, series: PoseSeries, **changes: object) -> Any:
    settings = make_settings(
        tmp_path, series, port=free_port(), allowed_hosts=("127.0.0.1",), **changes
    )
    return running_server(settings)


@pytest.fixture(scope="module")
def server(
    tmp_path_factory: pytest.TempPathFactory, series: PoseSeries, clip: Path
) -> Iterator[tuple[str, int]]:
    """A person placed on the plan, with a logged session and one finished analysis."""
    tmp_path = tmp_path_factory.mktemp("pwa")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PUSHUP_COACH_HOME", str(tmp_path / "home"))
        patch.delenv("PUSHUP_COACH_DB", raising=False)
        with serve(tmp_path, series) as base, httpx.Client(base_url=base) as client:
            client.follow_redirects = True
            placed(client)  # type: ignore[arg-type]
            assert client.post("/log", data={"sets": "8", "pain": "0"}).status_code == 200
            files = {"video": ("set.mp4", clip.read_bytes(), "video/mp4")}
            job = client.post("/upload", files=files, data={"token": "a11y"}, headers=JSON)
            job_id = int(job.json()["job"])
            deadline = time.monotonic() + 60
            while client.get(f"/jobs/{job_id}.json").json()["status"] not in ("done", "failed"):
                assert time.monotonic() < deadline, "the analysis did not finish"
                time.sleep(0.2)
            yield base, job_id


def wait_until(page: Any, script: str, what: str, timeout_s: float = 30.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not page.evaluate(script):
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


def violations(page: Any) -> list[str]:
    """axe-core's serious and critical violations on the page, one line each."""
    page.add_script_tag(path=str(AXE))
    found = page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ["violations"]})).violations
            .map(v => ({id: v.id, impact: v.impact, help: v.help,
                        nodes: v.nodes.slice(0, 3).map(n => n.target.join(" "))}))"""
    )
    return [
        f"{v['impact']}: {v['id']} ({v['help']}) at {v['nodes']}"
        for v in found
        if v["impact"] in BLOCKING
    ]


# elements wider than the window, which make a phone's page scroll sideways (a scrolling table
# inside its own box is fine: its box fits)
OVERFLOW = """() => document.documentElement.scrollWidth <= window.innerWidth ? [] :
    [...document.querySelectorAll("body *")]
      .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1
                   && !e.closest(".table-wrap, .stage"))
      .slice(0, 5).map(e => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "")
                         + (e.className ? "." + String(e.className).split(" ")[0] : ""))"""


def overflowing(page: Any) -> list[str]:
    offenders: list[str] = page.evaluate(OVERFLOW)
    width = page.evaluate("() => document.documentElement.scrollWidth")
    return [f"page {width}px wide, wider than the window, by {offenders}"] if offenders else []


def check_pages(browser: Any, base: str, paths: tuple[str, ...]) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    for size, (width, height) in SIZES.items():
        context = browser.new_context(viewport={"width": width, "height": height}, bypass_csp=True)
        page = context.new_page()
        for path in paths:
            response = page.goto(base + path)
            assert response is not None and response.ok, path
            found = violations(page) + overflowing(page)
            if found:
                problems[f"{path} ({size})"] = found
        context.close()
    return problems


@pytest.mark.skipif(not AXE.is_file(), reason="axe-core missing: run scripts/build_web_assets.py")
def test_no_page_has_a_serious_accessibility_violation(
    browser: Any, server: tuple[str, int]
) -> None:
    base, job_id = server
    problems = check_pages(browser, base, (*PAGES, f"/jobs/{job_id}"))
    assert not problems, "\n".join(f"{where}: {found}" for where, found in problems.items())


@pytest.mark.skipif(not AXE.is_file(), reason="axe-core missing: run scripts/build_web_assets.py")
def test_the_sign_in_pages_are_accessible(
    browser: Any, tmp_path: Path, series: PoseSeries, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PUSHUP_COACH_HOME", str(tmp_path / "home"))
    with serve(tmp_path, series, accounts=True) as base:
        problems = check_pages(browser, base, ("/login", "/signup"))
    assert not problems, "\n".join(f"{where}: {found}" for where, found in problems.items())


@pytest.mark.parametrize("path", ["/", "/privacy"])
def test_a_loaded_page_opens_offline(browser: Any, server: tuple[str, int], path: str) -> None:
    base, _ = server
    context = browser.new_context()
    page = context.new_page()
    page.goto(base + path)
    wait_until(page, kept(), "the service worker to keep the page")
    heading = page.inner_text("h1")
    context.set_offline(True)
    page.reload()
    assert page.inner_text("h1") == heading
    assert page.evaluate("() => Boolean(navigator.serviceWorker.controller)")
    context.close()


def test_the_app_is_installable(server: tuple[str, int]) -> None:
    base, _ = server
    manifest = httpx.get(f"{base}/manifest.webmanifest")
    assert manifest.headers["content-type"].startswith("application/manifest+json")
    icons = {icon["sizes"]: icon["src"] for icon in manifest.json()["icons"]}
    assert {"192x192", "512x512"} <= set(icons)
    for src in icons.values():
        assert httpx.get(base + src).headers["content-type"] == "image/png"
    worker = httpx.get(f"{base}/sw.js")
    assert worker.headers["content-type"].startswith("text/javascript")
    assert "no-cache" in worker.headers["cache-control"]
    home = httpx.get(base + "/").text
    assert '<link rel="manifest" href="/manifest.webmanifest">' in home


def test_signing_out_forgets_the_pages_kept_offline(
    browser: Any, tmp_path: Path, series: PoseSeries, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The sign-in page (where signing out lands) and the erased page delete the kept pages."""
    monkeypatch.setenv("PUSHUP_COACH_HOME", str(tmp_path / "home"))
    with serve(tmp_path, series, accounts=True) as base:
        context = browser.new_context()
        page = context.new_page()
        page.goto(f"{base}/privacy")
        wait_until(page, kept(f"'{base}/privacy'"), "the page kept")
        page.goto(f"{base}/login")
        wait_until(page, kept(f"'{base}/privacy'", wanted=False), "the kept pages deleted")
        context.close()


@pytest.mark.skipif(
    not (VENDOR / "models" / "pose_landmarker_full.task").is_file(),
    reason="the live page's assets are not built: run scripts/build_web_assets.py",
)
def test_the_live_page_loads_its_pose_model_offline(browser: Any, server: tuple[str, int]) -> None:
    """Once /live has loaded the MediaPipe runtime, wasm and model, they come from the cache."""
    base, _ = server
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{base}/live")
    ready = "() => document.getElementById('status').textContent.startsWith('Ready')"
    wait_until(page, ready, "the pose model to load", timeout_s=120)
    for name in ("models/pose_landmarker_full.task", *WASM):
        wait_until(page, kept(f"'{base}/static/live/vendor/{name}'"), f"{name} kept", 120)
    context.set_offline(True)
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text))
    page.on("requestfailed", lambda request: errors.append(f"failed: {request.url}"))
    page.reload()
    try:
        wait_until(page, ready, "the pose model to load offline", timeout_s=60)
    except AssertionError:
        raise AssertionError(f"{page.inner_text('#status')}: {errors}") from None
    context.close()
