#!/usr/bin/env bash
# The engine's CPU path against PyTorch CPU on one thread (TARGETS.md): Rust R=64 >= 4x PyTorch's
# 64 models through bmm; R=1 against PyTorch's plain loop is printed beside it, without a target
# (a plain loop is all framework overhead at this size). These machines are noisy, so the two
# are measured alternately, ROUNDS times each, in one run, and the medians compared.
#
#   PYTHON=/path/to/venv/bin/python benches/compare_cpu.sh    # a Python with torch 2.15
#
# Prints one line per figure and a final JSON line
# {"bench":"compare_cpu","rounds":..,"results":[{"activation","runs","rust","pytorch","ratio","target","met"}]}.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-python3}"
ROUNDS="${ROUNDS:-3}"
RUNS="1,64"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

cargo bench --bench training --no-run >&2
for i in $(seq "$ROUNDS"); do
    echo "round $i/$ROUNDS: rust" >&2
    TRAINING_BACKENDS=cpu TRAINING_RUNS="$RUNS" TRAINING_CRITERION=0 \
        cargo bench --quiet --bench training 2>/dev/null | tail -n 1 >"$out/rust.$i.json"
    echo "round $i/$ROUNDS: pytorch" >&2
    "$PYTHON" benches/pytorch_cpu.py --runs "$RUNS" >"$out/pytorch.$i.json"
done

"$PYTHON" - "$out" "$ROUNDS" <<'EOF'
import glob, json, statistics, sys

out, rounds = sys.argv[1], int(sys.argv[2])
figures = {}  # (who, activation, runs) -> [run-steps/s per round]
for who in ["rust", "pytorch"]:
    for path in sorted(glob.glob(f"{out}/{who}.*.json")):
        for r in json.load(open(path))["results"]:
            figures.setdefault((who, r["activation"], r["runs"]), []).append(r["run_steps_per_s"])

# TARGETS.md: R=64 against PyTorch's bmm.
targets = {64: 4.0}
results = []
for (who, activation, runs), values in sorted(figures.items()):
    if who != "rust" or (("pytorch", activation, runs) not in figures):
        continue
    rust = statistics.median(values)
    torch = statistics.median(figures[("pytorch", activation, runs)])
    ratio = rust / torch
    target = targets.get(runs)
    met = target is None or ratio >= target
    verdict = "no target" if target is None else f"target >= {target}x: {'met' if met else 'NOT met'}"
    print(f"{activation:>5} R={runs:<3} rust {rust:>9.0f}  pytorch {torch:>8.0f} run-steps/s  {ratio:6.2f}x  ({verdict})", file=sys.stderr)
    results.append({"activation": activation, "runs": runs, "rust": round(rust), "pytorch": round(torch), "ratio": round(ratio, 3), "target": target, "met": met})
print(json.dumps({"bench": "compare_cpu", "rounds": rounds, "results": results}))
EOF
