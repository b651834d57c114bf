"""Vendor what the live page runs in the browser, reproducibly, into the package.

    .venv/bin/python scripts/build_web_assets.py [--check]

1. ``npm ci`` in ``web-assets/`` (package.json + package-lock.json pin ``@mediapipe/tasks-vision``
   and its integrity hash), then copy its JS bundle and the SIMD wasm runtime into
   ``src/pushup_coach/web/static/live/vendor/tasks-vision/``.
2. Build ``pose_landmarker_full.task`` (the Tasks API's pose model bundle) from the two tflite
   files inside the ``mediapipe`` wheel the project pins, as ``benchmarks/tasks_api.py`` does: the
   float models get the input-normalisation metadata the Tasks API reads (detector mean/std 127.5,
   landmarks mean 0 std 255), written by mediapipe's own metadata writers; zip entries carry a
   fixed date, so the same wheel gives the same bytes.
3. Write ``PROVENANCE.md`` (versions, sources, sizes, sha256) and the Apache-2.0 ``LICENSE`` next to
   them. PROVENANCE.md is committed; the binaries (about 23 MB) are not, so a rebuild that changes
   a byte shows up as a diff of PROVENANCE.md, and ``--check`` fails when the files on disk do not
   match it.

Nothing here runs at serve time, and the page fetches nothing from anywhere but this package.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NPM_DIR = ROOT / "web-assets"
VENDOR = ROOT / "src" / "pushup_coach" / "web" / "static" / "live" / "vendor"
PACKAGE = NPM_DIR / "node_modules" / "@mediapipe" / "tasks-vision"
# (file in the npm package, name under vendor/tasks-vision). Only the SIMD build of the wasm
# runtime: every browser that can run this page (Chrome 91+, Safari 16.4+, Firefox 89+) has
# WebAssembly SIMD, and the nosimd copy would add 12 MB nobody loads.
NPM_FILES = [
    ("vision_bundle.mjs", "vision_bundle.mjs"),
    ("wasm/vision_wasm_internal.js", "vision_wasm_internal.js"),
    ("wasm/vision_wasm_internal.wasm", "vision_wasm_internal.wasm"),
]
# (file in the wheel's mediapipe/modules, name in the bundle, normalisation mean, std, outputs)
MODELS = [
    ("pose_detection/pose_detection.tflite", "pose_detector.tflite", 127.5, 127.5, 2),
    ("pose_landmark/pose_landmark_full.tflite", "pose_landmarks_detector.tflite", 0.0, 255.0, 5),
]
BUNDLE = "models/pose_landmarker_full.task"
# MediaPipe Tasks posts usage metrics to Google every minute, with no option to turn it off (its
# README's privacy notice). The page's Content-Security-Policy (connect-src 'self') already blocks
# it; the vendored bundle also points it at a path this server does not answer, so it stops after
# one failed try even where no CSP applies. Apache-2.0 section 4(b): the file says it was changed.
METRICS_URL = "https://odml.pa.googleapis.com/v1/log"
METRICS_OFF = "/static/live/vendor/metrics-disabled"
PATCH_NOTE = (
    "// Changed by pushup-coach (scripts/build_web_assets.py): the usage-metrics URL "
    f"{METRICS_URL} is replaced by {METRICS_OFF}, which does not exist, so nothing is sent.\n"
)
_FIXED_DATE = (1980, 1, 1, 0, 0, 0)


def npm_install() -> str:
    """``npm ci`` the pinned packages; returns the installed tasks-vision version."""
    npm = shutil.which("npm")
    if npm is None:
        sys.exit("npm not found: install Node.js 20 and npm (Debian: apt-get install nodejs npm)")
    cmd = [npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"]
    subprocess.run(cmd, cwd=NPM_DIR, check=True)
    return str(json.loads((PACKAGE / "package.json").read_text())["version"])


def copy_npm_files() -> None:
    target = VENDOR / "tasks-vision"
    target.mkdir(parents=True, exist_ok=True)
    for source, name in NPM_FILES:
        shutil.copyfile(PACKAGE / source, target / name)
    bundle = target / "vision_bundle.mjs"
    text = bundle.read_text(encoding="utf-8")
    if text.count(METRICS_URL) != 1:
        sys.exit(f"{bundle.name}: expected the metrics URL once; check the new version's telemetry")
    bundle.write_text(PATCH_NOTE + text.replace(METRICS_URL, METRICS_OFF), encoding="utf-8")


def build_bundle(target: Path) -> str:
    """Write the pose model bundle from the wheel's models; returns the mediapipe version."""
    import mediapipe
    from mediapipe.tasks.python.metadata.metadata_writers import metadata_writer

    modules = Path(mediapipe.__file__).parent / "modules"
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(target, "w") as bundle:
        for source, name, mean, std, n_outputs in MODELS:
            writer = metadata_writer.MetadataWriter.create((modules / source).read_bytes())
            writer.add_general_info(
                name, f"BlazePose from the mediapipe {mediapipe.__version__} wheel"
            )
            writer.add_image_input(norm_mean=[mean], norm_std=[std])
            for k in range(n_outputs):
                writer.add_feature_output(name=f"output_{k}")
            model, _ = writer.populate()
            bundle.writestr(zipfile.ZipInfo(name, date_time=_FIXED_DATE), model)
    return str(mediapipe.__version__)


