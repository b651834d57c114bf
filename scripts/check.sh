#!/usr/bin/env bash
# The whole test suite: set up the virtualenv, start the services tests need, lint, type-check, test.
# The README's second command and .ci/run both call exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="${PUSHUP_COACH_VENV:-.venv}"
if [ ! -x "$VENV/bin/python" ]; then
  python3.11 -m venv "$VENV" 2>/dev/null || python3 -m venv "$VENV"
fi
"$VENV/bin/python" -m pip install -q --upgrade pip
"$VENV/bin/python" -m pip install -q -e '.[dev]'
# The live page's pose model and wasm runtime (23 MB, not committed): built once, from npm and the
# mediapipe wheel, and rebuilt only when the files differ from their PROVENANCE.md.
"$VENV/bin/python" scripts/build_web_assets.py --check >/dev/null || "$VENV/bin/python" scripts/build_web_assets.py
# The Ray head (scripts/services/ray.sh) must not outlive the run, whether it passes or fails.
trap 'if declare -F pushup_ray_stop >/dev/null; then pushup_ray_stop; fi' EXIT
# Each service script installs and starts one service the tests need, and may export variables
# (for example PUSHUP_COACH_TEST_PG) that the tests read; so they are sourced, not run.
for hook in scripts/services/*.sh; do
  # shellcheck disable=SC1090
  [ -e "$hook" ] && source "$hook"
done
echo "== ruff"
"$VENV/bin/ruff" check src tests benchmarks
"$VENV/bin/ruff" format --check src tests benchmarks
echo "== mypy"
"$VENV/bin/mypy" src
echo "== pytest"
set +e
"$VENV/bin/pytest" "$@"
rc=$?
set -e
if [ "$rc" -eq 5 ]; then
  echo "pytest collected no tests: that is a failure here" >&2
  exit 1
fi
exit "$rc"
