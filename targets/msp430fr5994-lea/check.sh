#!/usr/bin/env bash
# End-to-end check for one model and sample: `acec build` the crate, `acec run --json` on the host, the
# firmware in mspdebug's simulator (uninterrupted, then with resets for several seeds), and compare the
# outputs bit for bit. Exit 0 only if every run matches `acec run` and ACEC_DONE == 1 set exactly once.
#
#   ./check.sh MODEL.onnx DATA.npz INDEX [acec build options, e.g. --calib FILE.npz --block 64]
#
# Env: ACEC (default /work/main/target/debug/acec), SEEDS (default "1 2 3"), RESETS (default 24),
# ACEC_FW_MAX_STEP (see run-sim.sh).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ACEC="${ACEC:-$here/../../target/debug/acec}"
PYTHON="${PYTHON:-/work/venv/bin/python}"
model="$1"; data="$2"; index="$3"; shift 3
crate="$(mktemp -u /tmp/acec-fw-crate.XXXXXX)"   # acec build creates it
"$ACEC" build "$model" --target msp430-lea "$@" -o "$crate" | tail -1
expected="$("$ACEC" run "$model" --target msp430-lea "$@" --data "$data" --index "$index" --json \
    | "$PYTHON" -c 'import json,sys; print(" ".join(map(str, json.load(sys.stdin)["output_q15"])))')"
echo "acec run : $expected"
status=0
check() {
    local label="$1"; shift
    local out; out="$("$here/run-sim.sh" "$crate" "$data" "$index" "$@" 2>/dev/null)"
    local got; got="$(sed -n 's/^output: //p' <<<"$out")"
    local done_; done_="$(sed -n 's/^done: //p' <<<"$out")"
    local mclk; mclk="$(sed -n 's/^mclk: //p' <<<"$out")"
    if [ "$got" = "$expected" ] && [ "$done_" = "1 writes: 1" ]; then
        echo "$label: MATCH  (mclk $mclk; done $done_)"
    else
        echo "$label: MISMATCH got [$got] done [$done_] (mclk $mclk)"; status=1
    fi
}
check "sim, no resets"
for seed in ${SEEDS:-1 2 3}; do check "sim, ${RESETS:-24} resets, seed $seed" --resets "$seed" "${RESETS:-24}"; done
rm -rf "$crate"
exit $status
