#!/usr/bin/env bash
# Cross-builds of acec-runtime: msp430-none-elf (with and without the `dsplib` feature) and
# thumbv7em-none-eabihf; and of the `build.rs` example crate for msp430-none-elf. Idempotent; needs only a
# stable rustup toolchain.
#
# msp430-none-elf is a tier-3 target without a prebuilt `core`, so it needs `-Zbuild-std=core`. We use the
# stable toolchain with RUSTC_BOOTSTRAP=1 (plus the rust-src component) rather than installing nightly:
# one toolchain to install, and the build uses the same compiler as the rest of CI.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$repo_root/target/cross}"

rustup component add rust-src
rustup target add thumbv7em-none-eabihf

msp430_build() {
    echo "== acec-runtime for msp430-none-elf $*"
    RUSTC_BOOTSTRAP=1 cargo build -p acec-runtime --release --target msp430-none-elf -Zbuild-std=core "$@"
}

msp430_build
msp430_build --features dsplib
msp430_build --features dsplib,cpu-copies

echo "== examples/digits-firmware for msp430-none-elf (its build.rs compiles the model with acec::Build on the host)"
RUSTC_BOOTSTRAP=1 cargo build -p acec-example-digits --release --target msp430-none-elf -Zbuild-std=core

echo "== acec-runtime for thumbv7em-none-eabihf"
cargo build -p acec-runtime --release --target thumbv7em-none-eabihf

echo "cross-build: ok"
