#!/usr/bin/env bash
# The long fuzzing run: each harness for SECONDS (default 180) on one core, its corpus kept in
# ${PUSHUP_COACH_FUZZ_DIR:-~/.cache/pushup-coach/fuzz} (never committed), crashes saved there as
# crash-* files. Prints one summary line per harness; docs/reliability.md records the figures.
#   fuzz/run.sh [SECONDS]
set -u
cd "$(dirname "$0")/.."
seconds="${1:-180}"
python="${PYTHON:-.venv/bin/python}"
root="${PUSHUP_COACH_FUZZ_DIR:-$HOME/.cache/pushup-coach/fuzz}"
status=0
for harness in fuzz_landmarks_csv fuzz_landmarks_npz fuzz_settings; do
    corpus="$root/$harness/corpus"
    mkdir -p "$corpus"
    "$python" fuzz/seeds.py "$root/seeds" >/dev/null
    case "$harness" in
        fuzz_landmarks_csv) seeds="$root/seeds/csv" ;;
        fuzz_landmarks_npz) seeds="$root/seeds/npz" ;;
        *) seeds="$root/seeds/settings" ;;
    esac
    log="$root/$harness/last-run.log"
    "$python" "fuzz/$harness.py" -max_total_time="$seconds" -print_final_stats=1 \
        -artifact_prefix="$root/$harness/" "$corpus" "$seeds" >"$log" 2>&1
    code=$?
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$')
    crashes=$(find "$root/$harness" -maxdepth 1 -name 'crash-*' | wc -l)
    echo "$harness: exit $code, ${runs:-?} inputs in ${seconds}s, corpus $(ls "$corpus" | wc -l)" \
        "files, crash files $crashes (log: $log)"
    [ "$code" -eq 0 ] || status=1
done
exit $status
