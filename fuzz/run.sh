#!/usr/bin/env bash
# The long fuzzing run: each fuzz/fuzz_*.py harness (or those named) for SECONDS (default 180)
# on one core, its corpus kept in ${PUSHUP_COACH_FUZZ_DIR:-~/.cache/pushup-coach/fuzz} (never
# committed; an empty corpus starts from the harness's seeds), crashes saved there as crash-*.
# Prints one summary line per harness; docs/reliability.md records the figures.
#   fuzz/run.sh [SECONDS] [fuzz_landmarks_csv ...]
set -u
cd "$(dirname "$0")/.."
seconds="${1:-180}"
shift || true
python="${PYTHON:-.venv/bin/python}"
root="${PUSHUP_COACH_FUZZ_DIR:-$HOME/.cache/pushup-coach/fuzz}"
if [ "$#" -gt 0 ]; then
    harnesses=("$@")
else
    harnesses=()
    for path in fuzz/fuzz_*.py; do
        # fuzz_video.py is not an atheris harness: it runs its own bounded corpus (see its --help)
        [ "$(basename "$path")" = fuzz_video.py ] && continue
        harnesses+=("$(basename "$path" .py)")
    done
fi
status=0
for harness in "${harnesses[@]}"; do
    corpus="$root/$harness/corpus"
    mkdir -p "$corpus"
    log="$root/$harness/last-run.log"
    "$python" "fuzz/$harness.py" -max_total_time="$seconds" -print_final_stats=1 \
        -artifact_prefix="$root/$harness/" "$corpus" >"$log" 2>&1
    code=$?
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$')
    crashes=$(find "$root/$harness" -maxdepth 1 -name 'crash-*' | wc -l)
    echo "$harness: exit $code, ${runs:-?} inputs in ${seconds}s, corpus $(ls "$corpus" | wc -l)" \
        "files, crash files $crashes (log: $log)"
    [ "$code" -eq 0 ] || status=1
done
exit $status