def licence_text() -> str:
    """MediaPipe's Apache-2.0 licence, as the mediapipe wheel ships it (the npm package, from
    the same project and under the same licence per its package.json, ships no licence file)."""
    from importlib.metadata import distribution

    dist = distribution("mediapipe")
    files = [f for f in dist.files or () if f.name == "LICENSE" and "dist-info" in str(f)]
    if not files:
        sys.exit("the mediapipe wheel has no LICENSE file; reinstall it: pip install -e .")
    return Path(str(dist.locate_file(files[0]))).read_text()


def vendored_files() -> list[Path]:
    names = [f"tasks-vision/{name}" for _, name in NPM_FILES] + [BUNDLE]
    return [VENDOR / name for name in names]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def provenance(npm_version: str, mediapipe_version: str) -> str:
    rows = "\n".join(
        f"| `{p.relative_to(VENDOR)}` | {p.stat().st_size:,} | `{sha256(p)}` |"
        for p in vendored_files()
    )
    return f"""# Vendored browser assets (built by scripts/build_web_assets.py; do not edit)

Served at `/static/live/vendor/` to the `/live` page. Nothing is fetched from anywhere else.

- `tasks-vision/`: npm `@mediapipe/tasks-vision` {npm_version} (its integrity hash is pinned in
  `web-assets/package-lock.json`): the JS bundle (usage-metrics URL disabled, see below) and
  the SIMD wasm runtime. Apache-2.0 (see LICENSE).
- `models/pose_landmarker_full.task`: built from `pose_detection/pose_detection.tflite` and
  `pose_landmark/pose_landmark_full.tflite` (BlazePose full) inside the PyPI wheel `mediapipe`
  {mediapipe_version}. Apache-2.0 (see LICENSE, the wheel's own licence file).

The bundle's float models carry input-normalisation metadata written by mediapipe's own
metadata writers (detector mean 127.5 std 127.5; landmarks mean 0 std 255); zip entries are
stored with a fixed date, so a rebuild from the same wheel gives the same bytes.

`vision_bundle.mjs` is changed in one place: MediaPipe Tasks posts usage metrics to
`{METRICS_URL}` every minute (no option turns it off); the URL is replaced by
`{METRICS_OFF}`, which does not exist, so nothing leaves the device. The `/live` page's
Content-Security-Policy (`connect-src 'self'`) blocks any other address as well.

| file | bytes | sha256 |
|---|---|---|
{rows}
"""


def check() -> int:
    """0 when every vendored file exists and matches PROVENANCE.md, else 1 (and say which)."""
    text = (VENDOR / "PROVENANCE.md").read_text()
    recorded = dict(re.findall(r"^\| `([^`]+)` \| [\d,]+ \| `([0-9a-f]{64})` \|$", text, re.M))
    bad = [
        str(p.relative_to(VENDOR))
        for p in vendored_files()
        if not p.exists() or recorded.get(str(p.relative_to(VENDOR))) != sha256(p)
    ]
    for name in bad:
        print(f"{name}: missing or not the recorded build; run scripts/build_web_assets.py")
    return 1 if bad else 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument(
        "--check", action="store_true", help="only verify the files against PROVENANCE.md"
    )
    args = ap.parse_args()
    if args.check:
        return check()
    npm_version = npm_install()
    copy_npm_files()
    mediapipe_version = build_bundle(VENDOR / BUNDLE)
    (VENDOR / "LICENSE").write_text(licence_text())
    (VENDOR / "PROVENANCE.md").write_text(provenance(npm_version, mediapipe_version))
    total = sum(p.stat().st_size for p in vendored_files())
    print(f"vendored {len(vendored_files())} files, {total / 1e6:.1f} MB, into {VENDOR}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
