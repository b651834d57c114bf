# Sourced by scripts/check.sh (as root on a fresh Debian machine, maybe in CI with no stdin): make sure a
# headless Chromium is installed for the browser tests (the HTML report rendered for real, the overlay
# MP4 played by a browser). Idempotent: when `chromium` is on PATH it returns at once.
# It is sourced, so it never calls `exit`, and every command that may fail is guarded so the caller's
# `set -euo pipefail` keeps working. On failure it says why; the browser tests then skip with a reason.

_pushup_chromium_install() {
  if command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; then
    return 0
  fi
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "chromium.sh: no chromium and no apt-get; browser tests will skip" >&2
    return 0
  fi
  echo "chromium.sh: installing chromium for the browser tests" >&2
  if ! { DEBIAN_FRONTEND=noninteractive apt-get update -qq \
        && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; } >/dev/null 2>&1; then
    echo "chromium.sh: could not install chromium; browser tests will skip" >&2
  fi
  return 0
}

_pushup_chromium_install || true
