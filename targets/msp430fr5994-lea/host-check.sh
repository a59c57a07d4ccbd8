#!/usr/bin/env bash
# Diagnostic: build the generated crate for the HOST and run it on the input last baked by run-sim.sh
# (firmware/src/input.rs), printing the `infer` and `start`/`resume` outputs. If these equal the simulator's
# output but not `acec run`, the difference is in the compiler (generated crate vs its interpreter), not msp430.
#   ./host-check.sh MODEL_CRATE_DIR
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
model_dir="$(cd "$1" && pwd)"
pkg="$(sed -n 's/^name *= *"\(.*\)"/\1/p' "$model_dir/Cargo.toml" | head -1)"
[ -f "$here/firmware/src/input.rs" ] || { echo "run run-sim.sh first (it writes firmware/src/input.rs)" >&2; exit 1; }
sed -e "s|@MODEL_PACKAGE@|$pkg|" -e "s|@MODEL_DIR@|$model_dir|g" "$here/host-check/Cargo.toml.in" > "$here/host-check/Cargo.toml"
cd "$here/host-check" && CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/work/target-fw}" cargo run -q --release 2>/dev/null
