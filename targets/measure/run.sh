#!/usr/bin/env bash
# Measure the CPU cycles of every soft kernel of acec-runtime on the MSP430 under mspdebug's simulator and fit
# cycles = a + b*N (+ c*N*log2 N for FFTs), N as defined by acec_runtime::Kernel::charged_n.
#
# Needs: rustup stable with rust-src (RUSTC_BOOTSTRAP=1 for -Zbuild-std and asm on msp430), mspdebug
# (apt-get install -y mspdebug), python3 (the fit). Prints one line per kernel, then the JSON fragment.
# The simulator counts classic MSP430 cycles with no FRAM wait states; see targets/README.md for how the
# wait state is accounted for.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$here/../../target/measure}"

sysroot="$(rustc --print sysroot)"
linker_dir="$CARGO_TARGET_DIR/linker"
mkdir -p "$linker_dir"
ln -sf "$sysroot/lib/rustlib/x86_64-unknown-linux-gnu/bin/rust-lld" "$linker_dir/ld.lld"

RUSTC_BOOTSTRAP=1 RUSTFLAGS="-C linker=$linker_dir/ld.lld -C linker-flavor=ld -C link-arg=-T$here/memory.x \
-C link-arg=--nmagic -C link-arg=--gc-sections" \
    cargo build --release --target msp430-none-elf -Zbuild-std=core,panic_abort -q
elf="$CARGO_TARGET_DIR/msp430-none-elf/release/acec-measure"

mark_addr="$(nm "$elf" | awk '$3 == "mark" { print "0x" $1 }')"
cases="$(python3 "$here/fit.py" --count "$here/src/cases.rs")"

args=(-q sim "prog $elf" "simio add hwmult m" "simio add tracer t" "setbreak $mark_addr")
for _ in $(seq 1 $((2 * cases))); do
    args+=("run" "simio info t")
done
mspdebug "${args[@]}" < /dev/null 2>&1 | python3 "$here/fit.py" "$here/src/cases.rs"
