#!/usr/bin/env bash
# kobai beside SymPy, SymEngine, Symbolica and FLINT on the workloads of
# ../shared/bench (W1–W6), in one run on this machine, as one table.
#
#   bench/compare.sh                      every workload and size; the peers that lead
#                                         (~20 min on 2 cores, most of it the peers)
#   bench/compare.sh --quick              the smallest size of each workload (~3 min)
#   bench/compare.sh --only W2,W4F --systems symengine,flint --limit 75
#
# Needs python3 with the peers (installed with pip when one is missing: sympy,
# symengine, symbolica, python-flint, numpy) and ../shared/bench (or PEERS=path). Results and the table go to $BENCH_OUT
# (default target/bench-compare); the table is printed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
PEERS=${PEERS:-../shared/bench}
OUT=${BENCH_OUT:-target/bench-compare}
ONLY=""
SYSTEMS="symengine,symbolica,symbolica_poly,flint,flint_mat,numpy"
LIMIT=75
QUICK=""
while [ $# -gt 0 ]; do
    case "$1" in
        --only) ONLY=$2; shift 2 ;;
        --systems) SYSTEMS=$2; shift 2 ;;
        --limit) LIMIT=$2; shift 2 ;;
        --quick) QUICK=--quick; shift ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
done
[ -d "$PEERS" ] || { echo "no peer benchmarks at $PEERS (set PEERS=...)" >&2; exit 2; }
mkdir -p "$OUT"
rm -f "$OUT/results.tsv" "$OUT/raw.log" "$OUT/kobai.txt" "$OUT/kobai_1thread.txt" "$OUT/process.txt" "$OUT/w1_process.txt"
wants() { [ -z "$ONLY" ] || [[ ",$ONLY," == *",$1,"* ]]; }

# The peers, installed when one is missing.
python3 -c "import sympy, symengine, symbolica, flint, numpy" 2>/dev/null \
    || python3 -m pip install --quiet sympy==1.14.0 symengine==0.15.0 symbolica==3.0.2 python-flint==0.9.0 numpy==2.4.6
echo "== machine: $(nproc) cores; $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)" | tee "$OUT/machine.txt"
python3 -c "import sympy, symengine, symbolica, flint, numpy; print('== peers: sympy', sympy.__version__, '| symengine', symengine.__version__, '| symbolica', symbolica.get_version(), '| python-flint', flint.__version__, '| numpy', numpy.__version__)" | tee -a "$OUT/machine.txt"

echo "== kobai: cargo bench --bench kobai -- --table"
cargo build --release --locked --quiet
KOBAI_ONLY=$ONLY
if [ -n "$ONLY" ]; then
    # The Poly-kernel variants go with their workloads.
    KOBAI_ONLY=$(echo "$ONLY" | sed -e 's/\bW4\b/W4,W4poly/' -e 's/\bW4F\b/W4F,W4Fpoly/')
fi
cargo bench --locked --quiet --bench kobai -- --table ${KOBAI_ONLY:+--only "$KOBAI_ONLY"} $QUICK | tee "$OUT/kobai.txt" | grep -v '^# rep'
# The one kernel that uses every core (the dense product of W4F), again on one thread.
if wants W4F || wants W4Fd; then
    echo "== kobai on one thread (RAYON_NUM_THREADS=1): W4F, W4Fd"
    RAYON_NUM_THREADS=1 cargo bench --locked --quiet --bench kobai -- --table --only W4F,W4Fpoly,W4Fd $QUICK \
        | tee "$OUT/kobai_1thread.txt" | grep -v '^# rep'
fi
if wants W1 || wants W2 || wants FIT; then
    python3 bench/process.py target/release/kobai "$PEERS" "$OUT" $QUICK | tee "$OUT/process.txt"
fi

echo "== peers: $PEERS/run_all.py --systems $SYSTEMS"
python3 "$PEERS/run_all.py" --out "$OUT" --limit "$LIMIT" --systems "$SYSTEMS" ${ONLY:+--only "$ONLY"} $QUICK
if wants W1; then
    python3 "$PEERS/w1_process.py" 7 | tee "$OUT/w1_process.txt"
fi

echo
python3 bench/table.py "$OUT" | tee "$OUT/table.md"
